"""What the real-data (WM-811K) peers share: reading fabai's ragged NPZ, the lot-grouped fold
rule, fabai's resize policy, and the metrics. numpy only.

Fold rules. The default, ``crc32``, is fabai's ``org.fabai.adc.eval.CrossValidation.groupFolds``
(what ``fabai adc evaluate --cv K --group-by lot_name`` uses; its ``--seed`` defaults to 1):

1. The group of a map is its ``lot_name``; a map whose lot name is empty is a group of its own,
   named ``"#" + i`` (i = the map's 0-based position).
2. Each distinct group g gets the key CRC-32 of the UTF-8 bytes of ``f"{seed}:{g}"`` (unsigned,
   as ``zlib.crc32`` and Java's ``CRC32.getValue``); groups are visited by key, ties by name.
3. In that order each group goes whole to the fold that holds the fewest maps so far (the lowest
   fold number on a tie).

The ``numpy`` rule (the first one these peers used; the measurements of 2026-12-03 14:05 UTC in
README.md ran with it): an empty lot name is a group named by the map's array name
(``map_00012``); the distinct group names are sorted and shuffled with
``np.random.default_rng(seed).permutation(len(groups))`` (the i-th group visited is
``sorted_groups[perm[i]]``); then step 3 as above.

Both balance fold sizes and keep every lot in one fold; neither balances classes explicitly
(with about 1,000 groups of 1-4 maps the classes come out near-stratified; the peers print the
per-fold class counts so that can be checked).

Fold hash: SHA-256 of the UTF-8 text of every map's fold number (0-based) in map order, joined by
commas (``"0,3,1,..."``), as lowercase hex; the peers print its first 16 characters.

Resize policy (fabai's ``WaferMap.resize(n, n, ResizeMode.MAX)`` after padding to square):

- pad: an h x w map becomes s x s, s = max(h, w), with OFF (0) cells; the map sits at row offset
  ``(s - h) // 2`` and column offset ``(s - w) // 2``;
- shrink (s > n): target cell i covers source rows ``floor(i*s/n)`` up to (excluded)
  ``floor((i+1)*s/n)`` (and the same for columns) and takes the largest code present (FAIL 2
  over GOOD 1 over OFF 0), so a one-die scratch survives;
- enlarge or keep (s <= n): target cell i takes source cell ``floor((2*i + 1) * s / (2*n))``
  (centre sampling).
"""

import hashlib
import math
import zlib

import numpy as np

OFF, GOOD, FAIL = 0, 1, 2


class DataError(ValueError):
    """A malformed input file; the message names the file and the entry."""


def load_npz(path):
    """Reads fabai's ragged NPZ: ``map_00000``.. (uint8 2-D, codes 0/1/2), ``labels``, and
    ``lot_name`` / ``wafer_index`` when present.

    Returns (maps: list of 2-D uint8 arrays, labels: list of str, lots: list of str,
    names: list of the map array names).
    """
    with np.load(path, allow_pickle=False) as z:
        files = list(z.files)
        names = sorted((f for f in files if f.startswith("map_")), key=lambda f: (len(f), f))
        if not names:
            shown = ", ".join(files[:5]) + (" ..." if len(files) > 5 else "")
            raise DataError(f"{path}: no map_NNNNN arrays (it holds {shown})")
        expected = [f"map_{i:05d}" for i in range(len(names))]  # map_100000 follows map_99999
        if names != expected:
            bad = next(a for a, b in zip(names, expected) if a != b)
            raise DataError(f"{path}: map arrays are not numbered map_00000.. without gaps (first odd one: {bad})")
        if "labels" not in files:
            raise DataError(f"{path}: no 'labels' array")
        labels = [str(s) for s in z["labels"].tolist()]
        if len(labels) != len(names):
            raise DataError(f"{path}: {len(labels)} labels for {len(names)} maps")
        lots = [str(s) for s in z["lot_name"].tolist()] if "lot_name" in files else [""] * len(names)
        if len(lots) != len(names):
            raise DataError(f"{path}: {len(lots)} lot names for {len(names)} maps")
        maps = []
        for n in names:
            m = z[n]
            if m.ndim != 2 or m.size == 0:
                raise DataError(f"{path}: {n} has shape {m.shape}, expected a non-empty 2-D array")
            if m.max() > FAIL:
                raise DataError(f"{path}: {n} holds code {int(m.max())}; expected 0 off, 1 good, 2 fail")
            maps.append(m.astype(np.uint8, copy=False))
    return maps, labels, lots, names


RULES = ("crc32", "numpy")


def groups_of(lots, names, rule="crc32"):
    """The group name of each map: its lot, or, when the lot is empty, "#" + its position (crc32
    rule) or its array name (numpy rule)."""
    if rule not in RULES:
        raise ValueError(f"unknown fold rule {rule!r}; expected one of {RULES}")
    if rule == "crc32":
        return [lot if lot != "" else f"#{i}" for i, lot in enumerate(lots)]
    return [lot if lot != "" else name for lot, name in zip(lots, names)]


