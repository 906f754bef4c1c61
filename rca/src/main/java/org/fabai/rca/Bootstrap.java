package org.fabai.rca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Bootstrap confidence for any ranking of causes: the method is rerun on resamples (with
 * replacement) of the rows; for each cause we report how often it ranked first and in the top
 * three, and a percentile interval of its score (a cause missing from a replicate's ranking
 * contributes no score). Stateless and thread-safe (the method must be too if called in parallel
 * elsewhere; here replicates run in sequence).
 */
public final class Bootstrap {

    /**
     * Confidence of one cause.
     *
     * Immutable and thread-safe.
     *
     * @param name        the cause
     * @param firstRate   fraction of replicates ranking it first
     * @param top3Rate    fraction ranking it in the first three
     * @param scoreLow    lower percentile of its score
     * @param scoreMedian median score
     * @param scoreHigh   upper percentile of its score
     */
    public record CauseConfidence(String name, double firstRate, double top3Rate, double scoreLow, double scoreMedian,
                                  double scoreHigh) {
    }

    private Bootstrap() {
    }

    /**
     * @param rows       number of rows to resample
     * @param replicates bootstrap replicates, at least 2
     * @param level      interval coverage in (0, 1), e.g. 0.9
     * @param seed       random seed
     * @param method     the ranking method, given the resampled row indices
     * @return confidence per cause, most often first first
     */
    public static List<CauseConfidence> rankings(int rows, int replicates, double level, long seed,
                                                 Function<int[], List<Cause>> method) {
        Objects.requireNonNull(method, "method");
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        if (replicates < 2) {
            throw new IllegalArgumentException("replicates must be >= 2, got " + replicates);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, int[]> ranks = new HashMap<>();
        Map<String, List<Double>> scores = new HashMap<>();
        for (int b = 0; b < replicates; b++) {
            int[] idx = new int[rows];
            for (int i = 0; i < rows; i++) {
                idx[i] = rnd.nextInt(rows);
            }
            List<Cause> r = method.apply(idx);
            for (int i = 0; i < r.size(); i++) {
                Cause c = r.get(i);
                int[] k = ranks.computeIfAbsent(c.name(), x -> new int[2]);
                if (i == 0) {
                    k[0]++;
                }
                if (i < 3) {
                    k[1]++;
                }
                scores.computeIfAbsent(c.name(), x -> new ArrayList<>()).add(c.score());
            }
        }
        List<CauseConfidence> out = new ArrayList<>();
        double a = (1 - level) / 2;
        for (Map.Entry<String, List<Double>> e : scores.entrySet()) {
            double[] s = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            int[] k = ranks.get(e.getKey());
            out.add(new CauseConfidence(e.getKey(), (double) k[0] / replicates, (double) k[1] / replicates,
                    quantile(s, a), quantile(s, 0.5), quantile(s, 1 - a)));
        }
        out.sort(Comparator.comparingDouble((CauseConfidence c) -> -c.firstRate())
                .thenComparingDouble(c -> -c.top3Rate()).thenComparingDouble(c -> -c.scoreMedian())
                .thenComparing(CauseConfidence::name));
        return out;
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
