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
        subcommands = {RcaCommand.Commonality.class, RcaCauses.class, RcaCommand.Discover.class, RcaCommand.Explain.class,
            RcaRootCause.Rank.class, RcaRootCause.CausRcaEval.class, RcaCommand.Synth.class})
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
                "Histories are streamed from the CSV or Parquet file on all cores into sufficient statistics (memory grows with wafers,"
                + " not rows); --bootstrap holds them in memory."})
    static final class Commonality implements Callable<Integer> {
        @Option(names = "--histories", required = true, description = "CSV or Apache Parquet (*.parquet, or by its magic"
                + " bytes) with columns wafer_id,step,tool[,chamber,timestamp,lot_id]")
        Path histories;
        @Option(names = "--outcomes", required = true, description = "CSV or Apache Parquet with columns wafer_id,name,value")
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
        @Option(names = "--top", defaultValue = "10", description = "steps to list in the text output (JSON lists all)")
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
            boolean pqHistories = RcaData.isParquet(histories);
            Map<String, Double> y = HistoryCsv.byName(RcaData.isParquet(outcomes)
                    ? org.fabai.parquet.OutcomeParquet.read(outcomes) : HistoryCsv.readOutcomes(outcomes), outcome);
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
                hs = pqHistories ? org.fabai.parquet.HistoryParquet.read(histories) : HistoryCsv.readHistories(histories);
                r = screen.run(hs, y);
                waferCount = hs.size();
            } else {
                if (threads < 0) {
                    throw new IllegalArgumentException("--threads must be >= 0 (0: one per core), got " + threads);
                }
                StreamingCommonality.Run run = new StreamingCommonality(c, HistoryCsvScanner.Options.defaults()
                        .withThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                        .withProgress(Duration.ofSeconds(5), (rows, read, total, nanos) -> {
                            if (Verbosity.level() == Verbosity.Level.QUIET) {
                                return;
                            }
                            err.printf(Locale.ROOT, "fabai commonality: %,d rows, %d%% of %,d MB, %,.0f rows/s%n", rows,
                                    total > 0 ? 100 * read / total : 100, total >> 20, rows * 1e9 / Math.max(1, nanos));
                            err.flush();
                        })).run(pqHistories ? org.fabai.parquet.HistoryParquet.source(histories)
                                : org.fabai.core.io.csv.HistorySource.csv(histories), y);
                r = run.result();
                waferCount = run.wafers();
                if (Verbosity.level() != Verbosity.Level.QUIET) {
                    err.printf(Locale.ROOT, "fabai commonality: %,d rows, %,d wafers, %d steps in %.1f s (%,.0f rows/s), peak heap %,d MB%n",
                            run.rows(), run.wafers(), run.steps(), run.seconds(), run.rows() / Math.max(1e-9, run.seconds()),
                            peakHeapBytes() >> 20);
                    err.flush();
                }
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
            description = {"PC-stable causal discovery on a table (a header line, a column per variable) or on event logs",
                "(--events). Constant columns are dropped with a note; the independence test follows the column types."})
    static final class Discover implements Callable<Integer> {
        @Parameters(paramLabel = "TABLE", arity = "1..*", description = "a table (delimited text, or Apache Parquet: *.parquet or by its magic bytes), or event logs with --events")
        List<Path> tables;
        @CommandLine.Mixin
        RcaData data;
        @Option(names = "--alpha", defaultValue = "0.01", description = "significance level of the independence tests")
        double alpha;
        @Option(names = "--depth", defaultValue = "-1", description = "max conditioning set size (-1: none)")
        int depth;
        @Option(names = "--test", defaultValue = "auto", description = "independence test: auto (G² if every column is "
                + "categorical, Fisher-z if every column is continuous, the mixed linear test otherwise), fisher-z, g2, chi2, "
                + "mixed (default ${DEFAULT-VALUE})")
        String testName;
        @Option(names = "--out", description = "write the graph in Tetrad's text format (what explain --graph reads)")
        Path outGraph;
        @Option(names = "--method", defaultValue = "pc", description = "pc (constraint-based), ges (Greedy Equivalence "
                + "Search with the linear-Gaussian BIC; continuous columns, no tiers), boss (Best Order Score Search, the "
                + "same score and limits) or lagged-pc (PC over each variable "
                + "and its past values, rows in time order, each event log a recording of its own; prints the summary "
                + "DAG) (default ${DEFAULT-VALUE})")
        String method;
        @Option(names = "--penalty", defaultValue = "1.0", description = "GES, BOSS: BIC penalty multiplier (default ${DEFAULT-VALUE})")
        double penalty;
        @Option(names = "--lags", defaultValue = "2", description = "lagged-pc: largest lag, in lag units (default ${DEFAULT-VALUE})")
        int lags;
        @Option(names = "--lag-stride", defaultValue = "1", description = "lagged-pc: rows (grid steps) per lag unit "
                + "(default ${DEFAULT-VALUE})")
        int lagStride;
        @Option(names = "--require", split = ",", description = "edges that must be in the graph, e.g. a->b,c->d")
        List<String> require = new ArrayList<>();
        @Option(names = "--forbid", split = ",", description = "edges that must not be in the graph, e.g. y->x")
        List<String> forbid = new ArrayList<>();
        @Option(names = "--bootstrap", defaultValue = "0", description = "PC: rerun on this many bootstrap resamples of the "
                + "rows and report how often each adjacency and orientation comes back (edge stability)")
        int bootstrap;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the bootstrap")
        long seed;
        @Option(names = "--tiers", description = "process-order tiers: groups separated by ';', variables by ',' (earlier tiers cannot be caused by later ones)")
        String tiers;
        @Option(names = "--normal-scores", description = "rank-transform continuous columns to normal scores first (nonparanormal)")
        boolean normalScores;
        // MAX_P is PcConfig.DEFAULT_COLLIDERS, chosen on Sachs and the causRCA runs (see its javadoc)
        @Option(names = "--colliders", defaultValue = "MAX_P",
                description = "collider orientation rule: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, chosen on "
                        + "Sachs and real machine data: benchmarks/RESULTS.md)")
        PcConfig.ColliderRule colliders;
        @Option(names = "--truth", description = "true graph in Tetrad's text format (what --out writes) or Graphviz "
                + "DOT: print precision, recall, SHD")
        Path truth;
        @Option(names = "--dot", description = "also write the graph in Graphviz DOT to this file")
        Path dot;
        @Option(names = "--png", description = "also draw the graph to this PNG (tiers left to right)")
        Path png;
        @Option(names = "--svg", description = "also draw the graph to this SVG (tooltips on nodes and edges)")
        Path svg;
        @Option(names = "--html", description = "also write a page with the drawn graph; hovering a node shows its parents "
                + "and children, an edge its bootstrap frequency (--bootstrap) and whether --truth has it")
        Path html;
        @Option(names = "--layout", defaultValue = "auto", description = "graph layout for --png/--svg/--html: auto "
                + "(Graphviz dot when installed, else Eclipse ELK), dot or elk (default ${DEFAULT-VALUE})")
        String layout;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @Option(names = "--max-columns", defaultValue = "" + MAX_COLUMNS, description = "refuse a table with more "
                + "(non-constant) columns than this: PC's first level alone tests every pair (default ${DEFAULT-VALUE})")
        int maxColumns;
        @Option(names = "--max-minutes", defaultValue = "60", description = "PC: refuse, before it starts, a level of the "
                + "search (or the collider votes) whose tests would not end within this many minutes at the rate measured "
                + "so far; each level's estimate is printed on stderr; 0: no limit (default ${DEFAULT-VALUE})")
        double maxMinutes;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (maxColumns < 2) {
                throw new IllegalArgumentException("--max-columns must be >= 2, got " + maxColumns);
            }
            if (!(maxMinutes >= 0) || Double.isInfinite(maxMinutes)) {
                throw new IllegalArgumentException("--max-minutes must be >= 0 (0: no limit), got " + maxMinutes);
            }
            DataTable t = RcaData.dropConstant(data.read(tables), spec.commandLine().getErr(), null);
            checkWidth(t.columns(), maxColumns);
            if (normalScores) {
                t = t.normalScores();
            }
            Knowledge k = knowledge(tiers, require, forbid, t.names());
            Cpdag g;
            String testLabel;
            List<Map<String, Object>> stability = null;
            if (method.equalsIgnoreCase("ges") || method.equalsIgnoreCase("boss")) {
                String m = method.toLowerCase(Locale.ROOT);
                for (int j = 0; j < t.columns(); j++) {
                    if (t.isCategorical(j)) {
                        throw new IllegalArgumentException("--method " + m + " scores continuous data; column '" + t.names().get(j)
                                + "' is categorical");
                    }
                }
                if (!k.isEmpty() || bootstrap > 0) {
                    throw new IllegalArgumentException("--method " + m + " does not take --tiers, --require, --forbid or --bootstrap");
                }
                if (m.equals("ges")) {
                    g = new org.fabai.rca.discovery.Ges(penalty, 4).search(t);
                    testLabel = "GES (BIC, penalty " + penalty + ")";
                } else {
                    g = new org.fabai.rca.discovery.Boss(penalty, 0, seed).search(t);
                    testLabel = "BOSS (BIC, penalty " + penalty + ")";
                }
            } else if (method.equalsIgnoreCase("pc")) {
                IndependenceTest test = independenceTest(t, testName);
                g = new Pc(new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(),
                        colliders)).withTimeLimit(java.time.Duration.ofMillis(Math.round(maxMinutes * 60_000)))
                        .search(test, k);
                testLabel = test.name();
                if (bootstrap > 0) {
                    stability = edgeStability(t, k, bootstrap, seed, spec.commandLine().getErr());
                }
            } else if (method.equalsIgnoreCase("lagged-pc")) {
                if (lags < 1 || lagStride < 1) {
                    throw new IllegalArgumentException("--lags and --lag-stride must be >= 1, got " + lags + " and " + lagStride);
                }
                if (!k.isEmpty() || bootstrap > 0) {
                    throw new IllegalArgumentException("--method lagged-pc takes its tiers from time; it does not take "
                            + "--tiers, --require, --forbid or --bootstrap");
                }
                org.fabai.rca.discovery.LaggedPc.Result r = new org.fabai.rca.discovery.LaggedPc(lags, lagStride,
                        new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(), colliders))
                        .withTimeLimit(java.time.Duration.ofMillis(Math.round(maxMinutes * 60_000)))
                        .search(t, data.segments, lt -> independenceTest(lt, testName));
                g = r.summaryGraph(t.names());
                testLabel = "lagged PC (lags 1.." + lags + " of " + lagStride + " row(s), " + data.segments.length
                        + " recording(s), " + r.lagged().edges().size() + " edges among the lagged columns; summary DAG)";
                if (!r.dropped().isEmpty()) {
                    spec.commandLine().getErr().println("note: summary edges left out (they would close a cycle): "
                            + String.join(", ", r.dropped()));
                }
            } else {
                throw new IllegalArgumentException("--method must be pc, ges, boss or lagged-pc, got '" + method + "'");
            }
            if (outGraph != null) {
                TetradGraphFormat.write(g, outGraph);
            }
            if (dot != null) {
                Files.writeString(dot, g.toDot());
            }
            Cpdag truthGraph = truth == null ? null : TetradGraphFormat.readAny(truth);
            GraphComparison cmp = truthGraph == null ? null : GraphComparison.compare(g, truthGraph);
            if (png != null || svg != null || html != null) {
                org.fabai.cli.graph.LayoutEngine engine = org.fabai.cli.graph.LayoutEngine.parse(layout);
                org.fabai.cli.graph.Diagram d = diagram(g, k, stability, truthGraph);
                org.fabai.cli.graph.GraphLayout lay = engine.layout(d);
                if (png != null) {
                    org.fabai.cli.graph.DiagramRenderer.png(d, lay, png);
                }
                String drawn = svg != null || html != null ? org.fabai.cli.graph.DiagramRenderer.svg(d, lay) : null;
                if (svg != null) {
                    Files.writeString(svg, drawn);
                }
                if (html != null) {
                    Files.writeString(html, org.fabai.cli.graph.DiagramRenderer.htmlPage("Causal graph: "
                            + tables.get(0).getFileName(), String.format(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: "
                            + "%d edges (layout: %s)", t.columns(), t.rows(), testLabel, alpha, g.edges().size(), lay.engine()), drawn));
                }
            }
            if (json) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("variables", t.names());
                j.put("rows", t.rows());
                j.put("test", testLabel);
                j.put("alpha", alpha);
                j.put("ciTests", g.testsRun());
                j.put("edges", g.edges().stream().map(e -> Map.of("from", e.from(), "to", e.to(), "directed", e.directed())).toList());
                if (cmp != null) {
                    j.put("comparison", cmp);
                }
                if (stability != null) {
                    j.put("bootstrap", Map.of("resamples", bootstrap, "edges", stability));
                }
                out.println(GSON.toJson(j));
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: %d edges, %d %s%n", t.columns(), t.rows(),
                    testLabel, alpha, g.edges().size(), g.testsRun(), method.equalsIgnoreCase("ges") || method.equalsIgnoreCase("boss")
                    ? "local scores" : "CI tests");
            for (Cpdag.Edge e : g.edges()) {
                out.println("  " + e);
            }
            if (stability != null) {
                out.printf(Locale.ROOT, "edge stability over %d bootstrap resamples (adjacency, a -> b, b -> a):%n", bootstrap);
                for (Map<String, Object> e : stability) {
                    out.printf(Locale.ROOT, "  %-16s %-16s %5.2f %5.2f %5.2f%n", e.get("a"), e.get("b"), e.get("adjacency"),
                            e.get("aToB"), e.get("bToA"));
                }
            }
            if (cmp != null) {
                GraphComparison c = cmp;
                out.printf(Locale.ROOT, "against %s: skeleton precision %.3f, recall %.3f, SHD %d (%d of %d true edges)%n",
                        truth.getFileName(), c.precision(), c.recall(), c.shd(), c.truePositives(), c.trueEdges());
            }
            out.flush();
            return 0;
        }

        /** The graph to draw: tiers from the knowledge, bootstrap frequencies and truth on the edges' tooltips. */
        static org.fabai.cli.graph.Diagram diagram(Cpdag g, Knowledge k, List<Map<String, Object>> stability, Cpdag truth) {
            Map<String, Integer> nodes = new java.util.LinkedHashMap<>();
            for (String n : g.nodes()) {
                nodes.put(n, Math.max(0, k.tier(n)));
            }
            Map<String, Map<String, Object>> freq = new java.util.HashMap<>();
            if (stability != null) {
                for (Map<String, Object> m : stability) {
                    freq.put(m.get("a") + "\u0000" + m.get("b"), m);
                }
            }
            List<org.fabai.cli.graph.Diagram.Edge> es = new ArrayList<>();
            for (Cpdag.Edge e : g.edges()) {
                List<String> lines = new ArrayList<>();
                boolean ab = e.from().compareTo(e.to()) < 0;
                Map<String, Object> f = freq.get(ab ? e.from() + "\u0000" + e.to() : e.to() + "\u0000" + e.from());
                if (f != null) {
                    lines.add(String.format(Locale.ROOT, "bootstrap: adjacent in %.0f%%, %s \u2192 %s in %.0f%%, %s \u2192 %s in %.0f%%",
                            100 * (double) f.get("adjacency"), f.get("a"), f.get("b"), 100 * (double) f.get("aToB"), f.get("b"),
                            f.get("a"), 100 * (double) f.get("bToA")));
                }
                if (truth != null) {
                    boolean known = truth.nodes().contains(e.from()) && truth.nodes().contains(e.to());
                    lines.add(!known || !truth.adjacent(e.from(), e.to()) ? "not in the true graph"
                            : truth.isDirected(e.from(), e.to()) ? "in the true graph: " + e.from() + " \u2192 " + e.to()
                            : truth.isDirected(e.to(), e.from()) ? "in the true graph: " + e.to() + " \u2192 " + e.from()
                            : "in the true graph, undirected");
                }
                es.add(new org.fabai.cli.graph.Diagram.Edge(e.from(), e.to(), e.directed(),
                        lines.isEmpty() ? null : String.join("\n", lines)));
            }
            return org.fabai.cli.graph.Diagram.of(nodes, es, Map.of());
        }

        /** Default of {@code --max-columns}. */
        static final int MAX_COLUMNS = 500;

        /**
         * Refuses a table wider than the cap, before any test or covariance matrix is built, with
         * what the first level of PC alone would cost.
         */
        static void checkWidth(int columns, int max) {
            if (columns > max) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "the table has %,d (non-constant) columns, "
                        + "more than --max-columns %d: PC's first level alone tests all %,d pairs and later levels grow "
                        + "with the adjacencies; select the columns to search, or raise --max-columns", columns, max,
                        (long) columns * (columns - 1) / 2));
            }
        }

        /**
         * The test by name; {@code auto} follows the column types: G² when every column is
         * categorical, Fisher-z when every column is continuous, the mixed linear test otherwise.
         */
        static IndependenceTest independenceTest(DataTable t, String name) {
            int cat = 0;
            for (int j = 0; j < t.columns(); j++) {
                if (t.isCategorical(j)) {
                    cat++;
                }
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "auto":
                    return org.fabai.rca.rootcause.CausRca.testFor(t);
                case "fisher-z":
                case "fisherz":
                    if (cat > 0) {
                        throw new IllegalArgumentException("--test fisher-z needs continuous columns; " + cat
                                + " are categorical (use g2, chi2 or mixed)");
                    }
                    return new FisherZTest(t);
                case "g2":
                case "chi2":
                    if (cat < t.columns()) {
                        throw new IllegalArgumentException("--test " + name + " needs categorical columns; "
                                + (t.columns() - cat) + " are continuous (use fisher-z or mixed, or --categorical)");
                    }
                    return new org.fabai.rca.discovery.DiscreteTest(t, name.equalsIgnoreCase("g2")
                            ? org.fabai.rca.discovery.DiscreteTest.Statistic.G_SQUARE
                            : org.fabai.rca.discovery.DiscreteTest.Statistic.CHI_SQUARE);
                case "mixed":
                    return new MixedLinearTest(t);
                default:
                    throw new IllegalArgumentException("--test must be auto, fisher-z, g2, chi2 or mixed, got '" + name + "'");
            }
        }

        /** Edge frequencies of PC over bootstrap resamples of the rows, most stable adjacency first. */
        List<Map<String, Object>> edgeStability(DataTable t, Knowledge k, int b, long seed, PrintWriter err) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
            Map<String, double[]> f = new java.util.TreeMap<>();
            for (int rep = 0; rep < b; rep++) {
                int[] rows = new int[t.rows()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = rnd.nextInt(t.rows());
                }
                DataTable s = t.rows(rows);
                Cpdag g = new Pc(new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(), colliders))
                        .search(independenceTest(s, testName), k);
                for (Cpdag.Edge e : g.edges()) {
                    boolean ab = e.from().compareTo(e.to()) < 0;
                    String a = ab ? e.from() : e.to();
                    String c = ab ? e.to() : e.from();
                    double[] v = f.computeIfAbsent(a + "\u0000" + c, x -> new double[3]);
                    v[0]++;
                    if (e.directed()) {
                        v[ab ? 1 : 2]++;
                    }
                }
                if ((rep + 1) % 10 == 0 || rep + 1 == b) {
                    err.printf(Locale.ROOT, "bootstrap %d/%d%n", rep + 1, b);
                    err.flush();
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            f.forEach((key, v) -> {
                String[] ab = key.split("\u0000");
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("a", ab[0]);
                m.put("b", ab[1]);
                m.put("adjacency", v[0] / b);
                m.put("aToB", v[1] / b);
                m.put("bToA", v[2] / b);
                out.add(m);
            });
            out.sort((x, y) -> Double.compare((double) y.get("adjacency"), (double) x.get("adjacency")));
            return out;
        }

        /** Tiers plus required and forbidden edges ({@code a->b}); every name must be a column. */
        static Knowledge knowledge(String tiers, List<String> require, List<String> forbid, List<String> columns) {
            Knowledge.Builder b = Knowledge.builder();
            if (tiers != null) {
                String[] groups = tiers.split(";");
                for (int i = 0; i < groups.length; i++) {
                    for (String v : groups[i].split(",")) {
                        if (!v.isBlank()) {
                            requireColumn(v.trim(), columns, "--tiers");
                            b.tier(v.trim(), i);
                        }
                    }
                }
            }
            for (String[] e : edges(require, "--require", columns)) {
                b.require(e[0], e[1]);
            }
            for (String[] e : edges(forbid, "--forbid", columns)) {
                b.forbid(e[0], e[1]);
            }
            return b.build();
        }

        private static List<String[]> edges(List<String> specs, String option, List<String> columns) {
            List<String[]> out = new ArrayList<>();
            for (String s : specs) {
                String[] ab = s.split("->");
                if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                    throw new IllegalArgumentException(option + " expects edges 'a->b', got '" + s + "'");
                }
                requireColumn(ab[0].trim(), columns, option);
                requireColumn(ab[1].trim(), columns, option);
                out.add(new String[] {ab[0].trim(), ab[1].trim()});
            }
            return out;
        }

        private static void requireColumn(String v, List<String> columns, String option) {
            if (!columns.contains(v)) {
                throw new IllegalArgumentException(option + " names '" + v + "', which is not a (non-constant) column; columns: "
                        + columns);
            }
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
                "under the given tiers, or given in Tetrad's text format or Graphviz DOT) — on --reference data when given",
                "(the DoWhy-gcm way), else on the table itself — and splits each row's outlier score over the upstream",
                "variables with Shapley values over the noise terms. The contributions add up to the score explained."})
    static final class Explain implements Callable<Integer> {
        @Parameters(paramLabel = "TABLE", arity = "1..*", description = "a table (delimited text, or Apache Parquet: *.parquet or by its magic bytes), or event logs with --events")
        List<Path> tables;
        @CommandLine.Mixin
        RcaData data;
        @Option(names = "--target", required = true, split = ",", description = "the anomalous variable(s), e.g. yield")
        List<String> targets;
        @Option(names = "--row", split = ",", description = "0-based data row(s) to explain (default: the last row)")
        List<Integer> rows;
        @Option(names = "--reference", arity = "1..*", description = "reference (normal) data to fit the model on: a table, "
                + "or event logs with --events")
        List<Path> reference;
        @Option(names = "--tail", defaultValue = "LOW", description = "anomalous side: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        org.fabai.rca.scm.AttributionConfig.Tail tail;
        @Option(names = "--graph", description = "causal graph in Tetrad's text format or Graphviz DOT (default: discover with PC)")
        Path graph;
        @CommandLine.Mixin
        RcaTimeLimit timeLimit;
        @Option(names = "--tiers", description = "process-order tiers for discovery: groups by ';', variables by ','")
        String tiers;
        @Option(names = "--alpha", defaultValue = "0.01", description = "significance level of the independence tests (discovery)")
        double alpha;
        @Option(names = "--test", defaultValue = "auto", description = "independence test for discovery (see discover --test)")
        String testName;
        @Option(names = "--permutations", defaultValue = "8", description = "random variable orders for the Shapley values")
        int permutations;
        @Option(names = "--samples", defaultValue = "200", description = "noise samples per evaluation of the outlier score")
        int samples;
        @Option(names = "--seed", defaultValue = "1", description = "random seed")
        long seed;
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.time.Duration limit = timeLimit.limit();
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
            List<Integer> rs = rows == null || rows.isEmpty() ? List.of(t.rows() - 1) : rows;
            for (int row : rs) {
                if (row < 0 || row >= t.rows()) {
                    throw new IllegalArgumentException("--row must be in [0, " + t.rows() + "), got " + row);
                }
            }
            Verbosity.Stages stages = Verbosity.stages(err);
            org.jgrapht.Graph<String, org.jgrapht.graph.DefaultEdge> g;
            if (graph != null) {
                Cpdag read = TetradGraphFormat.readAny(graph);
                g = read.toDag();
                for (String n : new ArrayList<>(g.vertexSet())) {
                    if (!t.names().contains(n)) {
                        if (targets.contains(n)) {
                            throw new IllegalArgumentException("target '" + n + "' is not a column");
                        }
                        err.println("note: graph node '" + n + "' is not a (non-constant) column; left out");
                        g.removeVertex(n);
                    }
                }
            } else {
                stages.say("discovering the graph with PC on %d rows x %d columns", fitOn.rows(), fitOn.columns());
                Knowledge k = Discover.knowledge(tiers, List.of(), List.of(), fitOn.names());
                IndependenceTest test = Discover.independenceTest(fitOn, testName);
                g = new Pc(new PcConfig(alpha, -1, Runtime.getRuntime().availableProcessors(), PcConfig.DEFAULT_COLLIDERS))
                        .withTimeLimit(limit).search(test, k).toDag();
            }
            stages.say("fitting the structural causal model");
            org.fabai.rca.scm.StructuralCausalModel scm = org.fabai.rca.scm.StructuralCausalModel.fit(g, fitOn,
                    org.fabai.rca.scm.ScmConfig.defaults());
            double[][] r = new double[rs.size()][t.columns()];
            for (int i = 0; i < rs.size(); i++) {
                for (int j = 0; j < t.columns(); j++) {
                    r[i][j] = t.get(rs.get(i), j);
                }
            }
            stages.say("attributing %d row%s: %d permutations x %d samples", rs.size(), rs.size() == 1 ? "" : "s",
                    permutations, samples);
            List<org.fabai.rca.scm.Attribution> as = org.fabai.rca.scm.AnomalyAttribution.explainAll(scm, targets, r,
                    new org.fabai.rca.scm.AttributionConfig(permutations, samples, tail, seed));
            if (json) {
                List<Map<String, Object>> js = new ArrayList<>();
                int i = 0;
                for (int row : rs) {
                    for (String target : targets) {
                        org.fabai.rca.scm.Attribution a = as.get(i++);
                        Map<String, Object> m = new java.util.LinkedHashMap<>();
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
                out.println(GSON.toJson(js.size() == 1 ? js.get(0) : js));
            } else {
                int i = 0;
                for (int row : rs) {
                    for (String target : targets) {
                        org.fabai.rca.scm.Attribution a = as.get(i++);
                        out.printf(Locale.ROOT, "row %d: %s = %s, outlier score %.3f ± %.3f (Monte Carlo; %.3f against the "
                                + "%s rows); contributions (Shapley, noise terms, sum %.3f):%n", row, target,
                                t.format(row, t.indexOf(target)), a.outlierScore(), a.monteCarloError(), a.empiricalScore(),
                                reference != null ? "reference" : "table", a.contributionSum());
                        for (org.fabai.rca.Cause c : a.contributions()) {
                            out.printf(Locale.ROOT, "  %-24s %8.3f   (%s)%n", c.name(), c.score(),
                                    t.format(row, t.indexOf(c.name())));
                        }
                    }
                }
            }
            out.flush();
            return 0;
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
            description = "Write a synthetic fab with a planted bad chamber as CSV (histories, outcomes, table), and Parquet with --parquet.")
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write histories.csv, outcomes.csv and table.csv into")
        Path out;
        @Option(names = "--seed", defaultValue = "1", description = "random seed")
        long seed;
        @Option(names = "--lots", defaultValue = "100", description = "lots of 25 wafers")
        int lots;
        @Option(names = "--fault-shift", defaultValue = "3.0", description = "bad chamber's shift in noise units")
        double shift;
        @Option(names = "--parquet", description = "also write histories.parquet, outcomes.parquet and table.parquet "
                + "(Apache Parquet, what the rca commands read as well as CSV)")
        boolean parquet;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(seed).withLots(lots).withFaultShift(shift));
            Files.createDirectories(out);
            fab.writeCsv(out);
            if (parquet) {
                org.fabai.parquet.HistoryParquet.write(fab.histories(), out.resolve("histories.parquet"));
                org.fabai.parquet.OutcomeParquet.write(fab.outcomes(), out.resolve("outcomes.parquet"));
                // the table's columns as numbers where every value is one, else as text
                org.fabai.core.io.csv.CsvTable t = org.fabai.core.io.csv.CsvTable.read(out.resolve("table.csv"));
                List<org.fabai.parquet.ParquetTable.Column> cols = new ArrayList<>();
                for (String c : t.columns()) {
                    double[] v;
                    try {
                        v = t.numbers(c);
                    } catch (org.fabai.core.io.FormatException e) {
                        v = null;
                    }
                    cols.add(v != null ? org.fabai.parquet.ParquetTable.Column.of(c, v)
                            : org.fabai.parquet.ParquetTable.Column.of(c, t.strings(c)));
                }
                new org.fabai.parquet.ParquetTable("table", cols).write(out.resolve("table.parquet"));
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d wafers to %s; planted cause: %s from %s%n",
                    fab.histories().size(), out, fab.plantedCause(), fab.faultStart());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
