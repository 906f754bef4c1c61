"""numpy / scipy.ndimage / scikit-image peer of the engineered wafer-map features
(org.fabai.benchmarks.adc.FeatureBench.extract64: adc's WaferFeatureExtractor on a 64 x 64 map).

The peer computes the same feature groups as fabai's extractor (FEATURE_VERSION 1) with the usual
Python tools, for one 64 x 64 map per call:
  - global: fail ratio; 3x3 median filter of the failure mask (scipy.ndimage.median_filter) and
    its fail ratio; isolated failing dies and the 4-neighbour failing share (ndimage.convolve);
  - 8-connected components of the raw and of the filtered mask (scipy.ndimage.label) and their
    counts; the largest raw share;
  - geometry of the largest filtered component (or the largest raw one when filtering leaves
    nothing) and of the largest raw component: area, perimeter, major/minor axis, eccentricity and
    solidity (skimage.measure.regionprops: moments and convex hull), centre distance, radial
    alignment, arc span over 72 angular bins;
  - regional densities: 10 radial rings 0.1 wide, 8 edge sectors of r >= 0.75 (sorted), 4 inner
    quadrants of 0.2 <= r < 0.75 (sorted); edge coverage and longest run over 24 bins of
    r >= 0.8, edge contrast, ring peak position, contrast, coverage and run;
  - Radon projections at 18 angles (0, 10, ..., 170 degrees) of the failure mask, divided by those
    of the wafer itself, folded on |s| and resampled to 12 bins: mean and standard deviation per
    bin over angles, profile-peak max, min and their difference.
    Peer "extract64" uses skimage.transform.radon (rotation and summation of the image); peer
    "extract64BinnedRadon" bins each failing die's projection with np.bincount (fabai's method).
Per-grid constants (normalised radius and angle of every die, region indices and counts, the
wafer's own Radon profile) are computed once, as fabai caches them per grid. Without
scikit-image the geometry uses numpy moments and scipy.spatial.ConvexHull and only the binned
Radon peer runs (the peer name says so).

Map: a disc of dies 64 across (numpy.random.default_rng(64)), 5 % random failing dies plus a
failing blob of radius 6 at (20, 40) and a scratch (a 1-die-wide line from (45, 10) to (30, 50)).
"""

import math

import _peerlib

run = _peerlib.Runner()
np = _peerlib.require("numpy")
scipy = _peerlib.require("scipy")
from scipy import ndimage  # noqa: E402

try:
    import skimage
    from skimage.measure import regionprops
    from skimage.transform import radon
except ImportError:
    skimage = None
    from scipy.spatial import ConvexHull

B = "org.fabai.benchmarks.adc.FeatureBench."
N = 64
RADIAL_BINS, EDGE_SECTORS, INNER_SECTORS, COVERAGE_BINS = 10, 8, 4, 24
RADON_ANGLES, RADON_BINS, ARC_BINS, COVERED_RATE = 18, 12, 72, 0.3
EIGHT = np.ones((3, 3), dtype=bool)
NEIGH8 = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.int16)
NEIGH4 = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.int16)


def test_map():
    rng = np.random.default_rng(64)
    c = (N - 1) / 2.0
    r, k = np.mgrid[0:N, 0:N]
    on = (r - c) ** 2 + (k - c) ** 2 <= (N / 2.0) ** 2
    fail = rng.random((N, N)) < 0.05
    fail |= (r - 20) ** 2 + (k - 40) ** 2 <= 36
    for t in np.linspace(0, 1, 200):
        fail[int(round(45 - 15 * t)), int(round(10 + 40 * t))] = True
    return np.where(on, np.where(fail, 2, 1), 0).astype(np.uint8)


