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
  gcm-pc-*         gcm with the graph PC-stable (G^2, alpha 0.01, MAX_P; `_causal.py`) finds on the
                   reference plus run rows, constant columns dropped, with or without onset tiers
  gcm-lagged-pc    gcm with the summary DAG of a lagged PC (lags 1, 2 grid steps, one segment per log)
  gcm-ges/-boss    gcm with the graph GES / BOSS (linear-Gaussian BIC on the 0/1 codes) finds there
  gcm-no-graph     gcm without edges (marginal score, ties by onset)

Discovery is written here with numpy/scipy (causal-learn is not installed on this machine);
--no-discovery leaves it out.

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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _causal as C  # noqa: E402

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
    ts = t_from + np.arange(n)
    out = np.zeros((n, len(variables)))
    for j, v in enumerate(variables):
        series = ev.get(v)
        if not series:
            out[:, j] = defaults[v]
            continue
        times = np.array([e[0] for e in series])
        vals = np.array([e[1] for e in series])
        k = np.searchsorted(times, ts, side="right") - 1  # last event at or before t: carried forward
        before = defaults[v] if v in defaults else vals[0]
        out[:, j] = np.where(k >= 0, vals[np.maximum(k, 0)], before)
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


LAGS = 2
ALPHA = 0.01


def run_dir_name(run):
    return os.path.join(os.path.basename(os.path.dirname(run)), os.path.basename(run))


def discover_pc(pooled, variables, tiers):
    """PC-stable (G^2, alpha 0.01, MAX_P colliders) on the pooled rows without constant columns,
    optionally with tiers; a DAG extension as parent column indices per variable."""
    keep = [j for j in range(pooled.shape[1]) if np.unique(pooled[:, j]).size > 1]
    t = None if tiers is None else [tiers[variables[j]] for j in keep]
    adj, ar = C.pc(C.GSquare(C.codes_of(pooled[:, keep])), len(keep), ALPHA, "max_p", t)
    par = {v: [] for v in variables}
    for i, ps in enumerate(C.to_dag(adj, ar)):
        par[variables[keep[i]]] = sorted(keep[q] for q in ps)
    return par


def discover_score(pooled, variables, search):
    """GES or BOSS (linear-Gaussian BIC on the 0/1 codes) on the pooled rows without constant
    columns; a DAG extension as parent column indices per variable."""
    keep = [j for j in range(pooled.shape[1]) if np.unique(pooled[:, j]).size > 1]
    adj, ar = search(C.codes_of(pooled[:, keep]).astype(float))
    par = {v: [] for v in variables}
    for i, ps in enumerate(C.to_dag(adj, ar)):
        par[variables[keep[i]]] = sorted(keep[q] for q in ps)
    return par


