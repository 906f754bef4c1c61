package org.fabai.adc.features;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;

/**
 * Extracts a fixed-length vector of named, size- and rotation-invariant features from a wafer map.
 *
 * <h2>Coordinates</h2>
 * The wafer is taken as the ellipse spanned by the bounding box of its on-wafer dies; every die
 * gets normalised coordinates in which that ellipse is the unit disc (radius {@code r}, polar angle
 * {@code theta}). Lengths are in wafer radii and areas in fractions of the wafer's dies, so maps
 * of any grid size or aspect ratio give comparable vectors. Absolute orientation is left out of
 * the vector (patterns occur at any angle); sector densities are sorted for the same reason.
 *
 * <h2>Die grid (feature version 2)</h2>
 * Features are measured on dies: the 3x3 median filter and closing, isolated dies and component
 * counts are die-scale operations. A map drawn as an image of die blocks (every die a {@code k x k}
 * block of equal cells, as an integer nearest-neighbour enlargement makes it) is first brought back
 * to its die grid ({@link MapSizing#dieGrid}, exact and lossless), so it gives the very vector of the
 * map on its dies. Version 1 measured such a map cell by cell: on the real WM-811K sample, held-out
 * lots enlarged 2 and 3 times fell from macro-F1 0.846 to 0.734 and 0.699 under version 1 and stay
 * at 0.846 under version 2 (lot-grouped 5-fold cross-validation, soft-vote small model). Maps on
 * their die grid, every map of that sample included, give identical vectors under both versions.
 * {@link #WaferFeatureExtractor(int)} still extracts version 1 for models fitted on it.
 *
 * <p>Per-grid constants (normalised coordinates, region and Radon bin of every die, die counts per
 * region) are computed once and reused while consecutive maps share grid size and wafer outline,
 * so the per-map work visits failing dies only, plus the OpenCV calls.
 *
 * <h2>Features (in order; {@link #featureNames()})</h2>
 * <ol>
 *   <li>Global: {@code fail_ratio}; {@code denoised_fail_ratio} after a 3x3 median filter (OpenCV);
 *       {@code isolated_fail_fraction} (failing dies with no failing 8-neighbour);
 *       {@code neighbour_fail_excess} (mean failing share of a failing die's on-wafer 4-neighbours
 *       minus {@code fail_ratio}: about 0 for spatially random failures);
 *       {@code log_components_raw}, {@code log_components_denoised} ({@code ln(1+count)} of
 *       8-connected components, OpenCV); {@code largest_raw_share} (largest raw component over all
 *       failing dies).</li>
 *   <li>Most salient cluster (largest component of the denoised map, or of the raw map when
 *       denoising leaves nothing): {@code cluster_area}, {@code cluster_perimeter} (OpenCV contour),
 *       {@code cluster_major_axis}, {@code cluster_minor_axis}, {@code cluster_eccentricity} (moment
 *       ellipse), {@code cluster_solidity} (dies over the dies covered by the OpenCV convex hull),
 *       {@code cluster_centre_distance}, {@code cluster_radial_alignment}, {@code cluster_arc_span}
 *       (see {@link ClusterGeometry}); and {@code cluster_area_share} (its dies over all failing dies).</li>
 *   <li>Largest raw cluster (no denoising; keeps thin scratches): {@code raw_cluster_area},
 *       {@code raw_cluster_major_axis}, {@code raw_cluster_minor_axis}, {@code raw_cluster_eccentricity},
 *       {@code raw_cluster_solidity}, {@code raw_cluster_centre_distance}.</li>
 *   <li>Closed cluster (largest component after a 3x3 morphological closing, OpenCV, which
 *       bridges the gaps of interrupted scratches): {@code closed_cluster_area},
 *       {@code closed_cluster_major_axis}, {@code closed_cluster_minor_axis},
 *       {@code closed_cluster_eccentricity}, {@code closed_cluster_solidity}, {@code closed_cluster_fill}
 *       (its area over the area of its moment ellipse: about 1 for blobs, small for curved lines);
 *       {@code elongated_fail_share} (share of failing dies in raw components of at least 3 dies
 *       whose moment ellipse is at least 3 times longer than wide).</li>
 *   <li>Regional densities: {@code ring_density_0..9} (failure rate in radial bins 0.1 wide, the
 *       first two forming the centre disc); {@code edge_sector_sorted_0..7} (rate in eight 45-degree
 *       sectors of {@code r >= 0.75}, sorted descending); {@code inner_sector_sorted_0..3} (four
 *       quadrants of {@code 0.2 <= r < 0.75}, sorted).</li>
 *   <li>Ring and edge statistics: {@code edge_coverage} (share of 24 angular bins of the edge band
 *       {@code r >= 0.8} whose failure rate is at least 0.3), {@code edge_longest_run} (longest
 *       circular run of such bins, as a share), {@code edge_contrast} (edge band rate minus inner
 *       rate), {@code ring_peak_position} (centre of the densest radial bin), {@code ring_peak_contrast}
 *       (its rate minus the median radial rate), {@code ring_peak_coverage} and
 *       {@code ring_peak_longest_run} (the same angular statistics in the band made of that bin and its denser neighbour).</li>
 *   <li>Radon transform of the raw failure map: projections at 18 angles (10-degree steps) onto
 *       the axis {@code s = u cos(a) + v sin(a)}, each divided by the projection of the wafer itself
 *       (a failure-rate profile), folded on {@code |s|} and resampled to 12 bins of equal width in {@code |s|};
 *       {@code radon_mean_00..11} and {@code radon_std_00..11} are the mean and standard deviation
 *       of each bin over the angles; {@code radon_peak_max}, {@code radon_peak_min} and
 *       {@code radon_anisotropy} summarise the per-angle profile maxima (a scratch or edge area
 *       makes them differ strongly between angles).</li>
 * </ol>
 *
 * <p>Not thread-safe: an instance reuses native OpenCV buffers between calls; use one instance
 * per thread, and {@link #close()} it to free them.
 */
