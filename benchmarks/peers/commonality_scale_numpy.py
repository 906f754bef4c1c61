"""numpy/scipy peer of `fabai rca commonality` at fab scale (benchmarks/scale/commonality-scale.sh).

The analysis a data scientist would script without pandas: read the outcome CSV, read the
history CSV in blocks of lines with numpy.loadtxt (wafer_id, step, tool, chamber as strings),
dictionary-encode them with numpy.unique into one wafers x steps matrix of tool/chamber codes
(int16: 2 bytes per wafer and step), then per step scipy.stats.kruskal of the outcome across
tool/chamber groups, Benjamini-Hochberg over steps (scipy.stats.false_discovery_control), and
the culprit as the group with the lowest mean rank (low yield is bad). Timestamps and lot ids
are not read or checked (fabai parses and checks both).

Usage: commonality_scale_numpy.py HISTORIES.csv OUTCOMES.csv [OUTCOME_NAME]
Prints one JSON line: rows, wafers, steps, read_s, total_s, top (step and culprit), p, q.
"""

import json
import sys
import time

import numpy as np
from scipy import stats


def main():
    hist, outc = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) > 3 else "yield"
    t0 = time.perf_counter()
    o = np.loadtxt(outc, delimiter=",", skiprows=1, dtype=str, ndmin=2)
    o = o[o[:, 1] == name]
    wafer_ids = o[:, 0]
    y = o[:, 2].astype(float)
    widx = {w: i for i, w in enumerate(wafer_ids)}
    n_w = len(wafer_ids)
    step_codes, label_codes = {}, {}
    mat = np.full((n_w, 64), -1, dtype=np.int16)
    rows = 0
    with open(hist, encoding="utf-8") as f:
        header = [c.strip().lower() for c in f.readline().split(",")]
        cols = tuple(header.index(c) for c in ("wafer_id", "step", "tool", "chamber"))
        while True:
            lines = f.readlines(32 << 20)
            if not lines:
                break
            a = np.loadtxt(lines, delimiter=",", dtype=str, usecols=cols, ndmin=2)
            rows += a.shape[0]
            uw, iw = np.unique(a[:, 0], return_inverse=True)
            wmap = np.array([widx.get(u, -1) for u in uw], dtype=np.int64)[iw]
            us, i_s = np.unique(a[:, 1], return_inverse=True)
            smap = np.array([step_codes.setdefault(u, len(step_codes)) for u in us], dtype=np.int64)[i_s]
            lab = np.char.add(np.char.add(a[:, 2], "/"), a[:, 3])
            ul, il = np.unique(lab, return_inverse=True)
            lmap = np.array([label_codes.setdefault(u, len(label_codes)) for u in ul], dtype=np.int16)[il]
            if len(step_codes) > mat.shape[1]:
                grown = np.full((n_w, max(len(step_codes), 2 * mat.shape[1])), -1, dtype=np.int16)
                grown[:, :mat.shape[1]] = mat
                mat = grown
            keep = wmap >= 0
            mat[wmap[keep], smap[keep]] = lmap[keep]
    t_read = time.perf_counter() - t0
    ranks = stats.rankdata(y)
    steps = sorted(step_codes, key=step_codes.get)
    labels = sorted(label_codes, key=label_codes.get)
    p = np.ones(len(steps))
    culprit = [""] * len(steps)
    for s in range(len(steps)):
        col = mat[:, s]
        present = np.unique(col[col >= 0])
        groups = [y[col == g] for g in present]
        if len(groups) < 2:
            continue
        p[s] = stats.kruskal(*groups).pvalue
        mean_rank = [ranks[col == g].mean() for g in present]
        culprit[s] = labels[present[int(np.argmin(mean_rank))]]
    q = stats.false_discovery_control(p)
    best = int(np.argmin(p))
    total = time.perf_counter() - t0
    print(json.dumps({"rows": rows, "wafers": n_w, "steps": len(steps), "read_s": round(t_read, 2),
                      "total_s": round(total, 2), "top": f"{steps[best]} {culprit[best]}", "p": p[best], "q": q[best]}))


if __name__ == "__main__":
    main()
