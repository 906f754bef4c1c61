#!/usr/bin/env python3
"""Accuracy peer of `fabai rca discover` on Sachs et al. (2005): PC-stable written independently
in numpy/scipy (`_causal.py`; causal-learn is not installed here) at alpha 0.01, skeleton
precision / recall and SHD against the 20-edge accepted graph, scored as fabai's GraphComparison.

Settings (the must-show table of issue 18): continuous data with Fisher-z, its normal scores
(rank / (n + 1) through the normal quantile) with Fisher-z, the 3-level discrete file with G^2;
collider rules MAX_P (fabai's default) and SEPSETS; then GES and BOSS (linear-Gaussian BIC,
penalty 1; `_causal.py`) on the continuous data and its normal scores (column "colliders" names
the method for those rows).

usage: sachs_pc.py [SACHS_DIR] [--json]     (default ../shared/data/sachs from the repository root)
"""
import json
import os
import re
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _causal as C  # noqa: E402


def read_table(path):
    with open(path) as f:
        names = f.readline().split()
        rows = [list(map(float, line.split())) for line in f if line.strip()]
    return names, np.array(rows)


def read_truth(path):
    edges = []
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*\d+\.\s*(\S+)\s*-->\s*(\S+)", line)
            if m:
                edges.append((m.group(1), m.group(2)))
    return edges


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    here = os.path.dirname(os.path.abspath(__file__))
    d = args[0] if args else os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "sachs"))
    if not os.path.isfile(os.path.join(d, "sachs.2005.continuous.txt")):
        print(f"sachs data not found in {d}: skipped", file=sys.stderr)
        sys.exit(3)
    truth = read_truth(os.path.join(d, "sachs.2005.ground.truth.graph.txt"))
    names, cont = read_table(os.path.join(d, "sachs.2005.continuous.txt"))
    dnames, disc = read_table(os.path.join(d, "sachs.2005.discrete.txt"))
    assert dnames == names
    settings = [
        ("continuous, Fisher-z", lambda: C.FisherZ(cont)),
        ("normal scores, Fisher-z", lambda: C.FisherZ(C.normal_scores(cont))),
        ("discrete, G2", lambda: C.GSquare(C.codes_of(disc))),
    ]
    out = []
    for label, make in settings:
        for rule in ("max_p", "sepsets"):
            t0 = time.time()
            test = make()
            adj, ar = C.pc(test, len(names), 0.01, colliders=rule)
            est, tp, p, r, shd = C.compare(adj, ar, names, truth)
            out.append({"data": label, "colliders": rule, "edges": est, "true": tp, "precision": p,
                        "recall": r, "shd": shd, "seconds": time.time() - t0})
    for label, data in (("continuous", cont), ("normal scores", C.normal_scores(cont))):
        for method in ("ges", "boss"):
            t0 = time.time()
            adj, ar = getattr(C, method)(data)
            est, tp, p, r, shd = C.compare(adj, ar, names, truth)
            out.append({"data": label + ", BIC", "colliders": method.upper(), "edges": est, "true": tp, "precision": p,
                        "recall": r, "shd": shd, "seconds": time.time() - t0})
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2))
    else:
        print(f"Sachs ({cont.shape[0]} rows continuous, {disc.shape[0]} discrete), PC-stable alpha 0.01 (Python peer)")
        print(f"{'data, test':26s} {'colliders':9s} {'edges':>5s} {'true':>4s} {'P':>6s} {'R':>6s} {'SHD':>4s}")
        for o in out:
            print(f"{o['data']:26s} {o['colliders']:9s} {o['edges']:5d} {o['true']:4d} {o['precision']:6.3f} "
                  f"{o['recall']:6.3f} {o['shd']:4d}")


if __name__ == "__main__":
    main()