public final class WaferFeatureExtractor implements AutoCloseable {

    /**
     * Version of the feature definition this library extracts by default; models record the
     * version they were fitted on and extract that one (1: cell by cell; 2: on the die grid).
     */
    public static final int FEATURE_VERSION = 2;
    /** The oldest feature version still extracted (for models fitted on it). */
    public static final int OLDEST_FEATURE_VERSION = 1;

    static final int RADIAL_BINS = 10;
    static final int EDGE_SECTORS = 8;
    static final int INNER_SECTORS = 4;
    static final int COVERAGE_BINS = 24;
    static final int RADON_ANGLES = 18;
    static final int RADON_BINS = 12;
    private static final int GEOMETRY_CACHE = 64;
    static final double[] COS = new double[RADON_ANGLES];
    static final double[] SIN = new double[RADON_ANGLES];
    private static final List<String> NAMES = buildNames();

    static {
        for (int a = 0; a < RADON_ANGLES; a++) {
            COS[a] = Math.cos(Math.PI * a / RADON_ANGLES);
            SIN[a] = Math.sin(Math.PI * a / RADON_ANGLES);
        }
    }

    private final Mat src = new Mat();
    private final Mat den = new Mat();
    private final Mat closedMat = new Mat();
    private final Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_RECT, new Size(3, 3));
    private byte[] closedBuf = new byte[0];
    private int[] closedLab = new int[0];
    /** Labels components and measures the largest one (its own native buffers). */
    private final ClusterMeasure measure = new ClusterMeasure();
    private boolean closed;
    private final int version;

    // per-call Java buffers, grown as needed
    private byte[] codes = new byte[0];
    private byte[] failBuf = new byte[0];
    private byte[] denBuf = new byte[0];
    private int[] labBuf = new int[0];
    private int[] rawLab = new int[0];
    private int[] failIdx = new int[0];
    private int failCount;
    private GridGeometry geo;
    /** Recently used grid geometries, keyed by size and on-wafer outline hash (verified on hit). */
    private final java.util.LinkedHashMap<Long, GridGeometry> geoCache = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, GridGeometry> e) {
            return size() > GEOMETRY_CACHE;
        }
    };

    /** Creates an extractor of the current {@link #FEATURE_VERSION} (allocates small native buffers). */
    public WaferFeatureExtractor() {
        this(FEATURE_VERSION);
    }

    /**
     * Creates an extractor of a given feature version, e.g. the one a saved model was fitted on.
     * Both versions have the same {@link #featureNames()}.
     *
     * @param version {@link #OLDEST_FEATURE_VERSION} to {@link #FEATURE_VERSION}
     * @throws IllegalArgumentException for another version
     */
    public WaferFeatureExtractor(int version) {
        this.version = checkVersion(version);
    }

    /**
     * @param version a feature version
     * @return the version, when this library extracts it
     * @throws IllegalArgumentException naming the version and the supported range otherwise
     */
    public static int checkVersion(int version) {
        if (version < OLDEST_FEATURE_VERSION || version > FEATURE_VERSION) {
            throw new IllegalArgumentException("feature version must be in [" + OLDEST_FEATURE_VERSION + ", "
                    + FEATURE_VERSION + "], got " + version);
        }
        return version;
    }

    /** @return the feature version this extractor computes */
    public int version() {
        return version;
    }

    /** @return the feature names, in vector order (unmodifiable) */
    public static List<String> featureNames() {
        return NAMES;
    }

    /** @return the vector length */
    public static int dimension() {
        return NAMES.size();
    }

    private static List<String> buildNames() {
        List<String> n = new ArrayList<>(List.of("fail_ratio", "denoised_fail_ratio", "isolated_fail_fraction",
                "neighbour_fail_excess", "log_components_raw", "log_components_denoised", "largest_raw_share",
                "cluster_area", "cluster_perimeter", "cluster_major_axis", "cluster_minor_axis", "cluster_eccentricity",
                "cluster_solidity", "cluster_centre_distance", "cluster_radial_alignment", "cluster_arc_span",
                "cluster_area_share",
                "raw_cluster_area", "raw_cluster_major_axis", "raw_cluster_minor_axis", "raw_cluster_eccentricity",
                "raw_cluster_solidity", "raw_cluster_centre_distance",
                "closed_cluster_area", "closed_cluster_major_axis", "closed_cluster_minor_axis",
                "closed_cluster_eccentricity", "closed_cluster_solidity", "closed_cluster_fill",
                "elongated_fail_share"));
        for (int i = 0; i < RADIAL_BINS; i++) {
            n.add("ring_density_" + i);
        }
        for (int i = 0; i < EDGE_SECTORS; i++) {
            n.add("edge_sector_sorted_" + i);
        }
        for (int i = 0; i < INNER_SECTORS; i++) {
            n.add("inner_sector_sorted_" + i);
        }
        n.addAll(List.of("edge_coverage", "edge_longest_run", "edge_contrast", "ring_peak_position",
                "ring_peak_contrast", "ring_peak_coverage", "ring_peak_longest_run"));
        for (int i = 0; i < RADON_BINS; i++) {
            n.add(String.format(java.util.Locale.ROOT, "radon_mean_%02d", i));
        }
        for (int i = 0; i < RADON_BINS; i++) {
            n.add(String.format(java.util.Locale.ROOT, "radon_std_%02d", i));
        }
        n.addAll(List.of("radon_peak_max", "radon_peak_min", "radon_anisotropy"));
        return Collections.unmodifiableList(n);
    }

    /**
     * Extracts the features of every map.
     *
     * @param maps wafer maps
     * @return one vector per map
     */
    public double[][] extractAll(List<WaferMap> maps) {
        double[][] out = new double[maps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = extract(maps.get(i));
        }
        return out;
    }

    /**
     * Extracts the feature vector of one map.
     *
     * @param map a wafer map with at least one on-wafer die
     * @return {@link #dimension()} finite values, named by {@link #featureNames()}
     * @throws IllegalArgumentException if the map has no on-wafer die
     * @throws IllegalStateException    if the extractor is closed
     */
    public double[] extract(WaferMap map) {
        GridGeometry g = prepare(map);
        int n = g.rows * g.cols;
        Features v = new Features(NAMES.size());
        int fails = failCount;
        double failRatio = (double) fails / g.onCount;
        int denFails = globalFeatures(g, n, failRatio, v);
        ClusterMeasure.Components raw = measure.components(src, rawLab, n);
        ClusterMeasure.Components dnc;
        if (denFails > 0) {
            den.data().put(denBuf, 0, n);
            dnc = measure.components(den, labBuf, n);
        } else {
            dnc = ClusterMeasure.Components.NONE;
        }
        v.add(Math.log1p(raw.count()));
        v.add(Math.log1p(dnc.count()));
        v.add(fails == 0 ? 0 : (double) raw.largestArea() / fails);
        clusterFeatures(g, raw, dnc, fails, v);
        closedClusterFeatures(g, n, fails, v);
        v.add(fails == 0 ? 0 : (double) ClusterMeasure.elongatedDies(g, rawLab, raw.count(), failIdx, failCount) / fails);
        int[] pf = regionalFeatures(g, fails, failRatio, v);
        radonFeatures(g, pf, failRatio, v);
        return v.done();
    }

    /** The feature vector being written, in {@link #featureNames()} order. */
    private static final class Features {
        private final double[] f;
        private int k;

        Features(int size) {
            f = new double[size];
        }

        void add(double value) {
            f[k++] = value;
        }

        double[] done() {
            if (k != f.length) {
                throw new IllegalStateException("feature count mismatch: wrote " + k + ", declared " + f.length);
            }
            return f;
        }
    }

    /**
     * Global features: fail ratio, after a 3x3 median filter (OpenCV; the filtered map is left in
     * {@code denBuf}), isolated fails, and how much more a fail's 4-neighbours fail than the wafer.
     *
     * @return failing dies left by the median filter
     */
    private int globalFeatures(GridGeometry g, int n, double failRatio, Features out) {
        int cols = g.cols;
        int fails = failCount;
        int isolated = 0;
        double neighbourSum = 0;
        for (int q = 0; q < fails; q++) {
            int i = failIdx[q];
            int r = i / cols;
            int c = i - r * cols;
            int nFail8 = 0;
            int nFail4 = 0;
            for (int dr = -1; dr <= 1; dr++) {
                int r2 = r + dr;
                if (r2 < 0 || r2 >= g.rows) {
                    continue;
                }
                int base = r2 * cols;
                for (int dc = -1; dc <= 1; dc++) {
                    int c2 = c + dc;
                    if (c2 < 0 || c2 >= cols || (dr == 0 && dc == 0)) {
                        continue;
                    }
                    if (failBuf[base + c2] != 0) {
                        nFail8++;
                        if (dr == 0 || dc == 0) {
                            nFail4++;
                        }
                    }
                }
            }
            if (nFail8 == 0) {
                isolated++;
            }
            if (g.on4[i] > 0) {
                neighbourSum += (double) nFail4 / g.on4[i];
            }
        }
        opencv_imgproc.medianBlur(src, den, 3);
        den.data().get(denBuf, 0, n);
        int denFails = 0;
        for (int i = 0; i < n; i++) {
            if (denBuf[i] != 0) {
                if (g.on[i]) {
                    denFails++;
                } else {
                    denBuf[i] = 0;
                }
            }
        }
        out.add(failRatio);
        out.add((double) denFails / g.onCount);
        out.add(fails == 0 ? 0 : (double) isolated / fails);
        out.add(fails == 0 ? 0 : neighbourSum / fails - failRatio);
        return denFails;
    }

    /**
     * The salient cluster (the largest component after the median filter, else the raw map's) and
     * the raw map's largest component.
     */
    private void clusterFeatures(GridGeometry g, ClusterMeasure.Components raw, ClusterMeasure.Components dnc, int fails,
                                 Features out) {
        ClusterGeometry rg = raw.largest() > 0 ? measure.geometry(g, rawLab, raw) : ClusterGeometry.empty();
        ClusterGeometry cg;
        int cgArea;
        if (dnc.largest() > 0) {
            cg = measure.geometry(g, labBuf, dnc);
            cgArea = dnc.largestArea();
        } else {
            cg = rg;
            cgArea = raw.largestArea();
        }
        out.add(cg.areaFraction());
        out.add(cg.perimeter());
        out.add(cg.majorAxis());
        out.add(cg.minorAxis());
        out.add(cg.eccentricity());
        out.add(cg.solidity());
        out.add(cg.centreDistance());
        out.add(cg.radialAlignment());
        out.add(cg.arcSpan());
        out.add(fails == 0 ? 0 : (double) cgArea / fails);
        out.add(rg.areaFraction());
        out.add(rg.majorAxis());
        out.add(rg.minorAxis());
        out.add(rg.eccentricity());
        out.add(rg.solidity());
        out.add(rg.centreDistance());
    }

    /**
     * The closed cluster: a 3x3 morphological closing (OpenCV) bridges the gaps of interrupted
     * scratches and sparse blobs before the largest component is measured.
     */
    private void closedClusterFeatures(GridGeometry g, int n, int fails, Features out) {
        ClusterGeometry kg = ClusterGeometry.empty();
        int kArea = 0;
        if (fails > 0) {
            opencv_imgproc.morphologyEx(src, closedMat, opencv_imgproc.MORPH_CLOSE, kernel);
            closedMat.data().get(closedBuf, 0, n);
            for (int i = 0; i < n; i++) {
                if (!g.on[i]) {
                    closedBuf[i] = 0;
                }
            }
            closedMat.data().put(closedBuf, 0, n);
            ClusterMeasure.Components kc = measure.components(closedMat, closedLab, n);
            if (kc.largest() > 0) {
                kg = measure.geometry(g, closedLab, kc);
                kArea = kc.largestArea();
            }
        }
        out.add(kg.areaFraction());
        out.add(kg.majorAxis());
        out.add(kg.minorAxis());
        out.add(kg.eccentricity());
        out.add(kg.solidity());
        double ellipse = Math.PI / 4 * kg.majorAxis() * kg.minorAxis();
        out.add(kArea == 0 || ellipse <= 0 ? 0 : Math.min(2.0, kArea / (g.scale * g.scale) / ellipse));
    }

    /**
     * Regional densities (radial rings, edge and inner sectors, edge coverage, the ring peak): only
     * failing dies are visited, the per-region die counts come from the cached geometry.
     *
     * @return the failing dies per Radon angle and bin, for {@link #radonFeatures}
     */
    private int[] regionalFeatures(GridGeometry g, int fails, double failRatio, Features out) {
        int[] radF = new int[RADIAL_BINS];
        int[] edgeF = new int[EDGE_SECTORS];
        int[] inF = new int[INNER_SECTORS];
        int[] covF = new int[COVERAGE_BINS];
        int[][] bandF = new int[RADIAL_BINS][COVERAGE_BINS];
        int edgeBandF = 0;
        int[] pf = new int[RADON_ANGLES * RADON_BINS];
        byte[] radonBin = g.radonBin;
        for (int q = 0; q < fails; q++) {
            int i = failIdx[q];
            int rb = g.radialBin[i];
            radF[rb]++;
            bandF[rb][g.angBin[i]]++;
            if (g.edgeSector[i] >= 0) {
                edgeF[g.edgeSector[i]]++;
            } else if (g.innerSector[i] >= 0) {
                inF[g.innerSector[i]]++;
            }
            if (g.inEdgeBand[i]) {
                edgeBandF++;
                covF[g.angBin[i]]++;
            }
            int base = i * RADON_ANGLES;
            for (int a = 0; a < RADON_ANGLES; a++) {
                pf[a * RADON_BINS + radonBin[base + a]]++;
            }
        }
        double[] radial = RateProfiles.rates(radF, g.radN, failRatio);
        for (double v : radial) {
            out.add(v);
        }
        for (double v : RateProfiles.sortedDesc(RateProfiles.rates(edgeF, g.edgeN, failRatio))) {
            out.add(v);
        }
        for (double v : RateProfiles.sortedDesc(RateProfiles.rates(inF, g.inN, failRatio))) {
            out.add(v);
        }
        double[] cov = RateProfiles.rates(covF, g.covN, failRatio);
        out.add(RateProfiles.coverage(cov));
        out.add(RateProfiles.longestRun(cov));
        int innerN = g.onCount - g.edgeBandN;
        double innerRate = innerN == 0 ? failRatio : (double) (fails - edgeBandF) / innerN;
        out.add((g.edgeBandN == 0 ? failRatio : (double) edgeBandF / g.edgeBandN) - innerRate);
        int peak = 0;
        for (int b = 1; b < RADIAL_BINS; b++) {
            if (radial[b] > radial[peak]) {
                peak = b;
            }
        }
        double[] sortedRad = radial.clone();
        Arrays.sort(sortedRad);
        double median = (sortedRad[RADIAL_BINS / 2 - 1] + sortedRad[RADIAL_BINS / 2]) / 2;
        out.add((peak + 0.5) / RADIAL_BINS);
        out.add(radial[peak] - median);
        // band around the peak: the peak bin and its denser neighbour (0.2 wide)
        int other = peak == 0 ? 1 : peak == RADIAL_BINS - 1 ? peak - 1 : radial[peak - 1] >= radial[peak + 1] ? peak - 1 : peak + 1;
        int[] pcF = new int[COVERAGE_BINS];
        int[] pcN = new int[COVERAGE_BINS];
        for (int s = 0; s < COVERAGE_BINS; s++) {
            pcF[s] = bandF[peak][s] + bandF[other][s];
            pcN[s] = g.bandN[peak][s] + g.bandN[other][s];
        }
        double[] pcov = RateProfiles.rates(pcF, pcN, failRatio);
        out.add(RateProfiles.coverage(pcov));
        out.add(RateProfiles.longestRun(pcov));
        return pf;
    }

    /** Radon profiles: per bin the mean and spread of the fail rate over the angles, and the peaks. */
    private void radonFeatures(GridGeometry g, int[] pf, double failRatio, Features out) {
        double[] mean = new double[RADON_BINS];
        double[] sq = new double[RADON_BINS];
        double peakMax = 0;
        double peakMin = Double.POSITIVE_INFINITY;
        for (int a = 0; a < RADON_ANGLES; a++) {
            double pk = 0;
            for (int b = 0; b < RADON_BINS; b++) {
                int on = g.pn[a][b];
                double p = on == 0 ? failRatio : (double) pf[a * RADON_BINS + b] / on;
                mean[b] += p;
                sq[b] += p * p;
                pk = Math.max(pk, p);
            }
            peakMax = Math.max(peakMax, pk);
            peakMin = Math.min(peakMin, pk);
        }
        for (int b = 0; b < RADON_BINS; b++) {
            mean[b] /= RADON_ANGLES;
        }
        for (int b = 0; b < RADON_BINS; b++) {
            out.add(mean[b]);
        }
        for (int b = 0; b < RADON_BINS; b++) {
            out.add(Math.sqrt(Math.max(0, sq[b] / RADON_ANGLES - mean[b] * mean[b])));
        }
        out.add(peakMax);
        out.add(peakMin);
        out.add(peakMax - peakMin);
    }

    /**
     * GridGeometry of the most salient failing cluster: the largest 8-connected component after a 3x3
     * median filter, or of the raw map when the filter leaves nothing.
     *
     * @param map a wafer map with at least one on-wafer die
     * @return its geometry, {@link ClusterGeometry#empty()} when no die fails
     */
    public ClusterGeometry salientCluster(WaferMap map) {
        GridGeometry g = prepare(map);
        int n = g.rows * g.cols;
        opencv_imgproc.medianBlur(src, den, 3);
        den.data().get(denBuf, 0, n);
        for (int i = 0; i < n; i++) {
            if (!g.on[i]) {
                denBuf[i] = 0;
            }
        }
        den.data().put(denBuf, 0, n);
        ClusterMeasure.Components d = measure.components(den, labBuf, n);
        if (d.largest() > 0) {
            return measure.geometry(g, labBuf, d);
        }
        ClusterMeasure.Components r = measure.components(src, rawLab, n);
        return r.largest() > 0 ? measure.geometry(g, rawLab, r) : ClusterGeometry.empty();
    }

    private GridGeometry prepare(WaferMap map) {
        Objects.requireNonNull(map, "map");
        if (closed) {
            throw new IllegalStateException("feature extractor is closed");
        }
        if (version >= 2) {
            map = MapSizing.dieGrid(map);
        }
        int rows = map.rows();
        int cols = map.cols();
        int n = rows * cols;
        if (failBuf.length < n) {
            codes = new byte[n];
            failBuf = new byte[n];
            denBuf = new byte[n];
            labBuf = new int[n];
            measure.ensureCapacity(n);
            rawLab = new int[n];
            failIdx = new int[n];
            closedBuf = new byte[n];
            closedLab = new int[n];
        }
        byte[] c0 = map.codes();
        System.arraycopy(c0, 0, codes, 0, n);
        if (geo == null || !geo.matches(rows, cols, codes)) {
            long h = 1469598103934665603L;
            for (int i = 0; i < n; i++) {
                h = (h ^ (codes[i] != 0 ? 1 : 0)) * 1099511628211L;
            }
            long key = h * 31 + ((long) rows << 16 | cols);
            GridGeometry cached = geoCache.get(key);
            if (cached != null && cached.matches(rows, cols, codes)) {
                geo = cached;
            } else {
                geo = buildGeometry(map, rows, cols, n);
                geoCache.put(key, geo);
            }
        }
        int fc = 0;
        for (int i = 0; i < n; i++) {
            if (codes[i] == 2) {
                failBuf[i] = (byte) 255;
                failIdx[fc++] = i;
            } else {
                failBuf[i] = 0;
            }
        }
        failCount = fc;
        src.create(rows, cols, CV_8UC1);
        src.data().put(failBuf, 0, n);
        den.create(rows, cols, CV_8UC1);
        return geo;
    }

    private GridGeometry buildGeometry(WaferMap map, int rows, int cols, int n) {
        boolean[] on = new boolean[n];
        int minR = Integer.MAX_VALUE;
        int maxR = -1;
        int minC = Integer.MAX_VALUE;
        int maxC = -1;
        int onCount = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (codes[i] != 0) {
                    on[i] = true;
                    onCount++;
                    minR = Math.min(minR, r);
                    maxR = Math.max(maxR, r);
                    minC = Math.min(minC, c);
                    maxC = Math.max(maxC, c);
                }
            }
        }
        if (onCount == 0) {
            throw new IllegalArgumentException("wafer map " + map.lotId() + "/" + map.waferId() + " (" + rows + "x" + cols
                    + ") has no on-wafer die; features need at least one");
        }
        return new GridGeometry(rows, cols, on, onCount, minR, maxR, minC, maxC);
    }

    /** Frees the native buffers. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            measure.close();
            den.close();
            closedMat.close();
            kernel.close();
            src.close();
            geoCache.clear();
            geo = null;
        }
    }
}
