package org.fabai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fabai.apc.sim.Replay;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay on local[2], grouped by context, gives the single-JVM replay ({@code fabai apc replay}) run by run. */
class SparkApcReplayTest {

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path runs;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.get();
        // four control threads, 60 runs each, interleaved and out of sequence order in the file; one
        // thread's plant sits far off the model (its recommendations hit the upper bound)
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>();
        String[] ctx = {"tool=T1;product=P1", "tool=T2;product=P1", "tool=T1;product=P2", "tool=T3;product=P9"};
        for (int c = 0; c < ctx.length; c++) {
            double a = c == 3 ? 240 : 128 + 2 * c;
            for (int i = 0; i < 60; i++) {
                double u = 100 + 5 * Math.sin(i) + rnd.nextGaussian();
                double y = a - 0.8 * u + 0.05 * i + rnd.nextGaussian();
                lines.add(String.format(Locale.ROOT, "R%d-%03d,%s,%d,%.6f,%.6f", c, i, ctx[c], i + 1, u, y));
            }
        }
        Collections.shuffle(lines, new Random(3));
        lines.add(0, "run_id,context,sequence,input,output");
        runs = dir.resolve("runs.csv");
        Files.write(runs, lines);
    }

    @Test
    void equalsTheSingleJvmReplayOnCsvAndParquet() throws Exception {
        for (SparkApcReplay.Settings s : List.of(SparkApcReplay.Settings.defaults(),
                new SparkApcReplay.Settings("dewma:lambda1=0.3,lambda2=0.05", 50, -0.8, 130, 20, 180, 10))) {
            Replay.Report one = Replay.replay(Replay.readCsv(runs), s.factory());
            // as read: the input order is the file's (a repartition before the call would reorder it)
            Dataset<Row> csv = SparkCommonality.read(spark, runs.toString());
            SparkApcReplay.Result r = SparkApcReplay.replay(csv, s);
            assertSame(one, r);
        }
        // the same runs as Parquet with typed columns, written by Spark
        String pq = dir.resolve("runs.parquet").toString();
        SparkCommonality.read(spark, runs.toString()).selectExpr("run_id", "context", "cast(sequence as long) sequence",
                "cast(input as double) input", "cast(output as double) output").write().parquet(pq);
        SparkApcReplay.Settings d = SparkApcReplay.Settings.defaults();
        assertSame(Replay.replay(Replay.readCsv(runs), d.factory()), SparkApcReplay.replay(SparkCommonality.read(spark, pq), d));
    }

    @Test
    void withoutContextAndSequenceTheFileOrderIsOneThread() throws Exception {
        Path f = dir.resolve("plain.csv");
        List<String> lines = new ArrayList<>(List.of("run_id,input,output"));
        Random rnd = new Random(8);
        for (int i = 0; i < 40; i++) {
            lines.add(String.format(Locale.ROOT, "W%02d,%.4f,%.4f", 40 - i, 100 + rnd.nextGaussian(), 50 + rnd.nextGaussian()));
        }
        Files.write(f, lines);
        SparkApcReplay.Settings s = SparkApcReplay.Settings.defaults();
        assertSame(Replay.replay(Replay.readCsv(f), s.factory()),
                SparkApcReplay.replay(SparkCommonality.read(spark, f.toString()), s));
    }

    private static void assertSame(Replay.Report one, SparkApcReplay.Result r) {
        List<Row> steps = r.steps().collectAsList();
        assertEquals(one.steps().size(), steps.size());
        int clipped = 0;
        for (int i = 0; i < steps.size(); i++) {
            Replay.Step a = one.steps().get(i);
            Row b = steps.get(i);
            String at = "step " + i + " (" + a.run().runId() + ")";
            assertEquals(a.run().runId(), b.getString(0), at);
            assertEquals(a.run().context(), b.getString(1), at);
            assertEquals(a.run().sequence(), b.getLong(2), at);
            assertEquals(a.run().input(), b.getDouble(3), at);
            assertEquals(a.run().output(), b.getDouble(4), at);
            assertEquals(a.recommended(), b.getDouble(5), at + " recommended");
            assertEquals(a.predictedAtUsed(), b.getDouble(6), at + " predicted");
            assertEquals(a.whatIfOutput(), b.getDouble(7), at + " what-if");
            assertEquals(a.recommendation().fallback(), b.getBoolean(9), at);
            assertEquals(String.valueOf(a.status()), b.getString(10), at);
            clipped += b.getString(8).isEmpty() ? 0 : 1;
        }
        double[] sum = r.summary();
        assertEquals(one.steps().size(), (long) sum[0]);
        assertEquals(one.actualMse(), sum[1], 1e-12 * one.actualMse());
        assertEquals(one.whatIfMse(), sum[2], 1e-12 * one.whatIfMse());
        assertEquals(one.target(), r.target());
        if (steps.size() == 240) {
            assertTrue(clipped > 0, "the far-off thread's recommendations are clipped");
        }
    }

    @Test
    void badRunsAreRefusedNamingTheRun() throws Exception {
        Path twice = dir.resolve("twice.csv");
        Files.write(twice, List.of("run_id,context,input,output", "A,tool=T1,1,2", "B,tool=T1,1,2", "A,tool=T1,1,3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkApcReplay.replay(
                SparkCommonality.read(spark, twice.toString()), SparkApcReplay.Settings.defaults()));
        assertTrue(e.getMessage().contains("run_id 'A' of context tool=T1 is recorded 2 times"), e.getMessage());
        Path nan = dir.resolve("nan.csv");
        Files.write(nan, List.of("run_id,input,output", "A,1,2", "B,1,x"));
        e = assertThrows(IllegalArgumentException.class, () -> SparkApcReplay.replay(
                SparkCommonality.read(spark, nan.toString()), SparkApcReplay.Settings.defaults()));
        assertTrue(e.getMessage().contains("run B, column output: not a number: 'x'"), e.getMessage());
        Path noOut = dir.resolve("noout.csv");
        Files.write(noOut, List.of("run_id,input", "A,1"));
        e = assertThrows(IllegalArgumentException.class, () -> SparkApcReplay.replay(
                SparkCommonality.read(spark, noOut.toString()), SparkApcReplay.Settings.defaults()));
        assertTrue(e.getMessage().contains("lack column 'output'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SparkApcReplay.Settings("nosuch:x=1", 50, -0.8, 130, 20, 180, 1));
    }

    @Test
    void theJobPrintsTheReplayAndFlagsBadInput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ApcReplayJob.Args a = ApcReplayJob.Args.parse(new String[] {"--runs", runs.toString(), "-c", "ewma:lambda=0.2",
            "--json", "--out", dir.resolve("steps.parquet").toString()});
        assertEquals(0, ApcReplayJob.run(spark, a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"schema\": \"fabai/spark-apc-replay\"") && json.contains("\"runs\": 240"), json);
        assertEquals(240, spark.read().parquet(dir.resolve("steps.parquet").toString()).count());
        Path nan = dir.resolve("bad-job.csv");
        ApcReplayJob.Args bad = ApcReplayJob.Args.parse(new String[] {"--runs", nan.toString()});
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        try {
            Files.write(nan, List.of("run_id,input,output", "A,1,Infinity"));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        assertEquals(3, ApcReplayJob.run(spark, bad, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err2, true, StandardCharsets.UTF_8)));
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("run A, column output: value must be finite"),
                err2.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> ApcReplayJob.Args.parse(new String[] {"--bounds", "1"}));
    }
}
