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

    /**
     * A mixed table shaped like an equipment's signal table (causRCA's lathe: 88 variables, 44,600
     * rows, two categorical): the DAG and weights of {@link #linearGaussian}, then the first
     * {@code categorical} variables in causal order are cut into {@code levels} equally likely levels
     * of their latent value (children see the level's mean effect, a random weight per level), and
     * every third other variable is thresholded at zero to a 0/1 signal (kept continuous, as event
     * logs' binary signals are). Seeded and deterministic.
     *
     * @param variables   number of variables, at least 2
     * @param avgDegree   expected number of neighbours per variable
     * @param rows        rows, at least 5
     * @param categorical how many variables are categorical, in [0, variables]
     * @param levels      levels of each categorical variable, at least 2
     * @param seed        random seed
     * @return data and truth
     */
    public static RandomDag mixed(int variables, double avgDegree, int rows, int categorical, int levels, long seed) {
        if (categorical < 0 || categorical > variables) {
            throw new IllegalArgumentException("categorical must be in [0, " + variables + "], got " + categorical);
        }
        if (levels < 2) {
            throw new IllegalArgumentException("levels must be >= 2, got " + levels);
        }
        RandomDag g = linearGaussian(variables, avgDegree, 5, seed);   // the graph only
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<String> names = g.truth().nodes();
        int n = names.size();
        int[] order = topological(names, g.truth());
        double[][] w = new double[n][n];
        for (Cpdag.Edge e : g.truth().edges()) {
            w[names.indexOf(e.from())][names.indexOf(e.to())] = (0.5 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        }
        boolean[] cat = new boolean[n];
        boolean[] bin = new boolean[n];
        double[][] levelEffect = new double[n][];
        for (int k = 0, c = 0; k < n; k++) {
            int v = order[k];
            if (c < categorical) {
                cat[v] = true;
                c++;
                levelEffect[v] = new double[levels];
                for (int l = 0; l < levels; l++) {
                    levelEffect[v][l] = 2 * r.nextDouble() - 1;
                }
            } else if (k % 3 == 0) {
                bin[v] = true;
            }
        }
        // cut points of a standard normal latent into equally likely levels (latent is standardised per column)
        double[][] x = new double[n][rows];
        int[][] codes = new int[n][];
        for (int k = 0; k < n; k++) {
            int v = order[k];
            double[] col = x[v];
            for (int i = 0; i < rows; i++) {
                double s = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                for (int u = 0; u < n; u++) {
                    if (w[u][v] != 0) {
                        s += w[u][v] * (cat[u] ? levelEffect[u][codes[u][i]] * 2 : x[u][i]);
                    }
                }
                col[i] = s;
            }
            standardise(col);
            if (cat[v]) {
                double[] sorted = col.clone();
                java.util.Arrays.sort(sorted);
                codes[v] = new int[rows];
                for (int i = 0; i < rows; i++) {
                    int l = 0;
                    while (l < levels - 1 && col[i] > sorted[(int) ((long) (l + 1) * rows / levels) - 1]) {
                        l++;
                    }
                    codes[v][i] = l;
                }
            } else if (bin[v]) {
                for (int i = 0; i < rows; i++) {
                    col[i] = col[i] > 0 ? 1 : 0;
                }
            }
        }
        DataTable.Builder b = DataTable.builder();
        for (int v = 0; v < n; v++) {
            if (cat[v]) {
                List<String> lv = new ArrayList<>();
                for (int l = 0; l < levels; l++) {
                    lv.add("L" + l);
                }
                b.categorical(names.get(v), codes[v], lv);
            } else {
                b.continuous(names.get(v), x[v]);
            }
        }
        return new RandomDag(b.build(), g.truth());
    }

    private static void standardise(double[] c) {
        double m = 0;
        for (double v : c) {
            m += v;
        }
        m /= c.length;
        double ss = 0;
        for (double v : c) {
            ss += (v - m) * (v - m);
        }
        double sd = Math.sqrt(ss / c.length);
        for (int i = 0; i < c.length; i++) {
            c[i] = sd > 0 ? (c[i] - m) / sd : 0;
        }
    }

    /** @return variable indexes in an order where every edge points forward */
    private static int[] topological(List<String> names, Cpdag truth) {
        int n = names.size();
        int[] indeg = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (Cpdag.Edge e : truth.edges()) {
            int a = names.indexOf(e.from());
            int b = names.indexOf(e.to());
            out.get(a).add(b);
            indeg[b]++;
        }
        int[] order = new int[n];
        int k = 0;
        java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indeg[i] == 0) {
                q.add(i);
            }
        }
        while (!q.isEmpty()) {
            int v = q.poll();
            order[k++] = v;
            for (int u : out.get(v)) {
                if (--indeg[u] == 0) {
                    q.add(u);
                }
            }
        }
        return order;
    }
}
