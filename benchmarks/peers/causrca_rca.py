#!/usr/bin/env python3
"""Accuracy peer of `fabai rca causrca`: root-cause AC@1 / AC@3 on causRCA-layout data, written
independently in Python (standard library + numpy), the same way: each fault run is gridded from
its start to the diagnosis (1 s, values carried forward, alarms inactive unless logged, variables
a run does not log at their usual reference value); the diagnosis row is explained against the
normal recordings. Ties count in random order (expected AC@k).

Methods
  robust-z         |x - median| / (1.4826 MAD) of the diagnosis row against the reference
                   (MAD 0: 1.2533 mean absolute deviation, then 1e-12)
  gcm-expert       DoWhy-gcm style with the expert graph: per variable min(conditional, marginal)
                   information-theoretic outlier score, conditional from a Laplace-smoothed
                   conditional table fitted on the reference (unseen parent configuration: 0),
                   ties by marginal score then onset
  upstream-expert  the "most upstream deviating ancestor" heuristic on the expert graph: deviating
                   variables (marginal score >= -log 0.01) without a deviating ancestor first

No discovery method here (causal-learn is not installed on this machine).

usage: causrca_rca.py SUBSYSTEM_DIR REFERENCE_DIR [--json]
"""
import csv
import glob
import json
import math
import os
import re
import sys

import numpy as np

THRESH = -math.log(0.01)


def read_log(path):
    ev = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            v = r["value"].strip()
            if v in ("True", "False"):
                v = 1.0 if v == "True" else 0.0
            else:
                try:
                    v = float(v)
                except ValueError:
                    v = hash(v) % 100003  # categorical: any stable code (only binary variables matter here)
            ev.setdefault(r["node"], []).append((float(r["time_s"]), v))
    for k in ev:
        ev[k].sort(key=lambda x: x[0])
    t0 = min(e[0][0] for e in ev.values())
    t1 = max(e[-1][0] for e in ev.values())
    return ev, t0, t1


def grid(log, variables, t_from, t_to, defaults):
    ev, _, _ = log
    n = int(math.floor((t_to - t_from) + 1e-9)) + 1
    out = np.zeros((n, len(variables)))
    for j, v in enumerate(variables):
        series = ev.get(v)
        for i in range(n):
            t = t_from + i
            val = None
            if series:
                for (ts, x) in series:
                    if ts <= t:
                        val = x
                    else:
                        break
            if val is None:
                val = defaults[v] if v in defaults else series[0][1]
            out[i, j] = val
    return out


def marginal(ref_col, x):
    vals, counts = np.unique(ref_col, return_counts=True)
    levels = sorted(set(vals.tolist()) | {0.0, 1.0} | {x})
    n = len(ref_col)
    cnt = {lv: 0 for lv in levels}
    for v, c in zip(vals, counts):
        cnt[v] = c
    p = {lv: (cnt[lv] + 1) / (n + len(levels)) for lv in levels}
    tail = sum(q for q in p.values() if q <= p[x] + 1e-15)
    return -math.log(min(1.0, tail))


def conditional(ref, j, parents, row):
    if not parents:
        return marginal(ref[:, j], row[j])
    mask = np.all(ref[:, parents] == row[parents], axis=1)
    if not mask.any():
        return 0.0
    return marginal(ref[mask, j], row[j])


def expected_hit(groups, causes, k):
    pos = 0
    for g in groups:
        if pos >= k:
            return 0.0
        h = sum(1 for v in g if v in causes)
        take = k - pos
        if h:
            if take >= len(g):
                return 1.0
            miss = 1.0
            for i in range(take):
                miss *= (len(g) - h - i) / (len(g) - i)
            return 1.0 - max(miss, 0.0)
        pos += len(g)
    return 0.0


def groups_by(variables, key):
    s = sorted(variables, key=key, reverse=True)
    out = []
    for v in s:
        if out and key(out[-1][0]) == key(v):
            out[-1].append(v)
        else:
            out.append([v])
    return out


