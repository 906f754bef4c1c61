package org.fabai.rca.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.Cpdag;

/**
 * Random linear-Gaussian DAGs and data drawn from them, for testing and benchmarking causal
 * discovery: variables {@code X1..Xp} in a random causal order, each possible forward edge present
 * with probability {@code avgDegree / (p - 1)}, coefficients uniform in ±[0.5, 1.5], unit-variance
 * Gaussian noise. Seeded and deterministic. Immutable and thread-safe.
 *
 * @param data  the sampled data
 * @param truth the true DAG (all edges directed)
 */
public record RandomDag(DataTable data, Cpdag truth) {

    /**
     * @param variables number of variables, at least 2
     * @param avgDegree expected number of neighbours per variable, in [0, variables - 1]
     * @param rows      rows to sample, at least 5
     * @param seed      random seed
     * @return data and truth
     */
    public static RandomDag linearGaussian(int variables, double avgDegree, int rows, long seed) {
        if (variables < 2) {
            throw new IllegalArgumentException("variables must be >= 2, got " + variables);
        }
        if (!(avgDegree >= 0 && avgDegree <= variables - 1)) {
            throw new IllegalArgumentException("avgDegree must be in [0, " + (variables - 1) + "], got " + avgDegree);
        }
        if (rows < 5) {
            throw new IllegalArgumentException("rows must be >= 5, got " + rows);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] order = new int[variables];
        for (int i = 0; i < variables; i++) {
            order[i] = i;
        }
        for (int i = variables - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double p = avgDegree / (variables - 1);
        double[][] w = new double[variables][variables];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < variables; i++) {
            names.add("X" + (i + 1));
        }
        List<Cpdag.Edge> edges = new ArrayList<>();
        for (int a = 0; a < variables; a++) {
            for (int b = a + 1; b < variables; b++) {
                if (r.nextDouble() < p) {
                    double c = (0.5 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
                    w[order[a]][order[b]] = c;
                    edges.add(new Cpdag.Edge(names.get(order[a]), names.get(order[b]), true));
                }
            }
        }
        double[][] x = new double[variables][rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < variables; k++) {
                int v = order[k];
                double s = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                for (int u = 0; u < variables; u++) {
                    if (w[u][v] != 0) {
                        s += w[u][v] * x[u][i];
                    }
                }
                x[v][i] = s;
            }
        }
        DataTable.Builder b = DataTable.builder();
        for (int v = 0; v < variables; v++) {
            b.continuous(names.get(v), x[v]);
        }
        return new RandomDag(b.build(), Cpdag.of(names, edges));
    }
}
