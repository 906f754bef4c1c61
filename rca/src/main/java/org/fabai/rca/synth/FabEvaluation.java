package org.fabai.rca.synth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Cause;
import org.fabai.rca.baseline.RobustZScore;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.scm.AnomalyAttribution;
import org.fabai.rca.scm.Attribution;
import org.fabai.rca.scm.AttributionConfig;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;

/**
 * Top-k accuracy (AC@1, AC@3) of root-cause methods on {@link SyntheticFab}s over many seeds. A
 * method ranks candidates {@code "step tool/chamber"}; it is right at k when the planted chamber
 * is among its first k. All methods see the same data: the histories and yields of every wafer;
 * the "reference" period is the first half of the release span and the "anomalous" period the
 * last fifth (the fault starts at a time the methods are not told).
 *
 * <p>Stateless and thread-safe.
 */
public final class FabEvaluation {

    /** The methods compared. Immutable and thread-safe. */
    public enum Method {
        /**
         * robust z-score baseline: per candidate, the median yield of its anomalous-period wafers
         * against the median/MAD of its reference-period wafers' yields
         */
        ROBUST_Z_BASELINE,
        /** tool commonality (Kruskal-Wallis and one-vs-rest post-hoc) on yield over all wafers */
        COMMONALITY,
        /** the same, stratified by 1-day windows */
        COMMONALITY_WINDOWED,
        /**
         * SCM on the true graph fitted on all wafers; Shapley attribution of the 10 lowest yields
         * of the anomalous period; a step's credit goes to the chamber each wafer used there
         */
        SCM_ATTRIBUTION,
        /**
         * the same on a graph discovered by PC (mixed-data test, alpha 0.01, depth 3) under the
         * fab's process-order knowledge ({@link SyntheticFab#knowledge()})
         */
        SCM_DISCOVERED
    }

    /**
     * One row of the accuracy table.
     *
     * Immutable and thread-safe.
     *
     * @param method the method
     * @param seeds  number of fabs (seeds)
     * @param ac1    fraction with the planted chamber ranked first
     * @param ac3    fraction with it in the first three
     */
    public record Accuracy(Method method, int seeds, double ac1, double ac3) {
    }

    private FabEvaluation() {
    }

