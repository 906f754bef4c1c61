package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.SkippedStep;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.commonality.StreamingCommonality;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.data.HistoryCsv;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.FisherZTest;
import org.fabai.rca.discovery.GraphComparison;
import org.fabai.rca.discovery.IndependenceTest;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.discovery.TetradGraphFormat;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai rca ...}: tool commonality, causal discovery and a synthetic fab with a planted cause. */
@Command(name = "rca", mixinStandardHelpOptions = true, description = "Root-cause analysis.",
        subcommands = {RcaCommand.Commonality.class, RcaCommand.Discover.class, RcaCommand.Explain.class,
            RcaCommand.Synth.class})
final class RcaCommand implements Runnable {

    static final com.google.gson.Gson GSON = new com.google.gson.GsonBuilder().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "commonality", mixinStandardHelpOptions = true,
            description = {"Which tool/chamber at which step goes with the bad outcome (Kruskal-Wallis or G/Fisher, BH-adjusted).",
                "Histories are streamed from the CSV on all cores into sufficient statistics (memory grows with wafers,"
                + " not rows); --bootstrap holds them in memory."})
    static final class Commonality implements Callable<Integer> {
        @Option(names = "--histories", required = true, description = "CSV wafer_id,step,tool[,chamber,timestamp,lot_id]")
        Path histories;
        @Option(names = "--outcomes", required = true, description = "CSV wafer_id,name,value")
        Path outcomes;
        @Option(names = "--outcome", defaultValue = "yield", description = "outcome name (default ${DEFAULT-VALUE})")
        String outcome;
        @Option(names = "--binary", description = "outcome is pass/fail (1 = bad)")
        boolean binary;
        @Option(names = "--high-is-bad", description = "for a continuous outcome: high values are bad (default: low)")
        boolean highIsBad;
        @Option(names = "--window", description = "stratify by time windows, ISO-8601 duration, e.g. P1D")
        Duration window;
        @Option(names = "--bootstrap", defaultValue = "0", description = "bootstrap replicates for ranking confidence")
        int bootstrap;
        @Option(names = "--top", defaultValue = "10")
        int top;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @Option(names = "--threads", defaultValue = "0", description = "threads reading the histories (0: one per core)")
        int threads;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Double> y = HistoryCsv.byName(HistoryCsv.readOutcomes(outcomes), outcome);
            CommonalityConfig c = binary ? CommonalityConfig.binary() : CommonalityConfig.continuous(highIsBad);
            if (window != null) {
                c = c.withWindow(window);
            }
            CommonalityScreen screen = new CommonalityScreen(c);
            CommonalityResult r;
            List<WaferHistory> hs = null;
            long waferCount;
            if (bootstrap > 0) {
                // resampling wafers needs every history in memory (checked against the heap first)
                hs = HistoryCsv.readHistories(histories);
                r = screen.run(hs, y);
                waferCount = hs.size();
            } else {
                StreamingCommonality.Run run = new StreamingCommonality(c, HistoryCsvScanner.Options.defaults()
                        .withThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                        .withProgress(Duration.ofSeconds(5), (rows, read, total, nanos) -> {
                            err.printf(Locale.ROOT, "fabai commonality: %,d rows, %d%% of %,d MB, %,.0f rows/s%n", rows,
                                    total > 0 ? 100 * read / total : 100, total >> 20, rows * 1e9 / Math.max(1, nanos));
                            err.flush();
                        })).run(histories, y);
                r = run.result();
                waferCount = run.wafers();
                err.printf(Locale.ROOT, "fabai commonality: %,d rows, %,d wafers, %d steps in %.1f s (%,.0f rows/s), peak heap %,d MB%n",
                        run.rows(), run.wafers(), run.steps(), run.seconds(), run.rows() / Math.max(1e-9, run.seconds()),
                        peakHeapBytes() >> 20);
                err.flush();
            }
            if (json) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("wafers", waferCount);
                j.put("outcome", outcome);
                List<Map<String, Object>> steps = new ArrayList<>();
                for (StepFinding s : r.ranked()) {
                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("step", s.step());
                    m.put("test", s.test());
                    m.put("statistic", s.statistic());
                    m.put("p", s.p());
                    m.put("q", s.q());
                    m.put(s.effectName(), s.effectSize());
                    m.put("culprit", s.culprit().tool());
                    m.put("culpritQ", s.culpritQ());
                    steps.add(m);
                }
                j.put("steps", steps);
                j.put("skipped", r.skipped().stream().map(Object::toString).toList());
                if (bootstrap > 0) {
                    j.put("bootstrap", screen.bootstrap(hs, y, bootstrap, 1));
                }
                out.println(GSON.toJson(j));
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "%d wafers, outcome '%s'; %d steps tested, %d skipped%n", waferCount, outcome,
                    r.ranked().size(), r.skipped().size());
            out.printf(Locale.ROOT, "%-12s %-14s %10s %10s %8s  %-16s %10s%n", "step", "test", "p", "q", "effect", "culprit", "culprit q");
            for (StepFinding s : r.ranked().subList(0, Math.min(top, r.ranked().size()))) {
                out.printf(Locale.ROOT, "%-12s %-14s %10.3g %10.3g %8.3f  %-16s %10.3g%n", s.step(), s.test(), s.p(), s.q(),
                        s.effectSize(), s.culprit().tool(), s.culpritQ());
            }
            for (SkippedStep s : r.skipped()) {
                out.println("skipped " + s);
            }
            if (bootstrap > 0) {
                out.println("bootstrap (" + bootstrap + " replicates): cause, ranked first, in top 3, score interval");
                for (Bootstrap.CauseConfidence b : screen.bootstrap(hs, y, bootstrap, 1).subList(0, Math.min(top, 5))) {
                    out.printf(Locale.ROOT, "  %-24s %5.2f %5.2f  [%.3f, %.3f]%n", b.name(), b.firstRate(), b.top3Rate(),
                            b.scoreLow(), b.scoreHigh());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "PC-stable causal discovery on a table (a header line, a column per variable).")
    static final class Discover implements Callable<Integer> {
        @Parameters(paramLabel = "TABLE")
        Path table;
        @Option(names = "--alpha", defaultValue = "0.01")
        double alpha;
        @Option(names = "--depth", defaultValue = "-1", description = "max conditioning set size (-1: none)")
        int depth;
        @Option(names = "--delimiter", defaultValue = "auto", description = "tab, comma, semicolon or auto")
        String delimiter;
        @Option(names = "--categorical", split = ",", description = "categorical columns (mixed-data test)")
        List<String> categorical = new ArrayList<>();
        @Option(names = "--tiers", description = "process-order tiers: groups separated by ';', variables by ',' (earlier tiers cannot be caused by later ones)")
        String tiers;
        @Option(names = "--normal-scores", description = "rank-transform continuous columns to normal scores first (nonparanormal)")
        boolean normalScores;
        @Option(names = "--colliders", defaultValue = "MAX_P",
                description = "collider orientation rule: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        PcConfig.ColliderRule colliders;
        @Option(names = "--truth", description = "true graph in Tetrad's text format: print precision, recall, SHD")
        Path truth;
        @Option(names = "--dot", description = "also write the graph in Graphviz DOT to this file")
        Path dot;
        @Option(names = "--png", description = "also draw the graph to this PNG (tiers left to right)")
        Path png;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            char d = delimiter(table, delimiter);
            DataTable t = DataTable.read(table, d, categorical);
            if (normalScores) {
                t = t.normalScores();
            }
            Knowledge k = tiers == null ? Knowledge.none() : parseTiers(tiers);
            IndependenceTest test = independenceTest(t, categorical);
            Cpdag g = new Pc(new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(),
                    colliders)).search(test, k);
            if (dot != null) {
                Files.writeString(dot, g.toDot());
            }
            if (png != null) {
                Map<String, Integer> nodes = new java.util.LinkedHashMap<>();
                for (String n : g.nodes()) {
                    nodes.put(n, Math.max(0, k.tier(n)));
                }
                List<org.fabai.cli.report.GraphSvg.Edge> es = new ArrayList<>();
                for (Cpdag.Edge e : g.edges()) {
                    es.add(new org.fabai.cli.report.GraphSvg.Edge(e.from(), e.to(), e.directed()));
                }
                org.fabai.cli.report.GraphSvg.writePng(nodes, es, Map.of(), png);
            }
            GraphComparison cmp = truth == null ? null : GraphComparison.compare(g, TetradGraphFormat.read(truth));
            if (json) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("variables", t.names());
                j.put("rows", t.rows());
                j.put("test", test.name());
                j.put("alpha", alpha);
                j.put("ciTests", g.testsRun());
                j.put("edges", g.edges().stream().map(e -> Map.of("from", e.from(), "to", e.to(), "directed", e.directed())).toList());
                if (cmp != null) {
                    j.put("comparison", cmp);
                }
                out.println(GSON.toJson(j));
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: %d edges, %d CI tests%n", t.columns(), t.rows(),
                    test.name(), alpha, g.edges().size(), g.testsRun());
            for (Cpdag.Edge e : g.edges()) {
                out.println("  " + e);
            }
            if (cmp != null) {
                GraphComparison c = cmp;
                out.printf(Locale.ROOT, "against %s: skeleton precision %.3f, recall %.3f, SHD %d (%d of %d true edges)%n",
                        truth.getFileName(), c.precision(), c.recall(), c.shd(), c.truePositives(), c.trueEdges());
            }
            out.flush();
            return 0;
        }

        /** Fisher-Z for an all-continuous table, the mixed-data likelihood-ratio test otherwise. */
        static IndependenceTest independenceTest(DataTable t, List<String> categorical) {
            return categorical.isEmpty() ? new FisherZTest(t) : new MixedLinearTest(t);
        }

        static Knowledge parseTiers(String tiers) {
            Knowledge.Builder b = Knowledge.builder();
            String[] groups = tiers.split(";");
            for (int i = 0; i < groups.length; i++) {
                for (String v : groups[i].split(",")) {
                    if (!v.isBlank()) {
                        b.tier(v.trim(), i);
                    }
                }
            }
            return b.build();
        }

        static char delimiter(Path f, String d) throws java.io.IOException {
            switch (d) {
                case "tab": return '\t';
                case "comma": return ',';
                case "semicolon": return ';';
                default:
                    String first;
                    try (var r = Files.newBufferedReader(f)) {
                        first = r.readLine();
                    }
                    first = first == null ? "" : first;
                    return first.indexOf('\t') >= 0 ? '\t' : first.indexOf(';') >= 0 ? ';' : ',';
            }
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Why is this row's target anomalous? Fits a structural causal model on a graph (discovered by PC",
                "under the given tiers, or given in Tetrad's format) and splits the row's outlier score over the",
                "upstream variables with Shapley values over the noise terms."})
    static final class Explain implements Callable<Integer> {
        @Parameters(paramLabel = "TABLE")
        Path table;
        @Option(names = "--target", required = true, description = "the anomalous variable, e.g. yield")
        String target;
        @Option(names = "--row", required = true, description = "0-based data row to explain")
        int row;
        @Option(names = "--tail", defaultValue = "LOW", description = "anomalous side: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        org.fabai.rca.scm.AttributionConfig.Tail tail;
        @Option(names = "--graph", description = "causal graph in Tetrad's text format (default: discover with PC)")
        Path graph;
        @Option(names = "--categorical", split = ",", description = "categorical columns")
        List<String> categorical = new ArrayList<>();
        @Option(names = "--tiers", description = "process-order tiers for discovery: groups by ';', variables by ','")
        String tiers;
        @Option(names = "--alpha", defaultValue = "0.01")
        double alpha;
        @Option(names = "--permutations", defaultValue = "8")
        int permutations;
        @Option(names = "--samples", defaultValue = "200")
        int samples;
        @Option(names = "--seed", defaultValue = "1")
        long seed;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            DataTable t = DataTable.read(table, Discover.delimiter(table, "auto"), categorical);
            if (t.indexOf(target) < 0) {
                throw new IllegalArgumentException(table + ": no column '" + target + "'; columns: " + t.names());
            }
            if (row < 0 || row >= t.rows()) {
                throw new IllegalArgumentException("--row must be in [0, " + t.rows() + "), got " + row);
            }
            org.jgrapht.Graph<String, org.jgrapht.graph.DefaultEdge> g;
            if (graph != null) {
                g = TetradGraphFormat.read(graph).toDag();
            } else {
                Knowledge k = tiers == null ? Knowledge.none() : Discover.parseTiers(tiers);
                IndependenceTest test = Discover.independenceTest(t, categorical);
                g = new Pc(new PcConfig(alpha, -1, Runtime.getRuntime().availableProcessors(), PcConfig.ColliderRule.MAX_P))
                        .search(test, k).toDag();
            }
            org.fabai.rca.scm.StructuralCausalModel scm = org.fabai.rca.scm.StructuralCausalModel.fit(g, t,
                    org.fabai.rca.scm.ScmConfig.defaults());
            double[] r = new double[t.columns()];
            for (int j = 0; j < r.length; j++) {
                r[j] = t.get(row, j);
            }
            org.fabai.rca.scm.Attribution a = org.fabai.rca.scm.AnomalyAttribution.explain(scm, target, r,
                    new org.fabai.rca.scm.AttributionConfig(permutations, samples, tail, seed));
            if (json) {
                out.println(GSON.toJson(a));
            } else {
                out.printf(Locale.ROOT, "row %d: %s = %s, outlier score %.3f; contributions (Shapley, noise terms):%n", row,
                        target, t.get(row, t.indexOf(target)), a.outlierScore());
                for (org.fabai.rca.Cause c : a.contributions()) {
                    out.printf(Locale.ROOT, "  %-24s %8.3f%n", c.name(), c.score());
                }
            }
            out.flush();
            return 0;
        }
    }

    /** @return the highest heap use so far (sum of the heap pools' peaks) */
    static long peakHeapBytes() {
        long b = 0;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getPeakUsage() != null) {
                b += p.getPeakUsage().getUsed();
            }
        }
        return b;
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Write a synthetic fab with a planted bad chamber as CSV (histories, outcomes, table).")
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true)
        Path out;
        @Option(names = "--seed", defaultValue = "1")
        long seed;
        @Option(names = "--lots", defaultValue = "100")
        int lots;
        @Option(names = "--fault-shift", defaultValue = "3.0", description = "bad chamber's shift in noise units")
        double shift;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(seed).withLots(lots).withFaultShift(shift));
            Files.createDirectories(out);
            fab.writeCsv(out);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d wafers to %s; planted cause: %s from %s%n",
                    fab.histories().size(), out, fab.plantedCause(), fab.faultStart());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
