"""numpy peers of the WaferMap grid benchmarks (org.fabai.benchmarks.core.WaferMapBench).

Each peer allocates and returns its output, as fabai's methods do; the one-hot peer writes into a
reused float32 buffer, as fabai's toOneHot does. Maps are uint8 codes (0 off, 1 good, 2 fail) of a
disc of dies with 10% failing, seeded (same shape and statistics as fabai's SyntheticMaps, not
the same random cells; none of these operations depends on the cell values' pattern).
"""

import _peerlib

run = _peerlib.Runner()
np = _peerlib.require("numpy")

B = "org.fabai.benchmarks.core.WaferMapBench."
V = f"numpy {np.__version__}"


def disc(n, fail, seed):
    rng = np.random.default_rng(seed)
    c = (n - 1) / 2.0
    r, k = np.mgrid[0:n, 0:n]
    inside = (r - c) ** 2 + (k - c) ** 2 <= (n / 2.0) ** 2
    codes = np.where(rng.random((n, n)) < fail, 2, 1)
    return np.where(inside, codes, 0).astype(np.uint8)


m52, m128, m64 = disc(52, 0.1, 52), disc(128, 0.1, 128), disc(64, 0.1, 64)

# nearest cell at target centres: the same sampling as fabai's NEAREST
idx = ((2 * np.arange(64) + 1) * 52) // (2 * 64)
rows, cols = idx[:, None], idx[None, :]
out = m52[rows, cols]
assert out.shape == (64, 64)

run.bench("resizeNearest52to64", B + "resizeNearest52to64", f"{V} fancy indexing", lambda: m52[rows, cols])

mx = m128.reshape(64, 2, 64, 2).max(axis=(1, 3))
assert mx.shape == (64, 64) and (mx == 2).sum() >= (m128 == 2).sum() / 4
run.bench("resizeMax128to64", B + "resizeMax128to64", f"{V} reshape + max",
          lambda: m128.reshape(64, 2, 64, 2).max(axis=(1, 3)))

rot = np.rot90(m52, -1).copy()
assert np.array_equal(rot, m52[::-1].T)  # clockwise quarter turn
run.bench("rotate90", B + "rotate90", f"{V} rot90(k=-1).copy()", lambda: np.rot90(m52, -1).copy())

levels = np.arange(3, dtype=np.uint8)[:, None, None]
hot = np.empty((3, 64, 64), dtype=np.float32)


def one_hot():
    np.equal(m64[None, :, :], levels, out=hot, casting="unsafe")
    return hot


one_hot()
assert hot.sum() == 64 * 64
run.bench("toOneHot64", B + "toOneHot64", f"{V} equal into float32 buffer", one_hot)
run.write()
