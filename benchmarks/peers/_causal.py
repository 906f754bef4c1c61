"""Causal discovery for the accuracy peers (`causrca_rca.py`, `sachs_pc.py`), written here from the
papers with numpy and scipy only (causal-learn and tigramite are not installed on this machine):

- PC-stable (Spirtes, Glymour & Scheines 2000; Colombo & Maathuis 2014: every pair of a depth is
  tested against the adjacencies frozen at the start of that depth), background knowledge as
  tiers (a later tier never causes an earlier one, and never separates two earlier ones);
- collider rules SEPSETS (the textbook rule) and MAX_P (Ramsey 2016: of all subsets of either
  end's adjacencies, the one with the largest p-value decides; colliders oriented in decreasing
  p, a collider whose edge is already directed the other way skipped);
- Meek's rules R1-R4 (Meek 1995), a consistent DAG extension of the result (Dor & Tarsi 1992);
- tests: Fisher-z partial correlation, and G^2 summed over the strata of the conditioning set
  (degrees of freedom (rx - 1)(ry - 1) per stratum over its non-empty rows and columns);
- skeleton precision / recall and SHD against a true DAG (a missing or extra adjacency, or a
  shared one whose marks differ, counts one).

Graphs are (adj, arrow) pairs of n x n boolean lists: adj[a][b] for an adjacency, arrow[a][b] for
an arrowhead at b on the edge a - b (a -> b: arrow[a][b] and not arrow[b][a]).
"""
import itertools
import math

import numpy as np
from scipy import special


class FisherZ:
    """Fisher-z test of a zero partial correlation, from the correlation matrix of the data."""

    def __init__(self, data):
        self.n = data.shape[0]
        self.corr = np.corrcoef(data, rowvar=False)
        self.cache = {}

    def p(self, x, y, s):
        key = (min(x, y), max(x, y), tuple(sorted(s)))
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        idx = [x, y] + list(s)
        prec = np.linalg.pinv(self.corr[np.ix_(idx, idx)])
        r = -prec[0, 1] / math.sqrt(prec[0, 0] * prec[1, 1])
        r = min(max(r, -1 + 1e-15), 1 - 1e-15)
        dof = self.n - len(s) - 3
        if dof <= 0:
            p = 1.0
        else:
            z = 0.5 * math.log((1 + r) / (1 - r)) * math.sqrt(dof)
            p = math.erfc(abs(z) / math.sqrt(2))
        self.cache[key] = p
        return p


class GSquare:
    """G^2 likelihood-ratio test for categorical columns given as integer codes 0..k-1."""

    def __init__(self, codes):
        self.codes = np.asarray(codes, dtype=np.int64)
        self.card = self.codes.max(axis=0) + 1
        self.cache = {}

    def p(self, x, y, s):
        key = (min(x, y), max(x, y), tuple(sorted(s)))
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        c = self.codes
        cx, cy = int(self.card[x]), int(self.card[y])
        if s:
            k = np.zeros(c.shape[0], dtype=np.int64)
            size = 1
            for v in s:
                k = k * int(self.card[v]) + c[:, v]
                size *= int(self.card[v])
            if size * cx * cy > 4_000_000:
                _, k = np.unique(k, return_inverse=True)
                size = int(k.max()) + 1
        else:
            k = np.zeros(c.shape[0], dtype=np.int64)
            size = 1
        t = np.bincount((k * cx + c[:, x]) * cy + c[:, y], minlength=size * cx * cy).reshape(size, cx, cy)
        t = t[t.sum(axis=(1, 2)) > 0].astype(float)
        rs = t.sum(axis=2)
        cs = t.sum(axis=1)
        tot = rs.sum(axis=1)
        df = float(np.sum(((rs > 0).sum(axis=1) - 1) * ((cs > 0).sum(axis=1) - 1)))
        e = rs[:, :, None] * cs[:, None, :] / tot[:, None, None]
        o = t[t > 0]
        stat = 2.0 * float(np.sum(o * np.log(o / e[t > 0])))
        p = 1.0 if df <= 0 or not stat > 0 else float(special.gammaincc(df / 2.0, stat / 2.0))
        self.cache[key] = p
        return p


def codes_of(data):
    """Each column's values as codes of its sorted distinct values."""
    out = np.zeros(data.shape, dtype=np.int64)
    for j in range(data.shape[1]):
        _, out[:, j] = np.unique(data[:, j], return_inverse=True)
    return out


def normal_scores(data):
    """Nonparanormal transform: mid-ranks / (n + 1) through the standard normal quantile."""
    from scipy import stats
    n = data.shape[0]
    out = np.empty(data.shape)
    for j in range(data.shape[1]):
        out[:, j] = stats.norm.ppf(stats.rankdata(data[:, j]) / (n + 1.0))
    return out