def lot_folds(groups, k, seed, rule="crc32"):
    """The fold (0..k-1) of each map under a rule of this module's docstring."""
    if k < 2:
        raise ValueError(f"need at least 2 folds, got {k}")
    distinct = sorted(set(groups))
    if len(distinct) < k:
        raise ValueError(f"{len(distinct)} groups cannot fill {k} folds")
    if rule == "crc32":
        order = sorted(distinct, key=lambda g: (zlib.crc32(f"{seed}:{g}".encode("utf-8")), g))
    elif rule == "numpy":
        order = [distinct[int(i)] for i in np.random.default_rng(seed).permutation(len(distinct))]
    else:
        raise ValueError(f"unknown fold rule {rule!r}; expected one of {RULES}")
    size = {}
    for g in groups:
        size[g] = size.get(g, 0) + 1
    fold_of_group = {}
    load = [0] * k
    for g in order:
        f = min(range(k), key=lambda j: (load[j], j))
        fold_of_group[g] = f
        load[f] += size[g]
    return np.array([fold_of_group[g] for g in groups], dtype=np.int64)


def fold_hash(folds):
    """Lowercase hex SHA-256 of the comma-joined fold numbers in map order."""
    text = ",".join(str(int(f)) for f in folds)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pad_square(m):
    """Pads an h x w map with OFF to s x s, s = max(h, w), the map centred (offsets floor((s-h)/2),
    floor((s-w)/2))."""
    h, w = m.shape
    s = max(h, w)
    if h == w:
        return m
    out = np.zeros((s, s), dtype=m.dtype)
    top, left = (s - h) // 2, (s - w) // 2
    out[top:top + h, left:left + w] = m
    return out


def resize_max(m, n):
    """Resizes a square map to n x n: block maximum when shrinking, centre sampling otherwise."""
    s = m.shape[0]
    if m.shape[1] != s:
        raise ValueError(f"resize_max needs a square map, got {m.shape}")
    if s > n:
        starts = (np.arange(n, dtype=np.int64) * s) // n
        return np.maximum.reduceat(np.maximum.reduceat(m, starts, axis=0), starts, axis=1)
    idx = ((2 * np.arange(n, dtype=np.int64) + 1) * s) // (2 * n)
    return m[np.ix_(idx, idx)]


def prepare(maps, n):
    """Every map padded to square and resized to n x n, as one (count, n, n) uint8 array."""
    out = np.empty((len(maps), n, n), dtype=np.uint8)
    for i, m in enumerate(maps):
        out[i] = resize_max(pad_square(m), n)
    return out


def confusion(truth, pred, k):
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (np.asarray(truth), np.asarray(pred)), 1)
    return cm


def f1_per_class(cm):
    """F1 of each class from a confusion matrix (rows truth, columns prediction); NaN where the
    class is absent from both truth and prediction."""
    tp = np.diag(cm).astype(float)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    d = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d == 0, np.nan, 2 * tp / np.where(d == 0, 1, d))


def macro_f1(truth, pred, k):
    """Macro F1 over the classes present in truth or prediction (fabai's Scores.macroF1)."""
    f = f1_per_class(confusion(truth, pred, k))
    f = f[~np.isnan(f)]
    return float(f.mean()) if f.size else 0.0


def stratified_split(y, fraction, rng):
    """fabai's CnnTrainer split: per class (ascending), the members shuffled, the first
    max(1, round(fraction * count)) held out (none when the class has fewer than 2 members).
    Returns (train indices, validation indices), both sorted, as positions into y."""
    y = np.asarray(y)
    tr, va = [], []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        members = members[rng.permutation(members.size)]
        nv = 0 if members.size < 2 else max(1, int(math.floor(fraction * members.size + 0.5)))
        va.extend(members[:nv].tolist())
        tr.extend(members[nv:].tolist())
    return np.array(sorted(tr), dtype=np.int64), np.array(sorted(va), dtype=np.int64)


def lot_split(y, lots, k, fraction, rng):
    """fabai's ValidationSplit.byLots rule: the lots (an empty lot name is a lot of its own) in a
    random order; whole lots held out until round(fraction * n) maps are, skipping a lot that would
    leave one of its classes without a training map. Returns None (split by map instead) when there
    are fewer than 5 lots or the held-out lots cover fewer than half of the classes with 2 or more
    maps; else (train indices, validation indices), both sorted, as positions into y."""
    y = np.asarray(y)
    by = {}
    for i, lot in enumerate(lots):
        by.setdefault(lot if lot else f"\0map {i}", []).append(i)
    if len(by) < 5 or all(not lot for lot in lots):
        return None
    groups = [by[key] for key in sorted(by)]
    groups = [groups[int(j)] for j in rng.permutation(len(groups))]
    left = np.bincount(y, minlength=k)
    held = np.zeros(k, dtype=np.int64)
    target = int(math.floor(len(y) * fraction + 0.5))
    val = np.zeros(len(y), dtype=bool)
    n = 0
    for g in groups:
        if n >= target:
            break
        need = np.bincount(y[g], minlength=k)
        if np.any((need > 0) & (left - need < 1)):
            continue
        val[g] = True
        left -= need
        held += need
        n += len(g)
    two = (held + left) >= 2
    if n == 0 or 2 * int(np.sum(two & (held > 0))) < int(np.sum(two)):
        return None
    return np.flatnonzero(~val), np.flatnonzero(val)