def discover_lagged(pooled, segments, variables, lags):
    """Time-lagged PC: each kept variable at lags 0..lags (1 grid step each), rows whose window
    lies in one segment (one recording), PC (G^2, MAX_P) with the lags as tiers (older first);
    summary DAG over the variables: directed lag-0 edges, then X@k -> Y (X != Y, shortest lag
    first), then undirected lag-0 edges; an edge that would close a cycle is left out."""
    keep = [j for j in range(pooled.shape[1]) if np.unique(pooled[:, j]).size > 1]
    rows = []
    start = 0
    for s in segments:
        rows.extend(range(start + lags, start + s))
        start += s
    rows = np.array(rows)
    cols, names = [], []
    for k in range(lags + 1):
        for j in keep:
            cols.append(pooled[rows - k, j])
            names.append((variables[j], k))
    lt = np.column_stack(cols)
    live = [c for c in range(lt.shape[1]) if np.unique(lt[:, c]).size > 1]
    lt = lt[:, live]
    names = [names[c] for c in live]
    tiers = [lags - k for (_, k) in names]
    adj, ar = C.pc(C.GSquare(C.codes_of(lt)), len(names), ALPHA, "max_p", tiers)
    par = {v: set() for v in variables}

    def ancestor(u, v):  # is there a directed path u -> ... -> v in the summary so far
        stack, seen = list(par[v]), set()
        while stack:
            x = stack.pop()
            if x == u:
                return True
            if x not in seen:
                seen.add(x)
                stack.extend(par[x])
        return False

    def add(a, b):  # a -> b unless it closes a cycle; returns whether the edge is in the summary
        if a in par[b]:
            return True
        if ancestor(b, a):
            return False
        par[b].add(a)
        return True

    n = len(names)
    undirected, lagged = [], []
    for i in range(n):
        for j in range(i + 1, n):
            if not adj[i][j]:
                continue
            (vi, ki), (vj, kj) = names[i], names[j]
            if ki == 0 and kj == 0:
                if C._directed(adj, ar, i, j):
                    add(vi, vj)
                elif C._directed(adj, ar, j, i):
                    add(vj, vi)
                else:
                    undirected.append((vi, vj))
            elif ki == 0 or kj == 0:
                lagged.append((max(ki, kj), names[j] if kj > 0 else names[i], names[i] if kj > 0 else names[j]))
    for _, (x, _k), (y, _0) in sorted(lagged, key=lambda e: e[0]):
        if x != y:
            add(x, y)
    for a, b in undirected:
        if a not in par[b] and b not in par[a]:
            if not add(a, b):
                add(b, a)
    ix = {v: i for i, v in enumerate(variables)}
    return {v: sorted(ix[p] for p in par[v]) for v in variables}


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
    ref_parts = [grid(l, variables, l[1], l[2], defaults) for l in ref_logs]
    ref = np.vstack(ref_parts)
    for j, v in enumerate(variables):
        if v not in defaults:
            vals, counts = np.unique(ref[:, j], return_counts=True)
            defaults[v] = vals[np.argmax(counts)]
    methods = ["robust-z", "gcm-expert", "upstream-expert", "gcm-pc-onset-tiers", "gcm-pc-no-tiers",
               "gcm-lagged-pc", "gcm-ges", "gcm-boss", "gcm-no-graph"]
    if "--no-discovery" in sys.argv:
        methods = methods[:3] + methods[-1:]
    per_run = "--per-run" in sys.argv
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
            def gcm(par):
                sc = {v: min(conditional(ref, j, par[v], row), marg[v]) for j, v in enumerate(variables)}
                return groups_by(variables, lambda v: (sc[v], marg[v], -onset.get(v, 10**9)))

            dev = {v for v in variables if marg[v] >= THRESH}
            ranks = {
                "robust-z": groups_by(variables, lambda v: z[v]),
                "gcm-expert": gcm(parents),
                "upstream-expert": groups_by(variables, lambda v: (v in dev and not (anc[v] & dev), v in dev)),
                "gcm-no-graph": gcm({v: [] for v in variables}),
            }
            pooled = np.vstack([ref, tab])
            if "gcm-pc-onset-tiers" in methods:
                distinct = sorted(set(onset.values()))
                tiers = {v: distinct.index(onset[v]) if v in onset else len(distinct) for v in variables}
                ranks["gcm-pc-onset-tiers"] = gcm(discover_pc(pooled, variables, tiers))
                ranks["gcm-pc-no-tiers"] = gcm(discover_pc(pooled, variables, None))
                segments = [len(p) for p in ref_parts] + [len(tab)]
                ranks["gcm-lagged-pc"] = gcm(discover_lagged(pooled, segments, variables, LAGS))
                ranks["gcm-ges"] = gcm(discover_score(pooled, variables, C.ges))
                ranks["gcm-boss"] = gcm(discover_score(pooled, variables, C.boss))
            if per_run:
                print(run_dir_name(run), "causes", causes)
                for m in methods:
                    print(f"  {m}: {ranks[m][:3]}")
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
