package org.fabai.benchmarks.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fabai.benchmarks.tools.BaselineCheck.Finding;
import org.fabai.benchmarks.tools.BaselineCheck.Report;
import org.fabai.benchmarks.tools.BaselineCheck.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineCheckTest {

    private static final String A = "org.fabai.benchmarks.core.WaferMapBench.resizeNearest52to64";
    private static final String B = "org.fabai.benchmarks.core.WaferMapBench.rotate90";

    private static Map<String, BenchResult> baseline(BenchResult... rs) {
        java.util.Map<String, BenchResult> m = new java.util.LinkedHashMap<>();
        for (BenchResult r : rs) {
            m.put(r.key(), r);
        }
        return m;
    }

    private static Finding only(Report r, String key) {
        List<Finding> fs = r.findings().stream().filter(f -> f.key().equals(key)).toList();
        assertEquals(1, fs.size(), "findings for " + key + ": " + r.findings());
        return fs.get(0);
    }

    @Test
    void passesWithinTheFactor() {
        Report r = BaselineCheck.compare(
                List.of(BenchResult.of(A, "avgt", 2.9, "us/op"), BenchResult.of(B, "avgt", 0.5, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op"), BenchResult.of(B, "avgt", 1.0, "us/op")), 3.0);
        assertTrue(r.passed(), r.render());
        assertEquals(Status.OK, only(r, A).status());
        assertEquals(Status.OK, only(r, B).status());
    }

    private static final String CAL1 = BaselineCheck.CALIBRATION_PREFIX + "MachineBench.scalar";
    private static final String CAL2 = BaselineCheck.CALIBRATION_PREFIX + "MachineBench.memory";

    @Test
    void aUniformlySlowerMachineIsNotASlowerFabai() {
        Map<String, BenchResult> base = baseline(BenchResult.of(CAL1, "avgt", 10, "us/op"),
                BenchResult.of(CAL2, "avgt", 100, "us/op"), BenchResult.of(A, "avgt", 1.0, "us/op"));
        // the CI machine runs the calibration 4x and 4.5x slower (geometric mean 4.24) and fabai 4.5x slower
        Report r = BaselineCheck.compare(List.of(BenchResult.of(CAL1, "avgt", 40, "us/op"),
                BenchResult.of(CAL2, "avgt", 450, "us/op"), BenchResult.of(A, "avgt", 4.5, "us/op")), base, 3.0);
        assertEquals(Math.sqrt(4 * 4.5), r.machineFactor(), 1e-9);
        assertTrue(r.passed(), r.render());
        assertEquals(Status.OK, only(r, A).status());
        assertEquals(Status.CALIBRATION, only(r, CAL1).status());
        assertTrue(r.render().contains("machine factor 4.24"), r.render());
        assertTrue(only(r, A).message().contains("4.50x raw"), only(r, A).message());
    }

    @Test
    void aSlowerFabaiFailsOnASlowerMachineToo() {
        Map<String, BenchResult> base = baseline(BenchResult.of(CAL1, "avgt", 10, "us/op"),
                BenchResult.of(A, "avgt", 1.0, "us/op"), BenchResult.of(B, "avgt", 1.0, "us/op"));
        // machine 2x slower; A 2x (fine), B 7x raw = 3.5x once the machine is accounted for
        Report r = BaselineCheck.compare(List.of(BenchResult.of(CAL1, "avgt", 20, "us/op"),
                BenchResult.of(A, "avgt", 2.0, "us/op"), BenchResult.of(B, "avgt", 7.0, "us/op")), base, 3.0);
        assertFalse(r.passed(), r.render());
        assertEquals(Status.OK, only(r, A).status());
        assertEquals(Status.SLOWER, only(r, B).status());
        // and a faster machine makes the check stricter, not looser
        Report fast = BaselineCheck.compare(List.of(BenchResult.of(CAL1, "avgt", 5, "us/op"),
                BenchResult.of(A, "avgt", 2.0, "us/op")), base, 3.0);
        assertEquals(0.5, fast.machineFactor(), 1e-9);
        assertEquals(Status.SLOWER, only(fast, A).status());
    }

    @Test
    void withoutCalibrationTheRawRatiosAreJudged() {
        Report r = BaselineCheck.compare(List.of(BenchResult.of(CAL1, "avgt", 40, "us/op"),
                BenchResult.of(A, "avgt", 4.0, "us/op")), baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertEquals(1.0, r.machineFactor());
        assertEquals(Status.SLOWER, only(r, A).status());
        assertEquals(Status.CALIBRATION, only(r, CAL1).status());
    }

    @Test
    void failsBeyondTheFactorNamingBenchmarkAndBothFigures() {
        Report r = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", 3.2, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertFalse(r.passed());
        Finding f = only(r, A);
        assertEquals(Status.SLOWER, f.status());
        assertTrue(f.message().contains(A), f.message());
        assertTrue(f.message().contains("3.200 us/op"), f.message());
        assertTrue(f.message().contains("1.000 us/op"), f.message());
        assertTrue(f.message().contains("3.20x"), f.message());
        assertTrue(r.render().contains("FAILED"), r.render());
    }

    @Test
    void slowMeanWithAFastBestIterationIsNoiseNotAFailure() {
        BenchResult noisy = new BenchResult(A, Map.of(), "avgt", 4.0, 9.0, "us/op", null, null, 2.0);
        Report r = BaselineCheck.compare(List.of(noisy), baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertTrue(r.passed(), r.render());
        assertEquals(Status.NOISY, only(r, A).status());
        assertTrue(only(r, A).message().contains("best iteration (2.000 us/op)"), only(r, A).message());

        BenchResult slow = new BenchResult(A, Map.of(), "avgt", 4.0, 1.0, "us/op", null, null, 3.5);
        Report s = BaselineCheck.compare(List.of(slow), baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertFalse(s.passed());
        assertEquals(Status.SLOWER, only(s, A).status());
        assertTrue(only(s, A).message().contains("best iteration 3.500 us/op, 3.50x"), only(s, A).message());
    }

    @Test
    void comparesAcrossUnitsAndModes() {
        // 2500 ns/op against 1 us/op: 2.5x, within 3x
        Report ok = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", 2500, "ns/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertTrue(ok.passed(), ok.render());
        // throughput: 1e5 ops/s is 10 us/op, 10x slower than 1 us/op
        Report slow = BaselineCheck.compare(List.of(BenchResult.of(A, "thrpt", 1e5, "ops/s")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertEquals(Status.SLOWER, only(slow, A).status());
        assertTrue(only(slow, A).message().contains("10.00x"), only(slow, A).message());
    }

    @Test
    void muchFasterIsAHintNotAFailure() {
        Report r = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", 0.1, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertTrue(r.passed());
        assertEquals(Status.FASTER, only(r, A).status());
    }

    @Test
    void newBenchmarkIsReportedNotFailed() {
        Report r = BaselineCheck.compare(
                List.of(BenchResult.of(A, "avgt", 1.0, "us/op"), BenchResult.of(B, "avgt", 99, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertTrue(r.passed(), r.render());
        Finding f = only(r, B);
        assertEquals(Status.NEW, f.status());
        assertTrue(f.message().contains(B) && f.message().contains("not in the baseline"), f.message());
    }

    @Test
    void baselineEntryNoLongerRunIsReportedAsMissing() {
        Report r = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", 1.0, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op"), BenchResult.of(B, "avgt", 2.0, "us/op")), 3.0);
        assertTrue(r.passed(), r.render());
        Finding f = only(r, B);
        assertEquals(Status.MISSING, f.status());
        assertTrue(f.message().contains("2.000 us/op") && f.message().contains("not run"), f.message());
    }

    @Test
    void errorScoreFails() {
        Report r = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", Double.NaN, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertFalse(r.passed());
        assertEquals(Status.ERROR, only(r, A).status());
        Report unit = BaselineCheck.compare(List.of(BenchResult.of(A, "avgt", 1.0, "furlongs")),
                baseline(), 3.0);
        assertFalse(unit.passed());
        assertTrue(only(unit, A).message().contains("furlongs"), only(unit, A).message());
    }

    @Test
    void duplicateResultIsAnError() {
        Report r = BaselineCheck.compare(
                List.of(BenchResult.of(A, "avgt", 1.0, "us/op"), BenchResult.of(A, "avgt", 1.0, "us/op")),
                baseline(BenchResult.of(A, "avgt", 1.0, "us/op")), 3.0);
        assertFalse(r.passed());
        assertEquals(Status.ERROR, only(r, A).status());
    }

    @Test
    void parametersArePartOfTheKey() {
        BenchResult p64 = new BenchResult(A, Map.of("size", "64"), "avgt", 1.0, 0.1, "us/op", null, null);
        BenchResult p32 = new BenchResult(A, Map.of("size", "32"), "avgt", 9.0, 0.1, "us/op", null, null);
        Map<String, BenchResult> base = baseline(
                new BenchResult(A + "{size=64}", Map.of(), "avgt", 1.0, Double.NaN, "us/op", null, null));
        Report r = BaselineCheck.compare(List.of(p64, p32), base, 3.0);
        assertTrue(r.passed(), r.render());
        assertEquals(Status.OK, only(r, A + "{size=64}").status());
        assertEquals(Status.NEW, only(r, A + "{size=32}").status());
    }

    @Test
    void rejectsAFactorNotAboveOne() {
        assertThrows(IllegalArgumentException.class, () -> BaselineCheck.compare(List.of(), Map.of(), 1.0));
        assertThrows(IllegalArgumentException.class, () -> BaselineCheck.compare(List.of(), Map.of(), Double.NaN));
    }

    private static final String JMH_JSON = "[{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + A + "\",\"mode\":\"avgt\","
            + "\"primaryMetric\":{\"score\":%1$s,\"scoreError\":\"NaN\",\"scoreUnit\":\"us/op\",\"rawData\":[[%1$s, %1$s]]},"
            + "\"secondaryMetrics\":{}}]";

    private static int run(String... args) {
        return BaselineCheck.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void updateTakesTheResultsOfSeveralRuns(@TempDir Path dir) throws IOException {
        // benchmarks.jar's run and fabai-benchmarks-spark's run (bin/bench --update-baseline) make one baseline
        Path base = dir.resolve("baseline.json");
        Path jar = dir.resolve("run.json");
        Path spark = dir.resolve("run-spark.json");
        Files.writeString(jar, String.format(JMH_JSON, "1.25"), StandardCharsets.UTF_8);
        String other = "org.fabai.benchmarks.spark.SparkAdcBench.sparkClassify";
        Files.writeString(spark, String.format(JMH_JSON, "300.0").replace(A, other), StandardCharsets.UTF_8);
        assertEquals(0, run("update", base.toString(), jar.toString(), spark.toString()));
        Map<String, BenchResult> read = ResultsJson.readBaseline(base);
        assertEquals(2, read.size(), read.toString());
        assertEquals(1.25, read.get(A).score(), 1e-12);
        assertEquals(300.0, read.get(other).score(), 1e-12);
        assertEquals(0, run("check", base.toString(), jar.toString(), spark.toString()));
    }

    @Test
    void commandLineUpdatesThenChecks(@TempDir Path dir) throws IOException {
        Path base = dir.resolve("baseline.json");
        Path res = dir.resolve("run.json");
        Files.writeString(res, String.format(JMH_JSON, "1.25"), StandardCharsets.UTF_8);
        assertEquals(0, run("update", "--about", "unit test", base.toString(), res.toString()));
        Map<String, BenchResult> read = ResultsJson.readBaseline(base);
        assertEquals(1.25, read.get(A).score(), 1e-12);
        assertTrue(Files.readString(base).contains("unit test"));
        assertEquals(0, run("check", base.toString(), res.toString()));

        Path slow = dir.resolve("slow.json");
        Files.writeString(slow, String.format(JMH_JSON, "5.0"), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        Path names = dir.resolve("slower.txt");
        assertEquals(1, BaselineCheck.run(new String[] {"check", "--slower-out", names.toString(), base.toString(),
                slow.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains(A) && err.toString().contains("5.000 us/op")
                && err.toString().contains("1.250 us/op"), err.toString());
        assertEquals(A + "\n", Files.readString(names));
        // a wider limit lets it pass
        assertEquals(0, run("check", "--max-slowdown", "5", base.toString(), slow.toString()));
        // a later file (a confirming re-run) replaces the earlier result of the same benchmark
        assertEquals(0, run("check", base.toString(), slow.toString(), res.toString()));
        assertEquals(1, run("check", base.toString(), res.toString(), slow.toString()));

        Files.writeString(res, String.format(JMH_JSON, "\"NaN\""), StandardCharsets.UTF_8);
        assertEquals(1, run("check", base.toString(), res.toString()));
        assertEquals(2, run("update", base.toString(), res.toString()));
        Files.writeString(res, "[]", StandardCharsets.UTF_8);
        assertEquals(1, run("check", base.toString(), res.toString()));
        assertEquals(2, run("check", base.toString(), dir.resolve("absent.json").toString()));
        assertEquals(2, run("frobnicate", base.toString(), res.toString()));
        assertEquals(2, run("check", "--max-slowdown", "x", base.toString(), res.toString()));
        assertEquals(2, run("check", "--bogus", base.toString(), res.toString()));
        assertEquals(2, run("check", base.toString()));
    }
}
