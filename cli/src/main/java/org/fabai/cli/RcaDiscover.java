package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.fabai.cli.graph.Diagram;
import org.fabai.cli.graph.DiagramRenderer;
import org.fabai.cli.graph.GraphLayout;
import org.fabai.cli.graph.LayoutEngine;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.Ges;
import org.fabai.rca.discovery.GraphComparison;
import org.fabai.rca.discovery.IndependenceTest;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.LaggedPc;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.discovery.TetradGraphFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai rca discover}: PC, GES or lagged PC on a table or on event logs; the graph printed, written or drawn. */

@Command(name = "discover", mixinStandardHelpOptions = true,
        description = {"PC-stable causal discovery on a table (a header line, a column per variable) or on event logs",
            "(--events). Constant columns are dropped with a note; the independence test follows the column types."})
final class RcaDiscover implements Callable<Integer> {
    @Parameters(paramLabel = "TABLE", arity = "1..*", description = "a table (delimited text, or Apache Parquet: *.parquet or by its magic bytes), or event logs with --events")
    List<Path> tables;
    @CommandLine.Mixin
    RcaData data;
    @CommandLine.Mixin
    RcaPcOptions pcOptions;
    @Option(names = "--depth", defaultValue = "-1", description = "max conditioning set size (-1: none)")
    int depth;
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
    @Option(names = "--json", description = "print one JSON object (schema fabai/rca-discover, cli/JSON.md) instead of text")
    boolean json;
    @CommandLine.Mixin
    Json.CsvOption csv;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        pcOptions.checkLimits();
        DataTable t = RcaData.dropConstant(data.read(tables), spec.commandLine().getErr(), null);
        RcaPcOptions.checkWidth(t.columns(), pcOptions.maxColumns);
        if (normalScores) {
            t = t.normalScores();
        }
        Knowledge k = RcaPcOptions.knowledge(pcOptions.tiers, require, forbid, t.names());
        Found f = switch (method.toLowerCase(Locale.ROOT)) {
            case "ges", "boss" -> scoreBased(t, k, method.toLowerCase(Locale.ROOT));
            case "pc" -> pc(t, k);
            case "lagged-pc" -> laggedPc(t, k);
            default -> throw new IllegalArgumentException("--method must be pc, ges, boss or lagged-pc, got '" + method + "'");
        };
        if (outGraph != null) {
            TetradGraphFormat.write(f.graph(), outGraph);
        }
        if (dot != null) {
            Files.writeString(dot, f.graph().toDot());
        }
        Cpdag truthGraph = truth == null ? null : TetradGraphFormat.readAny(truth);
        GraphComparison cmp = truthGraph == null ? null : GraphComparison.compare(f.graph(), truthGraph);
        draw(t, k, f, truthGraph);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> j = json(t, f, cmp);
        csv.write(j.get("edges"));
        if (json) {
            Json.print(out, j);
        } else {
            printText(out, t, f, cmp);
        }
        out.flush();
        return 0;
    }

    /** A searched graph, what searched it, and (PC with {@code --bootstrap}) its edges' stability. */
    private record Found(Cpdag graph, String testLabel, List<Map<String, Object>> stability) {
    }

    private Found scoreBased(DataTable t, Knowledge k, String m) {
        for (int j = 0; j < t.columns(); j++) {
            if (t.isCategorical(j)) {
                throw new IllegalArgumentException("--method " + m + " scores continuous data; column '" + t.names().get(j)
                        + "' is categorical");
            }
        }
        if (!k.isEmpty() || bootstrap > 0) {
            throw new IllegalArgumentException("--method " + m + " does not take --tiers, --require, --forbid or --bootstrap");
        }
        if (m.equals("boss")) {
            return new Found(new org.fabai.rca.discovery.Boss(penalty, 0, seed).withTimeLimit(pcOptions.timeLimit()).search(t),
                    "BOSS (BIC, penalty " + penalty + ")", null);
        }
        return new Found(new Ges(penalty, 4).withTimeLimit(pcOptions.timeLimit()).search(t), "GES (BIC, penalty " + penalty + ")",
                null);
    }

    private Found pc(DataTable t, Knowledge k) {
        IndependenceTest test = pcOptions.test(t);
        Cpdag g = pcOptions.pc(depth, colliders).search(test, k);
        return new Found(g, test.name(), bootstrap > 0 ? edgeStability(t, k, bootstrap, seed, spec.commandLine().getErr())
                : null);
    }

    private Found laggedPc(DataTable t, Knowledge k) {
        if (lags < 1 || lagStride < 1) {
            throw new IllegalArgumentException("--lags and --lag-stride must be >= 1, got " + lags + " and " + lagStride);
        }
        if (!k.isEmpty() || bootstrap > 0) {
            throw new IllegalArgumentException("--method lagged-pc takes its tiers from time; it does not take "
                    + "--tiers, --require, --forbid or --bootstrap");
        }
        LaggedPc.Result r = new LaggedPc(lags, lagStride, new PcConfig(pcOptions.alpha, depth,
                Runtime.getRuntime().availableProcessors(), colliders)).withTimeLimit(pcOptions.timeLimit())
                .search(t, data.segments, pcOptions::test);
        if (!r.dropped().isEmpty()) {
            spec.commandLine().getErr().println("note: summary edges left out (they would close a cycle): "
                    + String.join(", ", r.dropped()));
        }
        return new Found(r.summaryGraph(t.names()), "lagged PC (lags 1.." + lags + " of " + lagStride + " row(s), "
                + data.segments.length + " recording(s), " + r.lagged().edges().size()
                + " edges among the lagged columns; summary DAG)", null);
    }

    /** Writes the {@code --png}, {@code --svg} and {@code --html} drawings asked for. */
    private void draw(DataTable t, Knowledge k, Found f, Cpdag truthGraph) throws Exception {
        if (png == null && svg == null && html == null) {
            return;
        }
        Diagram d = diagram(f.graph(), k, f.stability(), truthGraph);
        GraphLayout lay = LayoutEngine.parse(layout).layout(d);
        if (png != null) {
            DiagramRenderer.png(d, lay, png);
        }
        String drawn = svg != null || html != null ? DiagramRenderer.svg(d, lay) : null;
        if (svg != null) {
            Files.writeString(svg, drawn);
        }
        if (html != null) {
            Files.writeString(html, DiagramRenderer.htmlPage("Causal graph: " + tables.get(0).getFileName(),
                    String.format(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: %d edges (layout: %s)", t.columns(),
                            t.rows(), f.testLabel(), pcOptions.alpha, f.graph().edges().size(), lay.engine()), drawn));
        }
    }

    private Map<String, Object> json(DataTable t, Found f, GraphComparison cmp) {
        Cpdag g = f.graph();
        Map<String, Object> j = Json.object("rca discover", 1);
        j.put("variables", t.names());
        j.put("rows", t.rows());
        j.put("test", f.testLabel());
        j.put("alpha", pcOptions.alpha);
        j.put("ciTests", g.testsRun());
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Cpdag.Edge e : g.edges()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", e.from());
            m.put("to", e.to());
            m.put("directed", e.directed());
            edges.add(m);
        }
        j.put("edges", edges);
        j.put("comparison", cmp);
        j.put("bootstrap", f.stability() == null ? null : Map.of("resamples", bootstrap, "edges", f.stability()));
        return j;
    }

    private void printText(PrintWriter out, DataTable t, Found f, GraphComparison cmp) {
        Cpdag g = f.graph();
        out.printf(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: %d edges, %d %s%n", t.columns(), t.rows(),
                f.testLabel(), pcOptions.alpha, g.edges().size(), g.testsRun(),
                method.equalsIgnoreCase("ges") || method.equalsIgnoreCase("boss") ? "local scores" : "CI tests");
        for (Cpdag.Edge e : g.edges()) {
            out.println("  " + e);
        }
        if (f.stability() != null) {
            out.printf(Locale.ROOT, "edge stability over %d bootstrap resamples (adjacency, a -> b, b -> a):%n", bootstrap);
            for (Map<String, Object> e : f.stability()) {
                out.printf(Locale.ROOT, "  %-16s %-16s %5.2f %5.2f %5.2f%n", e.get("a"), e.get("b"), e.get("adjacency"),
                        e.get("aToB"), e.get("bToA"));
            }
        }
        if (cmp != null) {
            out.printf(Locale.ROOT, "against %s: skeleton precision %.3f, recall %.3f, SHD %d (%d of %d true edges)%n",
                    truth.getFileName(), cmp.precision(), cmp.recall(), cmp.shd(), cmp.truePositives(), cmp.trueEdges());
        }
    }

    /** The graph to draw: tiers from the knowledge, bootstrap frequencies and truth on the edges' tooltips. */
    static Diagram diagram(Cpdag g, Knowledge k, List<Map<String, Object>> stability, Cpdag truth) {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (String n : g.nodes()) {
            nodes.put(n, Math.max(0, k.tier(n)));
        }
        Map<String, Map<String, Object>> freq = new HashMap<>();
        if (stability != null) {
            for (Map<String, Object> m : stability) {
                freq.put(m.get("a") + "\u0000" + m.get("b"), m);
            }
        }
        List<Diagram.Edge> es = new ArrayList<>();
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
            es.add(new Diagram.Edge(e.from(), e.to(), e.directed(),
                    lines.isEmpty() ? null : String.join("\n", lines)));
        }
        return Diagram.of(nodes, es, Map.of());
    }

    /** Edge frequencies of PC over bootstrap resamples of the rows, most stable adjacency first. */
    List<Map<String, Object>> edgeStability(DataTable t, Knowledge k, int b, long seed, PrintWriter err) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, double[]> f = new TreeMap<>();
        for (int rep = 0; rep < b; rep++) {
            int[] rows = new int[t.rows()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rnd.nextInt(t.rows());
            }
            DataTable s = t.rows(rows);
            Cpdag g = new Pc(new PcConfig(pcOptions.alpha, depth, Runtime.getRuntime().availableProcessors(), colliders))
                    .search(pcOptions.test(s), k);
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
            Map<String, Object> m = new LinkedHashMap<>();
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
}
