package org.fabai.rca.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-lagged PC, a time-aware discovery for tables whose rows are in time order on a regular grid
 * (e.g. event logs gridded by {@link org.fabai.rca.data.EventLog#table}). Each variable {@code X}
 * is taken at lags 0 to {@code maxLag} (columns {@code X} and {@code X@1} .. {@code X@maxLag}, a lag
 * being {@code stride} rows), using only rows whose whole window lies inside one segment (one log:
 * no lag crosses from one recording into the next); PC runs on that table with the lags as tiers,
 * older first, so the time order does what tiers do in {@link Pc} — a value never causes an
 * earlier one, and a later value never separates two earlier ones. This is the time-series PC
 * idea of Entner and Hoyer (2010) and of Runge's PCMCI family (lagged parents found by
 * conditional-independence tests), reimplemented here on fabai's PC, not a copy of either.
 *
 * <p>The lagged graph is summarised over the variables for root-cause work: {@code X -> Y} when
 * some {@code X@k -> Y} ({@code k >= 1}, {@code X != Y}: an effect one to {@code maxLag} steps
 * later), or when PC directs {@code X -> Y} at lag 0; undirected lag-0 edges are oriented last,
 * and any edge that would close a cycle (feedback over time) is left out of the DAG and logged.
 * Edges among older columns only repeat the lag-0 relations and are not used.
 *
 * <p>Immutable and thread-safe.
 */
public final class LaggedPc {

    private static final Logger LOG = LoggerFactory.getLogger(LaggedPc.class);

    /** Separates a variable's name from its lag in the lagged table's column names. */
    public static final String LAG_MARK = "@";

    private final int maxLag;
    private final int stride;
    private final PcConfig pc;
    private final java.time.Duration limit;

    /**
     * @param maxLag largest lag, in lag units, at least 1
     * @param stride rows per lag unit, at least 1
     * @param pc     the PC settings
     */
    public LaggedPc(int maxLag, int stride, PcConfig pc) {
        this(maxLag, stride, pc, null);
    }

    private LaggedPc(int maxLag, int stride, PcConfig pc, java.time.Duration limit) {
        if (maxLag < 1) {
            throw new IllegalArgumentException("maxLag must be >= 1, got " + maxLag);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        this.maxLag = maxLag;
        this.stride = stride;
        this.pc = Objects.requireNonNull(pc, "pc");
        this.limit = limit;
    }

    /**
     * @param limit the most time the PC search may take ({@link Pc#withTimeLimit}); null or zero for none
     * @return a copy with that limit
     */
    public LaggedPc withTimeLimit(java.time.Duration limit) {
        return new LaggedPc(maxLag, stride, pc, limit);
    }

    /**
     * The search's result.
     *
     * @param lagged  PC's graph over the lagged columns
     * @param summary the DAG over the original variables
     * @param dropped summary edges left out because they would close a cycle, as {@code "X -> Y"}
     */
    public record Result(Cpdag lagged, DirectedAcyclicGraph<String, DefaultEdge> summary, List<String> dropped) {

        /**
         * @param nodes the summary's nodes in the order wanted (e.g. the table's columns)
         * @return the summary DAG as a graph of directed edges, carrying the lagged search's test count
         */
        public Cpdag summaryGraph(List<String> nodes) {
            Cpdag c = Cpdag.of(nodes, summary.edgeSet().stream()
                    .map(e -> new Cpdag.Edge(summary.getEdgeSource(e), summary.getEdgeTarget(e), true)).toList());
            int n = nodes.size();
            boolean[][] adj = new boolean[n][n];
            boolean[][] arrow = new boolean[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    adj[i][j] = c.adjacent(nodes.get(i), nodes.get(j));
                    arrow[i][j] = c.isDirected(nodes.get(i), nodes.get(j));
                }
            }
            return new Cpdag(nodes, adj, arrow, lagged.testsRun());
        }
    }

    /**
     * The lagged table: columns {@code X} (lag 0), then {@code X@1} .. {@code X@maxLag} for every
     * variable, one row per time {@code t} with {@code t - maxLag * stride} in the same segment.
     *
     * @param t        rows in time order
     * @param segments row counts of the consecutive segments (they sum to {@code t.rows()}); a lag
     *                 never reaches into an earlier segment
     * @param maxLag   largest lag in lag units
     * @param stride   rows per lag unit
     * @return the lagged table (categorical columns keep their levels)
     * @throws IllegalArgumentException when the segments do not cover the table or no segment is long enough
     */
    public static DataTable lagged(DataTable t, int[] segments, int maxLag, int stride) {
        if (Arrays.stream(segments).asLongStream().sum() != t.rows() || Arrays.stream(segments).anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("segments " + Arrays.toString(segments) + " do not add up to the table's "
                    + t.rows() + " rows");
        }
        for (String n : t.names()) {
            if (lag(n) != 0) {
                throw new IllegalArgumentException("column '" + n + "' ends in " + LAG_MARK + " and a number, which names "
                        + "lagged columns here; rename it");
            }
        }
        int span = maxLag * stride;
        List<Integer> rows = new ArrayList<>();
        int start = 0;
        for (int s : segments) {
            for (int r = start + span; r < start + s; r++) {
                rows.add(r);
            }
            start += s;
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException("no segment is longer than the lag window (" + span + " rows): "
                    + Arrays.toString(segments));
        }
        DataTable.Builder b = DataTable.builder();
        for (int k = 0; k <= maxLag; k++) {
            for (int j = 0; j < t.columns(); j++) {
                String name = k == 0 ? t.names().get(j) : t.names().get(j) + LAG_MARK + k;
                if (t.isCategorical(j)) {
                    int[] codes = new int[rows.size()];
                    for (int i = 0; i < codes.length; i++) {
                        codes[i] = (int) t.get(rows.get(i) - k * stride, j);
                    }
                    b.categorical(name, codes, t.levels(j));
                } else {
                    double[] v = new double[rows.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.get(rows.get(i) - k * stride, j);
                    }
                    b.continuous(name, v);
                }
            }
        }
        return b.build();
    }

    /**
     * Runs the search.
     *
     * @param t        rows in time order (constant columns should be dropped first)
     * @param segments row counts of the consecutive segments
     * @param test     makes the independence test for the lagged table (e.g. by column types)
     * @return the lagged graph and its summary DAG
     */
    public Result search(DataTable t, int[] segments, java.util.function.Function<DataTable, IndependenceTest> test) {
        DataTable lt = lagged(t, segments, maxLag, stride);
        List<String> constant = lt.constantColumns();
        if (!constant.isEmpty()) {
            // a column constant in the lagged rows only (e.g. an event in the first rows of a segment)
            lt = lt.without(constant);
        }
        Knowledge.Builder kb = Knowledge.builder();
        for (String c : lt.names()) {
            kb.tier(c, maxLag - lag(c));
        }
        Cpdag g = new Pc(pc).withTimeLimit(limit).search(test.apply(lt), kb.build());
        DirectedAcyclicGraph<String, DefaultEdge> dag = new DirectedAcyclicGraph<>(DefaultEdge.class);
        t.names().forEach(dag::addVertex);
        List<String> dropped = new ArrayList<>();
        List<Cpdag.Edge> undirected = new ArrayList<>();
        // contemporaneous directed edges, then lagged ones (shortest lag first), then undirected lag-0 edges
        List<Cpdag.Edge> lagEdges = new ArrayList<>();
        for (Cpdag.Edge e : g.edges()) {
            int lf = lag(e.from());
            int lt0 = lag(e.to());
            if (lf == 0 && lt0 == 0) {
                if (e.directed()) {
                    add(dag, e.from(), e.to(), dropped);
                } else {
                    undirected.add(e);
                }
            } else if (lf == 0 || lt0 == 0) {
                lagEdges.add(e);
            }
        }
        lagEdges.sort((a, b) -> Integer.compare(Math.max(lag(a.from()), lag(a.to())), Math.max(lag(b.from()), lag(b.to()))));
        for (Cpdag.Edge e : lagEdges) {
            String older = lag(e.from()) > 0 ? e.from() : e.to();
            String now = lag(e.from()) > 0 ? e.to() : e.from();
            String x = base(older);
            if (!x.equals(now)) {
                add(dag, x, now, dropped);
            }
        }
        for (Cpdag.Edge e : undirected) {
            if (!dag.containsEdge(e.from(), e.to()) && !dag.containsEdge(e.to(), e.from())) {
                try {
                    dag.addEdge(e.from(), e.to());
                } catch (IllegalArgumentException cycle) {
                    add(dag, e.to(), e.from(), dropped);
                }
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("lagged PC: {} summary edge(s) left out, they would close a cycle: {}", dropped.size(), dropped);
        }
        return new Result(g, dag, List.copyOf(dropped));
    }

    private static void add(DirectedAcyclicGraph<String, DefaultEdge> dag, String a, String b, List<String> dropped) {
        if (dag.containsEdge(a, b)) {
            return;
        }
        try {
            dag.addEdge(a, b);
        } catch (IllegalArgumentException cycle) {
            dropped.add(a + " -> " + b);
        }
    }

    /** @return the lag of a lagged column name ({@code X@k}: k; {@code X}: 0) */
    static int lag(String column) {
        int i = column.lastIndexOf(LAG_MARK);
        if (i < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(column.substring(i + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return the variable of a lagged column name */
    static String base(String column) {
        return lag(column) == 0 ? column : column.substring(0, column.lastIndexOf(LAG_MARK));
    }
}
