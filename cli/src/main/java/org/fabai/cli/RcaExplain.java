package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.rca.Cause;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.discovery.TetradGraphFormat;
import org.fabai.rca.scm.AnomalyAttribution;
import org.fabai.rca.scm.Attribution;
import org.fabai.rca.scm.AttributionConfig;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai rca explain}: Shapley attribution of rows' anomalous targets over a fitted structural causal model. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Why is this row's target anomalous? Fits a structural causal model on a graph (discovered by PC",
            "under the given tiers, or given in Tetrad's text format or Graphviz DOT) — on --reference data when given",
            "(the DoWhy-gcm way), else on the table itself — and splits each row's outlier score over the upstream",
            "variables with Shapley values over the noise terms. The contributions add up to the score explained."})
final class RcaExplain implements Callable<Integer> {
    @Parameters(paramLabel = "TABLE", arity = "1..*", description = "a table (delimited text, or Apache Parquet: *.parquet or by its magic bytes), or event logs with --events")
    List<Path> tables;
    @CommandLine.Mixin
    RcaData data;
    /** Discovery's options: used when no {@code --graph} is given. */
    @CommandLine.Mixin
    RcaPcOptions pcOptions;
    @Option(names = "--target", required = true, split = ",", description = "the anomalous variable(s), e.g. yield")
    List<String> targets;
    @Option(names = "--row", split = ",", description = "0-based data row(s) to explain (default: the last row)")
    List<Integer> rows;
    @Option(names = "--reference", arity = "1..*", description = "reference (normal) data to fit the model on: a table, "
            + "or event logs with --events")
    List<Path> reference;
    @Option(names = "--tail", defaultValue = "LOW", description = "anomalous side: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    AttributionConfig.Tail tail;
    @Option(names = "--graph", description = "causal graph in Tetrad's text format or Graphviz DOT (default: discover with PC)")
    Path graph;
    @Option(names = "--permutations", defaultValue = "8", description = "random variable orders for the Shapley values")
    int permutations;
    @Option(names = "--samples", defaultValue = "200", description = "noise samples per evaluation of the outlier score")
    int samples;
    @Option(names = "--seed", defaultValue = "1", description = "random seed")
    long seed;
    @Option(names = "--json", description = "print one JSON object (schema fabai/rca-explain, cli/JSON.md) instead of text")
    boolean json;
    @CommandLine.Mixin
    Json.CsvOption csv;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        pcOptions.checkLimits();
        DataTable t = data.read(tables);
        DataTable fitOn = t;
        if (reference != null) {
            DataTable ref = data.read(reference);
            DataTable[] u = DataTable.unifyLevels(ref.select(common(ref, t)), t.select(common(ref, t)));
            fitOn = u[0];
            t = u[1];
        }
        for (String target : targets) {
            if (!t.names().contains(target)) {
                throw new IllegalArgumentException(tables.get(0) + ": no column '" + target + "'; columns: " + t.names());
            }
        }
        List<String> constant = new ArrayList<>(fitOn.constantColumns());
        constant.removeAll(targets);
        if (!constant.isEmpty()) {
            err.println("note: dropped " + constant.size() + " column(s) constant in the "
                    + (reference != null ? "reference" : "table") + ": " + String.join(", ", constant));
            fitOn = fitOn.without(constant);
            t = t.without(constant);
        }
        List<Integer> rs = RcaData.rowsOrLast(rows, t);
        double[][] r = RcaData.values(t, rs);
        Verbosity.Stages stages = Verbosity.stages(err);
        Graph<String, DefaultEdge> g = graph(t, fitOn, stages, err);
        stages.say("fitting the structural causal model");
        StructuralCausalModel scm = StructuralCausalModel.fit(g, fitOn, ScmConfig.defaults());
        stages.say("attributing %d row%s: %d permutations x %d samples", rs.size(), rs.size() == 1 ? "" : "s",
                permutations, samples);
        List<Attribution> as = AnomalyAttribution.explainAll(scm, targets, r,
                new AttributionConfig(permutations, samples, tail, seed));
        Map<String, Object> j = json(t, rs, as);
        if (csv.given()) {
            // one row per row, target and contribution
            List<Map<String, Object>> rows = new ArrayList<>();
            int k = 0;
            for (int row : rs) {
                for (String target : targets) {
                    Attribution a = as.get(k++);
                    for (Cause c : a.contributions()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("row", row);
                        m.put("target", target);
                        m.put("outlierScore", Json.num(a.outlierScore()));
                        m.put("cause", c.name());
                        m.put("contribution", Json.num(c.score()));
                        rows.add(m);
                    }
                }
            }
            csv.write(rows);
        }
        if (json) {
            Json.print(out, j);
        } else {
            printText(out, t, rs, as);
        }
        out.flush();
        return 0;
    }