class Grid:
    """Per-grid constants, as fabai caches them per grid size and wafer outline."""

    def __init__(self, on):
        self.on = on
        self.on_count = int(on.sum())
        rows, cols = np.nonzero(on)
        cr, cc = (rows.min() + rows.max()) / 2.0, (cols.min() + cols.max()) / 2.0
        ar, ac = (rows.max() - rows.min() + 1) / 2.0, (cols.max() - cols.min() + 1) / 2.0
        rr, kk = np.mgrid[0:on.shape[0], 0:on.shape[1]]
        self.v = (cr - rr) / ar                 # normalised coordinates: the wafer is the unit disc
        self.u = (kk - cc) / ac
        self.r = np.hypot(self.u, self.v)
        self.theta = np.arctan2(self.v, self.u) % (2 * math.pi)
        self.on4 = ndimage.convolve(on.astype(np.int16), NEIGH4, mode="constant")
        self.radial = np.minimum((self.r * RADIAL_BINS).astype(int), RADIAL_BINS - 1)
        self.ang = np.minimum((self.theta / (2 * math.pi) * COVERAGE_BINS).astype(int), COVERAGE_BINS - 1)
        self.arc = np.minimum((self.theta / (2 * math.pi) * ARC_BINS).astype(int), ARC_BINS - 1)
        sector = np.minimum((self.theta / (2 * math.pi) * EDGE_SECTORS).astype(int), EDGE_SECTORS - 1)
        quad = np.minimum((self.theta / (2 * math.pi) * INNER_SECTORS).astype(int), INNER_SECTORS - 1)
        self.edge_sector = np.where(on & (self.r >= 0.75), sector, -1)
        self.inner_sector = np.where(on & (self.r >= 0.2) & (self.r < 0.75), quad, -1)
        self.edge_band = on & (self.r >= 0.8)
        self.rad_n = np.bincount(self.radial[on], minlength=RADIAL_BINS)
        self.edge_n = np.bincount(self.edge_sector[self.edge_sector >= 0], minlength=EDGE_SECTORS)
        self.in_n = np.bincount(self.inner_sector[self.inner_sector >= 0], minlength=INNER_SECTORS)
        self.cov_n = np.bincount(self.ang[self.edge_band], minlength=COVERAGE_BINS)
        self.edge_band_n = int(self.edge_band.sum())
        band = self.radial * COVERAGE_BINS + self.ang
        self.band_n = np.bincount(band[on], minlength=RADIAL_BINS * COVERAGE_BINS).reshape(RADIAL_BINS, COVERAGE_BINS)
        self.band = band
        # binned Radon: per angle, the bin of |s| (s = u cos a + v sin a) of every die
        a = np.pi * np.arange(RADON_ANGLES) / RADON_ANGLES
        s = np.abs(self.u[None] * np.cos(a)[:, None, None] + self.v[None] * np.sin(a)[:, None, None])
        self.radon_bin = np.minimum((s * RADON_BINS).astype(int), RADON_BINS - 1) \
            + RADON_BINS * np.arange(RADON_ANGLES)[:, None, None]
        self.radon_n = np.bincount(self.radon_bin[:, on].ravel(), minlength=RADON_ANGLES * RADON_BINS) \
            .reshape(RADON_ANGLES, RADON_BINS)
        if skimage is not None:
            self.theta_deg = np.arange(RADON_ANGLES) * (180.0 / RADON_ANGLES)
            self.radon_on = radon(on.astype(float), theta=self.theta_deg, circle=False)
            n = self.radon_on.shape[0]
            pos = np.abs(np.arange(n) - (n - 1) / 2.0)  # |s| of each sinogram row, in pixels
            half = max(ar, ac)
            self.radon_row_bin = np.minimum((pos / half * RADON_BINS).astype(int), RADON_BINS)  # RADON_BINS: outside
            self.radon_bin_count = np.bincount(self.radon_row_bin, minlength=RADON_BINS + 1)[:RADON_BINS]


def rates(f, n, fallback):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, f / np.maximum(n, 1), fallback)


def coverage_and_run(rate):
    covered = rate >= COVERED_RATE
    if covered.all():
        return 1.0, 1.0
    best = run_len = 0
    for c in np.concatenate([covered, covered]):
        run_len = run_len + 1 if c else 0
        best = max(best, run_len)
    return covered.mean(), min(best, covered.size) / covered.size