    /**
     * Evaluates methods over seeds {@code firstSeed .. firstSeed + seeds - 1}.
     *
     * @param template  fab configuration (its seed is replaced)
     * @param firstSeed first seed
     * @param seeds     number of seeds, at least 1
     * @param methods   methods to evaluate
     * @return one row per method, in the given order
     */
    public static List<Accuracy> evaluate(FabConfig template, long firstSeed, int seeds, List<Method> methods) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        Map<Method, int[]> hits = new LinkedHashMap<>();
        methods.forEach(m -> hits.put(m, new int[2]));
        for (int s = 0; s < seeds; s++) {
            SyntheticFab fab = SyntheticFab.generate(template.withSeed(firstSeed + s));
            String truth = fab.plantedCause();
            for (Method m : methods) {
                List<Cause> r = rank(m, fab, firstSeed + s);
                int pos = -1;
                for (int i = 0; i < r.size(); i++) {
                    if (r.get(i).name().equals(truth)) {
                        pos = i;
                        break;
                    }
                }
                if (pos == 0) {
                    hits.get(m)[0]++;
                }
                if (pos >= 0 && pos < 3) {
                    hits.get(m)[1]++;
                }
            }
        }
        List<Accuracy> out = new ArrayList<>();
        hits.forEach((m, h) -> out.add(new Accuracy(m, seeds, (double) h[0] / seeds, (double) h[1] / seeds)));
        return out;
    }

    /**
     * Ranks candidate causes on one fab with one method.
     *
     * @param method the method
     * @param fab    the fab
     * @param seed   seed for the method's own randomness
     * @return candidates {@code "step tool/chamber"}, most likely first
     */
    public static List<Cause> rank(Method method, SyntheticFab fab, long seed) {
        Objects.requireNonNull(method, "method");
        Map<String, Double> yield = fab.outcome(SyntheticFab.YIELD);
        return switch (method) {
            case ROBUST_Z_BASELINE -> baseline(fab, yield);
            case COMMONALITY -> new CommonalityScreen(CommonalityConfig.continuous(false)).run(fab.histories(), yield).causes();
            case COMMONALITY_WINDOWED -> new CommonalityScreen(CommonalityConfig.continuous(false).withWindow(Duration.ofDays(1)))
                    .run(fab.histories(), yield).causes();
            case SCM_ATTRIBUTION -> scm(fab, fab.trueGraph(), yield, seed);
            case SCM_DISCOVERED -> scm(fab, discover(fab), yield, seed);
        };
    }

    private static Instant start(WaferHistory h) {
        return h.runs().get(0).time();
    }

    private static List<Cause> baseline(SyntheticFab fab, Map<String, Double> yield) {
        Instant refEnd = fab.timeAt(0.5);
        Instant anomStart = fab.timeAt(0.8);
        Map<String, List<Double>> ref = new HashMap<>();
        Map<String, List<Double>> cur = new HashMap<>();
        for (WaferHistory h : fab.histories()) {
            Instant t = start(h);
            Map<String, List<Double>> target = t.isBefore(refEnd) ? ref : !t.isBefore(anomStart) ? cur : null;
            if (target == null) {
                continue;
            }
            for (StepRun r : h.runs()) {
                target.computeIfAbsent(r.step().id() + " " + r.tool().label(), k -> new ArrayList<>()).add(yield.get(h.waferId()));
            }
        }
        Map<String, double[]> refArr = new HashMap<>();
        ref.forEach((k, v) -> refArr.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        Map<String, Double> curMed = new HashMap<>();
        cur.forEach((k, v) -> curMed.put(k, RobustZScore.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return RobustZScore.rankCandidates(refArr, curMed, -1);
    }

    /**
     * Discovers the fab's causal graph from its table under its process-order knowledge.
     *
     * @param fab the fab
     * @return a DAG in the discovered equivalence class
     */
    public static org.jgrapht.graph.DirectedAcyclicGraph<String, org.jgrapht.graph.DefaultEdge> discover(SyntheticFab fab) {
        return new Pc(new PcConfig(0.01, 3, 1, PcConfig.ColliderRule.SEPSETS))
                .search(new MixedLinearTest(fab.table()), fab.knowledge()).toDag();
    }

    private static List<Cause> scm(SyntheticFab fab, org.jgrapht.Graph<String, org.jgrapht.graph.DefaultEdge> graph,
                                   Map<String, Double> yield, long seed) {
        DataTable table = fab.table();
        StructuralCausalModel model = StructuralCausalModel.fit(graph, table, ScmConfig.defaults());
        Instant anomStart = fab.timeAt(0.8);
        List<Integer> anomalous = new ArrayList<>();
        List<WaferHistory> hs = fab.histories();
        for (int i = 0; i < hs.size(); i++) {
            if (!start(hs.get(i)).isBefore(anomStart)) {
                anomalous.add(i);
            }
        }
        anomalous.sort(Comparator.comparingDouble(i -> yield.get(hs.get(i).waferId())));
        List<Integer> worst = anomalous.subList(0, Math.min(10, anomalous.size()));
        Map<String, Double> credit = new HashMap<>();
        for (int w : worst) {
            double[] row = new double[table.columns()];
            for (int j = 0; j < row.length; j++) {
                row[j] = table.get(w, j);
            }
            if (!model.ancestors(SyntheticFab.YIELD).stream().anyMatch(v -> table.isCategorical(table.indexOf(v)))) {
                break;
            }
            Attribution a = AnomalyAttribution.explain(model, SyntheticFab.YIELD, row,
                    new AttributionConfig(6, 64, AttributionConfig.Tail.LOW, seed * 1000 + w));
            for (Cause c : a.contributions()) {
                int col = table.indexOf(c.name());
                if (!table.isCategorical(col)) {
                    continue;
                }
                String chamber = table.levels(col).get((int) row[col]);
                credit.merge(c.name() + " " + chamber, c.score(), Double::sum);
            }
        }
        List<Cause> out = new ArrayList<>();
        credit.forEach((k, v) -> out.add(new Cause(k, v)));
        out.sort(Comparator.comparingDouble(Cause::score).reversed().thenComparing(Cause::name));
        return out;
    }
}
