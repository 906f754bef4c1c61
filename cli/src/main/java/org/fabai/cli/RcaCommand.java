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
        subcommands = {RcaCommand.Commonality.class, RcaCommand.Discover.class, RcaCommand.Synth.class})
final class RcaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "commonality", mixinStandardHelpOptions = true,
            description = "Which tool/chamber at which step goes with the bad outcome (Kruskal-Wallis or G/Fisher, BH-adjusted).")
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
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<WaferHistory> hs = HistoryCsv.readHistories(histories);
            Map<String, Double> y = HistoryCsv.byName(HistoryCsv.readOutcomes(outcomes), outcome);
            CommonalityConfig c = binary ? CommonalityConfig.binary() : CommonalityConfig.continuous(highIsBad);
            if (window != null) {
                c = c.withWindow(window);
            }
            CommonalityScreen screen = new CommonalityScreen(c);
            CommonalityResult r = screen.run(hs, y);
            out.printf(Locale.ROOT, "%d wafers, outcome '%s'; %d steps tested, %d skipped%n", hs.size(), outcome,
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
            Knowledge k = Knowledge.none();
            if (tiers != null) {
                Knowledge.Builder b = Knowledge.builder();
                String[] groups = tiers.split(";");
                for (int i = 0; i < groups.length; i++) {
                    for (String v : groups[i].split(",")) {
                        if (!v.isBlank()) {
                            b.tier(v.trim(), i);
                        }
                    }
                }
                k = b.build();
            }
            IndependenceTest test = categorical.isEmpty() ? new FisherZTest(t) : new MixedLinearTest(t);
            Cpdag g = new Pc(new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(),
                    colliders)).search(test, k);
            out.printf(Locale.ROOT, "%d variables, %d rows, %s, alpha %s: %d edges, %d CI tests%n", t.columns(), t.rows(),
                    test.name(), alpha, g.edges().size(), g.testsRun());
            for (Cpdag.Edge e : g.edges()) {
                out.println("  " + e);
            }
            if (truth != null) {
                GraphComparison c = GraphComparison.compare(g, TetradGraphFormat.read(truth));
                out.printf(Locale.ROOT, "against %s: skeleton precision %.3f, recall %.3f, SHD %d (%d of %d true edges)%n",
                        truth.getFileName(), c.precision(), c.recall(), c.shd(), c.truePositives(), c.trueEdges());
            }
            out.flush();
            return 0;
        }

        private static char delimiter(Path f, String d) throws java.io.IOException {
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
