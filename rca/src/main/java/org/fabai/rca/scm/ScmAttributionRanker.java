package org.fabai.rca.scm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Cause;
import org.fabai.rca.CauseRanker;
import org.fabai.rca.RcaProblem;
import org.fabai.rca.Ranking;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Shapley attribution on a structural causal model as a {@link CauseRanker}: the SCM is fitted on
 * the problem's {@link RcaProblem#table() table} over a graph (given, or discovered by PC with the
 * mixed-data test under the problem's {@link RcaProblem#knowledge() knowledge}); the 10 worst
 * target values of the anomalous period are attributed to the target's ancestors
 * ({@link AnomalyAttribution}, 6 permutations, 64 samples), and a step's credit goes to the
 * tool/chamber each of those wafers used there. Confidence: the cause's share of the positive
 * credit. Immutable and thread-safe.
 */
public final class ScmAttributionRanker implements CauseRanker {

    /** Wafers attributed: the worst of the anomalous period. */
    public static final int WORST = 10;

    private final String name;
    private final Function<RcaProblem, Graph<String, DefaultEdge>> graph;
    private final long seed;

    /**
     * @param name  the method's name
     * @param graph the graph for a problem
     * @param seed  seed of the attribution's sampling
     */
    public ScmAttributionRanker(String name, Function<RcaProblem, Graph<String, DefaultEdge>> graph, long seed) {
        this.name = Objects.requireNonNull(name, "name");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.seed = seed;
    }

    /**
     * @param config PC configuration
     * @param seed   seed of the attribution's sampling
     * @return the ranker on the graph PC discovers, named {@code "scm-discovered"}
     */
    public static ScmAttributionRanker discovered(PcConfig config, long seed) {
        Objects.requireNonNull(config, "config");
        return new ScmAttributionRanker("scm-discovered", p -> discover(p, config), seed);
    }

    /**
     * @param problem a problem
     * @param config  PC configuration
     * @return a DAG in the equivalence class PC finds on the problem's table under its knowledge
     */
    public static org.jgrapht.graph.DirectedAcyclicGraph<String, DefaultEdge> discover(RcaProblem problem, PcConfig config) {
        return new Pc(config).search(new MixedLinearTest(problem.table()), problem.knowledge()).toDag();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Ranking rank(RcaProblem problem) {
        DataTable table = problem.table();
        String target = problem.target();
        StructuralCausalModel model = StructuralCausalModel.fit(graph.apply(problem), table, ScmConfig.defaults());
        Map<String, Double> y = problem.targetValues();
        List<WaferHistory> hs = problem.histories();
        List<Integer> anomalous = new ArrayList<>();
        for (int i = 0; i < hs.size(); i++) {
            if (problem.inAnomalous(hs.get(i)) && y.containsKey(hs.get(i).waferId())) {
                anomalous.add(i);
            }
        }
        int dir = problem.badDirection();
        anomalous.sort(Comparator.comparingDouble(i -> dir * -y.get(hs.get(i).waferId())));
        List<Integer> worst = anomalous.subList(0, Math.min(WORST, anomalous.size()));
        AttributionConfig.Tail tail = problem.lowIsBad() ? AttributionConfig.Tail.LOW : AttributionConfig.Tail.HIGH;
        Map<String, Double> credit = new HashMap<>();
        boolean categoricalAncestor = model.ancestors(target).stream().anyMatch(v -> table.isCategorical(table.indexOf(v)));
        for (int w : worst) {
            if (!categoricalAncestor) {
                break;
            }
            double[] row = new double[table.columns()];
            for (int j = 0; j < row.length; j++) {
                row[j] = table.get(w, j);
            }
            Attribution a = AnomalyAttribution.explain(model, target, row, new AttributionConfig(6, 64, tail, seed * 1000 + w));
            for (Cause c : a.contributions()) {
                int col = table.indexOf(c.name());
                if (!table.isCategorical(col)) {
                    continue;
                }
                credit.merge(c.name() + " " + table.levels(col).get((int) row[col]), c.score(), Double::sum);
            }
        }
        double positive = credit.values().stream().mapToDouble(v -> Math.max(0, v)).sum();
        List<Ranking.Ranked> out = new ArrayList<>();
        credit.forEach((k, v) -> out.add(new Ranking.Ranked(k, v, positive > 0 ? Math.max(0, v) / positive : 0)));
        out.sort(Comparator.comparingDouble(Ranking.Ranked::score).reversed().thenComparing(Ranking.Ranked::name));
        return new Ranking(name, out, "share of the positive Shapley credit");
    }
}
