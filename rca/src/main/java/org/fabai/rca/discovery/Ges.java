package org.fabai.rca.discovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greedy Equivalence Search (Chickering, "Optimal structure identification with greedy search",
 * JMLR 2002) with the linear-Gaussian BIC, reimplemented from the paper: a forward phase of
 * {@code Insert(X, Y, T)} operators and a backward phase of {@code Delete(X, Y, H)} operators over
 * equivalence classes (CPDAGs), each step taking the best-scoring valid operator, the class
 * rebuilt after each step (a consistent extension, then its v-structures and Meek's rules).
 *
 * <p>Local score of Y with parents P: {@code -n/2 log(residual variance) - penaltyDiscount *
 * (|P| + 1) / 2 * log n} (the BIC up to a constant; larger is better), from the covariance
 * matrix of the continuous columns (a categorical column is used as its code, so use it for
 * continuous data). Operators' subsets T and H are enumerated up to {@code maxSubset} elements.
 *
 * <p>Immutable and thread-safe.
 */
public final class Ges {

    private static final Logger LOG = LoggerFactory.getLogger(Ges.class);

    private final double penaltyDiscount;
    private final int maxSubset;
    private final double maxSeconds;

    /**
     * @param penaltyDiscount multiplier of the BIC penalty, positive (1: the BIC)
     * @param maxSubset       largest subset T or H tried per operator, at least 0
     */
    public Ges(double penaltyDiscount, int maxSubset) {
        if (!(penaltyDiscount > 0) || Double.isInfinite(penaltyDiscount)) {
            throw new IllegalArgumentException("penaltyDiscount must be positive and finite, got " + penaltyDiscount);
        }
        if (maxSubset < 0) {
            throw new IllegalArgumentException("maxSubset must be >= 0, got " + maxSubset);
        }
        this.penaltyDiscount = penaltyDiscount;
        this.maxSubset = maxSubset;
        this.maxSeconds = Double.POSITIVE_INFINITY;
    }

    private Ges(Ges g, double maxSeconds) {
        this.penaltyDiscount = g.penaltyDiscount;
        this.maxSubset = g.maxSubset;
        this.maxSeconds = maxSeconds;
    }

    /**
     * A copy that stops with {@link SearchTooLongException} once the search has run longer than
     * {@code limit}, and logs its phase and the local scores computed every 10 s.
     *
     * @param limit the most time the search may take; null or zero for no limit
     * @return the copy
     * @throws IllegalArgumentException for a negative limit
     */
    public Ges withTimeLimit(java.time.Duration limit) {
        return new Ges(this, ScoreClock.seconds(limit));
    }

    /**
     * Searches.
     *
     * @param data the data (at least 3 rows, at most 62 columns)
     * @return the estimated CPDAG
     */
    public Cpdag search(DataTable data) {
        int p = data.columns();
        int n = data.rows();
        if (n < 3) {
            throw new IllegalArgumentException("GES needs at least 3 rows, got " + n);
        }
        if (p > 62) {
            throw new IllegalArgumentException("GES supports at most 62 variables, got " + p);
        }
        double[][] cov = covariance(data);
        Scorer sc = new Scorer(cov, n, penaltyDiscount, new ScoreClock("GES", p, maxSeconds));
        sc.clock.phase = "forward phase";
        List<String> names = data.names();
        boolean[][] adj = new boolean[p][p];
        boolean[][] ar = new boolean[p][p];
        int steps = 0;
        // forward
        while (true) {
            double best = 1e-9;
            int bx = -1;
            int by = -1;
            long bt = 0;
            for (int x = 0; x < p; x++) {
                for (int y = 0; y < p; y++) {
                    if (x == y || adj[x][y]) {
                        continue;
                    }
                    long na = naYX(adj, ar, y, x);
                    long t0 = undirectedNeighbours(adj, ar, y) & ~adjacents(adj, x) & ~(1L << x);
                    long pa = parents(adj, ar, y);
                    for (long t : subsets(t0, maxSubset)) {
                        long nat = na | t;
                        if (!clique(adj, nat) || !blocksSemiDirected(adj, ar, y, x, nat)) {
                            continue;
                        }
                        double d = sc.local(y, nat | pa | (1L << x)) - sc.local(y, nat | pa);
                        if (d > best) {
                            best = d;
                            bx = x;
                            by = y;
                            bt = t;
                        }
                    }
                }
            }
            if (bx < 0) {
                break;
            }
            adj[bx][by] = adj[by][bx] = true;
            ar[bx][by] = true;
            ar[by][bx] = false;
            for (int t = 0; t < p; t++) {
                if ((bt & (1L << t)) != 0) {
                    ar[t][by] = true;
                    ar[by][t] = false;
                }
            }
            rebuild(names, adj, ar);
            steps++;
        }
        // backward
        sc.clock.phase = "backward phase";
        steps += backward(names, adj, ar, sc, maxSubset);
        LOG.debug("GES: {} operators applied, {} local scores", steps, sc.cache.size());
        return new Cpdag(names, adj, ar, sc.cache.size());
    }

    /**
     * The backward phase (Chickering 2002): applies the best-scoring valid {@code Delete(X, Y, H)}
     * to the CPDAG in place until none improves the score.
     *
     * @return the number of operators applied
     */
    static int backward(List<String> names, boolean[][] adj, boolean[][] ar, Scorer sc, int maxSubset) {
        int p = names.size();
        int steps = 0;
        while (true) {
            double best = 1e-9;
            int bx = -1;
            int by = -1;
            long bh = 0;
            for (int x = 0; x < p; x++) {
                for (int y = 0; y < p; y++) {
                    if (x == y || !adj[x][y]) {
                        continue;
                    }
                    boolean xy = ar[x][y] && !ar[y][x];
                    boolean und = !ar[x][y] && !ar[y][x];
                    if (!xy && !und) {
                        continue; // Y -> X: handled as Delete(Y, X)
                    }
                    long na = naYX(adj, ar, y, x);
                    long pa = parents(adj, ar, y) & ~(1L << x);
                    for (long h : subsets(na, maxSubset)) {
                        long rest = na & ~h;
                        if (!clique(adj, rest)) {
                            continue;
                        }
                        double d = sc.local(y, rest | pa) - sc.local(y, rest | pa | (1L << x));
                        if (d > best) {
                            best = d;
                            bx = x;
                            by = y;
                            bh = h;
                        }
                    }
                }
            }
            if (bx < 0) {
                break;
            }
            adj[bx][by] = adj[by][bx] = false;
            ar[bx][by] = ar[by][bx] = false;
            for (int h = 0; h < p; h++) {
                if ((bh & (1L << h)) != 0) {
                    // Y -- h becomes Y -> h; X -- h becomes X -> h
                    ar[by][h] = true;
                    ar[h][by] = false;
                    if (adj[bx][h] && !ar[bx][h] && !ar[h][bx]) {
                        ar[bx][h] = true;
                    }
                }
            }
            rebuild(names, adj, ar);
            steps++;
        }
        return steps;
    }

    /** Undirected neighbours of y that are adjacent to x. */
    private static long naYX(boolean[][] adj, boolean[][] ar, int y, int x) {
        return undirectedNeighbours(adj, ar, y) & adjacents(adj, x);
    }

    private static long undirectedNeighbours(boolean[][] adj, boolean[][] ar, int y) {
        long m = 0;
        for (int v = 0; v < adj.length; v++) {
            if (adj[y][v] && !ar[y][v] && !ar[v][y]) {
                m |= 1L << v;
            }
        }
        return m;
    }

    private static long adjacents(boolean[][] adj, int x) {
        long m = 0;
        for (int v = 0; v < adj.length; v++) {
            if (adj[x][v]) {
                m |= 1L << v;
            }
        }
        return m;
    }

    private static long parents(boolean[][] adj, boolean[][] ar, int y) {
        long m = 0;
        for (int v = 0; v < adj.length; v++) {
            if (adj[v][y] && ar[v][y] && !ar[y][v]) {
                m |= 1L << v;
            }
        }
        return m;
    }

    private static boolean clique(boolean[][] adj, long set) {
        for (int a = 0; a < adj.length; a++) {
            if ((set & (1L << a)) == 0) {
                continue;
            }
            for (int b = a + 1; b < adj.length; b++) {
                if ((set & (1L << b)) != 0 && !adj[a][b]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when every semi-directed path from y to x passes through a node of {@code block}. */
    private static boolean blocksSemiDirected(boolean[][] adj, boolean[][] ar, int y, int x, long block) {
        int p = adj.length;
        boolean[] seen = new boolean[p];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(y);
        seen[y] = true;
        while (!q.isEmpty()) {
            int u = q.poll();
            for (int v = 0; v < p; v++) {
                if (!adj[u][v] || seen[v] || ar[v][u] && !ar[u][v]) {
                    continue; // no edge, visited, or v -> u (against the path)
                }
                if (v == x) {
                    return false;
                }
                if ((block & (1L << v)) != 0) {
                    continue;
                }
                seen[v] = true;
                q.add(v);
            }
        }
        return true;
    }

    private static List<Long> subsets(long set, int max) {
        List<Integer> el = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((set & (1L << i)) != 0) {
                el.add(i);
            }
        }
        List<Long> out = new ArrayList<>();
        int k = el.size();
        if (k > 20) {
            throw new IllegalStateException("too many neighbours to enumerate subsets: " + k);
        }
        for (int m = 0; m < (1 << k); m++) {
            if (Integer.bitCount(m) > max) {
                continue;
            }
            long s = 0;
            for (int i = 0; i < k; i++) {
                if ((m & (1 << i)) != 0) {
                    s |= 1L << el.get(i);
                }
            }
            out.add(s);
        }
        return out;
    }

    /** Re-derives the CPDAG: a consistent extension, its skeleton and v-structures, Meek's rules. */
    static void rebuild(List<String> names, boolean[][] adj, boolean[][] ar) {
        int p = names.size();
        DirectedAcyclicGraph<String, DefaultEdge> dag = new Cpdag(names, adj, ar, 0).toDag();
        boolean[][] dir = new boolean[p][p];
        for (DefaultEdge e : dag.edgeSet()) {
            dir[names.indexOf(dag.getEdgeSource(e))][names.indexOf(dag.getEdgeTarget(e))] = true;
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                ar[a][b] = false;
            }
        }
        for (int c = 0; c < p; c++) {
            for (int a = 0; a < p; a++) {
                if (!dir[a][c]) {
                    continue;
                }
                for (int b = a + 1; b < p; b++) {
                    if (dir[b][c] && !adj[a][b]) {
                        ar[a][c] = true;
                        ar[b][c] = true;
                    }
                }
            }
        }
        Orientation.meek(names, adj, ar, Knowledge.none());
    }

    static double[][] covariance(DataTable d) {
        int p = d.columns();
        int n = d.rows();
        double[] mean = new double[p];
        double[][] cols = new double[p][];
        for (int j = 0; j < p; j++) {
            cols[j] = d.column(j);
            for (double v : cols[j]) {
                mean[j] += v;
            }
            mean[j] /= n;
        }
        double[][] c = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (cols[a][i] - mean[a]) * (cols[b][i] - mean[b]);
                }
                c[a][b] = c[b][a] = s / n;
            }
        }
        return c;
    }

    /** Cached linear-Gaussian BIC local scores. */
    static final class Scorer {
        final double[][] cov;
        final int n;
        final double penalty;
        final Map<List<Long>, Double> cache = new HashMap<>();
        final ScoreClock clock;

        Scorer(double[][] cov, int n, double penalty, ScoreClock clock) {
            this.cov = cov;
            this.n = n;
            this.penalty = penalty;
            this.clock = clock;
        }

        double local(int y, long parents) {
            List<Long> key = List.of((long) y, parents);
            Double c = cache.get(key);
            if (c != null) {
                return c;
            }
            clock.tick();
            int[] ps = new int[Long.bitCount(parents)];
            int k = 0;
            for (int i = 0; i < 64; i++) {
                if ((parents & (1L << i)) != 0) {
                    ps[k++] = i;
                }
            }
            double var = cov[y][y];
            if (ps.length > 0) {
                DMatrixRMaj spp = new DMatrixRMaj(ps.length, ps.length);
                DMatrixRMaj spy = new DMatrixRMaj(ps.length, 1);
                for (int a = 0; a < ps.length; a++) {
                    spy.set(a, 0, cov[ps[a]][y]);
                    for (int b = 0; b < ps.length; b++) {
                        spp.set(a, b, cov[ps[a]][ps[b]]);
                    }
                }
                DMatrixRMaj beta = new DMatrixRMaj(ps.length, 1);
                if (!CommonOps_DDRM.solve(spp, spy, beta)) {
                    DMatrixRMaj inv = new DMatrixRMaj(ps.length, ps.length);
                    CommonOps_DDRM.pinv(spp, inv);
                    CommonOps_DDRM.mult(inv, spy, beta);
                }
                for (int a = 0; a < ps.length; a++) {
                    var -= beta.get(a, 0) * spy.get(a, 0);
                }
            }
            var = Math.max(var, 1e-12 * Math.max(cov[y][y], 1e-300));
            double s = -0.5 * n * Math.log(var) - penalty * 0.5 * (ps.length + 1) * Math.log(n);
            cache.put(key, s);
            return s;
        }
    }
}
