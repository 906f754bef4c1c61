package org.fabai.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.CsvTable;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.process.WaferHistory;
import org.fabai.parquet.HistoryParquet;
import org.fabai.parquet.OutcomeParquet;
import org.fabai.parquet.ParquetTable;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.SkippedStep;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.commonality.StreamingCommonality;
import org.fabai.rca.data.HistoryCsv;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabai rca ...}: the rca commands; tool commonality and the synthetic fab live here, the others in their own files. */
@Command(name = "rca", mixinStandardHelpOptions = true, description = "Root-cause analysis.",
        subcommands = {RcaCommand.Commonality.class, RcaCauses.class, RcaDiscover.class, RcaExplain.class,
            RcaRootCause.Rank.class, RcaRootCause.CausRcaEval.class, RcaCommand.Synth.class, RcaCommand.Convert.class})
final class RcaCommand implements Runnable {

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
        @CommandLine.Mixin
        RcaHistories data;
        @Option(names = "--binary", description = "outcome is pass/fail (1 = bad)")
        boolean binary;
        @Option(names = "--window", description = "stratify by time windows, ISO-8601 duration, e.g. P1D")
        Duration window;
        @Option(names = "--bootstrap", defaultValue = "0", description = "bootstrap replicates for ranking confidence")
        int bootstrap;
        @Option(names = "--top", defaultValue = "10", description = "steps to list in the text output (JSON lists all)")
        int top;
        @Option(names = "--json", description = "print one JSON object (schema fabai/rca-commonality, cli/JSON.md) instead of text")
        boolean json;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @Option(names = "--threads", defaultValue = "0", description = "threads reading the histories (0: one per core)")
        int threads;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Double> y = HistoryCsv.byName(data.readOutcomes(), data.outcome);
            CommonalityConfig c = binary ? CommonalityConfig.binary() : CommonalityConfig.continuous(data.highIsBad);
            if (window != null) {
                c = c.withWindow(window);
            }
            CommonalityScreen screen = new CommonalityScreen(c);
            CommonalityResult r;
            List<WaferHistory> hs = null;
            long waferCount;
            if (bootstrap > 0) {
                // resampling wafers needs every history in memory (checked against the heap first)
                hs = data.readHistories();
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
                        })).run(data.historySource(), y);
                r = run.result();
                waferCount = run.wafers();
                if (Verbosity.level() != Verbosity.Level.QUIET) {
                    err.printf(Locale.ROOT, "fabai commonality: %,d rows, %,d wafers, %d steps in %.1f s (%,.0f rows/s), peak heap %,d MB%n",
                            run.rows(), run.wafers(), run.steps(), run.seconds(), run.rows() / Math.max(1e-9, run.seconds()),
                            peakHeapBytes() >> 20);
                    err.flush();
                }
            }
            if (json || csv.given()) {
                Map<String, Object> j = Json.object("rca commonality", 1);
                j.put("wafers", waferCount);
                j.put("outcome", data.outcome);
                List<Map<String, Object>> steps = new ArrayList<>();
                for (StepFinding s : r.ranked()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", s.step());
                    m.put("test", s.test());
                    m.put("statistic", s.statistic());
                    m.put("p", s.p());
                    m.put("q", s.q());
                    m.put("effect", s.effectSize());
                    m.put("effectMeasure", s.effectName());
                    m.put("culprit", s.culprit().tool());
                    m.put("culpritQ", s.culpritQ());
                    steps.add(m);
                }
                j.put("steps", steps);
                j.put("skipped", r.skipped().stream().map(Object::toString).toList());
                csv.write(steps);
                if (json) {
                    j.put("bootstrap", bootstrap > 0 ? screen.bootstrap(hs, y, bootstrap, 1) : null);
                    Json.print(out, j);
                    return 0;
                }
            }
            out.printf(Locale.ROOT, "%d wafers, outcome '%s'; %d steps tested, %d skipped%n", waferCount, data.outcome,
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

    /** @return the highest heap use so far (sum of the heap pools' peaks) */
    static long peakHeapBytes() {
        long b = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
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
        @Option(names = "--json", description = "print one JSON object (schema fabai/rca-synth, cli/JSON.md) instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(seed).withLots(lots).withFaultShift(shift));
            Files.createDirectories(out);
            fab.writeCsv(out);
            if (parquet) {
                HistoryParquet.write(fab.histories(), out.resolve("histories.parquet"));
                OutcomeParquet.write(fab.outcomes(), out.resolve("outcomes.parquet"));
                parquetTable(CsvTable.read(out.resolve("table.csv"))).write(out.resolve("table.parquet"));
            }
            if (json) {
                Map<String, Object> j = Json.object("rca synth", 1);
                j.put("out", out.toString());
                j.put("seed", seed);
                j.put("lots", lots);
                j.put("wafers", fab.histories().size());
                j.put("faultShift", shift);
                j.put("plantedCause", fab.plantedCause());
                j.put("faultStart", fab.faultStart().toString());
                List<String> written = new ArrayList<>(List.of("histories.csv", "outcomes.csv", "table.csv"));
                if (parquet) {
                    written.addAll(List.of("histories.parquet", "outcomes.parquet", "table.parquet"));
                }
                j.put("files", written);
                Json.print(spec.commandLine().getOut(), j);
                return 0;
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d wafers to %s; planted cause: %s from %s%n",
                    fab.histories().size(), out, fab.plantedCause(), fab.faultStart());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** A CSV table as Parquet: a column as numbers (DOUBLE) where every value is one, else as text. */
    static ParquetTable parquetTable(CsvTable t) throws FormatException {
        List<ParquetTable.Column> cols = new ArrayList<>();
        for (String c : t.columns()) {
            double[] v;
            try {
                v = t.numbers(c);
            } catch (FormatException e) {
                v = null;
            }
            cols.add(v != null ? ParquetTable.Column.of(c, v) : ParquetTable.Column.of(c, t.strings(c)));
        }
        return new ParquetTable("table", cols);
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert histories, outcomes or a table from CSV to Apache Parquet (dictionary-encoded, Snappy),"
                + " what the rca commands and fabai-spark read as well as CSV, and data lakes hold.",
                "Histories stream (memory independent of the file's size, progress on stderr); outcomes and tables are"
                + " read whole (checked against the heap first); a table is typed as rca discover types it."})
    static final class Convert implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Kind kind;
        @CommandLine.Parameters(index = "0", paramLabel = "CSV", description = "the CSV file")
        Path in;
        @CommandLine.Parameters(index = "1", paramLabel = "OUT.parquet", description = "the Parquet file to write (replaced)")
        Path to;
        @Option(names = "--threads", defaultValue = "0", description = "threads reading histories (0: one per core)")
        int threads;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Which kind of file. */
        static final class Kind {
            @Option(names = "--histories", required = true,
                    description = "wafer histories (wafer_id, step, tool; lot_id, chamber, timestamp optional)")
            boolean histories;
            @Option(names = "--outcomes", required = true, description = "outcomes (wafer_id, name, value)")
            boolean outcomes;
            @Option(names = "--table", required = true,
                    description = "a table for rca discover/explain (a header line; comma, semicolon or tab)")
            boolean table;
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (to.getFileName() == null || !to.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "OUT must end in .parquet, got " + to);
            }
            if (threads < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--threads must be >= 0 (0: one per core), got " + threads);
            }
            if (kind.histories) {
                HistoryCsvScanner.Summary s = HistoryParquet.convert(in, to, HistoryCsvScanner.Options.defaults()
                        .withThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                        .withProgress(Duration.ofSeconds(5), (rows, read, total, nanos) -> {
                            if (Verbosity.level() != Verbosity.Level.QUIET) {
                                err.printf(Locale.ROOT, "fabai convert: %,d rows, %d%% of %,d MB, %,.0f rows/s%n", rows,
                                        total > 0 ? 100 * read / total : 100, total >> 20, rows * 1e9 / Math.max(1, nanos));
                                err.flush();
                            }
                        }));
                out.printf(Locale.ROOT, "wrote %,d history rows to %s in %.1f s (%,.0f rows/s)%n", s.rows(), to,
                        s.nanos() / 1e9, s.rowsPerSecond());
            } else if (kind.outcomes) {
                List<org.fabai.core.process.Outcome> o = HistoryCsv.readOutcomes(in);
                OutcomeParquet.write(o, to);
                out.printf(Locale.ROOT, "wrote %,d outcomes to %s%n", o.size(), to);
            } else {
                // typed as rca discover/explain type it (a column of finite numbers is numbers, any other text),
                // read in two passes without holding the text (checked against the heap first)
                org.fabai.rca.data.DataTable d = org.fabai.rca.data.DataTable.readInferringTypes(in,
                        RcaData.delimiter(in, "auto"), List.of());
                List<ParquetTable.Column> cols = new ArrayList<>();
                for (int j = 0; j < d.columns(); j++) {
                    double[] v = d.column(j);
                    if (d.isCategorical(j)) {
                        String[] names = new String[v.length];
                        for (int i = 0; i < v.length; i++) {
                            names[i] = d.levels(j).get((int) v[i]);
                        }
                        cols.add(ParquetTable.Column.of(d.names().get(j), names));
                    } else {
                        cols.add(ParquetTable.Column.of(d.names().get(j), v));
                    }
                }
                ParquetTable t = new ParquetTable(in.toString(), cols);
                t.write(to);
                out.printf(Locale.ROOT, "wrote a table of %,d rows and %d columns to %s%n", t.rows(), t.columns().size(), to);
            }
            out.flush();
            return 0;
        }
    }
}
