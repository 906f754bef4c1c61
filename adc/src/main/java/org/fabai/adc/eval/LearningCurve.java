package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fabai.adc.model.WaferMapClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning curves: macro-F1 on a fixed test set of each model family trained on growing,
 * stratified random subsets of a pool, repeated over seeds; answers "which model wins at my data
 * size".
 *
 * <p>For training size {@code n} and repeat {@code r}, the subset is drawn with seed
 * {@code mix(config.seed, n, r)}: each class gets {@code round(n * share)} maps (at least 2 when
 * the pool has them), chosen uniformly without replacement; the model is fitted with the same
 * seed, and scored by macro-F1 of its most probable class (the reject rule is not applied) on the
 * test set. Every family sees the same subsets.
 *
 * <p>Stateless and thread-safe; a run is single-threaded (learners may use several threads).
 */
public final class LearningCurve {

    private static final Logger LOG = LoggerFactory.getLogger(LearningCurve.class);

    private LearningCurve() {
    }

    /**
     * Configuration of a learning-curve run. Immutable and thread-safe.
     *
     * @param sizes   training-set sizes, ascending, each at least 2
     * @param repeats subsets (seeds) per size, at least 1
     * @param seed    base seed
     */
    public record Config(List<Integer> sizes, int repeats, long seed) {
        /** Validates. */
        public Config {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty()) {
                throw new IllegalArgumentException("sizes must not be empty");
            }
            for (int i = 0; i < sizes.size(); i++) {
                if (sizes.get(i) < 2) {
                    throw new IllegalArgumentException("sizes must be >= 2, got " + sizes.get(i));
                }
                if (i > 0 && sizes.get(i) <= sizes.get(i - 1)) {
                    throw new IllegalArgumentException("sizes must be strictly ascending, got " + sizes);
                }
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
            }
        }
    }

    /**
     * One measured point. Immutable and thread-safe.
     *
     * @param family  family name
     * @param size    training-set size
     * @param repeat  repeat index
     * @param seed    the seed used for subset and fit
     * @param macroF1 macro-F1 on the test set
     * @param fitSeconds wall-clock seconds of the fit (informative only; not a benchmark)
     */
    public record Point(String family, int size, int repeat, long seed, double macroF1, double fitSeconds) {
    }

    /**
     * Runs the curve.
     *
     * @param families model families to compare
     * @param pool     maps to draw training subsets from (at least the largest size)
     * @param test     held-out test maps
     * @param config   sizes, repeats, seed
     * @return the measured points
     */
    public static Result run(List<ModelFamily> families, LabelledMaps pool, LabelledMaps test, Config config) {
        Objects.requireNonNull(families, "families");
        int largest = config.sizes().get(config.sizes().size() - 1);
        if (largest > pool.size()) {
            throw new IllegalArgumentException("largest training size " + largest + " exceeds the pool of " + pool.size() + " maps");
        }
        List<String> classes = test.classes();
        List<Point> points = new ArrayList<>();
        for (int size : config.sizes()) {
            for (int r = 0; r < config.repeats(); r++) {
                long seed = mixSeed(config.seed(), size, r);
                LabelledMaps train = pool.subset(stratified(pool.labels(), size, seed));
                for (ModelFamily f : families) {
                    long t0 = System.nanoTime();
                    try (WaferMapClassifier model = f.fit(train, seed)) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        List<String> pred = f.predictBest(model, test);
                        List<String> cls = new ArrayList<>(classes);
                        for (String c : model.classNames()) {
                            if (!cls.contains(c)) {
                                cls.add(c);
                            }
                        }
                        double f1 = ConfusionMatrix.of(cls, test.labels(), pred).macroF1();
                        points.add(new Point(f.name(), size, r, seed, f1, secs));
                        LOG.info("learning curve: {} n={} repeat={} macro-F1={} fit {}s", f.name(), size, r,
                                String.format(java.util.Locale.ROOT, "%.4f", f1), String.format(java.util.Locale.ROOT, "%.2f", secs));
                    } catch (Exception e) {
                        if (e instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException("closing a " + f.name() + " model failed", e);
                    }
                }
            }
        }
        return new Result(points, config);
    }

    /**
     * The learning curve on real labelled maps, split the way a fab's data splits: for each repeat
     * the lots are dealt into {@code folds} folds ({@link CrossValidation#groupFolds}, seed
     * {@code config.seed() + repeat}); one fold's lots are the test set and the training maps of each
     * size are drawn (stratified) from the other lots' maps only. No lot is ever on both sides.
     *
     * @param families the model families
     * @param all      labelled maps
     * @param groups   per map, its lot (empty: a group of its own)
     * @param folds    folds per repeat (the test set is one of them), at least 2
     * @param config   sizes (each at most the smallest pool), repeats and seed
     * @return all points
     */
    public static Result runGrouped(List<ModelFamily> families, LabelledMaps all, List<String> groups, int folds,
                                    Config config) {
        if (groups.size() != all.size()) {
            throw new IllegalArgumentException("groups has " + groups.size() + " entries, maps " + all.size());
        }
        List<Point> points = new ArrayList<>();
        for (int r = 0; r < config.repeats(); r++) {
            int[] fold = CrossValidation.groupFolds(groups, folds, config.seed() + r);
            List<Integer> poolIdx = new ArrayList<>();
            List<Integer> testIdx = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                (fold[i] == 0 ? testIdx : poolIdx).add(i);
            }
            LabelledMaps pool = all.subset(poolIdx.stream().mapToInt(Integer::intValue).toArray());
            LabelledMaps test = all.subset(testIdx.stream().mapToInt(Integer::intValue).toArray());
            int largest = config.sizes().get(config.sizes().size() - 1);
            if (largest > pool.size()) {
                throw new IllegalArgumentException("largest training size " + largest + " exceeds repeat " + r
                        + "'s pool of " + pool.size() + " maps (the lots outside its test fold)");
            }
            for (int size : config.sizes()) {
                long seed = mixSeed(config.seed(), size, r);
                LabelledMaps train = pool.subset(stratified(pool.labels(), size, seed));
                for (ModelFamily f : families) {
                    points.add(point(f, train, test, size, r, seed));
                }
            }
        }
        return new Result(points, config);
    }

    private static Point point(ModelFamily f, LabelledMaps train, LabelledMaps test, int size, int r, long seed) {
        long t0 = System.nanoTime();
        try (WaferMapClassifier model = f.fit(train, seed)) {
            double secs = (System.nanoTime() - t0) / 1e9;
            List<String> pred = f.predictBest(model, test);
            List<String> cls = new ArrayList<>(test.classes());
            for (String c : model.classNames()) {
                if (!cls.contains(c)) {
                    cls.add(c);
                }
            }
            for (String c : train.classes()) {
                if (!cls.contains(c)) {
                    cls.add(c);
                }
            }
            double f1 = ConfusionMatrix.of(cls, test.labels(), pred).macroF1();
            LOG.info("learning curve: {} n={} repeat={} macro-F1={} fit {}s", f.name(), size, r,
                    String.format(java.util.Locale.ROOT, "%.4f", f1), String.format(java.util.Locale.ROOT, "%.2f", secs));
            return new Point(f.name(), size, r, seed, f1, secs);
        }
    }

    static long mixSeed(long seed, int size, int repeat) {
        return org.fabai.adc.synth.WaferMapGenerator.mix(seed ^ (31L * size), repeat);
    }

    /**
     * Draws a stratified subset.
     *
     * @param labels pool labels
     * @param n      subset size
     * @param seed   seed
     * @return pool indices, shuffled
     */
    public static int[] stratified(List<String> labels, int n, long seed) {
        if (n > labels.size()) {
            throw new IllegalArgumentException("subset size " + n + " exceeds pool size " + labels.size());
        }
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byClass.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> groups = new ArrayList<>(byClass.values());
        int[] k = new int[groups.size()];
        int sum = 0;
        for (int g = 0; g < k.length; g++) {
            int size = groups.get(g).size();
            k[g] = Math.min(size, Math.max((int) Math.round((double) n * size / labels.size()), Math.min(2, size)));
            sum += k[g];
        }
        while (sum != n) {
            // shrink the group furthest above its share, or grow the one furthest below it
            int pick = -1;
            double bestGap = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < k.length; g++) {
                int size = groups.get(g).size();
                double share = (double) n * size / labels.size();
                double gap = sum > n ? k[g] - share : share - k[g];
                boolean ok = sum > n ? k[g] > Math.min(2, size) || (k[g] > 1 && allAtMinimum(k, groups)) : k[g] < size;
                if (ok && gap > bestGap) {
                    bestGap = gap;
                    pick = g;
                }
            }
            if (pick < 0) {
                break;
            }
            k[pick] += sum > n ? -1 : 1;
            sum += sum > n ? -1 : 1;
        }
        List<Integer> chosen = new ArrayList<>();
        for (int g = 0; g < k.length; g++) {
            List<Integer> members = groups.get(g);
            shuffle(members, rng);
            chosen.addAll(members.subList(0, k[g]));
        }
        shuffle(chosen, rng);
        int[] out = new int[chosen.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = chosen.get(i);
        }
        return out;
    }

    private static boolean allAtMinimum(int[] k, List<List<Integer>> groups) {
        for (int g = 0; g < k.length; g++) {
            if (k[g] > Math.min(2, groups.get(g).size())) {
                return false;
            }
        }
        return true;
    }

    private static void shuffle(List<Integer> l, SplittableRandom rng) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    /**
     * The measured points of a learning curve, with summaries.
     *
     * <p>Immutable and thread-safe.
     */
    public static final class Result {
        private final List<Point> points;
        private final Config config;

        /**
         * @param points measured points
         * @param config the configuration they were measured with
         */
        public Result(List<Point> points, Config config) {
            this.points = List.copyOf(points);
            this.config = config;
        }

        /** @return every measured point */
        public List<Point> points() {
            return points;
        }

        /** @return the configuration */
        public Config config() {
            return config;
        }

        /** @return family names in first-seen order */
        public List<String> families() {
            List<String> out = new ArrayList<>();
            for (Point p : points) {
                if (!out.contains(p.family())) {
                    out.add(p.family());
                }
            }
            return out;
        }

        private double[] values(String family, int size) {
            return points.stream().filter(p -> p.family().equals(family) && p.size() == size)
                    .mapToDouble(Point::macroF1).toArray();
        }

        /**
         * @param family family name
         * @param size   training size
         * @return mean macro-F1 over repeats (NaN if not measured)
         */
        public double mean(String family, int size) {
            double[] v = values(family, size);
            return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
        }

        /**
         * @param family family name
         * @param size   training size
         * @return sample standard deviation of macro-F1 over repeats (0 for one repeat)
         */
        public double std(String family, int size) {
            double[] v = values(family, size);
            if (v.length < 2) {
                return 0;
            }
            double m = mean(family, size);
            double s = 0;
            for (double x : v) {
                s += (x - m) * (x - m);
            }
            return Math.sqrt(s / (v.length - 1));
        }

        /**
         * @param size a measured training size
         * @return the family with the highest mean macro-F1 at that size
         */
        public String winnerAt(int size) {
            String best = null;
            double bv = Double.NEGATIVE_INFINITY;
            for (String f : families()) {
                double m = mean(f, size);
                if (m > bv) {
                    bv = m;
                    best = f;
                }
            }
            return best;
        }

        /**
         * The smallest measured size from which {@code challenger}'s mean macro-F1 exceeds
         * {@code incumbent}'s at that and every larger measured size.
         *
         * @param challenger family that may overtake
         * @param incumbent  family that may be overtaken
         * @return the size, or empty if the challenger does not stay ahead at the largest size
         */
        public java.util.OptionalInt overtakeSize(String challenger, String incumbent) {
            List<Integer> sizes = config.sizes();
            int from = -1;
            for (int i = sizes.size() - 1; i >= 0; i--) {
                if (mean(challenger, sizes.get(i)) > mean(incumbent, sizes.get(i))) {
                    from = sizes.get(i);
                } else {
                    break;
                }
            }
            return from < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(from);
        }

        /**
         * A plain-text table (mean ± std per family and size) and, per size, the winner.
         *
         * @return the summary
         */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%8s", "n"));
            List<String> fams = families();
            for (String f : fams) {
                sb.append(String.format(java.util.Locale.ROOT, " %24s", f));
            }
            sb.append("   winner\n");
            for (int n : config.sizes()) {
                sb.append(String.format(java.util.Locale.ROOT, "%8d", n));
                for (String f : fams) {
                    sb.append(String.format(java.util.Locale.ROOT, " %16.4f ± %.4f", mean(f, n), std(f, n)));
                }
                sb.append("   ").append(winnerAt(n)).append('\n');
            }
            for (String a : fams) {
                for (String b : fams) {
                    if (!a.equals(b)) {
                        java.util.OptionalInt s = overtakeSize(a, b);
                        if (s.isPresent() && s.getAsInt() > config.sizes().get(0)) {
                            sb.append(a).append(" overtakes ").append(b).append(" from n=").append(s.getAsInt()).append('\n');
                        }
                    }
                }
            }
            return sb.toString();
        }
    }
}
