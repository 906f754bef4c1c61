package org.fabai.benchmarks.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsJsonTest {

    // shape copied from what JMH 1.37 writes with -rf json (fields trimmed)
    private static final String JMH = """
            [
              {
                "jmhVersion" : "1.37",
                "benchmark" : "org.fabai.benchmarks.core.WaferMapBench.rotate90",
                "mode" : "avgt",
                "threads" : 1,
                "forks" : 1,
                "params" : { "size" : "64", "mode" : "MAX" },
                "primaryMetric" : {
                  "score" : 1.5,
                  "scoreError" : 0.25,
                  "scoreConfidence" : [1.25, 1.75],
                  "scoreUnit" : "us/op",
                  "rawData" : [[1.4, 1.5, 1.6]]
                },
                "secondaryMetrics" : {}
              },
              {
                "benchmark" : "peers.x",
                "mode" : "avgt",
                "peerOf" : "org.fabai.benchmarks.core.WaferMapBench.rotate90",
                "peerName" : "PyTorch rot90",
                "primaryMetric" : { "score" : 3.0, "scoreError" : "NaN", "scoreUnit" : "us/op" }
              }
            ]
            """;

    @Test
    void readsJmhAndPeerResults() {
        List<BenchResult> rs = ResultsJson.readResults(JMH, "t.json");
        assertEquals(2, rs.size());
        BenchResult a = rs.get(0);
        assertEquals("org.fabai.benchmarks.core.WaferMapBench.rotate90{mode=MAX,size=64}", a.key());
        assertEquals(1.5, a.score());
        assertEquals(0.25, a.scoreError());
        assertEquals(1.5e-6, a.secondsPerOp(), 1e-18);
        assertEquals(1.4, a.best(), 0.0);
        assertEquals(1.4e-6, a.bestSecondsPerOp(), 1e-18);
        assertNull(a.peerOf());
        BenchResult p = rs.get(1);
        assertTrue(Double.isNaN(p.scoreError()));
        assertTrue(Double.isNaN(p.best()));
        assertEquals("PyTorch rot90", p.peerName());
        assertEquals("org.fabai.benchmarks.core.WaferMapBench.rotate90", p.peerOf());
    }

    @Test
    void bestOfThroughputIsTheHighestIteration() {
        List<BenchResult> rs = ResultsJson.readResults("[{\"benchmark\":\"x.Y.z\",\"mode\":\"thrpt\","
                + "\"primaryMetric\":{\"score\":5,\"scoreError\":1,\"scoreUnit\":\"ops/s\","
                + "\"rawData\":[[4,6],[5,\"NaN\"]]}}]", "t");
        assertEquals(6.0, rs.get(0).best(), 0.0);
        assertEquals(1.0 / 6, rs.get(0).bestSecondsPerOp(), 1e-15);
    }

    @Test
    void malformedInputNamesFileAndEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsJson.readResults("[{\"benchmark\":\"x.y\",\"mode\":\"avgt\"}]", "r.json"));
        assertTrue(e.getMessage().contains("r.json entry 0") && e.getMessage().contains("primaryMetric"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readResults("{}", "r.json"));
        assertTrue(e.getMessage().contains("r.json"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readResults("[{", "r.json"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readResults(
                "[{\"benchmark\":\"x.y\",\"mode\":\"avgt\",\"primaryMetric\":{\"score\":\"fast\",\"scoreUnit\":\"us/op\"}}]",
                "r.json"));
        assertTrue(e.getMessage().contains("x.y") && e.getMessage().contains("score"), e.getMessage());
    }

    @Test
    void baselineRoundTripsSorted() throws IOException {
        StringWriter w = new StringWriter();
        ResultsJson.writeBaseline(List.of(BenchResult.of("b.B.m", "avgt", 2.123456, "us/op"),
                BenchResult.of("a.A.m", "thrpt", 1000, "ops/s")), "about", "now", "here", w);
        String text = w.toString();
        assertTrue(text.indexOf("a.A.m") < text.indexOf("b.B.m"), text);
        Map<String, BenchResult> back = ResultsJson.readBaseline(text, "mem");
        assertEquals(2.123, back.get("b.B.m").score(), 1e-12); // 4 significant digits
        assertEquals("thrpt", back.get("a.A.m").mode());
        assertEquals("ops/s", back.get("a.A.m").unit());
    }

    @Test
    void invalidBaselineEntriesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ResultsJson.writeBaseline(
                List.of(BenchResult.of("a.A.m", "avgt", Double.NaN, "us/op")), "", "", "", new StringWriter()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readBaseline(
                "{\"format\":1,\"benchmarks\":{\"a.A.m\":{\"mode\":\"avgt\",\"score\":0,\"unit\":\"us/op\"}}}", "b"));
        assertTrue(e.getMessage().contains("a.A.m") && e.getMessage().contains("> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readBaseline(
                "{\"format\":2,\"benchmarks\":{}}", "b"));
        assertTrue(e.getMessage().contains("format must be 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readBaseline(
                "{\"format\":1,\"benchmarks\":{\"a.A.m\":{\"mode\":\"avgt\",\"score\":1,\"unit\":\"parsecs\"}}}", "b"));
        assertTrue(e.getMessage().contains("parsecs"), e.getMessage());
    }

    @Test
    void unitsConvert() {
        assertEquals(1e-9, Units.secondsPerOp(1, "ns/op"), 1e-21);
        assertEquals(2e-3, Units.secondsPerOp(2, "ms/op"), 1e-15);
        assertEquals(0.5e-6, Units.secondsPerOp(2, "ops/us"), 1e-18);
        assertEquals(60, Units.secondsPerOp(1, "min/op"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerOp(1, "B/op"));
        assertEquals("1.500 us/op", Units.format(1.5e-6));
        assertEquals("250.000 ns/op", Units.format(2.5e-7));
    }
}
