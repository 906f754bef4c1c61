package org.fabai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.commonality.StreamingCommonality;
import org.fabai.rca.commonality.ToolSummary;
import org.fabai.rca.data.HistoryCsv;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job on local[2] gives the single-JVM streaming result, on CSV and on Parquet. */
class SparkCommonalityTest {

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Map<String, Double> yield;
    static Dataset<Row> csv;
    static Dataset<Row> parquet;

    @BeforeAll
    static void start() throws Exception {
        SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(30));
        fab.writeCsv(dir);
        yield = fab.outcome(SyntheticFab.YIELD);
        spark = LocalSpark.get();
        csv = SparkCommonality.read(spark, dir.resolve("histories.csv").toString()).repartition(3).cache();
        // the same histories as Parquet, written by Spark (timestamps as Spark's TIMESTAMP type)
        String pq = dir.resolve("histories.parquet").toString();
        SparkCommonality.normalize(csv).write().parquet(pq);
        parquet = SparkCommonality.read(spark, pq).cache();
    }

    @Test
    void equalsTheSingleJvmResultOnCsvAndParquet() throws Exception {
        HistoryCsvScanner.Options opts = HistoryCsvScanner.Options.defaults().withThreads(2);
        Path file = dir.resolve("histories.csv");
        // chamber level on CSV (validated) and on Parquet
        CommonalityConfig c = CommonalityConfig.continuous(false);
        StreamingCommonality.Run one = new StreamingCommonality(c, opts).run(file, yield);
        SparkCommonality.Run fromCsv = SparkCommonality.run(csv, yield, c);
        SparkCommonality.Run fromParquet = SparkCommonality.run(parquet, yield, c, false);
        assertEquals(one.rows(), fromCsv.rows());
        assertEquals(one.rows(), fromParquet.rows());
        assertTrue(fromCsv.partitions() > 1, "partitions: " + fromCsv.partitions());
        assertSame(one.result(), fromCsv.result());
        assertSame(one.result(), fromParquet.result());
        // tool level in two-day time strata (wafer start times from Spark's timestamps), on Parquet
        CommonalityConfig w = CommonalityConfig.continuous(false).withWindow(Duration.ofDays(2))
                .withLevel(CommonalityConfig.Level.TOOL);
        StreamingCommonality.Run oneW = new StreamingCommonality(w, opts).run(file, yield);
        assertTrue(oneW.result().strata() > 1, "strata: " + oneW.result().strata());
        assertSame(oneW.result(), SparkCommonality.run(parquet, yield, w, false).result());
    }

    private static void assertSame(CommonalityResult a, CommonalityResult b) {
        assertEquals(a.wafers(), b.wafers(), "wafers");
        assertEquals(a.wafersNoOutcome(), b.wafersNoOutcome(), "wafers without outcome");
        assertEquals(a.strata(), b.strata(), "strata");
        assertEquals(a.skipped(), b.skipped(), "skipped");
        assertEquals(a.ranked().size(), b.ranked().size(), "tested steps");
        assertTrue(a.ranked().size() > 5);
        for (int i = 0; i < a.ranked().size(); i++) {
            StepFinding x = a.ranked().get(i);
            StepFinding y = b.ranked().get(i);
            assertEquals(x.step(), y.step(), "rank " + i);
            assertEquals(x.test(), y.test());
            assertEquals(x.df(), y.df());
            assertClose(x.statistic(), y.statistic(), x.step() + " statistic");
            assertClose(x.p(), y.p(), x.step() + " p");
            assertClose(x.q(), y.q(), x.step() + " q");
            assertClose(x.effectSize(), y.effectSize(), x.step() + " effect");
            assertEquals(x.culprit().tool(), y.culprit().tool(), x.step() + " culprit");
            assertEquals(x.tools().size(), y.tools().size());
            for (int k = 0; k < x.tools().size(); k++) {
                ToolSummary s = x.tools().get(k);
                ToolSummary t = y.tools().get(k);
                assertEquals(s.tool(), t.tool());
                assertEquals(s.wafers(), t.wafers(), s.tool() + " wafers");
                assertClose(s.meanOutcome(), t.meanOutcome(), s.tool() + " mean");
                assertClose(s.z(), t.z(), s.tool() + " z");
                assertClose(s.p(), t.p(), s.tool() + " p");
            }
        }
    }

    private static void assertClose(double a, double b, String what) {
        assertEquals(a, b, 1e-9 * Math.max(1, Math.abs(a)), what);
    }

    @Test
    void outcomesAreCollectedWithTheCsvReadersChecks() throws Exception {
        Path o = dir.resolve("outcomes.csv");
        Map<String, Double> y = SparkCommonality.outcomes(SparkCommonality.read(spark, o.toString()), "yield");
        assertEquals(HistoryCsv.byName(HistoryCsv.readOutcomes(o), "yield"), y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkCommonality.outcomes(SparkCommonality.read(spark, o.toString()), "nosuch"));
        assertTrue(e.getMessage().contains("no outcome named 'nosuch'"), e.getMessage());
    }

    @Test
    void aStepTwiceForAWaferIsRefusedNamingIt() {
        Dataset<Row> twice = spark.createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create("W1", "S1", "T1"),
                org.apache.spark.sql.RowFactory.create("W1", "S1", "T2")),
                new org.apache.spark.sql.types.StructType().add("wafer_id", "string").add("step", "string").add("tool", "string"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkCommonality.run(twice, Map.of("W1", 1.0), CommonalityConfig.continuous(false)));
        assertTrue(e.getMessage().contains("wafer W1 has step 'S1' 2 times"), e.getMessage());
    }

    @Test
    void theJobPrintsTheRankingAndFlagsBadInput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommonalityJob.Args a = CommonalityJob.Args.parse(new String[] {"--histories", dir.resolve("histories.parquet").toString(),
            "--outcomes", dir.resolve("outcomes.csv").toString(), "--json", "--no-validate"});
        int code = CommonalityJob.run(spark, a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"schema\": \"fabai/spark-commonality\"") && json.contains("\"culprit\""), json);
        CommonalityJob.Args bad = CommonalityJob.Args.parse(new String[] {"--histories", dir.resolve("histories.parquet").toString(),
            "--outcomes", dir.resolve("outcomes.csv").toString(), "--outcome", "nosuch"});
        assertEquals(3, CommonalityJob.run(spark, bad, new PrintStream(out), new PrintStream(err)));
        assertThrows(IllegalArgumentException.class, () -> CommonalityJob.Args.parse(new String[] {"--histories", "x"}));
    }

    /**
     * The README's {@code spark-submit} lines: every one's arguments parse with its job's own parser,
     * and the {@code local[2]} one runs, on {@code fabpq/} as the README's earlier line writes it
     * (here: the histories as Spark writes Parquet, the outcomes converted from CSV).
     */
    @Test
    void theReadmesSparkSubmitLinesParseAndTheLocalOneRuns() throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>();
        boolean inSh = false;
        String cont = null;
        for (String l : java.nio.file.Files.readAllLines(Path.of("..", "README.md"))) {
            if (l.startsWith("```")) {
                inSh = !inSh && l.trim().equals("```sh");
                continue;
            }
            if (!inSh || l.isBlank()) {
                continue;
            }
            String t = cont == null ? l.trim() : cont + " " + l.trim();
            if (t.endsWith("\\")) {
                cont = t.substring(0, t.length() - 1).trim();
                continue;
            }
            cont = null;
            if (t.startsWith("spark-submit ")) {
                lines.add(t);
            }
        }
        assertTrue(lines.size() >= 4, "README spark-submit lines: " + lines);
        Path fabpq = dir.resolve("fabpq");
        java.nio.file.Files.createDirectories(fabpq);
        SparkCommonality.normalize(csv).write().parquet(fabpq.resolve("histories.parquet").toString());
        spark.read().option("header", "true").option("inferSchema", "true").csv(dir.resolve("outcomes.csv").toString())
                .write().parquet(fabpq.resolve("outcomes.parquet").toString());
        int ran = 0;
        for (String line : lines) {
            java.util.List<String> tokens = java.util.Arrays.asList(line.split("\\s+"));
            String cls = tokens.get(tokens.indexOf("--class") + 1);
            int jar = -1;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).endsWith("-job.jar")) {
                    jar = i;
                }
            }
            assertTrue(jar > 0, "no job jar in " + line);
            String[] args = tokens.subList(jar + 1, tokens.size()).stream()
                    .map(t -> t.startsWith("fabpq/") ? fabpq.resolve(t.substring("fabpq/".length())).toString() : t)
                    .toArray(String[]::new);
            switch (cls) {
                case "org.fabai.spark.CommonalityJob" -> {
                    CommonalityJob.Args a = CommonalityJob.Args.parse(args);
                    if (line.contains("--master 'local[2]'")) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ByteArrayOutputStream err = new ByteArrayOutputStream();
                        int code = CommonalityJob.run(spark, a, new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8));
                        assertEquals(0, code, line + "\n" + err.toString(StandardCharsets.UTF_8));
                        String text = out.toString(StandardCharsets.UTF_8);
                        assertTrue(text.contains("wafers, outcome 'yield'") && text.contains("culprit"), text);
                        ran++;
                    }
                }
                case "org.fabai.spark.AdcClassifyJob" -> AdcClassifyJob.Args.parse(args);
                case "org.fabai.spark.ApcReplayJob" -> ApcReplayJob.Args.parse(args);
                default -> throw new AssertionError("unknown job class in the README: " + line);
            }
        }
        assertEquals(1, ran, "the README's local[2] line");
    }
}
