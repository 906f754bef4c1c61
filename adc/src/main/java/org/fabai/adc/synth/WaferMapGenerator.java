package org.fabai.adc.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * Seeded generator of synthetic wafer maps: WM-811K's nine classes and MixedWM38-style mixtures.
 *
 * <h2>Model</h2>
 * A map is a {@code rows x cols} grid (sizes per {@link GeneratorConfig}); the wafer is the ellipse
 * inscribed in the grid, which in pattern coordinates is the unit disc (so patterns keep their
 * shape relative to the wafer on non-square grids). Each map draws a rotation angle (uniform in
 * [0, 360) when {@link GeneratorConfig#rotate()}) and a mirror flag (probability 1/2 when
 * {@link GeneratorConfig#flip()}) that transform the pattern frame. Every pattern marks a region
 * and fails each die inside it with a drawn density; a background failure rate (drawn per map from
 * {@link GeneratorConfig#background()}) fails dies anywhere, independently.
 *
 * <p>With a {@link GeneratorConfig#calibration()} (as in {@link GeneratorConfig#calibrated()}),
 * sizes, the wafer outline and the background follow {@link Calibration} instead: log-normal
 * diameters and aspect ratios, an outline that is shrunk, shifted and sometimes flattened, the
 * grid cropped to the wafer's dies, and a log-normal background rate with clumps and extra
 * failures at the edge. Shapes:
 * <ul>
 *   <li><b>Center</b>: a disc of radius {@code centerRadius} whose middle is {@code centerOffset} from the centre;</li>
 *   <li><b>Donut</b>: an annulus {@code [donutInnerRadius, +donutWidth]} over {@code donutArc} degrees, offset by {@code donutOffset};</li>
 *   <li><b>Edge-Loc</b>: either an annular sector {@code edgeLocDepth} deep over {@code edgeLocArc} degrees,
 *       or (half the time) a disc centred on the edge, of radius {@code max(depth, 0.8 sin(arc / 2))}
 *       (with a {@link Calibration}: 1.5 to 3 times the depth, as real Edge-Loc areas are shallow);</li>
 *   <li><b>Edge-Ring</b>: a band {@code edgeRingWidth} wide along the edge over {@code edgeRingArc} degrees;</li>
 *   <li><b>Loc</b>: an ellipse with semi-axes from {@code locRadius}, randomly oriented (with a
 *       {@link Calibration}: the longer axis roughly along the edge), {@code locDistance} from the centre;</li>
 *   <li><b>Near-full</b>: every die fails with rate {@code nearFullRate};</li>
 *   <li><b>Random</b>: every die fails with rate {@code randomRate} (with a {@link Calibration}:
 *       modulated by three random Gaussian bumps, as real Random maps are blotchy);</li>
 *   <li><b>Scratch</b>: a random walk of length {@code scratchLength} whose heading changes by a
 *       Gaussian of standard deviation {@code scratchCurvature * sqrt(step)} per step, drawn as a stroke of
 *       half width {@code scratchHalfWidth} (at least half a die), interrupted by gaps at
 *       {@code scratchGapRate} per unit length; it starts within 0.8 of the centre heading inwards
 *       (with a {@link Calibration}: at 0.35-0.85 heading roughly along the edge, as real scratches
 *       lie mostly in the outer half);</li>
 *   <li><b>none</b>: background only.</li>
 * </ul>
 * A pattern that leaves fewer than 4 failing dies (small grids) is redrawn (up to 50 times) so that
 * every label is visible on its map. For the same reason, on a map with several patterns, a
 * placement is redrawn (up to 50 times in all, keeping the least overlapping one if none passes)
 * while more than {@link GeneratorConfig#maxOverlap()} of its region, or of an earlier pattern's
 * region, lies inside or right next to (8-neighbour) the other patterns' regions: a Loc drawn
 * inside a Center blob or merged into a Donut ring, or a scratch running along an Edge-Ring band,
 * would carry a label that the map cannot show. Near-full and Random cover the whole wafer and
 * are exempt. Patterns are placed in enum order; a map with one pattern is never redrawn for
 * overlap.
 *
 * <h2>Determinism</h2>
 * The same configuration and seed give the same map. Data-set methods derive one seed per map from
 * the data-set seed, so a map can be regenerated from {@link SyntheticWafer#seed()} alone.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WaferMapGenerator {

    private static final int MIN_PATTERN_DIES = 4;
    private static final int MAX_ATTEMPTS = 50;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final GeneratorConfig config;
    private final PatternShapes shapes;

    /** A generator with {@link GeneratorConfig#defaults()}. */
    public WaferMapGenerator() {
        this(GeneratorConfig.defaults());
    }

    /**
     * @param config the configuration
     */
    public WaferMapGenerator(GeneratorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.shapes = new PatternShapes(config);
    }

    /** @return the configuration */
    public GeneratorConfig config() {
        return config;
    }

    /**
     * Generates one single-class map.
     *
     * @param pattern the class; {@link DefectPattern#NONE} gives background only
     * @param seed    the seed
     * @return the map with its truth
     */
    public SyntheticWafer generate(DefectPattern pattern, long seed) {
        Objects.requireNonNull(pattern, "pattern");
        return generateMixed(pattern == DefectPattern.NONE ? Set.of() : EnumSet.of(pattern), seed);
    }

    /**
     * Generates one map carrying several patterns at once (empty set: "none"). Any combination is
     * allowed here; {@link #mixedWm38Combinations()} lists the 38 MixedWM38 uses.
     *
     * @param patterns the patterns, without {@link DefectPattern#NONE}
     * @param seed     the seed
     * @return the map with multi-hot truth and per-pattern masks
     */
    public SyntheticWafer generateMixed(Set<DefectPattern> patterns, long seed) {
        Objects.requireNonNull(patterns, "patterns");
        if (patterns.contains(DefectPattern.NONE)) {
            throw new IllegalArgumentException("patterns must not contain NONE; pass an empty set for a 'none' map");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Calibration cal = config.calibration();
        MapFrame f = cal == null ? MapFrame.uncalibrated(config, rng) : MapFrame.calibrated(config, cal, rng);
        int rows = f.rows;
        int cols = f.cols;
        int n = rows * cols;
        boolean[] fail = new boolean[n];
        EnumMap<DefectPattern, boolean[]> masks = new EnumMap<>(DefectPattern.class);
        List<boolean[]> placed = new ArrayList<>();
        List<boolean[]> placedNear = new ArrayList<>();   // the same regions grown by one die
        for (DefectPattern p : EnumSet.copyOf(patterns.isEmpty() ? EnumSet.noneOf(DefectPattern.class) : patterns)) {
            boolean[] m = null;
            boolean[] region = null;
            boolean[] best = null;
            boolean[] bestRegion = null;
            double bestOverlap = Double.POSITIVE_INFINITY;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                region = new boolean[n];
                m = shapes.draw(p, f, rng, region);
                if (count(m) < Math.min(MIN_PATTERN_DIES, f.onCount)) {
                    continue;
                }
                double overlap = wholeWafer(p) || config.maxOverlap() >= 1 ? 0 : overlap(region, placed, placedNear, f);
                if (overlap <= config.maxOverlap()) {
                    best = m;
                    bestRegion = region;
                    break;
                }
                if (overlap < bestOverlap) {
                    bestOverlap = overlap;
                    best = m;
                    bestRegion = region;
                }
            }
            if (best != null) {
                m = best;
                region = bestRegion;
            }
            masks.put(p, m);
            if (!wholeWafer(p)) {
                placed.add(region);
                placedNear.add(dilate(region, f));
            }
            for (int i = 0; i < n; i++) {
                fail[i] |= m[i];
            }
        }
        if (cal == null) {
            double bg = config.background().draw(rng);
            for (int i = 0; i < n; i++) {
                if (f.on[i] && rng.nextDouble() < bg) {
                    fail[i] = true;
                }
            }
        } else {
            calibratedBackground(cal, f, rng, fail);
        }
        WaferMap.Builder b = WaferMap.builder(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (f.on[i]) {
                    b.state(r, c, fail[i] ? DieState.FAIL : DieState.GOOD);
                }
            }
        }
        return new SyntheticWafer(b.build(), patterns, masks, seed);
    }

    /**
     * A balanced single-label data set: {@code perClass} maps of each of the nine WM-811K classes,
     * in shuffled order.
     *
     * @param perClass maps per class, at least 1
     * @param seed     data-set seed
     * @return {@code 9 * perClass} maps
     */
    public List<SyntheticWafer> balanced(int perClass, long seed) {
        return dataset(List.of(DefectPattern.values()), perClass, seed);
    }

    /**
     * A single-label data set of the given classes, {@code perClass} each, shuffled.
     *
     * @param classes  the classes
     * @param perClass maps per class, at least 1
     * @param seed     data-set seed
     * @return the maps
     */
    public List<SyntheticWafer> dataset(List<DefectPattern> classes, int perClass, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass must be >= 1, got " + perClass);
        }
        List<Set<DefectPattern>> sets = new ArrayList<>();
        for (DefectPattern p : classes) {
            sets.add(p == DefectPattern.NONE ? Set.of() : EnumSet.of(p));
        }
        return build(sets, perClass, seed);
    }

    /**
     * A MixedWM38-style data set: {@code perCombination} maps of each of the 38 combinations of
     * {@link #mixedWm38Combinations()}, shuffled.
     *
     * @param perCombination maps per combination, at least 1
     * @param seed           data-set seed
     * @return {@code 38 * perCombination} maps
     */
    public List<SyntheticWafer> mixedWm38(int perCombination, long seed) {
        if (perCombination < 1) {
            throw new IllegalArgumentException("perCombination must be >= 1, got " + perCombination);
        }
        return build(mixedWm38Combinations(), perCombination, seed);
    }

    /**
     * The 38 pattern combinations of MixedWM38 (Wang et al. 2020): normal (empty set), the eight
     * single types, then 13 two-type, 12 three-type and 4 four-type mixtures of Center, Donut,
     * Edge-Loc, Edge-Ring, Loc and Scratch, never Center with Donut nor Edge-Loc with Edge-Ring.
     *
     * @return the 38 combinations, in that order
     */
    public static List<Set<DefectPattern>> mixedWm38Combinations() {
        List<Set<DefectPattern>> out = new ArrayList<>();
        out.add(Set.of());
        for (DefectPattern p : DefectPattern.mixedWm38Types()) {
            out.add(EnumSet.of(p));
        }
        List<DefectPattern> base = List.of(DefectPattern.CENTER, DefectPattern.DONUT, DefectPattern.EDGE_LOC,
                DefectPattern.EDGE_RING, DefectPattern.LOC, DefectPattern.SCRATCH);
        for (int k = 2; k <= 4; k++) {
            for (int mask = 0; mask < (1 << base.size()); mask++) {
                if (Integer.bitCount(mask) != k) {
                    continue;
                }
                EnumSet<DefectPattern> s = EnumSet.noneOf(DefectPattern.class);
                for (int i = 0; i < base.size(); i++) {
                    if ((mask & (1 << i)) != 0) {
                        s.add(base.get(i));
                    }
                }
                if (s.contains(DefectPattern.CENTER) && s.contains(DefectPattern.DONUT)
                        || s.contains(DefectPattern.EDGE_LOC) && s.contains(DefectPattern.EDGE_RING)) {
                    continue;
                }
                out.add(Collections.unmodifiableSet(s));
            }
        }
        return List.copyOf(out);
    }

    private List<SyntheticWafer> build(List<Set<DefectPattern>> sets, int per, long seed) {
        List<long[]> jobs = new ArrayList<>();
        long k = 0;
        for (int s = 0; s < sets.size(); s++) {
            for (int i = 0; i < per; i++) {
                jobs.add(new long[] {s, mix(seed, k++)});
            }
        }
        Collections.shuffle(jobs, new Random(seed));
        List<SyntheticWafer> out = new ArrayList<>(jobs.size());
        for (long[] j : jobs) {
            out.add(generateMixed(sets.get((int) j[0]), j[1]));
        }
        return out;
    }

    /**
     * Derives the seed of the {@code index}-th map of a data set (SplitMix64 finaliser).
     *
     * @param seed  data-set seed
     * @param index map index
     * @return a well-mixed per-map seed
     */
    public static long mix(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    /**
     * Log-normal background rate, part of it in clumps of 2-6 adjacent dies, plus extra failures
     * of the outermost dies (a third of that rate on the next ring in).
     */
    private void calibratedBackground(Calibration cal, MapFrame f, SplittableRandom rng, boolean[] fail) {
        double bg = cal.backgroundMedian() * Math.exp(cal.backgroundSigma() * rng.nextGaussian());
        bg = Math.max(config.background().min(), Math.min(config.background().max(), bg));
        double share = cal.clusterShare().draw(rng);
        double edgeRate = cal.edgeFailRate().draw(rng);
        int n = f.rows * f.cols;
        int[] onIdx = new int[f.onCount];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (f.on[i]) {
                onIdx[k++] = i;
            }
        }
        double single = bg * (1 - share);
        for (int i : onIdx) {
            if (rng.nextDouble() < single) {
                fail[i] = true;
            }
        }
        double clumped = bg * share * f.onCount;
        int clumps = (int) Math.floor(clumped / 4.0);
        if (rng.nextDouble() < clumped / 4.0 - clumps) {
            clumps++;
        }
        for (int q = 0; q < clumps && f.onCount > 0; q++) {
            int at = onIdx[rng.nextInt(f.onCount)];
            int size = 2 + rng.nextInt(5);
            for (int s = 0; s < size; s++) {
                fail[at] = true;
                int r = at / f.cols + (rng.nextInt(3) - 1);
                int c = at % f.cols + (rng.nextInt(3) - 1);
                if (r >= 0 && r < f.rows && c >= 0 && c < f.cols && f.on[r * f.cols + c]) {
                    at = r * f.cols + c;
                }
            }
        }
        if (edgeRate > 0) {
            boolean[] edge = new boolean[n];
            for (int i : onIdx) {
                edge[i] = !f.onAt(i / f.cols - 1, i % f.cols) || !f.onAt(i / f.cols + 1, i % f.cols)
                        || !f.onAt(i / f.cols, i % f.cols - 1) || !f.onAt(i / f.cols, i % f.cols + 1);
            }
            for (int i : onIdx) {
                int r = i / f.cols;
                int c = i % f.cols;
                double p;
                if (edge[i]) {
                    p = edgeRate;
                } else {
                    boolean second = r > 0 && edge[i - f.cols] || r < f.rows - 1 && edge[i + f.cols]
                            || c > 0 && edge[i - 1] || c < f.cols - 1 && edge[i + 1];
                    p = second ? edgeRate / 3 : 0;
                }
                if (p > 0 && rng.nextDouble() < p) {
                    fail[i] = true;
                }
            }
        }
    }

    /** Near-full and Random cover the whole wafer: a texture, not a region that can hide another. */
    private static boolean wholeWafer(DefectPattern p) {
        return p == DefectPattern.NEAR_FULL || p == DefectPattern.RANDOM;
    }

    /**
     * The largest fraction of one pattern's on-wafer region that lies inside or next to (one of the
     * 8 neighbouring dies) the other patterns' regions, over the candidate and every pattern placed
     * before it.
     */
    private static double overlap(boolean[] candidate, List<boolean[]> placed, List<boolean[]> placedNear, MapFrame f) {
        if (placed.isEmpty()) {
            return 0;
        }
        List<boolean[]> all = new ArrayList<>(placed);
        all.add(candidate);
        List<boolean[]> near = new ArrayList<>(placedNear);
        near.add(dilate(candidate, f));
        double worst = 0;
        for (int k = 0; k < all.size(); k++) {
            boolean[] own = all.get(k);
            int size = 0;
            int covered = 0;
            for (int i = 0; i < own.length; i++) {
                if (!own[i] || !f.on[i]) {
                    continue;
                }
                size++;
                for (int j = 0; j < all.size(); j++) {
                    if (j != k && near.get(j)[i]) {
                        covered++;
                        break;
                    }
                }
            }
            if (size > 0) {
                worst = Math.max(worst, (double) covered / size);
            }
        }
        return worst;
    }

    /** The region grown by one die in each of the 8 directions. */
    private static boolean[] dilate(boolean[] region, MapFrame f) {
        boolean[] out = new boolean[region.length];
        for (int r = 0; r < f.rows; r++) {
            for (int c = 0; c < f.cols; c++) {
                if (!region[r * f.cols + c]) {
                    continue;
                }
                for (int dr = Math.max(0, r - 1); dr <= Math.min(f.rows - 1, r + 1); dr++) {
                    for (int dc = Math.max(0, c - 1); dc <= Math.min(f.cols - 1, c + 1); dc++) {
                        out[dr * f.cols + dc] = true;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Convenience for callers that want the patterns as a map per wafer.
     *
     * @param wafers generated wafers
     * @return their single-label class names, in order
     */
    public static List<String> labels(List<SyntheticWafer> wafers) {
        List<String> out = new ArrayList<>(wafers.size());
        for (SyntheticWafer w : wafers) {
            out.add(w.label());
        }
        return out;
    }

    /**
     * @param wafers generated wafers
     * @return their maps, in order
     */
    public static List<WaferMap> maps(List<SyntheticWafer> wafers) {
        List<WaferMap> out = new ArrayList<>(wafers.size());
        for (SyntheticWafer w : wafers) {
            out.add(w.map());
        }
        return out;
    }

    /**
     * Counts maps per label.
     *
     * @param wafers generated wafers
     * @return label to count, in first-seen order
     */
    public static Map<String, Integer> labelCounts(List<SyntheticWafer> wafers) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (SyntheticWafer w : wafers) {
            out.merge(w.label(), 1, Integer::sum);
        }
        return out;
    }
}
