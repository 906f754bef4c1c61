package org.fabai.adc.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** A generator with {@link GeneratorConfig#defaults()}. */
    public WaferMapGenerator() {
        this(GeneratorConfig.defaults());
    }

    /**
     * @param config the configuration
     */
    public WaferMapGenerator(GeneratorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
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
        Frame f = cal == null ? uncalibratedFrame(rng) : calibratedFrame(cal, rng);
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
                m = draw(p, f, rng, region);
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
        Collections.shuffle(jobs, new java.util.Random(seed));
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

    /** Uniform size in [minSize, maxSize], square or not, the wafer the inscribed ellipse. */
    private Frame uncalibratedFrame(SplittableRandom rng) {
        int cols = config.minSize() + rng.nextInt(config.maxSize() - config.minSize() + 1);
        int rows = cols;
        if (rng.nextDouble() < config.nonSquareProbability()) {
            double logA = Math.log(config.maxAspect());
            double aspect = Math.exp((2 * rng.nextDouble() - 1) * logA);
            rows = Math.max(8, Math.min(1024, (int) Math.round(cols * aspect)));
        }
        boolean[] on = new boolean[rows * cols];
        double ax = cols / 2.0;
        double ay = rows / 2.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double u = (c + 0.5 - ax) / ax;
                double v = (ay - r - 0.5) / ay;
                on[r * cols + c] = u * u + v * v <= 1.0;
            }
        }
        return new Frame(rows, cols, on, ax, ay, ax, ay,
                config.rotate() ? rng.nextDouble() * 2 * Math.PI : 0.0,
                config.flip() && rng.nextBoolean());
    }

    /** Log-normal size and aspect, shrunk and shifted outline, optional flat, cropped to the wafer. */
    private Frame calibratedFrame(Calibration cal, SplittableRandom rng) {
        boolean wide = rng.nextDouble() < cal.wideShare();
        double spread = wide ? 3 : 1;
        double diameter = cal.sizeMedian() * Math.exp(spread * cal.sizeSigma() * rng.nextGaussian());
        double logMax = Math.log(config.maxAspect());
        double logA = Math.max(-logMax, Math.min(logMax, spread * cal.aspectSigma() * rng.nextGaussian()));
        if (rng.nextDouble() >= config.nonSquareProbability()) {
            logA = 0;
        }
        int cols0 = clampSize(diameter * Math.exp(-logA / 2));
        int rows0 = clampSize(diameter * Math.exp(logA / 2));
        double margin = cal.dieMargin().draw(rng);
        double cx = cols0 / 2.0 + (rng.nextDouble() - 0.5);
        double cy = rows0 / 2.0 + (rng.nextDouble() - 0.5);
        double ax = cols0 / 2.0;
        double ay = rows0 / 2.0;
        boolean flat = rng.nextDouble() < cal.flatProbability();
        double flatDir = rng.nextDouble() * 2 * Math.PI;
        double flatLimit = flat ? 1 - cal.flatDepth().draw(rng) / ((ax + ay) / 2) : Double.POSITIVE_INFINITY;
        double fc = Math.cos(flatDir);
        double fs = Math.sin(flatDir);
        boolean[] on0 = new boolean[rows0 * cols0];
        int r0 = rows0;
        int r1 = -1;
        int c0 = cols0;
        int c1 = -1;
        for (int r = 0; r < rows0; r++) {
            for (int c = 0; c < cols0; c++) {
                double du = (Math.abs(c + 0.5 - cx) + margin) / ax;
                double dv = (Math.abs(r + 0.5 - cy) + margin) / ay;
                double u = (c + 0.5 - cx) / ax;
                double v = (cy - r - 0.5) / ay;
                boolean in = du * du + dv * dv <= 1.0 && u * fc + v * fs <= flatLimit;
                if (in) {
                    on0[r * cols0 + c] = true;
                    r0 = Math.min(r0, r);
                    r1 = Math.max(r1, r);
                    c0 = Math.min(c0, c);
                    c1 = Math.max(c1, c);
                }
            }
        }
        if (r1 < 0 || config.minSize() == config.maxSize()) {
            r0 = 0;
            r1 = rows0 - 1;
            c0 = 0;
            c1 = cols0 - 1;
        }
        int rows = r1 - r0 + 1;
        int cols = c1 - c0 + 1;
        boolean[] on = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(on0, (r + r0) * cols0 + c0, on, r * cols, cols);
        }
        return new Frame(rows, cols, on, cx - c0, cy - r0, ax, ay,
                config.rotate() ? rng.nextDouble() * 2 * Math.PI : 0.0,
                config.flip() && rng.nextBoolean());
    }

    private int clampSize(double side) {
        return (int) Math.max(config.minSize(), Math.min(config.maxSize(), Math.round(side)));
    }

    /**
     * Log-normal background rate, part of it in clumps of 2-6 adjacent dies, plus extra failures
     * of the outermost dies (a third of that rate on the next ring in).
     */
    private void calibratedBackground(Calibration cal, Frame f, SplittableRandom rng, boolean[] fail) {
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

    /** Grid geometry and the pattern frame of one map. */
    private static final class Frame {
        final int rows;
        final int cols;
        final boolean[] on;
        final double[] x;
        final double[] y;
        final int onCount;
        /** Wafer centre (grid units, from the top-left corner) and semi-axes (dies). */
        final double cx;
        final double cy;
        final double ax;
        final double ay;
        /** Size of one die in wafer radii (the smaller of its two sides). */
        final double cell;
        final double cos;
        final double sin;
        final boolean mirror;

        Frame(int rows, int cols, boolean[] on, double cx, double cy, double ax, double ay, double angle, boolean mirror) {
            this.rows = rows;
            this.cols = cols;
            this.on = on;
            this.cx = cx;
            this.cy = cy;
            this.ax = ax;
            this.ay = ay;
            int n = rows * cols;
            x = new double[n];
            y = new double[n];
            this.cos = Math.cos(angle);
            this.sin = Math.sin(angle);
            this.mirror = mirror;
            int cnt = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double u = (c + 0.5 - cx) / ax;
                    double v = (cy - r - 0.5) / ay;
                    if (on[i]) {
                        cnt++;
                    }
                    if (mirror) {
                        u = -u;
                    }
                    x[i] = cos * u - sin * v;
                    y[i] = sin * u + cos * v;
                }
            }
            onCount = cnt;
            cell = 1.0 / Math.max(ax, ay);
        }

        boolean onAt(int r, int c) {
            return r >= 0 && r < rows && c >= 0 && c < cols && on[r * cols + c];
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
    private static double overlap(boolean[] candidate, List<boolean[]> placed, List<boolean[]> placedNear, Frame f) {
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
    private static boolean[] dilate(boolean[] region, Frame f) {
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

    /** Draws pattern {@code p}: fills {@code region} with its shape and returns its failing dies. */
    private boolean[] draw(DefectPattern p, Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double density = q.patternDensity().draw(rng);
        double[] modulation = null;
        switch (p) {
            case CENTER -> center(f, rng, region);
            case DONUT -> donut(f, rng, region);
            case EDGE_LOC -> edgeLoc(f, rng, region);
            case EDGE_RING -> edgeRing(f, rng, region);
            case LOC -> loc(f, rng, region);
            case NEAR_FULL -> {
                density = q.nearFullRate().draw(rng);
                System.arraycopy(f.on, 0, region, 0, n);
            }
            case RANDOM -> {
                density = q.randomRate().draw(rng);
                System.arraycopy(f.on, 0, region, 0, n);
                if (config.calibration() != null) {
                    modulation = blotches(f, rng);
                }
            }
            case SCRATCH -> {
                density = q.scratchDensity().draw(rng);
                scratch(f, rng, region);
            }
            case NONE -> throw new IllegalArgumentException("NONE is not a drawable pattern");
            default -> throw new IllegalStateException("unhandled pattern " + p);
        }
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = region[i] && f.on[i] && rng.nextDouble() < (modulation == null ? density : density * modulation[i]);
        }
        return mask;
    }

    /** Center: a disc near the centre. */
    private void center(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double off = q.centerOffset().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = off * Math.cos(a);
        double cy = off * Math.sin(a);
        double rad = Math.max(q.centerRadius().draw(rng), 1.5 * f.cell);
        for (int i = 0; i < n; i++) {
            region[i] = sq(f.x[i] - cx) + sq(f.y[i] - cy) <= rad * rad;
        }
    }

    /** Donut: a ring around a point near the centre, open on one side. */
    private void donut(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double off = q.donutOffset().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = off * Math.cos(a);
        double cy = off * Math.sin(a);
        double inner = q.donutInnerRadius().draw(rng);
        double width = Math.max(q.donutWidth().draw(rng), 1.2 * f.cell);
        double arc = Math.toRadians(q.donutArc().draw(rng));
        double gapDir = rng.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double dx = f.x[i] - cx;
            double dy = f.y[i] - cy;
            double r = Math.hypot(dx, dy);
            region[i] = r >= inner && r < inner + width && angularDistance(Math.atan2(dy, dx), gapDir + Math.PI) <= arc / 2;
        }
    }

    /** Edge-Loc: a shallow arc of the edge, or a blob centred on the edge. */
    private void edgeLoc(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double depth = Math.max(q.edgeLocDepth().draw(rng), 1.5 * f.cell);
        double arc = Math.toRadians(q.edgeLocArc().draw(rng));
        double dir = rng.nextDouble() * 2 * Math.PI;
        if (rng.nextBoolean()) {
            for (int i = 0; i < n; i++) {
                double r = Math.hypot(f.x[i], f.y[i]);
                region[i] = r >= 1 - depth && angularDistance(Math.atan2(f.y[i], f.x[i]), dir) <= arc / 2;
            }
        } else {
            // calibrated: a blob 1.5-3 depths wide (real Edge-Loc areas are shallow); else as wide as the arc
            double rad = config.calibration() != null ? depth * (1.5 + 1.5 * rng.nextDouble())
                    : Math.max(depth, Math.sin(arc / 2) * 0.8);
            double cx = Math.cos(dir);
            double cy = Math.sin(dir);
            for (int i = 0; i < n; i++) {
                region[i] = sq(f.x[i] - cx) + sq(f.y[i] - cy) <= rad * rad;
            }
        }
    }

    /** Edge-Ring: a band along the edge over an arc. */
    private void edgeRing(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double width = Math.max(q.edgeRingWidth().draw(rng), 1.2 * f.cell);
        double arc = Math.toRadians(q.edgeRingArc().draw(rng));
        double dir = rng.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(f.x[i], f.y[i]);
            region[i] = r >= 1 - width && angularDistance(Math.atan2(f.y[i], f.x[i]), dir) <= arc / 2;
        }
    }

    /** Loc: a rotated ellipse somewhere on the wafer (calibrated: stretched along the edge). */
    private void loc(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double d = q.locDistance().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = d * Math.cos(a);
        double cy = d * Math.sin(a);
        double ra = Math.max(q.locRadius().draw(rng), 1.5 * f.cell);
        double rb = Math.max(q.locRadius().draw(rng), 1.5 * f.cell);
        double o = rng.nextDouble() * Math.PI;
        if (config.calibration() != null) {
            // real Loc blobs stretch along the edge: the longer axis roughly tangential
            double longer = Math.max(ra, rb);
            rb = Math.min(ra, rb);
            ra = longer;
            o = a + Math.PI / 2 + 0.5 * rng.nextGaussian();
        }
        double co = Math.cos(o);
        double so = Math.sin(o);
        for (int i = 0; i < n; i++) {
            double dx = f.x[i] - cx;
            double dy = f.y[i] - cy;
            double u = co * dx + so * dy;
            double v = -so * dx + co * dy;
            region[i] = sq(u / ra) + sq(v / rb) <= 1;
        }
    }

    /**
     * Real Random maps are blotchy: three Gaussian bumps (width 0.15-0.45 radii, amplitude
     * -0.6..+1.2) modulate the rate.
     *
     * @return the rate factor per die, at least 0.2
     */
    private static double[] blotches(Frame f, SplittableRandom rng) {
        int n = f.rows * f.cols;
        double[] modulation = new double[n];
        Arrays.fill(modulation, 1.0);
        for (int k = 0; k < 3; k++) {
            double br = Math.sqrt(rng.nextDouble());
            double ba = rng.nextDouble() * 2 * Math.PI;
            double bx = br * Math.cos(ba);
            double by = br * Math.sin(ba);
            double w = 0.15 + 0.3 * rng.nextDouble();
            double amp = -0.6 + 1.8 * rng.nextDouble();
            for (int i = 0; i < n; i++) {
                modulation[i] += amp * Math.exp(-(sq(f.x[i] - bx) + sq(f.y[i] - by)) / (2 * w * w));
            }
        }
        for (int i = 0; i < n; i++) {
            modulation[i] = Math.max(0.2, modulation[i]);
        }
        return modulation;
    }

    private void scratch(Frame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        double len = q.scratchLength().draw(rng);
        double curv = q.scratchCurvature().draw(rng);
        double hw = Math.max(q.scratchHalfWidth().draw(rng), 0.5 * f.cell);
        double gapRate = q.scratchGapRate().draw(rng);
        double step = f.cell * 0.5;
        // start inside the wafer and head roughly across it so that most of the walk stays on-wafer
        double sr = 0.8 * Math.sqrt(rng.nextDouble());
        double sa = rng.nextDouble() * 2 * Math.PI;
        double px = sr * Math.cos(sa);
        double py = sr * Math.sin(sa);
        double heading = rng.nextDouble() * 2 * Math.PI;
        if (px * Math.cos(heading) + py * Math.sin(heading) > 0) {
            heading += Math.PI;
        }
        if (config.calibration() != null) {
            // real scratches lie mostly in the outer half: start at 0.35-0.85 and head roughly along the edge
            sr = 0.35 + 0.5 * rng.nextDouble();
            px = sr * Math.cos(sa);
            py = sr * Math.sin(sa);
            heading = sa + (rng.nextBoolean() ? 0.5 : -0.5) * Math.PI + 1.0 * rng.nextGaussian();
        }
        double gapLeft = 0;
        int steps = (int) Math.ceil(len / step);
        double sd = curv * Math.sqrt(step);
        for (int s = 0; s < steps; s++) {
            if (gapLeft <= 0 && rng.nextDouble() < gapRate * step) {
                gapLeft = (1.5 + 2.5 * rng.nextDouble()) * f.cell;
            }
            if (gapLeft > 0) {
                gapLeft -= step;
            } else {
                stamp(f, px, py, hw, region);
            }
            heading += sd * rng.nextGaussian();
            px += step * Math.cos(heading);
            py += step * Math.sin(heading);
            if (px * px + py * py > 1.1) {
                break;
            }
        }
    }

    /** Marks the cells whose centre (in pattern coordinates) lies within {@code hw} of (px, py). */
    private static void stamp(Frame f, double px, double py, double hw, boolean[] region) {
        // back to grid coordinates: (u, v) = mirror(R^-1 (px, py)), then only a window of cells
        double u = f.cos * px + f.sin * py;
        double v = -f.sin * px + f.cos * py;
        if (f.mirror) {
            u = -u;
        }
        double col = u * f.ax + f.cx - 0.5;
        double row = f.cy - v * f.ay - 0.5;
        int reachC = (int) Math.ceil(hw * f.ax) + 1;
        int reachR = (int) Math.ceil(hw * f.ay) + 1;
        int r0 = Math.max(0, (int) Math.floor(row) - reachR);
        int r1 = Math.min(f.rows - 1, (int) Math.ceil(row) + reachR);
        int c0 = Math.max(0, (int) Math.floor(col) - reachC);
        int c1 = Math.min(f.cols - 1, (int) Math.ceil(col) + reachC);
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int i = r * f.cols + c;
                if (!region[i]) {
                    double dx = f.x[i] - px;
                    double dy = f.y[i] - py;
                    if (dx * dx + dy * dy <= hw * hw) {
                        region[i] = true;
                    }
                }
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Absolute difference of two angles, in [0, pi]. */
    private static double angularDistance(double a, double b) {
        return Math.abs(Math.IEEEremainder(a - b, 2 * Math.PI));
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
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (SyntheticWafer w : wafers) {
            out.merge(w.label(), 1, Integer::sum);
        }
        return out;
    }
}