    /** The {@code --graph} given (nodes that are no column left out), or PC's on the data to fit on. */
    private Graph<String, DefaultEdge> graph(DataTable t, DataTable fitOn, Verbosity.Stages stages, PrintWriter err)
            throws Exception {
        if (graph != null) {
            Graph<String, DefaultEdge> g = TetradGraphFormat.readAny(graph).toDag();
            for (String n : new ArrayList<>(g.vertexSet())) {
                if (!t.names().contains(n)) {
                    if (targets.contains(n)) {
                        throw new IllegalArgumentException("target '" + n + "' is not a column");
                    }
                    err.println("note: graph node '" + n + "' is not a (non-constant) column; left out");
                    g.removeVertex(n);
                }
            }
            return g;
        }
        RcaPcOptions.checkWidth(fitOn.columns(), pcOptions.maxColumns);
        stages.say("discovering the graph with PC on %d rows x %d columns", fitOn.rows(), fitOn.columns());
        Knowledge k = RcaPcOptions.knowledge(pcOptions.tiers, List.of(), List.of(), fitOn.names());
        Cpdag found = pcOptions.pc(-1, PcConfig.DEFAULT_COLLIDERS).search(pcOptions.test(fitOn), k);
        return found.toDag();
    }

    private Map<String, Object> json(DataTable t, List<Integer> rs, List<Attribution> as) {
        List<Map<String, Object>> js = new ArrayList<>();
        int i = 0;
        for (int row : rs) {
            for (String target : targets) {
                Attribution a = as.get(i++);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("row", row);
                m.put("target", target);
                m.put("value", t.format(row, t.indexOf(target)));
                m.put("outlierScore", a.outlierScore());
                m.put("monteCarloError", a.monteCarloError());
                m.put("empiricalScore", a.empiricalScore());
                m.put("contributions", a.contributions());
                js.add(m);
            }
        }
        Map<String, Object> j = Json.object("rca explain", 1);
        j.put("targets", targets);
        j.put("rows", t.rows());
        j.put("attributions", js);
        return j;
    }

    private void printText(PrintWriter out, DataTable t, List<Integer> rs, List<Attribution> as) {
        int i = 0;
        for (int row : rs) {
            for (String target : targets) {
                Attribution a = as.get(i++);
                out.printf(Locale.ROOT, "row %d: %s = %s, outlier score %.3f ± %.3f (Monte Carlo; %.3f against the "
                        + "%s rows); contributions (Shapley, noise terms, sum %.3f):%n", row, target,
                        t.format(row, t.indexOf(target)), a.outlierScore(), a.monteCarloError(), a.empiricalScore(),
                        reference != null ? "reference" : "table", a.contributionSum());
                for (Cause c : a.contributions()) {
                    out.printf(Locale.ROOT, "  %-24s %8.3f   (%s)%n", c.name(), c.score(),
                            t.format(row, t.indexOf(c.name())));
                }
            }
        }
    }

    private static List<String> common(DataTable ref, DataTable t) {
        List<String> c = new ArrayList<>();
        for (String n : t.names()) {
            if (ref.names().contains(n)) {
                c.add(n);
            }
        }
        if (c.isEmpty()) {
            throw new IllegalArgumentException("the reference and the table share no column");
        }
        return c;
    }
}
