package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.data.EventLog;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.TetradGraphFormat;
import org.fabai.rca.rootcause.CausRca;
import org.fabai.rca.rootcause.RootCauseRanker;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai rca rank} and {@code fabai rca causrca}: root causes of anomalous rows against reference data. */
final class RcaRootCause {

    private RcaRootCause() {
    }

    @Command(name = "rank", mixinStandardHelpOptions = true,
            description = {"Which variable is the root cause? Fits a structural causal model on --reference (normal) data",
                "over a graph (given, or discovered by PC on reference plus anomalous rows with tiers from the onsets)",
                "and ranks the variables of the anomalous rows: a variable whose value is surprising given its parents,",
                "not one that follows an anomalous parent. Without a graph it is the robust (rank) z-score."})
    static final class Rank implements Callable<Integer> {
        @Parameters(paramLabel = "ANOMALOUS", arity = "1..*", description = "the anomalous table, or event logs with --events")
        List<Path> inputs;
        @Option(names = "--reference", required = true, arity = "1..*", description = "reference (normal) data: a table, or "
                + "event logs with --events (gridded on the whole of each log; --from/--to cut the anomalous logs only)")
        List<Path> reference;
        @CommandLine.Mixin
        RcaData data;
        @Option(names = "--row", split = ",", description = "0-based anomalous row(s) to rank (default: the last row)")
        List<Integer> rows;
        @Option(names = "--graph", description = "causal graph (Tetrad text or DOT); default: discover")
        Path graph;
        @CommandLine.Mixin
        RcaTimeLimit timeLimit;
        @Option(names = "--no-graph", description = "rank by the marginal (robust z) score alone")
        boolean noGraph;
        @Option(names = "--alpha", defaultValue = "0.01", description = "PC's significance level (default ${DEFAULT-VALUE})")
        double alpha;
        @Option(names = "--threshold", defaultValue = "4.605", description = "marginal score that marks a variable's onset "
                + "(default ${DEFAULT-VALUE} = -log 0.01)")
        double threshold;
        @Option(names = "--top", defaultValue = "10", description = "causes to list in the text output")
        int top;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.time.Duration limit = timeLimit.limit();
            DataTable[] refAn = data.readReferenceAndAnomalous(reference, inputs);
            DataTable ref = refAn[0];
            DataTable an = refAn[1];
            List<Integer> rs = RcaData.rowsOrLast(rows, an);
            double[][] r = RcaData.values(an, rs);
            Map<String, Integer> onsets = RootCauseRanker.onsets(ref, an, threshold);
            Graph<String, DefaultEdge> g;
            String how;
            if (noGraph) {
                DirectedAcyclicGraph<String, DefaultEdge> e = new DirectedAcyclicGraph<>(DefaultEdge.class);
                ref.names().forEach(e::addVertex);
                g = e;
                how = "no graph";
            } else if (graph != null) {
                Cpdag c = TetradGraphFormat.readAny(graph);
                var d = c.toDag();
                for (String n : ref.names()) {
                    d.addVertex(n);
                }
                for (String n : new ArrayList<>(d.vertexSet())) {
                    if (!ref.names().contains(n)) {
                        err.println("note: graph node '" + n + "' is not a column; left out");
                        d.removeVertex(n);
                    }
                }
                g = d;
                how = "graph " + graph.getFileName();
            } else {
                DataTable both = concat(ref, an);
                List<String> constant = both.constantColumns();
                if (!constant.isEmpty()) {
                    err.println("note: " + constant.size() + " constant column(s) left out of discovery: " + String.join(", ", constant));
                }
                g = CausRca.discover(both, onsets, new CausRca.Config(1.0, alpha, threshold), true, limit);
                how = "graph discovered by PC (alpha " + alpha + ", onset tiers): " + g.edgeSet().size() + " edges";
            }
            StructuralCausalModel scm = StructuralCausalModel.fit(g, ref, ScmConfig.defaults());
            List<RootCauseRanker.RankedCause> ranked = RootCauseRanker.rank(scm, ref, r, onsets);
            csv.write(ranked);
            if (json) {
                Map<String, Object> j = Json.object("rca rank", 1);
                j.put("referenceRows", ref.rows());
                j.put("anomalousRows", rs);
                j.put("graph", how);
                j.put("ranking", ranked);
                Json.print(out, j);
            } else {
                out.printf(Locale.ROOT, "%d reference rows; anomalous row(s) %s; %s%n", ref.rows(), rs, how);
                out.printf(Locale.ROOT, "%-4s %-28s %9s %11s %9s %7s  %s%n", "rank", "variable", "score", "conditional",
                        "marginal", "onset", "value");
                for (int i = 0; i < Math.min(top, ranked.size()); i++) {
                    RootCauseRanker.RankedCause c = ranked.get(i);
                    out.printf(Locale.ROOT, "%-4d %-28s %9.3f %11.3f %9.3f %7s  %s%n", i + 1, c.name(), c.score(),
                            c.conditional(), c.marginal(), c.onset() == Integer.MAX_VALUE ? "-" : String.valueOf(c.onset()),
                            an.format(rs.get(rs.size() - 1), an.indexOf(c.name())));
                }
            }
            out.flush();
            return 0;
        }

