"""PyTorch peer of fabai's wafer-map CNN on real maps (issue #13): lot-grouped K-fold
cross-validation on fabai's ragged NPZ (default: the shared WM-811K sample), trained the way
fabai's CnnTrainer trains (adc ``CnnConfig.defaults``).

This is an accuracy peer, not a timing peer: bin/bench (which calls every script here with
``--out``) gets exit 3 (skipped) from it. Run it by hand:

    /usr/bin/python3 benchmarks/peers/wm811k_cnn_peer.py [--json out.json] [--label-smoothing 0.1]

What it does, so the Java side can match it:

- Folds: ``_wm811k.lot_folds``, by default fabai's own rule (``CrossValidation.groupFolds``:
  groups = lot_name, an empty lot name a group "#i" of its own; groups visited by
  CRC-32("seed:group"), each to the fold with the fewest maps so far), seed 1 as
  ``fabai adc evaluate``. Fold f trains with seed + f. The fold hash printed first (SHA-256 of
  the comma-joined fold numbers) is the same for fabai's folds (checked against the Java class).
- Input: every map padded to square with OFF (centred) and resized to 64 x 64 (block maximum
  when shrinking, centre sampling when enlarging: ``_wm811k.resize_max``); one-hot, 3 channels
  (OFF, GOOD, FAIL), NCHW float32.
- Network (fabai's ``CnnConfig.Architecture.RESIDUAL``, ``CnnNetworks.build``): conv 3x3 16 +
  ReLU (padding 1, "same"), max-pool 2x2/2; conv 3x3 32 + ReLU; residual block: conv 3x3 32 +
  ReLU, conv 3x3 32 (identity), add the conv2 output, ReLU; max-pool; conv 3x3 64 + ReLU;
  max-pool (-> 64 x 8 x 8); dense 64 + ReLU; dense k + softmax. Weights as DL4J's: He normal
  (std sqrt(2 / fan_in)) for the hidden layers, Xavier normal (std sqrt(2 / (fan_in + fan_out)))
  for the output layer, biases 0.
- Training (``CnnTrainer.train``): 15 % of the training fold held out for early stopping —
  whole lots by fabai's ``ValidationSplit.byLots`` rule (``_wm811k.lot_split``; the default,
  ``--validation-split lots``, as fabai does when the maps name their lots), else (or with
  ``--validation-split maps``) a stratified share (per class: shuffled, round(0.15 n) held out,
  at least 1 when n >= 2); Adam (0.9,
  0.999, 1e-8), learning rate 2e-3 in epoch e (1-based) of E = 20:
  2e-3 * (0.1 + 0.9 * 0.5 * (1 + cos(pi * (e - 1) / E))); L2 1e-4 on weights (not biases), added
  to the gradient before Adam (DL4J's l2); batch 64 (the last batch of an epoch smaller), a fresh
  shuffle each epoch; each map of a batch under one of the 8 symmetries of the square, drawn
  uniformly; loss: class-weighted cross-entropy averaged over the batch, weight of class c =
  (n_train / (k * count_c))^p, p = 1 or, with the real recipe, 0.5 (``--class-weight-power``) (count over the training part without the validation maps; 1 for an
  absent class), as DL4J's LossMCXENT with weights: mean_i(-sum_c w_c y_ic log p_ic). With
  ``--label-smoothing eps`` the targets become (1 - eps) one-hot + eps / k in that same formula.
  After each epoch the validation macro-F1 (fabai's Scores.macroF1: classes absent from both
  truth and prediction skipped); the best epoch's weights are kept; training stops after 8
  epochs without a better one.
- Report: per-fold macro-F1 and accuracy on the held-out fold, mean and sample std, per-class F1
  and confusion matrix pooled over the folds, wall time. Random streams differ from Java's
  (java.util.Random there), so scores agree in distribution, not digit for digit.

Threads: torch.set_num_threads(2), one inter-op thread, OMP_WAIT_POLICY=PASSIVE unless set.
"""

import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _wm811k as W  # noqa: E402

DEFAULT_NPZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data",
                           "wm811k", "wm811k-sample.npz")
