package org.fabai.rca.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PC algorithm, order-independent "stable" variant (Colombo and Maathuis 2014): adjacency
 * sets are frozen at the start of each conditioning-set size, so the skeleton does not depend on
 * the variable order; the tests of one level run in parallel. Background {@link Knowledge}
 * removes forbidden edges (both directions forbidden), keeps required ones, restricts
 * conditioning sets (a later-tier variable never separates two earlier ones) and orients edges
 * before the data-driven collider and Meek rules (R1–R4). Colliders that conflict with an
 * existing orientation are skipped ("prioritise existing").
 *
 * <p>Immutable and thread-safe; each call to {@link #search} uses its own thread pool.
 */
public final class Pc {

    private static final Logger LOG = LoggerFactory.getLogger(Pc.class);

    private final PcConfig config;
    private final double maxSeconds;

    /** @param config the configuration */
    public Pc(PcConfig config) {
        this(config, Double.POSITIVE_INFINITY);
    }

    private Pc(PcConfig config, double maxSeconds) {
        this.config = Objects.requireNonNull(config, "config");
        this.maxSeconds = maxSeconds;
    }

    /**
     * A copy that keeps to a time limit by refusing, before it starts, a phase of the search (a
     * conditioning-set size, or the collider votes) that would not fit: before each phase the
     * search bounds the tests the phase can run (every pair still adjacent, each side, every
     * subset of the frozen adjacencies of that size; for the votes every subset of the
     * adjacencies) and divides by the rate of the tests so far. The estimate is logged at INFO
     * before each phase; a phase that would end past the limit throws
     * {@link SearchTooLongException} naming the phase, the bound and the estimate. Depth 0 is
     * never refused beforehand (there is no rate yet; it is one test per pair). Tests can get
     * slower with larger conditioning sets, so the limit is also kept during a phase: the first
     * test that would start past it throws instead, and the progress line every 10 s gives what
     * is left of the phase at the rate of the last 10 s.
     *
     * @param limit the most time the search may take; {@code null} or zero for no limit
     * @return the copy
     * @throws IllegalArgumentException for a negative limit
     */
    public Pc withTimeLimit(java.time.Duration limit) {
        if (limit != null && limit.isNegative()) {
            throw new IllegalArgumentException("time limit must be >= 0, got " + limit);
        }
        return new Pc(config, limit == null || limit.isZero() ? Double.POSITIVE_INFINITY : limit.toMillis() / 1e3);
    }

    /** @return the time limit in seconds, infinite when none */
    public double timeLimitSeconds() {
        return maxSeconds;
    }

    /** @return the configuration */
    public PcConfig config() {
        return config;
    }

    /**
     * Runs the search.
     *
     * @param test      the independence test (its variables are the graph's nodes)
     * @param knowledge background knowledge (use {@link Knowledge#none()} for none)
     * @return the CPDAG with the orientations implied by knowledge and data
     */
    public Cpdag search(IndependenceTest test, Knowledge knowledge) {
        List<String> names = test.variables();
        int n = names.size();
        boolean[][] adj = complete(names, knowledge);
        Map<Long, int[]> sepsets = new HashMap<>();
        AtomicLong tests = new AtomicLong();
        ExecutorService pool = config.parallelism() > 1 ? Executors.newFixedThreadPool(config.parallelism(), r -> {
            Thread t = new Thread(r, "fabai-pc");
            t.setDaemon(true);
            return t;
        }) : null;
        Map<Long, PairVote> votes = new HashMap<>();
        PcProgress progress = new PcProgress(tests, n, maxSeconds);
        try {
            for (int depth = 0; config.maxDepth() < 0 || depth <= config.maxDepth(); depth++) {
                if (!level(test, knowledge, names, adj, sepsets, depth, pool, tests, progress)) {
                    break;
                }
            }
            if (config.colliders() != PcConfig.ColliderRule.SEPSETS) {
                progress.phase = "collider votes";
                budget("the collider votes", voteBound(knowledge, names, adj), "non-adjacent pairs with a common neighbour",
                        tests, progress, n);
                votes = pairVotes(test, knowledge, names, adj, pool, tests, progress);
                LOG.info("PC collider votes: {} non-adjacent pairs with a common neighbour, {} tests so far, {} s",
                        votes.size(), tests.get(), progress.seconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("PC search interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("independence test failed", c);
        } finally {
            progress.close();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        boolean[][] arrow = new boolean[n][n];
        Map<Long, PairVote> pv = votes;
        Orientation.ColliderJudge judge = config.colliders() == PcConfig.ColliderRule.SEPSETS
                ? (a, b, c) -> new double[] {contains(sepsets.get(key(a, b, n)), c) ? 0 : 1, 0}
                : (a, b, c) -> judge(pv.get(key(a, b, n)), c, sepsets.get(key(a, b, n)));
        Orientation.orient(names, adj, arrow, judge, knowledge);
        return new Cpdag(names, adj, arrow, tests.get());
    }

    /**
     * One level of the stable skeleton search: with the adjacencies frozen, every adjacent pair not
     * required by knowledge is tested against conditioning sets of size {@code depth}; separated
     * pairs lose their edge and keep their separating set.
     *
     * @return false when no variable has enough neighbours for this depth (the search is done)
     */
    private boolean level(IndependenceTest test, Knowledge knowledge, List<String> names, boolean[][] adj,
                          Map<Long, int[]> sepsets, int depth, ExecutorService pool, AtomicLong tests, PcProgress progress)
            throws InterruptedException, ExecutionException {
        int n = names.size();
        progress.phase = "depth " + depth;
        int[][] frozen = new int[n][];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            int[] a = new int[n];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (adj[i][j]) {
                    a[k++] = j;
                }
            }
            frozen[i] = Arrays.copyOf(a, k);
            if (k - 1 >= depth) {
                any = true;
            }
        }
        if (!any) {
            return false;
        }
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (adj[i][j] && !knowledge.isRequired(names.get(i), names.get(j))
                        && !knowledge.isRequired(names.get(j), names.get(i))) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        int d = depth;
        if (d == 0) {
            progress.startPhase(2.0 * pairs.size());
        } else {
            double bound = 0;
            for (int[] p : pairs) {
                bound += binomial(frozen[p[0]].length - 1, d) + binomial(frozen[p[1]].length - 1, d);
            }
            budget("depth " + d, bound, pairs.size() + " adjacent pairs", tests, progress, n);
        }
        List<int[]> results = new ArrayList<>(pairs.size());
        if (pool == null) {
            for (int[] p : pairs) {
                results.add(separate(test, knowledge, names, frozen, p[0], p[1], d, tests, progress));
            }
        } else {
            List<Callable<int[]>> tasks = new ArrayList<>(pairs.size());
            for (int[] p : pairs) {
                tasks.add(() -> separate(test, knowledge, names, frozen, p[0], p[1], d, tests, progress));
            }
            for (Future<int[]> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
        }
        int removed = 0;
        for (int k = 0; k < pairs.size(); k++) {
            int[] s = results.get(k);
            if (s != null) {
                int i = pairs.get(k)[0];
                int j = pairs.get(k)[1];
                adj[i][j] = false;
                adj[j][i] = false;
                sepsets.put(key(i, j, n), s);
                removed++;
            }
        }
        LOG.info("PC depth {}: {} pairs tested, {} edges removed, {} tests so far, {} s", depth, pairs.size(),
                removed, tests.get(), progress.seconds());
        return true;
    }

    /** The complete graph less the pairs whose both directions knowledge forbids. */
    private static boolean[][] complete(List<String> names, Knowledge knowledge) {
        int n = names.size();
        boolean[][] adj = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    String a = names.get(i);
                    String b = names.get(j);
                    boolean bothForbidden = knowledge.isForbidden(a, b) && knowledge.isForbidden(b, a);
                    adj[i][j] = !bothForbidden;
                }
            }
        }
        return adj;
    }

    /** C(m, k) as a double (0 when k > m); exact below 2^53, then rounded. */
    static double binomial(int m, int k) {
        if (k < 0 || k > m) {
            return 0;
        }
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (m - k + i) / i;
        }
        return Math.rint(c);
    }

    /** Most tests the collider votes can run: both sides of every voted pair, every subset up to the depth cap. */
    private double voteBound(Knowledge k, List<String> names, boolean[][] adj) {
        int n = names.size();
        int[] deg = new int[n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (adj[a][b]) {
                    deg[a]++;
                }
            }
        }
        double bound = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (adj[a][b]) {
                    continue;
                }
                for (int c = 0; c < n; c++) {
                    if (adj[a][c] && adj[b][c]) {
                        for (int x : new int[] {deg[a], deg[b]}) {
                            int maxD = config.maxDepth() < 0 ? x : Math.min(x, config.maxDepth());
                            for (int d = 0; d <= maxD; d++) {
                                bound += binomial(x, d);
                            }
                        }
                        break;
                    }
                }
            }
        }
        return bound;
    }

    /**
     * Logs what the next phase may cost and refuses it when it would end past the time limit.
     *
     * @param phase  e.g. "depth 2"
     * @param bound  the most tests the phase can run
     * @param what   what the phase visits, for the message
     */
    private void budget(String phase, double bound, String what, AtomicLong tests, PcProgress progress, int n) {
        progress.startPhase(bound);
        long done = tests.get();
        double elapsed = progress.secondsExact();
        if (done == 0 || elapsed <= 0) {
            LOG.info("PC {}: up to {} tests", phase, count(bound));
            return;
        }
        double rate = done / elapsed;
        double estimate = bound / rate;
        LOG.info("PC {} on {} variables: up to {} tests ({}), about {} at the {} tests/s so far", phase, n, count(bound),
                what, duration(estimate), Math.round(rate));
        if (elapsed + estimate > maxSeconds) {
            throw new SearchTooLongException(String.format(Locale.ROOT,
                    "PC on %d variables would run past its time limit of %s: %s needs up to %s independence tests "
                            + "(%s), about %s at the %d tests/s measured so far (%s spent); refused before starting it. "
                            + "Cap the conditioning sets (--depth / PcConfig.maxDepth), use the SEPSETS collider rule, "
                            + "select fewer columns, or raise the limit (--max-minutes)",
                    n, duration(maxSeconds), phase, count(bound), what, duration(estimate), Math.round(rate),
                    duration(elapsed)), phase, bound, estimate);
        }
    }

    static String count(double v) {
        return v < 1e9 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2g", v);
    }

    /** A duration in the largest unit that keeps it readable: 42 s, 17 min, 3.5 h, 12 days, 1e+07 years. */
    static String duration(double s) {
        if (!Double.isFinite(s)) {
            return "forever";
        }
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        if (s < 2 * 3600) {
            return String.format(Locale.ROOT, "%.0f min", s / 60);
        }
        if (s < 3 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600);
        }
        if (s < 3 * 365 * 86400.0) {
            return String.format(Locale.ROOT, "%.0f days", s / 86400);
        }
        return String.format(Locale.ROOT, "%.2g years", s / (365 * 86400.0));
    }

    private static long key(int i, int j, int n) {
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        return (long) a * n + b;
    }

    /** Returns a separating set of x and y of size d, or null. */
    private int[] separate(IndependenceTest test, Knowledge k, List<String> names, int[][] frozen,
                           int x, int y, int d, AtomicLong tests, PcProgress progress) {
        for (int side = 0; side < 2; side++) {
            int a = side == 0 ? x : y;
            int b = side == 0 ? y : x;
            List<Integer> cand = new ArrayList<>();
            for (int z : frozen[a]) {
                if (z != b && k.mayCondition(names.get(z), names.get(x), names.get(y))) {
                    cand.add(z);
                }
            }
            if (cand.size() < d) {
                continue;
            }
            int[] comb = new int[d];
            for (int i = 0; i < d; i++) {
                comb[i] = i;
            }
            int[] s = new int[d];
            while (true) {
                for (int i = 0; i < d; i++) {
                    s[i] = cand.get(comb[i]);
                }
                progress.checkDeadline();
                tests.incrementAndGet();
                double p = test.pValue(x, y, s);
                if (p > config.alpha()) {
                    return s.clone();
                }
                int i = d - 1;
                while (i >= 0 && comb[i] == cand.size() - d + i) {
                    i--;
                }
                if (i < 0) {
                    break;
                }
                comb[i]++;
                for (int j = i + 1; j < d; j++) {
                    comb[j] = comb[j - 1] + 1;
                }
            }
        }
        return null;
    }

    /**
     * What the collider rules need from all separating sets of one non-adjacent pair a, b among
     * subsets of their adjacencies: the number of separating sets, how many contain each variable,
     * and the set with the largest p-value (the first in enumeration order among equal ones). The
     * tests do not depend on the middle variable c, so they run once per pair, not once per triple.
     */
    private record PairVote(int sep, int[] withC, double bestP, int[] bestS) {
    }

    /** Votes of every non-adjacent pair with a common neighbour (the pairs {@link Orientation#orient} judges), in parallel. */
    private Map<Long, PairVote> pairVotes(IndependenceTest test, Knowledge k, List<String> names, boolean[][] adj,
                                          ExecutorService pool, AtomicLong tests, PcProgress progress)
            throws InterruptedException, ExecutionException {
        int n = names.size();
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (adj[a][b]) {
                    continue;
                }
                for (int c = 0; c < n; c++) {
                    if (adj[a][c] && adj[b][c]) {
                        pairs.add(new int[] {a, b});
                        break;
                    }
                }
            }
        }
        Map<Long, PairVote> out = new HashMap<>();
        if (pool == null) {
            for (int[] p : pairs) {
                out.put(key(p[0], p[1], n), pairVote(test, k, names, adj, p[0], p[1], tests, progress));
            }
            return out;
        }
        List<Callable<PairVote>> tasks = new ArrayList<>(pairs.size());
        for (int[] p : pairs) {
            tasks.add(() -> pairVote(test, k, names, adj, p[0], p[1], tests, progress));
        }
        List<Future<PairVote>> fs = pool.invokeAll(tasks);
        for (int i = 0; i < pairs.size(); i++) {
            out.put(key(pairs.get(i)[0], pairs.get(i)[1], n), fs.get(i).get());
        }
        return out;
    }

    private PairVote pairVote(IndependenceTest test, Knowledge k, List<String> names, boolean[][] adj,
                              int a, int b, AtomicLong tests, PcProgress progress) {
        Set<List<Integer>> seen = new HashSet<>();
        int sep = 0;
        int[] withC = new int[adj.length];
        double bestP = -1;
        int[] bestS = new int[0];
        for (int side = 0; side < 2; side++) {
            int x = side == 0 ? a : b;
            int y = side == 0 ? b : a;
            List<Integer> cand = new ArrayList<>();
            for (int z = 0; z < adj.length; z++) {
                if (adj[x][z] && z != y && k.mayCondition(names.get(z), names.get(a), names.get(b))) {
                    cand.add(z);
                }
            }
            int maxD = config.maxDepth() < 0 ? cand.size() : Math.min(cand.size(), config.maxDepth());
            for (int d = 0; d <= maxD; d++) {
                int[] comb = new int[d];
                for (int i = 0; i < d; i++) {
                    comb[i] = i;
                }
                while (true) {
                    int[] s = new int[d];
                    List<Integer> keyList = new ArrayList<>();
                    for (int i = 0; i < d; i++) {
                        s[i] = cand.get(comb[i]);
                        keyList.add(s[i]);
                    }
                    Collections.sort(keyList);
                    if (seen.add(keyList)) {
                        progress.checkDeadline();
                        tests.incrementAndGet();
                        double p = test.pValue(a, b, s);
                        if (p > bestP) {
                            bestP = p;
                            bestS = s.clone();
                        }
                        if (p > config.alpha()) {
                            sep++;
                            for (int z : s) {
                                withC[z]++;
                            }
                        }
                    }
                    int i = d - 1;
                    while (i >= 0 && comb[i] == cand.size() - d + i) {
                        i--;
                    }
                    if (i < 0) {
                        break;
                    }
                    comb[i]++;
                    for (int j = i + 1; j < d; j++) {
                        comb[j] = comb[j - 1] + 1;
                    }
                }
            }
        }
        return new PairVote(sep, withC, bestP, bestS);
    }

    /** Majority, conservative or max-p decision on a - c - b from the pair's vote. */
    private double[] judge(PairVote v, int c, int[] original) {
        if (config.colliders() == PcConfig.ColliderRule.MAX_P) {
            return new double[] {contains(v.bestS(), c) ? 0 : 1, v.bestP()};
        }
        if (v.sep() == 0) {
            return new double[] {contains(original, c) ? 0 : 1, 0};
        }
        int withC = v.withC()[c];
        if (config.colliders() == PcConfig.ColliderRule.CONSERVATIVE) {
            return new double[] {withC == 0 ? 1 : withC == v.sep() ? 0 : -1, 0};
        }
        return new double[] {2 * withC < v.sep() ? 1 : 2 * withC > v.sep() ? 0 : -1, 0};
    }

    private static boolean contains(int[] s, int v) {
        if (s == null) {
            return false;
        }
        for (int x : s) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

}
