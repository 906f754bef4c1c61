package org.fabai.rca.scm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.rca.Cause;
import org.fabai.rca.data.DataTable;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Distribution-change attribution: between two periods (a good week and a bad week), which
 * mechanisms changed and how much of the shift in the target's mean each explains. The SCM is
 * fitted on each period; the value of a set S of nodes is the target's mean when the nodes in S
 * use the second period's mechanism and the rest the first period's, estimated with shared random
 * numbers (noise quantiles) across sets; each node's contribution is its Shapley value (exact for
 * up to 12 nodes, else from random permutations and their reverses). The contributions add up to
 * the change of the modelled mean.
 *
 * <p>Stateless and thread-safe.
 */
public final class DistributionChange {

    /**
     * The result.
     *
     * Immutable and thread-safe.
     *
     * @param target        target node
     * @param meanBefore    target mean in the first period's data
     * @param meanAfter     target mean in the second period's data
     * @param contributions each node's Shapley share of the modelled mean change, by |value|
     */
    public record Result(String target, double meanBefore, double meanAfter, List<Cause> contributions) {
        /** Copies the list. */
        public Result {
            contributions = List.copyOf(contributions);
        }
    }

    private DistributionChange() {
    }

    /**
     * @param graph        causal DAG over columns of both tables
     * @param before       first period
     * @param after        second period
     * @param target       target node
     * @param samples      Monte-Carlo samples per coalition, at least 100
     * @param permutations permutations when there are more than 12 upstream nodes, at least 1
     * @param seed         random seed
     * @return the attribution
     */
    public static Result attribute(Graph<String, DefaultEdge> graph, DataTable before, DataTable after, String target,
                                   int samples, int permutations, long seed) {
        if (samples < 100) {
            throw new IllegalArgumentException("samples must be >= 100, got " + samples);
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        }
        if (!before.names().equals(after.names())) {
            throw new IllegalArgumentException("periods have different columns: " + before.names() + " vs " + after.names());
        }
        StructuralCausalModel a = StructuralCausalModel.fit(graph, before, ScmConfig.defaults());
        StructuralCausalModel b = StructuralCausalModel.fit(graph, after, ScmConfig.defaults());
        List<String> rel = new ArrayList<>();
        java.util.Set<String> anc = a.ancestors(target);
        for (String v : a.nodes()) {
            if (anc.contains(v) || v.equals(target)) {
                rel.add(v);
            }
        }
        int m = rel.size();
        if (m > 63) {
            throw new IllegalArgumentException("at most 63 upstream nodes supported, got " + m);
        }
        Mechanism[] ma = new Mechanism[m];
        Mechanism[] mb = new Mechanism[m];
        int[] col = new int[m];
        for (int i = 0; i < m; i++) {
            ma[i] = a.mechanism(rel.get(i));
            mb[i] = b.mechanism(rel.get(i));
            col[i] = a.column(rel.get(i));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] u = new double[samples][m];
        for (double[] r : u) {
            for (int i = 0; i < m; i++) {
                r[i] = rnd.nextDouble();
            }
        }
        int tcol = a.column(target);
        Map<Long, Double> cache = new HashMap<>();
        double[] work = new double[before.columns()];
        double[] phi = new double[m];
        if (m <= 12) {
            double[] fact = new double[m + 1];
            fact[0] = 1;
            for (int i = 1; i <= m; i++) {
                fact[i] = fact[i - 1] * i;
            }
            for (long mask = 0; mask < (1L << m); mask++) {
                int size = Long.bitCount(mask);
                double v = mean(mask, cache, ma, mb, col, u, work, tcol);
                for (int i = 0; i < m; i++) {
                    double w;
                    if ((mask & (1L << i)) != 0) {
                        w = fact[size - 1] * fact[m - size] / fact[m];
                        phi[i] += w * v;
                    } else {
                        w = fact[size] * fact[m - size - 1] / fact[m];
                        phi[i] -= w * v;
                    }
                }
            }
        } else {
            phi = ShapleySampler.antithetic(m, permutations, rnd, mask -> mean(mask, cache, ma, mb, col, u, work, tcol));
        }
        List<Cause> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            out.add(new Cause(rel.get(i), phi[i]));
        }
        out.sort(Comparator.comparingDouble((Cause c) -> -Math.abs(c.score())).thenComparing(Cause::name));
        return new Result(target, columnMean(before, tcol), columnMean(after, tcol), out);
    }

    private static double columnMean(DataTable t, int col) {
        double s = 0;
        for (double v : t.column(col)) {
            s += v;
        }
        return s / t.rows();
    }

    private static double mean(long mask, Map<Long, Double> cache, Mechanism[] ma, Mechanism[] mb, int[] col,
                               double[][] u, double[] work, int tcol) {
        Double c = cache.get(mask);
        if (c != null) {
            return c;
        }
        double s = 0;
        for (double[] r : u) {
            for (int i = 0; i < ma.length; i++) {
                Mechanism mm = (mask & (1L << i)) != 0 ? mb[i] : ma[i];
                work[col[i]] = mm.value(work, mm.noiseAt(r[i]));
            }
            s += work[tcol];
        }
        double v = s / u.length;
        cache.put(mask, v);
        return v;
    }
}
