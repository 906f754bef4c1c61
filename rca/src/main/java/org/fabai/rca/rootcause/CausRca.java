package org.fabai.rca.rootcause;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fabai.core.io.FormatException;
import org.fabai.rca.baseline.RobustZScore;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.data.EventLog;
import org.fabai.rca.discovery.Boss;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.DiscreteTest;
import org.fabai.rca.discovery.FisherZTest;
import org.fabai.rca.discovery.Ges;
import org.fabai.rca.discovery.IndependenceTest;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.LaggedPc;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Root-cause evaluation on data laid out like the causRCA benchmark (Mehling et al. 2025): a
 * subsystem folder with {@code *_nodes.csv} (column {@code label}; {@code type} {@code Alarm} for
 * alarms), {@code *_edges.csv} (expert graph, {@code source_label,target_label}) and fault runs
 * {@code exp_NN/run_K/} holding an event log ({@code *.csv}) and {@code causes.json}
 * ({@code diagnosis_at}, seconds), with the manipulated variables in
 * {@code exp_NN/exp_NN_description.json} ({@code manipulatedVars}); and a folder of event logs of
 * normal operation, the reference.
 *
 * <p>Each run is cut from its start to the diagnosis on a time grid; the diagnosis row is the
 * anomaly to explain. Methods: the robust z-score of the diagnosis row against the reference;
 * {@link RootCauseRanker} with a model fitted on the reference over the expert graph; and the same
 * over a graph discovered by PC on the reference rows plus the run's rows, with tiers from the
 * onsets (cause before effect). AC@k is the share of runs with a manipulated variable among the
 * first k; variables with equal scores are counted in random order (the expected AC@k), so no
 * method gains from the order of the columns.
 *
 * <p>Stateless and thread-safe.
 */
public final class CausRca {

    private static final Logger LOG = LoggerFactory.getLogger(CausRca.class);

    private CausRca() {
    }

    /**
     * Settings.
     *
     * @param step      grid step, seconds, positive
     * @param alpha     significance level of PC's tests, in (0, 1)
     * @param threshold marginal outlier score that counts as a deviation for onsets, positive
     */
    public record Config(double step, double alpha, double threshold) {
        /** Validates. */
        public Config {
            if (!(step > 0) || Double.isInfinite(step)) {
                throw new IllegalArgumentException("step must be positive, got " + step);
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
            }
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("threshold must be > 0, got " + threshold);
            }
        }