def main():
    sub, refdir = sys.argv[1], sys.argv[2]
    nodes = list(csv.DictReader(open(glob.glob(os.path.join(sub, "*_nodes.csv"))[0])))
    variables = [r["label"] for r in nodes]
    alarms = [r["label"] for r in nodes if r["type"] == "Alarm"]
    edges = [(r["source_label"], r["target_label"]) for r in csv.DictReader(open(glob.glob(os.path.join(sub, "*_edges.csv"))[0]))]
    parents = {v: [variables.index(a) for (a, b) in edges if b == v] for v in variables}
    anc = {}
    for v in variables:
        seen, stack = set(), [a for (a, b) in edges if b == v]
        while stack:
            a = stack.pop()
            if a not in seen:
                seen.add(a)
                stack += [x for (x, y) in edges if y == a]
        anc[v] = seen
    defaults = {a: 0.0 for a in alarms}
    ref_logs = [read_log(p) for p in sorted(glob.glob(os.path.join(refdir, "*.csv")))]
    ref = np.vstack([grid(l, variables, l[1], l[2], defaults) for l in ref_logs])
    for j, v in enumerate(variables):
        if v not in defaults:
            vals, counts = np.unique(ref[:, j], return_counts=True)
            defaults[v] = vals[np.argmax(counts)]
    methods = ["robust-z", "gcm-expert", "upstream-expert"]
    acc = {m: [0.0, 0.0] for m in methods}
    runs = 0
    for exp in sorted(glob.glob(os.path.join(sub, "exp_*"))):
        desc = json.load(open(os.path.join(exp, os.path.basename(exp) + "_description.json")))
        causes = desc["manipulatedVars"]
        for run in sorted(glob.glob(os.path.join(exp, "run_*"))):
            diag = json.load(open(os.path.join(run, "causes.json")))["diagnosis_at"]
            log = read_log(glob.glob(os.path.join(run, "*.csv"))[0])
            tab = grid(log, variables, min(log[1], diag), diag, defaults)
            row = tab[-1]
            med = np.median(ref, axis=0)
            mad = 1.4826 * np.median(np.abs(ref - med), axis=0)
            z = {}
            for j, v in enumerate(variables):
                s = mad[j]
                if s <= 0:
                    s = max(1e-12, 1.2533 * np.mean(np.abs(ref[:, j] - med[j])))
                z[v] = abs(row[j] - med[j]) / s
            marg = {v: marginal(ref[:, j], row[j]) for j, v in enumerate(variables)}
            onset = {}
            for j, v in enumerate(variables):
                for i in range(len(tab)):
                    if marginal(ref[:, j], tab[i, j]) >= THRESH:
                        onset[v] = i
                        break
            score = {v: min(conditional(ref, j, parents[v], row), marg[v]) for j, v in enumerate(variables)}
            dev = {v for v in variables if marg[v] >= THRESH}
            ranks = {
                "robust-z": groups_by(variables, lambda v: z[v]),
                "gcm-expert": groups_by(variables, lambda v: (score[v], marg[v], -onset.get(v, 10**9))),
                "upstream-expert": groups_by(variables, lambda v: (v in dev and not (anc[v] & dev), v in dev)),
            }
            for m in methods:
                acc[m][0] += expected_hit(ranks[m], causes, 1)
                acc[m][1] += expected_hit(ranks[m], causes, 3)
            runs += 1
    res = {m: {"ac1": acc[m][0] / runs, "ac3": acc[m][1] / runs} for m in methods}
    if "--json" in sys.argv:
        print(json.dumps({"runs": runs, "accuracy": res}, indent=2))
    else:
        print(f"{os.path.basename(os.path.normpath(sub))}: {runs} runs (Python peer)")
        print(f"{'method':26s} {'AC@1':>6s} {'AC@3':>6s}")
        for m in methods:
            print(f"{m:26s} {res[m]['ac1']:6.3f} {res[m]['ac3']:6.3f}")


if __name__ == "__main__":
    main()
