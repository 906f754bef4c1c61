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
        MapGrid g = MapGrid.of(map);
        double[] out = new double[NAMES.size()];
        Arrays.fill(out, Double.NaN);
        MapGrid.Outline o = g.outline(out);
        double failRatio = (double) g.fails / g.dies;
        MapGrid.set(out, "fail_ratio", failRatio);
        g.neighbourhood(failRatio, out);
        MapGrid.Regions regions = g.regions(g.denseDies());
        g.pattern(o, regions, out);
        return out;
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
