package org.fabai.adc.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.wafer.WaferMap;

/**
 * Descriptive statistics of wafer maps, per map and per class: grid size and outline, background
 * failures and their clustering, and the geometry and intensity of the failing pattern. Used to
 * calibrate {@link WaferMapGenerator} on real maps (and to check a generator against any labelled
 * set, e.g. a fab's own maps), by computing the same statistics on real and generated maps.
 *
 * <h2>Coordinates</h2>
 * The wafer is the ellipse spanned by the bounding box of the on-wafer dies; a die at grid
 * position (row, col) has normalised coordinates {@code u, v} in which that ellipse is the unit
 * disc, radius {@code r = hypot(u, v)} (in wafer radii). A wafer radius in dies is the mean of the
 * two half-sides of the bounding box.
 *
 * <h2>Pattern region</h2>
 * Each on-wafer die gets the failing share {@code s} of the on-wafer dies in the 5x5 window around
 * it ({@code n} of them). With {@code b} the median of {@code s} over the wafer (a robust background
 * rate), a die is <em>dense</em> when {@code n >= 6} and
 * {@code s >= max(b + 3 sqrt(max(b, 0.02) (1 - b) / n), 1.5 b)}. The pattern region is the union of
 * the 8-connected components of dense dies that hold at least {@code max(6, 0.005 * dies)} failing
 * dies. This definition is arbitrary but applied identically to real and generated maps, which is
 * what calibration needs; "none" maps get a region too when their background failures clump.
 *
 * <h2>Statistics ({@link #NAMES}, in order)</h2>
 * <ul>
 *   <li>{@code rows}, {@code cols}: the bounding box of the on-wafer dies; {@code aspect} rows/cols;
 *       {@code die_count}; {@code bbox_fill} (dies over the box, pi/4 for a perfect ellipse);
 *       {@code outline_match} (intersection over union of the on-wafer dies and the inscribed
 *       ellipse of the box: flats, notches and ragged edges lower it);</li>
 *   <li>{@code fail_ratio}; {@code edge_fail_rate} (failure rate of the outermost dies, those with a
 *       4-neighbour off the wafer); {@code inner_fail_rate} (the other dies); {@code edge_excess}
 *       (their difference); {@code neighbour_fail_excess} (mean failing share of a failing die's
 *       on-wafer 4-neighbours minus {@code fail_ratio}: about 0 for spatially random failures);
 *       {@code isolated_fail_fraction} (failing dies with no failing 8-neighbour);</li>
 *   <li>{@code background_rate} (failure rate outside the pattern region); {@code pattern_area}
 *       (region dies over all dies); {@code pattern_intensity} (failure rate inside the region);
 *       {@code pattern_radius} (mean {@code r} of the region's failing dies);
 *       {@code pattern_radial_width} (10th to 90th percentile of their {@code r}) and
 *       {@code pattern_radial_width_dies} (the same in dies); {@code pattern_arc_span} (degrees of
 *       the smallest arc holding every region failing die with {@code r >= 0.2}, in 5-degree bins);
 *       {@code pattern_thickness_dies} ({@code sqrt(12 l2)}, {@code l2} the smaller eigenvalue of the
 *       covariance of the largest region component's failing dies, in dies: the width of a band);
 *       {@code pattern_elongation} ({@code sqrt(l1 / l2)} of the same).</li>
 * </ul>
 * Statistics that do not exist on a map (no failing die, no pattern region) are NaN, and summaries
 * skip them.
 *
 * <p>Stateless; thread-safe.
 */
public final class MapStatistics {

    /** Statistic names, in the order of {@link #compute(WaferMap)}'s array. */
    public static final List<String> NAMES = List.of("rows", "cols", "aspect", "die_count", "bbox_fill",
            "outline_match", "fail_ratio", "edge_fail_rate", "inner_fail_rate", "edge_excess",
            "neighbour_fail_excess", "isolated_fail_fraction", "background_rate", "pattern_area",
            "pattern_intensity", "pattern_radius", "pattern_radial_width", "pattern_radial_width_dies",
            "pattern_arc_span", "pattern_thickness_dies", "pattern_elongation");