def report(name, classes, fold_scores, cm, wall, extra=None):
    """Prints per-fold macro-F1, mean and std, per-class F1 and the pooled confusion matrix;
    returns the same as a dict (for --json)."""
    scores = np.array([s["macroF1"] for s in fold_scores])
    mean = float(scores.mean())
    std = float(scores.std(ddof=1)) if scores.size > 1 else 0.0
    per = f1_per_class(cm)
    print(f"\n{name}: lot-grouped {len(fold_scores)}-fold cross-validation")
    for s in fold_scores:
        print(f"  fold {s['fold']}: test maps {s['testMaps']:4d}  macro-F1 {s['macroF1']:.4f}  "
              f"accuracy {s['accuracy']:.4f}" + (f"  {s['note']}" if s.get("note") else ""))
    print(f"  macro-F1 mean {mean:.4f}  std {std:.4f} (sample std over folds)")
    pooled = macro_f1_from_cm(cm)
    print(f"  pooled over folds: macro-F1 {pooled:.4f}  accuracy {np.trace(cm) / cm.sum():.4f}")
    print("  per-class F1 (pooled):")
    for c, f in zip(classes, per):
        print(f"    {c:10s} {f:.4f}  (support {int(cm[classes.index(c)].sum())})")
    w = max(len(c) for c in classes)
    print("  confusion matrix (pooled; rows truth, columns prediction):")
    print("    " + " " * w + " " + " ".join(f"{c[:6]:>6s}" for c in classes))
    for c, row in zip(classes, cm):
        print(f"    {c:>{w}s} " + " ".join(f"{int(v):6d}" for v in row))
    print(f"  wall time {wall:.1f} s")
    out = {"peer": name, "folds": fold_scores, "macroF1Mean": mean, "macroF1Std": std,
           "pooledMacroF1": pooled, "pooledAccuracy": float(np.trace(cm) / cm.sum()),
           "classes": classes, "perClassF1": [None if np.isnan(v) else float(v) for v in per],
           "confusion": cm.tolist(), "wallSeconds": wall}
    if extra:
        out.update(extra)
    return out


def macro_f1_from_cm(cm):
    f = f1_per_class(cm)
    f = f[~np.isnan(f)]
    return float(f.mean()) if f.size else 0.0


def print_folds(folds, y, classes, k):
    """Prints the fold sizes and per-fold class counts."""
    print("fold sizes and class counts:")
    print("  fold  maps " + " ".join(f"{c[:6]:>6s}" for c in classes))
    for f in range(k):
        sel = folds == f
        counts = np.bincount(np.asarray(y)[sel], minlength=len(classes))
        print(f"  {f:4d} {int(sel.sum()):5d} " + " ".join(f"{int(v):6d}" for v in counts))


def _main():
    """``python3 _wm811k.py [--npz F] [--folds K] [--seed S] [--fold-rule R] [--csv OUT]``: prints the fold hash
    and the fold sizes, and writes ``map,group,fold`` rows (one per map, in map order) to OUT, so
    another implementation of the rule can be checked map by map."""
    import argparse
    import csv
    import os
    default = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                            "shared", "data", "wm811k", "wm811k-sample.npz"))
    p = argparse.ArgumentParser(description="lot-grouped fold assignment of a fabai ragged NPZ")
    p.add_argument("--npz", default=default)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fold-rule", choices=RULES, default="crc32")
    p.add_argument("--csv", default=None)
    a = p.parse_args()
    maps, labels, lots, names = load_npz(a.npz)
    groups = groups_of(lots, names, a.fold_rule)
    folds = lot_folds(groups, a.folds, a.seed, a.fold_rule)
    print(f"{a.npz}: {len(maps)} maps, {len(set(groups))} groups, {a.folds} folds, {a.fold_rule} rule, seed {a.seed}: "
          f"fold hash {fold_hash(folds)}; sizes {np.bincount(folds, minlength=a.folds).tolist()}")
    if a.csv:
        with open(a.csv, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["map", "group", "fold"])
            for n, g, f in zip(names, groups, folds):
                w.writerow([n, g, int(f)])
        print(f"wrote {a.csv}")


if __name__ == "__main__":
    _main()