def _forbidden(tiers, a, b):
    """Whether a -> b is forbidden by tiers (None: no tiers)."""
    return tiers is not None and tiers[a] > tiers[b]


def _may_condition(tiers, z, x, y):
    return tiers is None or tiers[z] <= max(tiers[x], tiers[y])


def pc(test, n, alpha, colliders="max_p", tiers=None):
    """PC-stable; returns (adj, arrow, tests run)."""
    adj = [[i != j for j in range(n)] for i in range(n)]
    sepset = {}
    depth = 0
    while True:
        frozen = [[j for j in range(n) if adj[i][j]] for i in range(n)]
        if not any(len(f) - 1 >= depth for f in frozen):
            break
        removed = []
        for i in range(n):
            for j in range(i + 1, n):
                if not adj[i][j]:
                    continue
                found = None
                for a, b in ((i, j), (j, i)):
                    cand = [z for z in frozen[a] if z != b and _may_condition(tiers, z, i, j)]
                    for s in itertools.combinations(cand, depth):
                        if test.p(i, j, s) > alpha:
                            found = s
                            break
                    if found is not None:
                        break
                if found is not None:
                    removed.append((i, j, found))
        for i, j, s in removed:
            adj[i][j] = adj[j][i] = False
            sepset[(i, j)] = set(s)
        depth += 1
    arrow = [[False] * n for _ in range(n)]
    if tiers is not None:
        for a in range(n):
            for b in range(n):
                if adj[a][b] and _forbidden(tiers, b, a) and not _forbidden(tiers, a, b):
                    arrow[a][b] = True
    cands = []
    maxp = {}
    for c in range(n):
        for a in range(n):
            for b in range(a + 1, n):
                if not (adj[a][c] and adj[b][c]) or adj[a][b]:
                    continue
                if colliders == "sepsets":
                    if c not in sepset[(a, b)]:
                        cands.append((0.0, a, b, c))
                else:
                    if (a, b) not in maxp:
                        maxp[(a, b)] = _max_p(test, n, adj, tiers, a, b)
                    best_p, best_s = maxp[(a, b)]
                    if c not in best_s:
                        cands.append((best_p, a, b, c))
    cands.sort(key=lambda t: -t[0])  # stable: equal p keep (c, a, b) order
    for _, a, b, c in cands:
        ok_a = not _directed(adj, arrow, c, a) and not _forbidden(tiers, a, c)
        ok_b = not _directed(adj, arrow, c, b) and not _forbidden(tiers, b, c)
        if ok_a and ok_b:
            arrow[a][c] = True
            arrow[b][c] = True
    meek(adj, arrow, tiers)
    return adj, arrow


def _max_p(test, n, adj, tiers, a, b):
    """The largest p-value of a _||_ b given any subset of either end's adjacencies, and that subset."""
    best_p, best_s = -1.0, ()
    seen = set()
    for x, y in ((a, b), (b, a)):
        cand = [z for z in range(n) if adj[x][z] and z != y and _may_condition(tiers, z, a, b)]
        for d in range(len(cand) + 1):
            for s in itertools.combinations(cand, d):
                fs = frozenset(s)
                if fs in seen:
                    continue
                seen.add(fs)
                p = test.p(a, b, s)
                if p > best_p:
                    best_p, best_s = p, s
    return best_p, set(best_s)


def _directed(adj, ar, a, b):
    return adj[a][b] and ar[a][b] and not ar[b][a]


def _undirected(adj, ar, a, b):
    return adj[a][b] and not ar[a][b] and not ar[b][a]


def meek(adj, ar, tiers=None):
    """Meek's rules R1-R4 to a fixed point."""
    n = len(adj)
    changed = True
    while changed:
        changed = False
        for a in range(n):
            for b in range(n):
                if not _undirected(adj, ar, a, b) or _forbidden(tiers, a, b):
                    continue
                others = [c for c in range(n) if c != a and c != b]
                r1 = any(_directed(adj, ar, c, a) and not adj[c][b] for c in others)
                r2 = r1 or any(_directed(adj, ar, a, c) and _directed(adj, ar, c, b) for c in others)
                r3 = r2 or any(not adj[c][d] for c in others if _undirected(adj, ar, a, c) and _directed(adj, ar, c, b)
                               for d in others if d != c and _undirected(adj, ar, a, d) and _directed(adj, ar, d, b))
                r4 = r3 or any(adj[a][c] and _directed(adj, ar, c, b) for d in others
                               if _undirected(adj, ar, a, d) and not adj[d][b]
                               for c in others if c != d and _directed(adj, ar, d, c))
                if r4:
                    ar[a][b] = True
                    changed = True