        /** @return 1 s grid, alpha 0.01, threshold -log(0.01) */
        public static Config defaults() {
            return new Config(1.0, 0.01, -Math.log(0.01));
        }
    }

    /**
     * One fault run.
     *
     * @param name        e.g. {@code exp_22/run_1}
     * @param log         its event log
     * @param diagnosisAt the diagnosis time, seconds
     * @param causes      the manipulated variables
     */
    public record Run(String name, EventLog log, double diagnosisAt, List<String> causes) {
    }

    /**
     * A subsystem.
     *
     * @param variables its variables
     * @param alarms    the variables that are alarms (inactive unless logged)
     * @param expert    the expert graph
     * @param runs      the fault runs
     */
    public record Subsystem(List<String> variables, List<String> alarms, Graph<String, DefaultEdge> expert, List<Run> runs) {
    }

    /**
     * The ranking of each method for one run.
     *
     * @param run      run name
     * @param causes   true causes
     * @param rankings method to ranked groups (each group: variables tied at one score)
     */
    public record RunResult(String run, List<String> causes, Map<String, List<List<String>>> rankings) {
    }

    /**
     * @param dir a subsystem folder
     * @return the subsystem
     * @throws IOException     on read failure
     * @throws FormatException if a file is malformed
     */
    public static Subsystem readSubsystem(Path dir) throws IOException, FormatException {
        return CausRcaFiles.readSubsystem(dir);
    }

    /**
     * @param dir a folder of event logs (*.csv) of normal operation
     * @return the logs, by file name
     * @throws IOException     on read failure
     * @throws FormatException if a log is malformed
     */
    public static List<EventLog> readReference(Path dir) throws IOException, FormatException {
        return CausRcaFiles.readReference(dir);
    }

    /** The methods compared. */
    public static final List<String> METHODS = List.of("robust-z", "rank+expert", "rank+expert-no-onsets",
            "rank+pc-onset-tiers", "rank+pc-no-tiers", "rank+lagged-pc", "rank+ges", "rank+boss", "rank+no-graph");

    /** Lags of {@code rank+lagged-pc}: 1 and 2 grid steps (set before any run was scored). */
    public static final int LAGS = 2;

    /**
     * Runs every method on every run.
     *
     * @param sub       the subsystem
     * @param reference reference logs
     * @param config    settings
     * @param progress  called with each finished run
     * @return one result per run
     */
    public static List<RunResult> evaluate(Subsystem sub, List<EventLog> reference, Config config,
                                           Consumer<RunResult> progress) {
        return evaluate(sub, reference, config, null, progress);
    }

    /**
     * Runs every method on every run, each search (PC, lagged PC, GES, BOSS) under a time limit.
     *
     * @param sub       the subsystem
     * @param reference reference logs
     * @param config    settings
     * @param limit     the most time each search may take ({@link Pc#withTimeLimit}); null or zero for none
     * @param progress  called with each finished run
     * @return one result per run
     * @throws org.fabai.rca.discovery.SearchTooLongException when a search would run past the limit
     */
    public static List<RunResult> evaluate(Subsystem sub, List<EventLog> reference, Config config,
                                           java.time.Duration limit, Consumer<RunResult> progress) {
        List<String> vars = sub.variables();
        Map<String, String> alarmDefaults = new HashMap<>();
        sub.alarms().forEach(a -> alarmDefaults.put(a, "False"));
        List<EventLog.Window> refWin = reference.stream().map(EventLog.Window::whole).toList();
        // a variable no reference log records (and not an alarm) is taken at its usual value at the
        // start of the fault runs (the machine starts in normal operation), the most common first value
        for (String v : vars) {
            if (alarmDefaults.containsKey(v) || reference.stream().anyMatch(l -> l.records(v))) {
                continue;
            }
            Map<String, Integer> first = new HashMap<>();
            for (Run r : sub.runs()) {
                if (r.log().records(v)) {
                    first.merge(r.log().eventValues(v)[0], 1, Integer::sum);
                }
            }
            first.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .ifPresent(e -> {
                        LOG.info("'{}' is in no reference log: taken as '{}' there (its most common first value in the runs)",
                                v, e.getKey());
                        alarmDefaults.put(v, e.getKey());
                    });
        }
        DataTable ref0 = EventLog.table(refWin, new EventLog.GridSpec(config.step(), vars, alarmDefaults));
        // a variable a run does not log keeps its usual (reference) value
        Map<String, String> defaults = new HashMap<>(alarmDefaults);
        for (int j = 0; j < ref0.columns(); j++) {
            defaults.putIfAbsent(ref0.names().get(j), mode(ref0, j));
        }
        List<RunResult> out = new ArrayList<>();
        for (Run run : sub.runs()) {
            List<EventLog.Window> ws = new ArrayList<>(refWin);
            ws.add(new EventLog.Window(run.log(), Math.min(run.log().start(), run.diagnosisAt()), run.diagnosisAt()));
            DataTable all = EventLog.table(ws, new EventLog.GridSpec(config.step(), vars, defaults));
            int nRef = ref0.rows();
            DataTable ref = all.rows(range(0, nRef));
            DataTable runT = all.rows(range(nRef, all.rows()));
            double[] diag = row(runT, runT.rows() - 1);
            Map<String, List<List<String>>> rk = new LinkedHashMap<>();
            // robust z-score (flags as 0/1 codes)
            Map<String, Double> z = new HashMap<>();
            for (int j = 0; j < ref.columns(); j++) {
                z.put(ref.names().get(j), Math.abs(RobustZScore.z(ref.column(j), diag[j])));
            }
            rk.put("robust-z", groups(vars, v -> new double[] {z.get(v)}));
            Map<String, Integer> onsets = RootCauseRanker.onsets(ref, runT, config.threshold());
            rk.put("rank+expert", rankGroups(sub.expert(), ref, diag, onsets));
            rk.put("rank+expert-no-onsets", rankGroups(sub.expert(), ref, diag, Map.of()));
            rk.put("rank+pc-onset-tiers", rankGroups(discover(all, onsets, config, true, limit), ref, diag, onsets));
            rk.put("rank+pc-no-tiers", rankGroups(discover(all, onsets, config, false, limit), ref, diag, onsets));
            int[] segments = new int[ws.size()];
            for (int w = 0; w < ws.size(); w++) {
                segments[w] = (int) Math.floor((ws.get(w).to() - ws.get(w).from()) / config.step() + 1e-9) + 1;
            }
            rk.put("rank+lagged-pc", rankGroups(discoverLagged(all, segments, config, limit), ref, diag, onsets));
            rk.put("rank+ges", rankGroups(discoverGes(all, limit), ref, diag, onsets));
            rk.put("rank+boss", rankGroups(discoverBoss(all, limit), ref, diag, onsets));
            DirectedAcyclicGraph<String, DefaultEdge> empty = new DirectedAcyclicGraph<>(DefaultEdge.class);
            vars.forEach(empty::addVertex);
            rk.put("rank+no-graph", rankGroups(empty, ref, diag, onsets));
            RunResult rr = new RunResult(run.name(), run.causes(), rk);
            out.add(rr);
            progress.accept(rr);
        }
        return out;
    }

    /**
     * PC (the type-matched test, the default collider rule) on pooled reference and anomalous
     * rows, constant columns dropped, optionally with tiers from onsets (a variable that deviated
     * later cannot cause one that deviated earlier), as a DAG over all the table's variables
     * (undirected edges oriented into a consistent extension).
     *
     * @param pooled reference and anomalous rows in one table
     * @param onsets onset row per variable ({@link RootCauseRanker#onsets})
     * @param config settings (alpha)
     * @param tiers  whether to use the onset tiers
     * @return the DAG
     */
    public static Graph<String, DefaultEdge> discover(DataTable pooled, Map<String, Integer> onsets, Config config, boolean tiers) {
        return discover(pooled, onsets, config, tiers, null);
    }

    /**
     * {@link #discover(DataTable, Map, Config, boolean)} under a time limit: the search logs each
     * level's estimate and refuses one that would end past the limit.
     *
     * @param pooled reference and anomalous rows in one table
     * @param onsets onset row per variable ({@link RootCauseRanker#onsets})
     * @param config settings (alpha)
     * @param tiers  whether to use the onset tiers
     * @param limit  the most time the search may take; null or zero for none
     * @return the DAG
     * @throws org.fabai.rca.discovery.SearchTooLongException when it would run past the limit
     */
    public static Graph<String, DefaultEdge> discover(DataTable pooled, Map<String, Integer> onsets, Config config, boolean tiers,
                                                      java.time.Duration limit) {
        List<String> constant = pooled.constantColumns();
        DataTable t = pooled.without(constant);
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        pooled.names().forEach(g::addVertex);
        if (t.columns() < 2) {
            return g;
        }
        Knowledge k = Knowledge.none();
        if (tiers) {
            Knowledge.Builder b = Knowledge.builder();
            RootCauseRanker.tiers(t.names(), onsets).forEach(b::tier);
            k = b.build();
        }
        Cpdag c = new Pc(new PcConfig(config.alpha(), -1, 1, PcConfig.DEFAULT_COLLIDERS)).withTimeLimit(limit)
                .search(testFor(t), k);
        Graph<String, DefaultEdge> d = c.toDag();
        for (DefaultEdge e : d.edgeSet()) {
            g.addEdge(d.getEdgeSource(e), d.getEdgeTarget(e));
        }
        return g;
    }

    /**
     * Time-lagged PC ({@link LaggedPc}, lags 1 and 2 grid steps) on pooled reference and anomalous
     * rows, each log's rows a segment of its own, constant columns dropped, as a DAG over all the
     * table's variables.
     *
     * @param pooled   reference and anomalous rows in one table, each window's rows in time order
     * @param segments row counts of the windows, in order
     * @param config   settings (alpha)
     * @return the summary DAG
     */
    public static Graph<String, DefaultEdge> discoverLagged(DataTable pooled, int[] segments, Config config) {
        return discoverLagged(pooled, segments, config, null);
    }

    /**
     * {@link #discoverLagged(DataTable, int[], Config)} under a time limit.
     *
     * @param pooled   reference and anomalous rows in one table, each window's rows in time order
     * @param segments row counts of the windows, in order
     * @param config   settings (alpha)
     * @param limit    the most time the search may take; null or zero for none
     * @return the summary DAG
     * @throws org.fabai.rca.discovery.SearchTooLongException when it would run past the limit
     */
    public static Graph<String, DefaultEdge> discoverLagged(DataTable pooled, int[] segments, Config config,
                                                            java.time.Duration limit) {
        List<String> constant = pooled.constantColumns();
        DataTable t = pooled.without(constant);
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        pooled.names().forEach(g::addVertex);
        if (t.columns() < 2) {
            return g;
        }
        LaggedPc.Result r = new LaggedPc(LAGS, 1, new PcConfig(config.alpha(), -1, 1, PcConfig.DEFAULT_COLLIDERS))
                .withTimeLimit(limit).search(t, segments, CausRca::testFor);
        for (DefaultEdge e : r.summary().edgeSet()) {
            g.addEdge(r.summary().getEdgeSource(e), r.summary().getEdgeTarget(e));
        }
        return g;
    }

    /**
     * GES ({@link Ges}, linear-Gaussian BIC, penalty 1, subsets up to 4) on pooled reference and
     * anomalous rows, constant columns dropped, categorical columns taken as their codes (binary
     * flags as 0/1), as a DAG over all the table's variables.
     *
     * @param pooled reference and anomalous rows in one table
     * @param limit  the most time the search may take ({@link Ges#withTimeLimit}); null or zero for none
     * @return the DAG
     * @throws org.fabai.rca.discovery.SearchTooLongException when it runs past the limit
     */
    public static Graph<String, DefaultEdge> discoverGes(DataTable pooled, java.time.Duration limit) {
        DataTable t = pooled.without(pooled.constantColumns());
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        pooled.names().forEach(g::addVertex);
        if (t.columns() < 2) {
            return g;
        }
        Graph<String, DefaultEdge> d = new Ges(1.0, 4).withTimeLimit(limit).search(t).toDag();
        for (DefaultEdge e : d.edgeSet()) {
            g.addEdge(d.getEdgeSource(e), d.getEdgeTarget(e));
        }
        return g;
    }

    /**
     * BOSS ({@link Boss}, linear-Gaussian BIC, penalty 1, one start from the column order) on pooled
     * reference and anomalous rows, constant columns dropped, categorical columns taken as their
     * codes, as a DAG over all the table's variables.
     *
     * @param pooled reference and anomalous rows in one table
     * @param limit  the most time the search may take ({@link Boss#withTimeLimit}); null or zero for none
     * @return the DAG
     * @throws org.fabai.rca.discovery.SearchTooLongException when it runs past the limit
     */
    public static Graph<String, DefaultEdge> discoverBoss(DataTable pooled, java.time.Duration limit) {
        DataTable t = pooled.without(pooled.constantColumns());
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        pooled.names().forEach(g::addVertex);
        if (t.columns() < 2) {
            return g;
        }
        Graph<String, DefaultEdge> d = new Boss(1.0, 0, 1).withTimeLimit(limit).search(t).toDag();
        for (DefaultEdge e : d.edgeSet()) {
            g.addEdge(d.getEdgeSource(e), d.getEdgeTarget(e));
        }
        return g;
    }

    /**
     * The independence test that fits a table's column types: G² when every column is
     * categorical, Fisher-z when every column is continuous, the mixed linear test otherwise.
     *
     * @param t a table
     * @return the test
     */
    public static IndependenceTest testFor(DataTable t) {
        int cat = 0;
        for (int j = 0; j < t.columns(); j++) {
            if (t.isCategorical(j)) {
                cat++;
            }
        }
        if (cat == t.columns()) {
            return new DiscreteTest(t, DiscreteTest.Statistic.G_SQUARE);
        }
        return cat == 0 ? new FisherZTest(t) : new MixedLinearTest(t);
    }

    private static List<List<String>> rankGroups(Graph<String, DefaultEdge> g, DataTable ref, double[] diag,
                                                 Map<String, Integer> onsets) {
        StructuralCausalModel scm = StructuralCausalModel.fit(g, ref, ScmConfig.defaults());
        List<RootCauseRanker.RankedCause> r = RootCauseRanker.rank(scm, ref, new double[][] {diag}, onsets);
        Map<String, RootCauseRanker.RankedCause> by = new HashMap<>();
        r.forEach(c -> by.put(c.name(), c));
        return groups(ref.names(), v -> new double[] {by.get(v).score(), by.get(v).marginal(), -by.get(v).onset()});
    }

    /** Groups variables by equal keys, best (largest, lexicographic) first. */
    private static List<List<String>> groups(List<String> vars, java.util.function.Function<String, double[]> key) {
        List<String> s = new ArrayList<>(vars);
        Comparator<String> cmp = (a, b) -> Arrays.compare(key.apply(b), key.apply(a));
        s.sort(cmp);
        List<List<String>> out = new ArrayList<>();
        for (String v : s) {
            if (!out.isEmpty() && cmp.compare(out.get(out.size() - 1).get(0), v) == 0) {
                out.get(out.size() - 1).add(v);
            } else {
                out.add(new ArrayList<>(List.of(v)));
            }
        }
        return out;
    }

    /**
     * Expected AC@k of a ranking in tied groups: the probability that a true cause is among the
     * first k when each tied group is in random order.
     *
     * @param groups ranked groups
     * @param causes true causes
     * @param k      k, at least 1
     * @return the probability
     */
    public static double expectedHit(List<List<String>> groups, List<String> causes, int k) {
        int pos = 0;
        for (List<String> g : groups) {
            if (pos >= k) {
                return 0;
            }
            long h = g.stream().filter(causes::contains).count();
            int take = k - pos;
            if (h > 0) {
                if (take >= g.size()) {
                    return 1;
                }
                // P(no cause among `take` drawn from g) = C(g - h, take) / C(g, take)
                double miss = 1;
                for (int i = 0; i < take; i++) {
                    miss *= (double) (g.size() - h - i) / (g.size() - i);
                    if (miss <= 0) {
                        miss = 0;
                        break;
                    }
                }
                return 1 - miss;
            }
            pos += g.size();
        }
        return 0;
    }

    private static String mode(DataTable t, int j) {
        Map<Double, Integer> c = new HashMap<>();
        for (int i = 0; i < t.rows(); i++) {
            c.merge(t.get(i, j), 1, Integer::sum);
        }
        double best = c.entrySet().stream().max(Map.Entry.<Double, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
        return t.isCategorical(j) ? t.levels(j).get((int) best) : Double.toString(best);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static double[] row(DataTable t, int i) {
        double[] r = new double[t.columns()];
        for (int j = 0; j < r.length; j++) {
            r[j] = t.get(i, j);
        }
        return r;
    }

    /**
     * @param results per-run results
     * @param method  a method
     * @param k       k
     * @return mean expected AC@k over the runs
     */
    public static double accuracy(List<RunResult> results, String method, int k) {
        return results.stream().mapToDouble(r -> expectedHit(r.rankings().get(method), r.causes(), k)).average().orElse(Double.NaN);
    }

    static {
        LOG.debug("causRCA evaluation loaded");
    }
}