SKIP = 3


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--npz", default=os.path.normpath(DEFAULT_NPZ), help="fabai ragged NPZ (default: the shared sample)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=1, help="fold seed (and, plus the fold number, the training seed); "
                                                      "1 as fabai adc evaluate's default")
    p.add_argument("--fold-rule", choices=W.RULES, default="crc32",
                   help="crc32: fabai's CrossValidation.groupFolds (default); numpy: the earlier rule (_wm811k.py)")
    p.add_argument("--only-fold", type=int, default=None, help="run one fold only (a quick check)")
    p.add_argument("--size", type=int, default=64, help="network input side")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--patience", type=int, default=8)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--l2", type=float, default=1e-4)
    p.add_argument("--validation", type=float, default=0.15)
    p.add_argument("--validation-split", choices=("lots", "maps"), default="lots",
                   help="hold out whole lots (fabai's rule when maps name their lots) or maps (stratified)")
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--no-augment", action="store_true")
    p.add_argument("--tta", action="store_true", help="average predictions over the 8 rotations/flips")
    p.add_argument("--recipe", choices=["defaults", "real"], default="defaults",
                   help="real: fabai's CnnConfig.realDataDefaults (30 epochs, label smoothing 0.1, --tta, batch 32, "
                        "square-root class weights)")
    p.add_argument("--no-class-weights", action="store_true")
    p.add_argument("--class-weight-power", type=float, default=1.0,
                   help="exponent p of the class weights (n / (k n_c))^p: 1 inverse frequency, 0.5 its square root")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--json", default=None, help="write the results as JSON here")
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)      # bin/bench's protocol
    p.add_argument("--filter", default=None, help=argparse.SUPPRESS)   # bin/bench's protocol
    a = p.parse_args()
    if a.recipe == "real":
        a.epochs, a.label_smoothing, a.tta, a.batch, a.class_weight_power = 30, 0.1, True, 32, 0.5
    if a.out is not None:
        print("SKIP wm811k_cnn_peer.py: an accuracy peer (minutes of training), not a timing peer; "
              "run it by hand (see benchmarks/peers/README.md)", flush=True)
        sys.exit(SKIP)
    if not 0 <= a.class_weight_power <= 1:
        p.error(f"--class-weight-power must be in [0, 1], got {a.class_weight_power}")
    if not 0 <= a.label_smoothing < 1:
        p.error(f"--label-smoothing must be in [0, 1), got {a.label_smoothing}")
    if not 0 < a.validation <= 0.5:
        p.error(f"--validation must be in (0, 0.5], got {a.validation}")
    return a