    /** The quantiles a {@link Summary} reports. */
    public static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};

    private static final int HALF_WINDOW = 2;
    private static final int MIN_WINDOW_DIES = 6;
    private static final int ARC_BINS = 72;

    private MapStatistics() {
    }

    /**
     * @param name a statistic name
     * @return its index in {@link #NAMES}
     * @throws IllegalArgumentException if unknown
     */
    public static int index(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown statistic '" + name + "'; expected one of " + NAMES);
        }
        return i;
    }

    /**
     * Computes the statistics of one map.
     *
     * @param map a wafer map
     * @return one value per {@link #NAMES} entry (NaN where undefined)
     * @throws IllegalArgumentException if the map has no on-wafer die
     */
    public static double[] compute(WaferMap map) {
        Objects.requireNonNull(map, "map");
        Grid g = Grid.of(map);
        double[] out = new double[NAMES.size()];
        Arrays.fill(out, Double.NaN);
        Outline o = g.outline(out);
        double failRatio = (double) g.fails / g.dies;
        set(out, "fail_ratio", failRatio);
        g.neighbourhood(failRatio, out);
        Regions regions = g.regions(g.denseDies());
        g.pattern(o, regions, out);
        return out;
    }

    /** The map's dies: which are on the wafer and which fail, counted, with their bounding box. */
    private static final class Grid {
        final int rows;
        final int cols;
        final int n;
        final boolean[] on;
        final boolean[] fail;
        final int dies;
        final int fails;
        /** Bounding box of the on-wafer dies: rows r0..r1, columns c0..c1. */
        final int r0;
        final int r1;
        final int c0;
        final int c1;

        private Grid(int rows, int cols, boolean[] on, boolean[] fail, int dies, int fails, int r0, int r1, int c0,
                     int c1) {
            this.rows = rows;
            this.cols = cols;
            this.n = rows * cols;
            this.on = on;
            this.fail = fail;
            this.dies = dies;
            this.fails = fails;
            this.r0 = r0;
            this.r1 = r1;
            this.c0 = c0;
            this.c1 = c1;
        }

        static Grid of(WaferMap map) {
            int rows = map.rows();
            int cols = map.cols();
            int n = rows * cols;
            byte[] codes = map.codes();
            boolean[] on = new boolean[n];
            boolean[] fail = new boolean[n];
            int r0 = rows;
            int r1 = -1;
            int c0 = cols;
            int c1 = -1;
            int dies = 0;
            int fails = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    if (codes[i] != 0) {
                        on[i] = true;
                        dies++;
                        r0 = Math.min(r0, r);
                        r1 = Math.max(r1, r);
                        c0 = Math.min(c0, c);
                        c1 = Math.max(c1, c);
                        if (codes[i] == 2) {
                            fail[i] = true;
                            fails++;
                        }
                    }
                }
            }
            if (dies == 0) {
                throw new IllegalArgumentException("map of " + rows + "x" + cols + " has no on-wafer die");
            }
            return new Grid(rows, cols, on, fail, dies, fails, r0, r1, c0, c1);
        }

        /** Bounding box, die count, fill and how well the outline matches the inscribed ellipse. */
        Outline outline(double[] out) {
            int bRows = r1 - r0 + 1;
            int bCols = c1 - c0 + 1;
            double cy = (r0 + r1 + 1) / 2.0;
            double cx = (c0 + c1 + 1) / 2.0;
            double ay = bRows / 2.0;
            double ax = bCols / 2.0;
            double radiusDies = (ax + ay) / 2.0;
            double[] u = new double[n];
            double[] v = new double[n];
            int inter = 0;
            int union = 0;
            for (int r = r0; r <= r1; r++) {
                for (int c = c0; c <= c1; c++) {
                    int i = r * cols + c;
                    u[i] = (c + 0.5 - cx) / ax;
                    v[i] = (cy - r - 0.5) / ay;
                    boolean inE = u[i] * u[i] + v[i] * v[i] <= 1.0;
                    if (inE && on[i]) {
                        inter++;
                    }
                    if (inE || on[i]) {
                        union++;
                    }
                }
            }
            set(out, "rows", bRows);
            set(out, "cols", bCols);
            set(out, "aspect", (double) bRows / bCols);
            set(out, "die_count", dies);
            set(out, "bbox_fill", (double) dies / (bRows * bCols));
            set(out, "outline_match", (double) inter / union);
            return new Outline(u, v, radiusDies);
        }

        /** Edge versus inner fail rates, and how failing dies neighbour each other. */
        void neighbourhood(double failRatio, double[] out) {
            int edge = 0;
            int edgeFail = 0;
            double nbShare = 0;
            int isolated = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    if (!on[i]) {
                        continue;
                    }
                    boolean isEdge = !onAt(on, rows, cols, r - 1, c) || !onAt(on, rows, cols, r + 1, c)
                            || !onAt(on, rows, cols, r, c - 1) || !onAt(on, rows, cols, r, c + 1);
                    if (isEdge) {
                        edge++;
                        if (fail[i]) {
                            edgeFail++;
                        }
                    }
                    if (!fail[i]) {
                        continue;
                    }
                    int nOn = 0;
                    int nFail = 0;
                    int[][] four = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
                    for (int[] p : four) {
                        if (onAt(on, rows, cols, p[0], p[1])) {
                            nOn++;
                            if (fail[p[0] * cols + p[1]]) {
                                nFail++;
                            }
                        }
                    }
                    if (nOn > 0) {
                        nbShare += (double) nFail / nOn;
                    }
                    boolean alone = true;
                    for (int dr = -1; dr <= 1 && alone; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            if ((dr != 0 || dc != 0) && onAt(on, rows, cols, r + dr, c + dc) && fail[(r + dr) * cols + c + dc]) {
                                alone = false;
                                break;
                            }
                        }
                    }
                    if (alone) {
                        isolated++;
                    }
                }
            }
            double edgeRate = edge > 0 ? (double) edgeFail / edge : Double.NaN;
            double innerRate = dies - edge > 0 ? (double) (fails - edgeFail) / (dies - edge) : Double.NaN;
            set(out, "edge_fail_rate", edgeRate);
            set(out, "inner_fail_rate", innerRate);
            set(out, "edge_excess", edgeRate - innerRate);
            if (fails > 0) {
                set(out, "neighbour_fail_excess", nbShare / fails - failRatio);
                set(out, "isolated_fail_fraction", (double) isolated / fails);
            }

        }

        /**
         * Dies whose 5x5 window (through integral images) fails clearly more than the wafer's median
         * window: the candidates of a pattern.
         */
        boolean[] denseDies() {
            int[] iOn = new int[(rows + 1) * (cols + 1)];
            int[] iFail = new int[(rows + 1) * (cols + 1)];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int k = (r + 1) * (cols + 1) + c + 1;
                    int i = r * cols + c;
                    iOn[k] = iOn[k - 1] + iOn[k - cols - 1] - iOn[k - cols - 2] + (on[i] ? 1 : 0);
                    iFail[k] = iFail[k - 1] + iFail[k - cols - 1] - iFail[k - cols - 2] + (fail[i] ? 1 : 0);
                }
            }
            double[] share = new double[n];
            int[] count = new int[n];
            double[] onShares = new double[dies];
            int k = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    if (!on[i]) {
                        continue;
                    }
                    int ra = Math.max(0, r - HALF_WINDOW);
                    int rb = Math.min(rows, r + HALF_WINDOW + 1);
                    int ca = Math.max(0, c - HALF_WINDOW);
                    int cb = Math.min(cols, c + HALF_WINDOW + 1);
                    count[i] = box(iOn, cols, ra, rb, ca, cb);
                    share[i] = (double) box(iFail, cols, ra, rb, ca, cb) / count[i];
                    onShares[k++] = share[i];
                }
            }
            Arrays.sort(onShares);
            double b = quantileSorted(onShares, 0.5);
            boolean[] dense = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (on[i] && count[i] >= MIN_WINDOW_DIES) {
                    double thr = Math.max(b + 3 * Math.sqrt(Math.max(b, 0.02) * (1 - b) / count[i]), 1.5 * b);
                    dense[i] = share[i] >= thr;
                }
            }
            return dense;
        }

        Regions regions(boolean[] dense) {
            int[] label = new int[n];
            Arrays.fill(label, -1);
            int[] queue = new int[n];
            int minFails = Math.max(6, (int) Math.ceil(0.005 * dies));
            boolean[] region = new boolean[n];
            int largest = -1;
            int largestFails = 0;
            int comp = 0;
            for (int s = 0; s < n; s++) {
                if (!dense[s] || label[s] >= 0) {
                    continue;
                }
                int head = 0;
                int tail = 0;
                queue[tail++] = s;
                label[s] = comp;
                int cf = 0;
                while (head < tail) {
                    int i = queue[head++];
                    if (fail[i]) {
                        cf++;
                    }
                    int r = i / cols;
                    int c = i % cols;
                    for (int dr = -1; dr <= 1; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            int rr = r + dr;
                            int cc = c + dc;
                            if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
                                int j = rr * cols + cc;
                                if (dense[j] && label[j] < 0) {
                                    label[j] = comp;
                                    queue[tail++] = j;
                                }
                            }
                        }
                    }
                }
                if (cf >= minFails) {
                    for (int q = 0; q < tail; q++) {
                        region[queue[q]] = true;
                    }
                    if (cf > largestFails) {
                        largestFails = cf;
                        largest = comp;
                    }
                }
                comp++;
            }
            return new Regions(label, region, largest);
        }

        /** Background rate, and the pattern region's area, intensity, radius, radial width, arc span and shape. */
        void pattern(Outline o, Regions regions, double[] out) {
            boolean[] region = regions.region();
            int[] label = regions.label();
            int largest = regions.largest();
            double[] u = o.u();
            double[] v = o.v();
            double radiusDies = o.radiusDies();
            int regionDies = 0;
            int regionFails = 0;
            List<Double> radii = new ArrayList<>();
            boolean[] arcBins = new boolean[ARC_BINS];
            int arcDies = 0;
            double sr = 0;
            double sc = 0;
            double srr = 0;
            double scc = 0;
            double src = 0;
            int lf = 0;
            for (int i = 0; i < n; i++) {
                if (!region[i]) {
                    continue;
                }
                regionDies++;
                if (!fail[i]) {
                    continue;
                }
                regionFails++;
                double rad = Math.hypot(u[i], v[i]);
                radii.add(rad);
                if (rad >= 0.2) {
                    double ang = Math.atan2(v[i], u[i]);
                    int bin = (int) Math.floor((ang + Math.PI) / (2 * Math.PI) * ARC_BINS);
                    arcBins[Math.min(ARC_BINS - 1, Math.max(0, bin))] = true;
                    arcDies++;
                }
                if (label[i] == largest) {
                    double rr = i / cols;
                    double cc = i % cols;
                    sr += rr;
                    sc += cc;
                    srr += rr * rr;
                    scc += cc * cc;
                    src += rr * cc;
                    lf++;
                }
            }
            int outside = dies - regionDies;
            set(out, "background_rate", outside > 0 ? (double) (fails - regionFails) / outside : Double.NaN);
            set(out, "pattern_area", (double) regionDies / dies);
            if (regionFails > 0) {
                set(out, "pattern_intensity", (double) regionFails / regionDies);
                double[] rs = radii.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                set(out, "pattern_radius", Arrays.stream(rs).average().orElse(Double.NaN));
                double width = quantileSorted(rs, 0.9) - quantileSorted(rs, 0.1);
                set(out, "pattern_radial_width", width);
                set(out, "pattern_radial_width_dies", width * radiusDies);
                if (arcDies >= 2) {
                    set(out, "pattern_arc_span", arcSpan(arcBins));
                }
                if (lf >= 3) {
                    double mr = sr / lf;
                    double mc = sc / lf;
                    double vrr = srr / lf - mr * mr;
                    double vcc = scc / lf - mc * mc;
                    double vrc = src / lf - mr * mc;
                    double tr = vrr + vcc;
                    double det = vrr * vcc - vrc * vrc;
                    double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
                    double l1 = tr / 2 + disc;
                    double l2 = Math.max(0, tr / 2 - disc);
                    set(out, "pattern_thickness_dies", Math.sqrt(12 * l2));
                    set(out, "pattern_elongation", Math.sqrt(l1 / Math.max(l2, 1.0 / 12)));
                }
            }
        }
    }

    /** Each die's position in the wafer's ellipse (unit radius on the bounding box) and the radius in dies. */
    private record Outline(double[] u, double[] v, double radiusDies) {
    }

    /**
     * The 8-connected components of dense dies: each component's label, the dies of those with
     * enough failing dies to count as a pattern region, and the label of the one with most.
     */
    private record Regions(int[] label, boolean[] region, int largest) {
    }

    /** Degrees of the smallest circular arc holding every occupied bin. */
    private static double arcSpan(boolean[] bins) {
        int m = bins.length;
        int longestGap = 0;
        int run = 0;
        for (int t = 0; t < 2 * m; t++) {
            if (!bins[t % m]) {
                run++;
                longestGap = Math.max(longestGap, Math.min(run, m));
            } else {
                run = 0;
            }
        }
        return 360.0 * (m - longestGap) / m;
    }

    private static int box(int[] integral, int cols, int ra, int rb, int ca, int cb) {
        int w = cols + 1;
        return integral[rb * w + cb] - integral[ra * w + cb] - integral[rb * w + ca] + integral[ra * w + ca];
    }

    private static boolean onAt(boolean[] on, int rows, int cols, int r, int c) {
        return r >= 0 && r < rows && c >= 0 && c < cols && on[r * cols + c];
    }

    private static void set(double[] out, String name, double value) {
        out[index(name)] = value;
    }

    /** Linear-interpolation quantile of a sorted array (NaN when empty). */
    static double quantileSorted(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * Summarises labelled maps per class.
     *
     * @param maps   wafer maps
     * @param labels their class names (same length)
     * @return per class (in first-seen order) and per statistic, the count of defined values and
     *         the {@link #QUANTILES}
     * @throws IllegalArgumentException if the lists differ in length or a map has no on-wafer die
     */
    public static Summary summarise(List<WaferMap> maps, List<String> labels) {
        if (maps.size() != labels.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, labels " + labels.size());
        }
        Map<String, List<double[]>> per = new LinkedHashMap<>();
        for (int i = 0; i < maps.size(); i++) {
            double[] s;
            try {
                s = compute(maps.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("map " + i + ": " + e.getMessage(), e);
            }
            per.computeIfAbsent(Objects.requireNonNull(labels.get(i), "label " + i), x -> new ArrayList<>()).add(s);
        }
        Map<String, ClassSummary> out = new LinkedHashMap<>();
        per.forEach((cls, rowsOfStats) -> out.put(cls, ClassSummary.of(rowsOfStats)));
        return new Summary(out);
    }

    /**
     * The distribution of every statistic over one class's maps.
     *
     * <p>Immutable (arrays are copied) and thread-safe.
     *
     * @param maps      maps of the class
     * @param defined   per statistic, the maps where it is defined
     * @param quantiles per statistic, the {@link #QUANTILES} of its defined values (NaN if none)
     * @param means     per statistic, the mean of its defined values (NaN if none)
     */
    public record ClassSummary(int maps, int[] defined, double[][] quantiles, double[] means) {

        /** Validates and copies. */
        public ClassSummary {
            if (defined.length != NAMES.size() || quantiles.length != NAMES.size() || means.length != NAMES.size()) {
                throw new IllegalArgumentException("expected " + NAMES.size() + " statistics");
            }
            defined = defined.clone();
            quantiles = Arrays.stream(quantiles).map(double[]::clone).toArray(double[][]::new);
            means = means.clone();
        }

        static ClassSummary of(List<double[]> stats) {
            int m = NAMES.size();
            int[] defined = new int[m];
            double[][] q = new double[m][];
            double[] means = new double[m];
            for (int j = 0; j < m; j++) {
                final int col = j;
                double[] vals = stats.stream().mapToDouble(s -> s[col]).filter(Double::isFinite).sorted().toArray();
                defined[j] = vals.length;
                q[j] = new double[QUANTILES.length];
                for (int t = 0; t < QUANTILES.length; t++) {
                    q[j][t] = quantileSorted(vals, QUANTILES[t]);
                }
                means[j] = vals.length == 0 ? Double.NaN : Arrays.stream(vals).average().orElse(Double.NaN);
            }
            return new ClassSummary(stats.size(), defined, q, means);
        }

        /**
         * @param statistic a statistic name
         * @param quantile  one of {@link #QUANTILES}
         * @return that quantile of the statistic over this class
         */
        public double quantile(String statistic, double quantile) {
            for (int t = 0; t < QUANTILES.length; t++) {
                if (QUANTILES[t] == quantile) {
                    return quantiles[index(statistic)][t];
                }
            }
            throw new IllegalArgumentException("quantile " + quantile + " not reported; use one of " + Arrays.toString(QUANTILES));
        }

        /**
         * @param statistic a statistic name
         * @return its median over this class
         */
        public double median(String statistic) {
            return quantile(statistic, 0.5);
        }

        @Override
        public int[] defined() {
            return defined.clone();
        }

        @Override
        public double[][] quantiles() {
            return Arrays.stream(quantiles).map(double[]::clone).toArray(double[][]::new);
        }

        @Override
        public double[] means() {
            return means.clone();
        }
    }

    /**
     * Per-class summaries of a labelled set.
     *
     * <p>Immutable and thread-safe.
     *
     * @param classes class name to its summary, in first-seen order
     */
    public record Summary(Map<String, ClassSummary> classes) {

        /** Copies. */
        public Summary {
            classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        }

        /**
         * @param cls a class name
         * @return its summary
         * @throws IllegalArgumentException if the class is absent
         */
        public ClassSummary of(String cls) {
            ClassSummary s = classes.get(cls);
            if (s == null) {
                throw new IllegalArgumentException("no maps of class '" + cls + "'; classes: " + classes.keySet());
            }
            return s;
        }

        /**
         * A Markdown table: one row per class and statistic, with the count and the quantiles.
         *
         * @param statistics the statistics to list (names from {@link #NAMES})
         * @return the table
         */
        public String toMarkdown(List<String> statistics) {
            StringBuilder sb = new StringBuilder("| class | statistic | n | p5 | p25 | median | p75 | p95 |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, ClassSummary> e : classes.entrySet()) {
                for (String st : statistics) {
                    int j = index(st);
                    double[] q = e.getValue().quantiles[j];
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", e.getKey(), st,
                            e.getValue().defined[j], fmt(q[0]), fmt(q[1]), fmt(q[2]), fmt(q[3]), fmt(q[4])));
                }
            }
            return sb.toString();
        }

        private static String fmt(double v) {
            if (Double.isNaN(v)) {
                return "-";
            }
            return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        }
    }
}
