package org.fabai.rca.scm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.rca.Cause;

/**
 * Attribution of an anomaly to its root causes by Shapley values over noise terms (Budhathoki,
 * Minorics, Blöbaum and Janzing, "Causal structure-based root cause analysis of outliers", ICML
 * 2022). The anomalous row's noise terms are recovered through the fitted mechanisms; the value of
 * a coalition S of nodes is {@code log P(g(target) >= g(x) | noise of S fixed to the row's)}, the
 * others drawn from their noise distributions (a fixed background sample, so coalitions share
 * random numbers); Shapley values are estimated from random permutations and their reverses.
 * With {@code g} the deviation from the training median in the anomalous tail, the contributions
 * add up to the outlier score {@code -log P(g(X) >= g(x))} (up to sampling error).
 *
 * <p>Stateless and thread-safe.
 */
public final class AnomalyAttribution {

    private AnomalyAttribution() {
    }

    /**
     * Attributes several anomalous rows and several targets in one call (the DoWhy-gcm way: fit
     * the model on reference data, then explain each anomalous row against it).
     *
     * @param scm     the model, fitted on reference (normal) data
     * @param targets the targets
     * @param rows    anomalous rows, in the model's table column order
     * @param config  configuration
     * @return one attribution per (row, target), rows outer
     */
    public static List<Attribution> explainAll(StructuralCausalModel scm, List<String> targets, double[][] rows,
                                               AttributionConfig config) {
        List<Attribution> out = new ArrayList<>();
        for (double[] r : rows) {
            for (String t : targets) {
                out.add(explain(scm, t, r, config));
            }
        }
        return out;
    }

    /**
     * @param scm    the fitted model
     * @param target target node
     * @param row    the anomalous row, in the model's table column order
     * @param config configuration
     * @return the attribution
     */
    public static Attribution explain(StructuralCausalModel scm, String target, double[] row, AttributionConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        for (int j = 0; j < row.length; j++) {
            if (!Double.isFinite(row[j])) {
                throw new IllegalArgumentException("row value of column " + j + " is not finite: " + row[j]);
            }
        }
        if (row.length != scm.columns().size()) {
            throw new IllegalArgumentException("row has " + row.length + " values, the model's table has "
                    + scm.columns().size() + " columns");
        }
        List<String> rel = new ArrayList<>();
        java.util.Set<String> anc = scm.ancestors(target);
        for (String v : scm.nodes()) {
            if (anc.contains(v) || v.equals(target)) {
                rel.add(v);
            }
        }
        if (rel.size() > 63) {
            throw new IllegalArgumentException("attribution supports at most 63 upstream nodes, target '" + target
                    + "' has " + rel.size());
        }
        int m = rel.size();
        Mechanism[] mech = new Mechanism[m];
        int[] col = new int[m];
        for (int i = 0; i < m; i++) {
            mech[i] = scm.mechanism(rel.get(i));
            col[i] = scm.column(rel.get(i));
        }
        SplittableRandom rnd = new SplittableRandom(config.seed());
        double[] obsNoise = new double[m];
        for (int i = 0; i < m; i++) {
            obsNoise[i] = mech[i].noise(row, rnd.nextDouble());
        }
        int k = config.samples();
        double[][] bg = new double[k][m];
        for (int s = 0; s < k; s++) {
            for (int i = 0; i < m; i++) {
                bg[s][i] = mech[i].noiseAt(rnd.nextDouble());
            }
        }
        double median = scm.trainingMedian(target);
        int tcol = scm.column(target);
        double gObs = g(row[tcol], median, config.tail());
        double[] train = scm.sortedTrainingValues(target);
        int atLeast = 0;
        for (double v : train) {
            if (g(v, median, config.tail()) >= gObs) {
                atLeast++;
            }
        }
        double itScore = -Math.log((1.0 + atLeast) / (train.length + 1.0));
        Map<Long, Double> cache = new HashMap<>();
        double[] work = row.clone();
        double[] phi = ShapleySampler.antithetic(m, config.permutations(), rnd,
                mask -> value(mask, cache, mech, col, obsNoise, bg, work, tcol, gObs, median, config.tail()));
        List<Cause> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            out.add(new Cause(rel.get(i), phi[i]));
        }
        out.sort(Comparator.comparingDouble(Cause::score).reversed().thenComparing(Cause::name));
        long all = m == 64 ? -1L : (1L << m) - 1;
        double vAll = value(all, cache, mech, col, obsNoise, bg, work, tcol, gObs, median, config.tail());
        double vNone = value(0L, cache, mech, col, obsNoise, bg, work, tcol, gObs, median, config.tail());
        double p = Math.exp(vNone);
        double mcError = Math.sqrt((1 - p) / (p * k));
        return new Attribution(target, vAll - vNone, out, itScore, mcError);
    }

    private static double g(double v, double median, AttributionConfig.Tail tail) {
        return switch (tail) {
            case HIGH -> v - median;
            case LOW -> median - v;
            case BOTH -> Math.abs(v - median);
        };
    }

    private static double value(long mask, Map<Long, Double> cache, Mechanism[] mech, int[] col, double[] obs,
                                double[][] bg, double[] work, int tcol, double gObs, double median,
                                AttributionConfig.Tail tail) {
        Double c = cache.get(mask);
        if (c != null) {
            return c;
        }
        int hits = 0;
        for (double[] b : bg) {
            for (int i = 0; i < mech.length; i++) {
                double noise = (mask & (1L << i)) != 0 ? obs[i] : b[i];
                work[col[i]] = mech[i].value(work, noise);
            }
            if (g(work[tcol], median, tail) >= gObs - 1e-9 * (1 + Math.abs(gObs))) {
                hits++;
            }
        }
        double v = Math.log((1.0 + hits) / (bg.length + 1.0));
        cache.put(mask, v);
        return v;
    }
}