def main():
    a = parse()
    if not os.path.exists(a.npz):
        print(f"SKIP wm811k_cnn_peer.py: {a.npz} is absent (the shared WM-811K sample; see ../shared/data/README.md)")
        sys.exit(SKIP)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError as e:
        print(f"SKIP wm811k_cnn_peer.py: torch not importable by {sys.executable} ({e}); "
              f"apt-get install -y python3-torch and run with /usr/bin/python3")
        sys.exit(SKIP)
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass

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
    codes = torch.from_numpy(W.prepare(maps, a.size))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, OMP_WAIT_POLICY="
          f"{os.environ.get('OMP_WAIT_POLICY')}; input {a.size}x{a.size}, label smoothing {a.label_smoothing}",
          flush=True)

    class Residual(nn.Module):
        def __init__(self, n, k):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
            self.res_a = nn.Conv2d(32, 32, 3, padding=1)
            self.res_b = nn.Conv2d(32, 32, 3, padding=1)
            self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
            side = n // 2 // 2 // 2
            self.dense = nn.Linear(64 * side * side, 64)
            self.out = nn.Linear(64, k)
            for m in (self.conv1, self.conv2, self.res_a, self.res_b, self.conv3, self.dense):
                fan_in = m.weight[0].numel()
                nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / fan_in))
                nn.init.zeros_(m.bias)
            nn.init.normal_(self.out.weight, 0.0, math.sqrt(2.0 / (64 + k)))
            nn.init.zeros_(self.out.bias)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            c2 = F.relu(self.conv2(x))
            r = self.res_b(F.relu(self.res_a(c2)))
            x = F.max_pool2d(F.relu(c2 + r), 2)
            x = F.max_pool2d(F.relu(self.conv3(x)), 2)
            x = F.relu(self.dense(torch.flatten(x, 1)))
            return self.out(x)  # logits; softmax in the loss / at prediction

    def one_hot(c):
        return F.one_hot(c.long(), 3).permute(0, 3, 1, 2).contiguous().float()

    def augment(c, gen):
        t = torch.randint(0, 8, (c.shape[0],), generator=gen)
        out = c.clone()
        for s in range(1, 8):
            sel = (t == s).nonzero().flatten()
            if sel.numel() == 0:
                continue
            x = c[sel]
            if s & 4:
                x = torch.flip(x, dims=(2,))
            out[sel] = torch.rot90(x, s & 3, dims=(1, 2))
        return out

    def predict(net, idx):
        net.eval()
        preds = []
        with torch.no_grad():
            for f in range(0, len(idx), 256):
                x = one_hot(codes[idx[f:f + 256]])
                if a.tta:
                    # mean softmax over the eight symmetries of the square (fabai's testTimeAugment)
                    p = 0
                    for t in range(8):
                        v = torch.rot90(x, t & 3, dims=(2, 3))
                        if t & 4:
                            v = torch.flip(v, dims=(3,))
                        p = p + F.softmax(net(v), dim=1)
                    preds.append(p.argmax(1))
                else:
                    preds.append(net(x).argmax(1))
        net.train()
        return torch.cat(preds).numpy()

    fold_scores = []
    cm = np.zeros((k, k), dtype=np.int64)
    run_folds = range(a.folds) if a.only_fold is None else [a.only_fold]
    for fold in run_folds:
        t0 = time.time()
        seed = a.seed + fold
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        rng = np.random.default_rng(seed)
        train_all = np.flatnonzero(folds != fold)
        test = np.flatnonzero(folds == fold)
        split = None
        if a.validation_split == "lots":
            split = W.lot_split(y[train_all], [lots[i] for i in train_all], k, a.validation, rng)
        tr_pos, va_pos = split if split is not None else W.stratified_split(y[train_all], a.validation, rng)
        train, val = train_all[tr_pos], train_all[va_pos]
        counts = np.bincount(y[train], minlength=k).astype(float)
        if a.no_class_weights:
            wts = np.ones(k)
        else:
            wts = np.where(counts == 0, 1.0, (len(train) / (k * np.maximum(counts, 1))) ** a.class_weight_power)
        wts = torch.tensor(wts, dtype=torch.float32)
        net = Residual(a.size, k)
        decay = [p for n_, p in net.named_parameters() if n_.endswith("weight")]
        plain = [p for n_, p in net.named_parameters() if not n_.endswith("weight")]
        opt = torch.optim.Adam([{"params": decay, "weight_decay": a.l2}, {"params": plain, "weight_decay": 0.0}],
                               lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
        yt = torch.from_numpy(y)
        best, best_epoch, best_state, epochs_run = -1.0, 0, None, 0
        for epoch in range(1, a.epochs + 1):
            epochs_run = epoch
            lr = a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / a.epochs)))
            for g in opt.param_groups:
                g["lr"] = lr
            order = train[rng.permutation(len(train))]
            loss_sum = 0.0
            for f in range(0, len(order), a.batch):
                idx = order[f:f + a.batch]
                c = codes[idx]
                if not a.no_augment:
                    c = augment(c, gen)
                target = F.one_hot(yt[idx], k).float()
                if a.label_smoothing > 0:
                    target = target * (1 - a.label_smoothing) + a.label_smoothing / k
                logp = F.log_softmax(net(one_hot(c)), dim=1)
                loss = -(target * logp * wts).sum(1).mean()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                loss_sum += loss.item() * len(idx)
            score = W.macro_f1(y[val], predict(net, val), k)
            improved = score > best + 1e-9
            if improved:
                best, best_epoch, best_state = score, epoch, copy.deepcopy(net.state_dict())
            print(f"  fold {fold} epoch {epoch:2d}/{a.epochs} lr {lr:.2e} loss {loss_sum / len(order):.4f} "
                  f"validation macro-F1 {score:.4f}{' (best)' if improved else ''}  {time.time() - t0:.0f} s",
                  flush=True)
            if epoch - best_epoch >= a.patience:
                print(f"  fold {fold}: early stop after epoch {epoch} (best {best:.4f} at epoch {best_epoch})")
                break
        net.load_state_dict(best_state)
        pred = predict(net, test)
        cm += W.confusion(y[test], pred, k)
        s = {"fold": fold, "testMaps": int(len(test)), "trainMaps": int(len(train)), "validationMaps": int(len(val)),
             "validationUnit": "maps" if split is None else "lots",
             "macroF1": W.macro_f1(y[test], pred, k), "accuracy": float((pred == y[test]).mean()),
             "epochsRun": epochs_run, "bestEpoch": best_epoch, "validationMacroF1": best,
             "seconds": round(time.time() - t0, 1)}
        s["note"] = f"(best epoch {best_epoch}/{epochs_run}, {s['seconds']:.0f} s)"
        fold_scores.append(s)
        print(f"fold {fold}: test macro-F1 {s['macroF1']:.4f} accuracy {s['accuracy']:.4f} {s['note']}", flush=True)

    wall = time.time() - t_start
    name = "PyTorch residual CNN (fabai RESIDUAL recipe)"
    res = W.report(name, classes, fold_scores, cm, wall, extra={
        "npz": a.npz, "foldSeed": a.seed, "foldRule": a.fold_rule, "foldHash": W.fold_hash(folds), "torch": torch.__version__,
        "threads": torch.get_num_threads(), "inputSize": a.size, "epochs": a.epochs, "patience": a.patience,
        "batch": a.batch, "learningRate": a.lr, "l2": a.l2, "validationFraction": a.validation,
        "validationSplit": a.validation_split,
        "labelSmoothing": a.label_smoothing, "classWeightPower": a.class_weight_power, "augment": not a.no_augment, "classWeights": not a.no_class_weights,
        "command": " ".join([os.path.basename(sys.executable)] + sys.argv)})
    for s in fold_scores:
        s.pop("note", None)
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