def geometry(g, mask, with_perimeter):
    """Geometry of one component: area share, perimeter, axes, eccentricity, solidity, centre
    distance, radial alignment, arc span (lengths in wafer radii)."""
    rows, cols = np.nonzero(mask)
    area = rows.size
    scale = 2.0 / (mask.shape[0] + mask.shape[1]) * 2.0  # dies -> wafer radii (diameter 2)
    if skimage is not None:
        p = regionprops(mask.astype(np.uint8))[0]
        perim = p.perimeter if with_perimeter else 0.0
        major, minor, ecc, sol, orient = p.major_axis_length, p.minor_axis_length, p.eccentricity, p.solidity, p.orientation
    else:
        dr, dc = rows - rows.mean(), cols - cols.mean()
        mrr, mcc, mrc = (dr * dr).mean(), (dc * dc).mean(), (dr * dc).mean()
        tr, det = mrr + mcc, mrr * mcc - mrc * mrc
        l1 = tr / 2 + math.sqrt(max(tr * tr / 4 - det, 0))
        l2 = tr / 2 - math.sqrt(max(tr * tr / 4 - det, 0))
        major, minor = 4 * math.sqrt(l1), 4 * math.sqrt(max(l2, 0))
        ecc = math.sqrt(1 - l2 / l1) if l1 > 0 else 0.0
        orient = 0.5 * math.atan2(2 * mrc, mrr - mcc)  # skimage: from the row axis, counter-clockwise
        corners = np.concatenate([np.stack([rows + a, cols + b], 1) for a in (0, 1) for b in (0, 1)])
        try:
            sol = area / ConvexHull(corners).volume
        except Exception:  # collinear corners cannot happen for unit squares; keep it total
            sol = 1.0
        if with_perimeter:
            m = np.pad(mask, 1)
            perim = float(sum((m[1:-1, 1:-1] & ~np.roll(m, s, a)[1:-1, 1:-1]).sum()
                              for s, a in ((1, 0), (-1, 0), (1, 1), (-1, 1))))
        else:
            perim = 0.0
    cu, cv = g.u[rows, cols].mean(), g.v[rows, cols].mean()
    dist = math.hypot(cu, cv)
    # radial alignment: |cos| between the major axis and the direction from the centre
    axis = (math.sin(orient), -math.cos(orient))  # (u, v) of the major axis (orient: from the row axis)
    align = abs(axis[0] * cu + axis[1] * cv) / dist if dist > 0 else 0.0
    arc = np.unique(g.arc[rows, cols]).size / ARC_BINS
    return [area / g.on_count, perim * scale / 2, major * scale / 2, minor * scale / 2, ecc, sol, dist, align, arc]


def largest(labels, count):
    if count == 0:
        return None, 0
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    sizes[0] = 0
    k = int(sizes.argmax())
    return labels == k, int(sizes[k])


def radon_skimage(g, fail, fail_ratio):
    sino = radon(fail.astype(float), theta=g.theta_deg, circle=False)        # (positions, angles)
    prof = np.where(g.radon_on > 1e-9, sino / np.maximum(g.radon_on, 1e-9), fail_ratio)
    out = np.empty((RADON_ANGLES, RADON_BINS))
    for a in range(RADON_ANGLES):  # mean of each |s| bin of the per-position failure rate
        out[a] = np.bincount(g.radon_row_bin, weights=prof[:, a], minlength=RADON_BINS + 1)[:RADON_BINS]
    return np.where(g.radon_bin_count > 0, out / np.maximum(g.radon_bin_count, 1), fail_ratio)


def radon_binned(g, fail, fail_ratio):
    pf = np.bincount(g.radon_bin[:, fail].ravel(), minlength=RADON_ANGLES * RADON_BINS).reshape(RADON_ANGLES, RADON_BINS)
    return rates(pf, g.radon_n, fail_ratio)


