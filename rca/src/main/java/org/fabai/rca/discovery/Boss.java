package org.fabai.rca.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.rca.data.DataTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best Order Score Search (BOSS; Andrews, Ramsey, Sanchez-Romero, Camchong and Kummerfeld, "Fast
 * scalable and accurate discovery of DAGs using the best order score search and grow-shrink
 * trees", NeurIPS 2023), reimplemented from the paper with the linear-Gaussian BIC of {@link Ges}.
 *
 * <p>A search over variable orders. For an order, each variable's parents are chosen among its
 * predecessors by grow-shrink — add the predecessor that raises the local score most while one
 * does, then drop the parent whose removal raises it most while one does — and the order scores
 * the sum of its local scores. BOSS takes each variable in turn, moves it to the position of the
 * order that scores best, and repeats the pass until no move improves the score. The DAG of the
 * best order is turned into its equivalence class (CPDAG) and finished with GES's backward phase
 * (BES), as in the paper. The paper's grow-shrink trees cache the parent choices per variable and
 * predecessor set; a map keyed by (variable, predecessor set) does that here.
 *
 * <p>The search starts from the column order, then from {@code restarts} seeded random orders;
 * the best-scoring order wins (ties: the earlier start). Deterministic for a seed. At most 62
 * variables. A categorical column is used as its code, so use it for continuous data.
 *
 * <p>Immutable and thread-safe (each search has its own state).
 */
public final class Boss {

    private static final Logger LOG = LoggerFactory.getLogger(Boss.class);

    /** Largest subset H tried per Delete operator in the closing backward phase. */
    static final int BES_SUBSET = 4;

    private final double penaltyDiscount;
    private final int restarts;
    private final long seed;
    private final double maxSeconds;

    /**
     * @param penaltyDiscount multiplier of the BIC penalty, positive and finite (1: the BIC)
     * @param restarts        extra searches from seeded random orders, at least 0
     * @param seed            seed of those orders
     */
    public Boss(double penaltyDiscount, int restarts, long seed) {
        if (!(penaltyDiscount > 0) || Double.isInfinite(penaltyDiscount)) {
            throw new IllegalArgumentException("penaltyDiscount must be positive and finite, got " + penaltyDiscount);
        }
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must be >= 0, got " + restarts);
        }
        this.penaltyDiscount = penaltyDiscount;
        this.restarts = restarts;
        this.seed = seed;
        this.maxSeconds = Double.POSITIVE_INFINITY;
    }

    private Boss(Boss b, double maxSeconds) {
        this.penaltyDiscount = b.penaltyDiscount;
        this.restarts = b.restarts;
        this.seed = b.seed;
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
    public Boss withTimeLimit(java.time.Duration limit) {
        return new Boss(this, ScoreClock.seconds(limit));
    }

    /**
     * Searches.
     *
     * @param data the data (at least 3 rows, 1 to 62 columns)
     * @return the estimated CPDAG ({@link Cpdag#testsRun()}: the number of local scores computed)
     */
    public Cpdag search(DataTable data) {
        int p = data.columns();
        int n = data.rows();
        if (n < 3) {
            throw new IllegalArgumentException("BOSS needs at least 3 rows, got " + n);
        }
        if (p > 62) {
            throw new IllegalArgumentException("BOSS supports at most 62 variables, got " + p);
        }
        Ges.Scorer scorer = new Ges.Scorer(Ges.covariance(data), n, penaltyDiscount, new ScoreClock("BOSS", p, maxSeconds));
        Search s = new Search(scorer, p);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int r = 0; r <= restarts; r++) {
            int[] order = new int[p];
            for (int i = 0; i < p; i++) {
                order[i] = i;
            }
            if (r > 0) {
                for (int i = p - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            scorer.clock.phase = "order search (start " + (r + 1) + " of " + (restarts + 1) + ")";
            double sc = s.improve(order);
            LOG.debug("BOSS start {}: score {}", r, sc);
            if (sc > bestScore + 1e-9) {
                bestScore = sc;
                best = order;
            }
        }
        List<String> names = data.names();
        boolean[][] adj = new boolean[p][p];
        boolean[][] ar = new boolean[p][p];
        long pred = 0;
        for (int v : best) {
            long pa = s.parents(v, pred).parents;
            for (int u = 0; u < p; u++) {
                if ((pa & (1L << u)) != 0) {
                    adj[u][v] = adj[v][u] = true;
                    ar[u][v] = true;
                }
            }
            pred |= 1L << v;
        }
        Ges.rebuild(names, adj, ar);
        scorer.clock.phase = "backward phase";
        int deleted = Ges.backward(names, adj, ar, s.scorer, BES_SUBSET);
        LOG.info("BOSS on {} variables: order score {}, {} edge(s) deleted by the backward phase, {} local scores",
                p, String.format(java.util.Locale.ROOT, "%.2f", bestScore), deleted, s.scorer.cache.size());
        return new Cpdag(names, adj, ar, s.scorer.cache.size());
    }

    /** Parents chosen by grow-shrink and their local score. */
    private record Choice(long parents, double score) {
    }

    /** One search's caches. Not thread-safe. */
    private static final class Search {
        final Ges.Scorer scorer;
        final int p;
        final List<Map<Long, Choice>> chosen = new ArrayList<>();

        Search(Ges.Scorer scorer, int p) {
            this.scorer = scorer;
            this.p = p;
            for (int v = 0; v < p; v++) {
                chosen.add(new HashMap<>());
            }
        }

        /** Grow-shrink: the parents of v among the predecessors {@code pred}. */
        Choice parents(int v, long pred) {
            Choice c = chosen.get(v).get(pred);
            if (c != null) {
                return c;
            }
            long pa = 0;
            double s = scorer.local(v, 0);
            while (true) {
                int bu = -1;
                double bs = s;
                for (int u = 0; u < p; u++) {
                    long bit = 1L << u;
                    if ((pred & bit) != 0 && (pa & bit) == 0) {
                        double t = scorer.local(v, pa | bit);
                        if (t > bs + 1e-12) {
                            bs = t;
                            bu = u;
                        }
                    }
                }
                if (bu < 0) {
                    break;
                }
                pa |= 1L << bu;
                s = bs;
            }
            while (true) {
                int bu = -1;
                double bs = s;
                for (int u = 0; u < p; u++) {
                    long bit = 1L << u;
                    if ((pa & bit) != 0) {
                        double t = scorer.local(v, pa & ~bit);
                        if (t > bs + 1e-12) {
                            bs = t;
                            bu = u;
                        }
                    }
                }
                if (bu < 0) {
                    break;
                }
                pa &= ~(1L << bu);
                s = bs;
            }
            c = new Choice(pa, s);
            chosen.get(v).put(pred, c);
            return c;
        }

        double score(int[] order) {
            double s = 0;
            long pred = 0;
            for (int v : order) {
                s += parents(v, pred).score;
                pred |= 1L << v;
            }
            return s;
        }

        /** Best-move passes over the variables until none improves the score; the order is changed in place. */
        double improve(int[] order) {
            double cur = score(order);
            int[] cand = new int[p];
            boolean improved = true;
            while (improved) {
                improved = false;
                for (int v : order.clone()) {
                    int from = indexOf(order, v);
                    int bestTo = from;
                    double bestScore = cur;
                    for (int to = 0; to < p; to++) {
                        if (to == from) {
                            continue;
                        }
                        move(order, from, to, cand);
                        double sc = score(cand);
                        if (sc > bestScore + 1e-9) {
                            bestScore = sc;
                            bestTo = to;
                        }
                    }
                    if (bestTo != from) {
                        move(order, from, bestTo, cand);
                        System.arraycopy(cand, 0, order, 0, p);
                        cur = bestScore;
                        improved = true;
                    }
                }
            }
            return cur;
        }

        private static int indexOf(int[] a, int v) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == v) {
                    return i;
                }
            }
            throw new IllegalStateException("variable " + v + " not in the order");
        }

        /** {@code out}: {@code order} with the element at {@code from} moved to position {@code to}. */
        private static void move(int[] order, int from, int to, int[] out) {
            int v = order[from];
            int k = 0;
            for (int i = 0; i < order.length; i++) {
                if (i == from) {
                    continue;
                }
                if (k == to) {
                    out[k++] = v;
                }
                out[k++] = order[i];
            }
            if (k == to) {
                out[k] = v;
            }
        }
    }
}
