"""scikit-learn peer on real maps (issue #13): a random forest on 32 x 32 failing-die grids,
lot-grouped K-fold cross-validation with the same folds as wm811k_cnn_peer.py and fabai's
``CrossValidation.groupFolds`` (``_wm811k``).

An accuracy peer, not a timing peer: bin/bench (which calls every script here with ``--out``)
gets exit 3 (skipped). Run it by hand:

    /usr/bin/python3 benchmarks/peers/wm811k_sklearn_peer.py [--json out.json]

Features: each map padded to square with OFF (centred) and resized to 32 x 32 with fabai's
policy (block maximum when shrinking, centre sampling when enlarging); the feature vector is the
1,024 cells of ``code == FAIL`` (0/1), row-major. No augmentation, no validation split.
Model: ``RandomForestClassifier(n_estimators=300, class_weight="balanced", n_jobs=2,
random_state=seed + fold)``, otherwise scikit-learn's defaults. Reports as the CNN peer does.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _wm811k as W  # noqa: E402

DEFAULT_NPZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data",
                           "wm811k", "wm811k-sample.npz")
SKIP = 3


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--npz", default=os.path.normpath(DEFAULT_NPZ))
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=1, help="fold seed (1 as fabai adc evaluate's default)")
    p.add_argument("--fold-rule", choices=W.RULES, default="crc32",
                   help="crc32: fabai's CrossValidation.groupFolds (default); numpy: the earlier rule (_wm811k.py)")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--trees", type=int, default=300)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--json", default=None)
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)      # bin/bench's protocol
    p.add_argument("--filter", default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.out is not None:
        print("SKIP wm811k_sklearn_peer.py: an accuracy peer, not a timing peer; run it by hand "
              "(see benchmarks/peers/README.md)", flush=True)
        sys.exit(SKIP)
    if not os.path.exists(a.npz):
        print(f"SKIP wm811k_sklearn_peer.py: {a.npz} is absent (the shared WM-811K sample)")
        sys.exit(SKIP)
    try:
        import sklearn
        from sklearn.ensemble import RandomForestClassifier
    except ImportError as e:
        print(f"SKIP wm811k_sklearn_peer.py: scikit-learn not importable by {sys.executable} ({e}); "
              f"apt-get install -y python3-sklearn and run with /usr/bin/python3")
        sys.exit(SKIP)

    t_start = time.time()
    maps, labels, lots, names = W.load_npz(a.npz)
    classes = sorted(set(labels))
    if "" in classes:
        raise W.DataError(f"{a.npz}: {labels.count('')} maps without a label; the peer needs labelled maps")
    k = len(classes)
    y = np.array([classes.index(s) for s in labels], dtype=np.int64)
    groups = W.groups_of(lots, names, a.fold_rule)
    folds = W.lot_folds(groups, a.folds, a.seed, a.fold_rule)
    print(f"{a.npz}: {len(maps)} maps, {k} classes, {len(set(groups))} groups; "
          f"{a.folds} folds, {a.fold_rule} rule, seed {a.seed}, fold hash {W.fold_hash(folds)[:16]}")
    W.print_folds(folds, y, classes, a.folds)
    x = (W.prepare(maps, a.size) == W.FAIL).reshape(len(maps), -1).astype(np.float32)
    print(f"scikit-learn {sklearn.__version__}; {x.shape[1]} features ({a.size}x{a.size} failing-die grid), "
          f"{a.trees} trees, {a.jobs} jobs", flush=True)

    fold_scores = []
    cm = np.zeros((k, k), dtype=np.int64)
    for fold in range(a.folds):
        t0 = time.time()
        train = np.flatnonzero(folds != fold)
        test = np.flatnonzero(folds == fold)
        rf = RandomForestClassifier(n_estimators=a.trees, class_weight="balanced", n_jobs=a.jobs,
                                    random_state=a.seed + fold)
        rf.fit(x[train], y[train])
        pred = rf.predict(x[test])
        cm += W.confusion(y[test], pred, k)
        s = {"fold": fold, "testMaps": int(len(test)), "trainMaps": int(len(train)),
             "macroF1": W.macro_f1(y[test], pred, k), "accuracy": float((pred == y[test]).mean()),
             "seconds": round(time.time() - t0, 1)}
        fold_scores.append(s)
        print(f"fold {fold}: test macro-F1 {s['macroF1']:.4f} accuracy {s['accuracy']:.4f} ({s['seconds']} s)",
              flush=True)
    wall = time.time() - t_start
    res = W.report("scikit-learn random forest, 32x32 failing-die grid", classes, fold_scores, cm, wall, extra={
        "npz": a.npz, "foldSeed": a.seed, "foldRule": a.fold_rule, "foldHash": W.fold_hash(folds), "sklearn": sklearn.__version__,
        "inputSize": a.size, "trees": a.trees, "command": " ".join([os.path.basename(sys.executable)] + sys.argv)})
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=1)
        print(f"wrote {a.json}")


if __name__ == "__main__":
    try:
        main()
    except W.DataError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
