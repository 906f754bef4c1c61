"""scipy (and pandas) peers of the tool-commonality benchmarks (org.fabai.benchmarks.rca.CommonalityBench).

Data (built once, outside the timing; numpy.random.default_rng(5000)):
  - 5000 wafers x 40 steps; each step ran each wafer on one of 4 tools, uniformly at random:
    tools = rng.integers(0, 4, size=(5000, 40));
  - continuous outcome y = rng.normal(0, 1, 5000) + 0.5 * (tools[:, 7] == 2)
    (a planted bad tool: step 7, tool 2, half a standard deviation worse);
  - pass/fail outcome fail = y > 1.0 (about 19 % fail).
The fabai side should build the same sizes and distribution (its own seeded generator, as
WaferHistory lists built in @Setup); both sides then find step 7 first.

Timed work, per benchmark:
  - kruskalWallis5000x40: for each of the 40 steps, the outcome grouped by tool and
    scipy.stats.kruskal (tie-corrected H, chi-square p-value), then Benjamini-Hochberg over the
    40 p-values;
  - chiSquare5000x40: for each step the 4 x 2 tools x pass/fail table and
    scipy.stats.chi2_contingency; the G-test (lambda_="log-likelihood", fabai's binary test) and,
    as a second peer, Pearson's chi-square; then Benjamini-Hochberg.
numpy peers start from the tools matrix (the cheapest layout for Python); pandas peers from a
DataFrame with one column per step and use groupby / crosstab, as a pandas user would. fabai's
screen also ranks the culprit tool per step (one-vs-rest z-scores) and applies BH over all
(step, tool) pairs, so it does more work per call than these peers.
"""

import _peerlib

run = _peerlib.Runner()
np = _peerlib.require("numpy")
scipy = _peerlib.require("scipy")
from scipy import stats  # noqa: E402

B = "org.fabai.benchmarks.rca.CommonalityBench."
W, S, T, BAD_STEP, BAD_TOOL = 5000, 40, 4, 7, 2
V = f"scipy {scipy.__version__}"

rng = np.random.default_rng(5000)
tools = rng.integers(0, T, size=(W, S))
y = rng.normal(0.0, 1.0, W) + 0.5 * (tools[:, BAD_STEP] == BAD_TOOL)
fail = y > 1.0


def bh(p):
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    p = np.asarray(p, dtype=float)
    n = p.size
    order = np.argsort(p)
    q = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def kruskal_numpy():
    p = np.empty(S)
    for s in range(S):
        col = tools[:, s]
        p[s] = stats.kruskal(*[y[col == t] for t in range(T)]).pvalue
    return bh(p)


def contingency_numpy(lambda_):
    p = np.empty(S)
    f = fail.astype(np.intp)
    for s in range(S):
        table = np.bincount(tools[:, s] * 2 + f, minlength=2 * T).reshape(T, 2)
        p[s] = stats.chi2_contingency(table, correction=False, lambda_=lambda_)[1]
    return bh(p)


q = kruskal_numpy()
assert np.argmin(q) == BAD_STEP and q[BAD_STEP] < 1e-6, q[BAD_STEP]
g = contingency_numpy("log-likelihood")
assert np.argmin(g) == BAD_STEP and g[BAD_STEP] < 1e-3, g[BAD_STEP]
assert np.argmin(contingency_numpy(None)) == BAD_STEP

run.bench("kruskalWallis5000x40", B + "kruskalWallis5000x40",
          f"{V} kruskal per step + BH (numpy arrays)", kruskal_numpy)
run.bench("gTest5000x40", B + "chiSquare5000x40",
          f"{V} chi2_contingency G-test per step + BH (numpy arrays)",
          lambda: contingency_numpy("log-likelihood"))
run.bench("pearsonChiSquare5000x40", B + "chiSquare5000x40",
          f"{V} chi2_contingency Pearson per step + BH (numpy arrays)",
          lambda: contingency_numpy(None))

try:
    import pandas as pd
except ImportError:
    pd = None
    print("commonality_scipy: pandas not importable; its peers are left out (apt-get install python3-pandas)")
if pd is not None:
    steps = [f"step_{s:02d}" for s in range(S)]
    df = pd.DataFrame(tools, columns=steps)
    df["y"] = y
    df["fail"] = fail
    PV = f"pandas {pd.__version__} + {V}"

    def kruskal_pandas():
        p = [stats.kruskal(*[grp.to_numpy() for _, grp in df.groupby(c, sort=True)["y"]]).pvalue for c in steps]
        return bh(p)

    def gtest_pandas():
        p = [stats.chi2_contingency(pd.crosstab(df[c], df["fail"]).to_numpy(), correction=False,
                                    lambda_="log-likelihood")[1] for c in steps]
        return bh(p)

    assert np.allclose(kruskal_pandas(), q) and np.allclose(gtest_pandas(), g)
    run.bench("kruskalWallis5000x40Pandas", B + "kruskalWallis5000x40",
              f"{PV} groupby + kruskal per step + BH", kruskal_pandas)
    run.bench("gTest5000x40Pandas", B + "chiSquare5000x40",
              f"{PV} crosstab + chi2_contingency G-test per step + BH", gtest_pandas)
run.write()