def to_dag(adj, ar):
    """A DAG extension (Dor & Tarsi): repeatedly take the lowest-numbered node with no outgoing
    directed edge whose undirected neighbours are adjacent to all its other neighbours, point its
    edges into it, remove it. Returns the list of parent sets; edges left when no such node
    exists are dropped."""
    n = len(adj)
    parents = [set() for _ in range(n)]
    left = set(range(n))
    progress = True
    while left and progress:
        progress = False
        for x in sorted(left):
            nb = [y for y in left if y != x and adj[x][y]]
            if any(_directed(adj, ar, x, y) for y in nb):
                continue
            und = [y for y in nb if not _directed(adj, ar, y, x)]
            if any(z != y and not adj[y][z] for y in und for z in nb):
                continue
            for y in nb:
                parents[x].add(y)
            left.remove(x)
            progress = True
            break
    return parents


def compare(adj, ar, names, true_edges):
    """(estimated edges, true positives, precision, recall, SHD) against a DAG given as (a, b) pairs."""
    n = len(names)
    ix = {v: i for i, v in enumerate(names)}
    tadj = [[False] * n for _ in range(n)]
    tar = [[False] * n for _ in range(n)]
    for a, b in true_edges:
        tadj[ix[a]][ix[b]] = tadj[ix[b]][ix[a]] = True
        tar[ix[a]][ix[b]] = True
    est = tp = shd = 0
    for i in range(n):
        for j in range(i + 1, n):
            e, t = adj[i][j], tadj[i][j]
            est += e
            if e and t:
                tp += 1
                if (_directed(adj, ar, i, j) != _directed(tadj, tar, i, j)
                        or _directed(adj, ar, j, i) != _directed(tadj, tar, j, i)):
                    shd += 1
            elif e or t:
                shd += 1
    return est, tp, (tp / est if est else 1.0), tp / len(true_edges), shd


# ---- score-based search: linear-Gaussian BIC, GES (Chickering 2002), BOSS (Andrews et al. 2023) ----

class Bic:
    """Local score of y given parents: -n/2 log(residual variance) - penalty (|P| + 1)/2 log n,
    from the covariance matrix (divided by n); cached."""

    def __init__(self, data, penalty=1.0):
        self.n = data.shape[0]
        x = data - data.mean(axis=0)
        self.cov = x.T @ x / self.n
        self.penalty = penalty
        self.cache = {}

    def local(self, y, parents):
        key = (y, frozenset(parents))
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        ps = sorted(parents)
        var = self.cov[y, y]
        if ps:
            spp = self.cov[np.ix_(ps, ps)]
            spy = self.cov[ps, y]
            try:
                beta = np.linalg.solve(spp, spy)
            except np.linalg.LinAlgError:
                beta = np.linalg.pinv(spp) @ spy
            var -= float(beta @ spy)
        var = max(var, 1e-12 * max(self.cov[y, y], 1e-300))
        s = -0.5 * self.n * math.log(var) - self.penalty * 0.5 * (len(ps) + 1) * math.log(self.n)
        self.cache[key] = s
        return s


def _nbrs_undirected(adj, ar, y):
    return {v for v in range(len(adj)) if _undirected(adj, ar, y, v)}


def _adjacent_to(adj, x):
    return {v for v in range(len(adj)) if adj[x][v]}


def _parents(adj, ar, y):
    return {v for v in range(len(adj)) if _directed(adj, ar, v, y)}


def _is_clique(adj, s):
    s = sorted(s)
    return all(adj[a][b] for i, a in enumerate(s) for b in s[i + 1:])


def _subsets(s, k):
    s = sorted(s)
    for d in range(min(k, len(s)) + 1):
        for c in itertools.combinations(s, d):
            yield set(c)


def _semi_directed_blocked(adj, ar, y, x, block):
    """Every semi-directed path y ... x (edges y - v or y -> v) passes through block."""
    seen, stack = {y}, [y]
    while stack:
        u = stack.pop()
        for v in range(len(adj)):
            if not adj[u][v] or v in seen or _directed(adj, ar, v, u):
                continue
            if v == x:
                return False
            if v in block:
                continue
            seen.add(v)
            stack.append(v)
    return True


def rebuild_cpdag(adj, ar):
    """The equivalence class of a PDAG: a consistent extension, its v-structures, Meek's rules (in place)."""
    n = len(adj)
    par = to_dag(adj, ar)
    for a in range(n):
        for b in range(n):
            ar[a][b] = False
    for c in range(n):
        for a in par[c]:
            for b in par[c]:
                if a < b and not adj[a][b]:
                    ar[a][c] = ar[b][c] = True
    meek(adj, ar)