def extract(m, g, radon_fn):
    fail = m == 2
    fails = int(fail.sum())
    fail_ratio = fails / g.on_count
    den = ndimage.median_filter(fail.view(np.uint8), size=3, mode="constant").astype(bool) & g.on
    den_fails = int(den.sum())
    f = [fail_ratio, den_fails / g.on_count]
    f8 = ndimage.convolve(fail.view(np.uint8).astype(np.int16), NEIGH8, mode="constant")
    f4 = ndimage.convolve(fail.view(np.uint8).astype(np.int16), NEIGH4, mode="constant")
    isolated = int((fail & (f8 == 0)).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(fail & (g.on4 > 0), f4 / np.maximum(g.on4, 1), 0.0)
    f += [isolated / fails if fails else 0.0, share.sum() / fails - fail_ratio if fails else 0.0]
    raw_lab, raw_n = ndimage.label(fail, structure=EIGHT)
    den_lab, den_n = ndimage.label(den, structure=EIGHT) if den_fails else (None, 0)
    raw_mask, raw_area = largest(raw_lab, raw_n)
    den_mask, den_area = largest(den_lab, den_n) if den_n else (None, 0)
    f += [math.log1p(raw_n), math.log1p(den_n), raw_area / fails if fails else 0.0]
    empty = [0.0] * 9
    rg = geometry(g, raw_mask, False) if raw_mask is not None else empty
    if den_mask is not None:
        cg, cg_area = geometry(g, den_mask, True), den_area
    else:
        cg, cg_area = (geometry(g, raw_mask, True) if raw_mask is not None else empty), raw_area
    f += cg + [cg_area / fails if fails else 0.0]
    f += rg[0:1] + rg[2:7]
    radial = rates(np.bincount(g.radial[fail], minlength=RADIAL_BINS), g.rad_n, fail_ratio)
    es = g.edge_sector[fail]
    ins = g.inner_sector[fail]
    edge = rates(np.bincount(es[es >= 0], minlength=EDGE_SECTORS), g.edge_n, fail_ratio)
    inner = rates(np.bincount(ins[ins >= 0], minlength=INNER_SECTORS), g.in_n, fail_ratio)
    f += list(radial) + sorted(edge, reverse=True) + sorted(inner, reverse=True)
    eb = fail & g.edge_band
    cov = rates(np.bincount(g.ang[eb], minlength=COVERAGE_BINS), g.cov_n, fail_ratio)
    f += list(coverage_and_run(cov))
    eb_f = int(eb.sum())
    inner_n = g.on_count - g.edge_band_n
    inner_rate = (fails - eb_f) / inner_n if inner_n else fail_ratio
    f.append((eb_f / g.edge_band_n if g.edge_band_n else fail_ratio) - inner_rate)
    peak = int(np.argmax(radial))
    f += [(peak + 0.5) / RADIAL_BINS, radial[peak] - np.median(radial)]
    other = 1 if peak == 0 else peak - 1 if peak == RADIAL_BINS - 1 else \
        (peak - 1 if radial[peak - 1] >= radial[peak + 1] else peak + 1)
    band_f = np.bincount(g.band[fail], minlength=RADIAL_BINS * COVERAGE_BINS).reshape(RADIAL_BINS, COVERAGE_BINS)
    f += list(coverage_and_run(rates(band_f[peak] + band_f[other], g.band_n[peak] + g.band_n[other], fail_ratio)))
    prof = radon_fn(g, fail, fail_ratio)
    peaks = prof.max(axis=1)
    f += list(prof.mean(axis=0)) + list(prof.std(axis=0)) + [peaks.max(), peaks.min(), peaks.max() - peaks.min()]
    return np.asarray(f)


m = test_map()
grid = Grid(m != 0)
DIM = 23 + RADIAL_BINS + EDGE_SECTORS + INNER_SECTORS + 7 + 2 * RADON_BINS + 3
fb = extract(m, grid, radon_binned)
assert fb.shape == (DIM,) and np.all(np.isfinite(fb)), fb
assert fb[7] > 0.02 and fb[0] > 0.05  # the blob is the salient cluster; about 5 % + blob + scratch fail
base = f"numpy {np.__version__}, scipy {scipy.__version__} ndimage"
if skimage is not None:
    fs = extract(m, grid, radon_skimage)
    assert np.allclose(fs[:-27], fb[:-27]) and np.all(np.isfinite(fs))
    run.bench("extract64", B + "extract64",
              f"{base}, scikit-image {skimage.__version__} regionprops + transform.radon", lambda: extract(m, grid, radon_skimage))
    run.bench("extract64BinnedRadon", B + "extract64",
              f"{base}, scikit-image {skimage.__version__} regionprops, np.bincount projections", lambda: extract(m, grid, radon_binned))
else:
    print("features_skimage: scikit-image not importable; numpy/scipy geometry and binned projections only "
          "(apt-get install python3-skimage)")
    run.bench("extract64BinnedRadon", B + "extract64",
              f"{base}, numpy moments, scipy ConvexHull, np.bincount projections (no scikit-image)",
              lambda: extract(m, grid, radon_binned))
run.write()