        private static DataTable concat(DataTable a, DataTable b) {
            DataTable.Builder bl = DataTable.builder();
            for (int j = 0; j < a.columns(); j++) {
                double[] x = new double[a.rows() + b.rows()];
                System.arraycopy(a.column(j), 0, x, 0, a.rows());
                System.arraycopy(b.column(j), 0, x, a.rows(), b.rows());
                if (a.isCategorical(j)) {
                    int[] c = new int[x.length];
                    for (int i = 0; i < x.length; i++) {
                        c[i] = (int) x[i];
                    }
                    bl.categorical(a.names().get(j), c, a.levels(j));
                } else {
                    bl.continuous(a.names().get(j), x);
                }
            }
            return bl.build();
        }
    }

    @Command(name = "causrca", mixinStandardHelpOptions = true,
            description = {"Root-cause accuracy on data laid out like the causRCA benchmark: a subsystem folder (nodes, expert",
                "edges, exp_NN/run_K fault runs with causes.json and the manipulated variables) and a folder of normal",
                "recordings. Prints AC@1 and AC@3 of the robust z-score and of rank with the expert and discovered graphs."})
    static final class CausRcaEval implements Callable<Integer> {
        @Parameters(paramLabel = "SUBSYSTEM", description = "e.g. ../shared/data/causrca/exp_coolant")
        Path subsystem;
        @Option(names = "--reference", required = true, description = "folder of normal-operation event logs")
        Path reference;
        @Option(names = "--grid", defaultValue = "1.0", description = "event-log grid step in seconds")
        double grid;
        @Option(names = "--alpha", defaultValue = "0.01", description = "PC's significance level for the discovered graph")
        double alpha;
        @Option(names = "--per-run", description = "also print each run's top three per method")
        boolean perRun;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @CommandLine.Mixin
        RcaTimeLimit timeLimit;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.time.Duration limit = timeLimit.limit();
            CausRca.Subsystem sub = CausRca.readSubsystem(subsystem);
            List<EventLog> ref = CausRca.readReference(reference);
            int[] done = {0};
            long t0 = System.nanoTime();
            List<CausRca.RunResult> res = CausRca.evaluate(sub, ref, new CausRca.Config(grid, alpha, -Math.log(0.01)), limit, r -> {
                done[0]++;
                err.printf(Locale.ROOT, "[%d/%d] %s%n", done[0], sub.runs().size(), r.run());
                err.flush();
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            if (csv.given()) {
                // one row per run and method: the true causes and the method's ranking (groups of tied variables)
                List<Map<String, Object>> rows = new ArrayList<>();
                for (CausRca.RunResult rr : res) {
                    for (Map.Entry<String, List<List<String>>> e : rr.rankings().entrySet()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("run", rr.run());
                        m.put("method", e.getKey());
                        m.put("causes", rr.causes());
                        m.put("ranking", e.getValue());
                        rows.add(m);
                    }
                }
                csv.write(rows);
            }
            if (json) {
                Map<String, Object> j = Json.object("rca causrca", 1);
                j.put("runs", res.size());
                Map<String, Object> acc = new LinkedHashMap<>();
                for (String m : CausRca.METHODS) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("ac1", CausRca.accuracy(res, m, 1));
                    a.put("ac3", CausRca.accuracy(res, m, 3));
                    acc.put(m, a);
                }
                j.put("accuracy", acc);
                j.put("results", res);
                Json.print(out, j);
            } else {
                out.printf(Locale.ROOT, "%s: %d runs, %d variables, %d reference logs (%.1f s)%n", subsystem.getFileName(),
                        res.size(), sub.variables().size(), ref.size(), secs);
                out.printf(Locale.ROOT, "%-26s %6s %6s%n", "method", "AC@1", "AC@3");
                for (String m : CausRca.METHODS) {
                    out.printf(Locale.ROOT, "%-26s %6.3f %6.3f%n", m, CausRca.accuracy(res, m, 1), CausRca.accuracy(res, m, 3));
                }
                if (perRun) {
                    for (CausRca.RunResult r : res) {
                        out.println(r.run() + " causes " + r.causes());
                        r.rankings().forEach((m, g) -> out.println("  " + m + ": " + g.subList(0, Math.min(3, g.size()))));
                    }
                }
            }
            out.flush();
            return 0;
        }
    }
}