def ges_backward(adj, ar, sc, max_subset=4):
    n = len(adj)
    while True:
        best, move = 1e-9, None
        for x in range(n):
            for y in range(n):
                if x == y or not adj[x][y] or _directed(adj, ar, y, x):
                    continue
                na = _nbrs_undirected(adj, ar, y) & _adjacent_to(adj, x)
                pa = _parents(adj, ar, y) - {x}
                for h in _subsets(na, max_subset):
                    rest = na - h
                    if not _is_clique(adj, rest):
                        continue
                    d = sc.local(y, rest | pa) - sc.local(y, rest | pa | {x})
                    if d > best:
                        best, move = d, (x, y, h)
        if move is None:
            return
        x, y, h = move
        adj[x][y] = adj[y][x] = False
        ar[x][y] = ar[y][x] = False
        for v in h:
            ar[y][v], ar[v][y] = True, False
            if _undirected(adj, ar, x, v):
                ar[x][v] = True
        rebuild_cpdag(adj, ar)


def ges(data, penalty=1.0, max_subset=4):
    """Greedy Equivalence Search: forward Insert(X, Y, T), then backward Delete(X, Y, H), each step the best valid operator."""
    sc = Bic(data, penalty)
    n = data.shape[1]
    adj = [[False] * n for _ in range(n)]
    ar = [[False] * n for _ in range(n)]
    while True:
        best, move = 1e-9, None
        for x in range(n):
            for y in range(n):
                if x == y or adj[x][y]:
                    continue
                na = _nbrs_undirected(adj, ar, y) & _adjacent_to(adj, x)
                t0 = _nbrs_undirected(adj, ar, y) - _adjacent_to(adj, x) - {x}
                pa = _parents(adj, ar, y)
                for t in _subsets(t0, max_subset):
                    nat = na | t
                    if not _is_clique(adj, nat) or not _semi_directed_blocked(adj, ar, y, x, nat):
                        continue
                    d = sc.local(y, nat | pa | {x}) - sc.local(y, nat | pa)
                    if d > best:
                        best, move = d, (x, y, t)
        if move is None:
            break
        x, y, t = move
        adj[x][y] = adj[y][x] = True
        ar[x][y], ar[y][x] = True, False
        for v in t:
            ar[v][y], ar[y][v] = True, False
        rebuild_cpdag(adj, ar)
    ges_backward(adj, ar, sc, max_subset)
    return adj, ar


def boss(data, penalty=1.0):
    """BOSS from the column order: best-move passes over orders scored by grow-shrink parents, then
    the best order's CPDAG finished by GES's backward phase."""
    sc = Bic(data, penalty)
    n = data.shape[1]
    memo = {}

    def grow_shrink(v, pred):
        key = (v, pred)
        if key in memo:
            return memo[key]
        pa, s = set(), sc.local(v, ())
        while True:
            cand = [(sc.local(v, pa | {u}), u) for u in sorted(pred - pa)]
            better = [c for c in cand if c[0] > s + 1e-12]
            if not better:
                break
            s, u = max(better, key=lambda c: (c[0], -c[1]))
            pa.add(u)
        while True:
            cand = [(sc.local(v, pa - {u}), u) for u in sorted(pa)]
            better = [c for c in cand if c[0] > s + 1e-12]
            if not better:
                break
            s, u = max(better, key=lambda c: (c[0], -c[1]))
            pa.discard(u)
        memo[key] = (frozenset(pa), s)
        return memo[key]

    def score(order):
        total, pred = 0.0, frozenset()
        for v in order:
            total += grow_shrink(v, pred)[1]
            pred = pred | {v}
        return total

    order = list(range(n))
    cur = score(order)
    improved = True
    while improved:
        improved = False
        for v in list(order):
            rest = [u for u in order if u != v]
            frm = order.index(v)
            best_to, best = frm, cur
            for to in range(n):
                if to == frm:
                    continue
                s = score(rest[:to] + [v] + rest[to:])
                if s > best + 1e-9:
                    best_to, best = to, s
            if best_to != frm:
                order = rest[:best_to] + [v] + rest[best_to:]
                cur = best
                improved = True
    adj = [[False] * n for _ in range(n)]
    ar = [[False] * n for _ in range(n)]
    pred = frozenset()
    for v in order:
        for u in grow_shrink(v, pred)[0]:
            adj[u][v] = adj[v][u] = True
            ar[u][v] = True
        pred = pred | {v}
    rebuild_cpdag(adj, ar)
    ges_backward(adj, ar, sc)
    return adj, ar
