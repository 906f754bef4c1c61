package org.fabai.rca.commonality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.rca.data.HistoryCsv;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingCommonalityTest {

    @TempDir
    static Path dir;
    static SyntheticFab fab;
    static Path histories;
    static Map<String, Double> yield;

    @BeforeAll
    static void writeFab() throws Exception {
        fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(30));
        fab.writeCsv(dir);
        histories = dir.resolve("histories.csv");
        yield = fab.outcome(SyntheticFab.YIELD);
    }

    /** Small pieces and several threads, so rows of one wafer land in different pieces. */
    private static HistoryCsvScanner.Options opts(int threads) {
        return HistoryCsvScanner.Options.defaults().withThreads(threads).withChunkBytes(64 << 10);
    }

    private static void assertSame(CommonalityResult a, CommonalityResult b) {
        assertEquals(a.wafers(), b.wafers(), "wafers");
        assertEquals(a.wafersNoOutcome(), b.wafersNoOutcome(), "wafers without outcome");
        assertEquals(a.strata(), b.strata(), "strata");
        assertEquals(a.skipped(), b.skipped(), "skipped");
        assertEquals(a.ranked().size(), b.ranked().size(), "tested steps");
        for (int i = 0; i < a.ranked().size(); i++) {
            StepFinding x = a.ranked().get(i);
            StepFinding y = b.ranked().get(i);
            assertEquals(x.step(), y.step(), "rank " + i);
            assertEquals(x.test(), y.test());
            assertClose(x.statistic(), y.statistic(), x.step() + " statistic");
            assertEquals(x.df(), y.df());
            assertClose(x.p(), y.p(), x.step() + " p");
            assertClose(x.q(), y.q(), x.step() + " q");
            assertClose(x.effectSize(), y.effectSize(), x.step() + " effect");
            assertEquals(x.culprit().tool(), y.culprit().tool(), x.step() + " culprit");
            assertEquals(x.dropped(), y.dropped());
            assertEquals(x.tools().size(), y.tools().size());
            for (int k = 0; k < x.tools().size(); k++) {
                ToolSummary s = x.tools().get(k);
                ToolSummary t = y.tools().get(k);
                assertEquals(s.tool(), t.tool());
                assertEquals(s.wafers(), t.wafers());
                assertClose(s.meanOutcome(), t.meanOutcome(), s.tool() + " mean");
                assertClose(s.z(), t.z(), s.tool() + " z");
                assertClose(s.p(), t.p(), s.tool() + " p");
            }
        }
    }

    private static void assertClose(double a, double b, String what) {
        assertEquals(a, b, 1e-9 * Math.max(1, Math.abs(a)), what);
    }

    private static CommonalityResult inMemory(CommonalityConfig c, Path file, Map<String, Double> y) throws Exception {
        return new CommonalityScreen(c).run(HistoryCsv.readHistories(file), y);
    }

    @Test
    void equalsTheInMemoryScreenAtEveryLevelAndWindow() throws Exception {
        List<CommonalityConfig> configs = List.of(CommonalityConfig.continuous(false),
                CommonalityConfig.continuous(false).withLevel(CommonalityConfig.Level.TOOL),
                CommonalityConfig.continuous(false).withWindow(Duration.ofDays(1)));
        for (CommonalityConfig c : configs) {
            CommonalityResult expected = inMemory(c, histories, yield);
            for (int threads : new int[] {1, 3}) {
                StreamingCommonality.Run r = new StreamingCommonality(c, opts(threads)).run(histories, yield);
                assertSame(expected, r.result());
                assertEquals(fab.histories().size(), r.wafers());
            }
        }
        // the planted cause is found first
        StreamingCommonality.Run r = new StreamingCommonality(CommonalityConfig.continuous(false), opts(2))
                .run(histories, yield);
        assertEquals(fab.plantedCause(), r.result().causes().get(0).name());
    }

    @Test
    void binaryOutcomeAndWafersWithoutOutcome() throws Exception {
        List<Double> ys = new ArrayList<>(yield.values());
        Collections.sort(ys);
        double cut = ys.get(ys.size() / 5);
        Map<String, Double> fail = new HashMap<>();
        int k = 0;
        for (Map.Entry<String, Double> e : yield.entrySet()) {
            if (k++ % 7 != 0) {   // every 7th wafer has no outcome
                fail.put(e.getKey(), e.getValue() < cut ? 1.0 : 0.0);
            }
        }
        CommonalityConfig c = CommonalityConfig.binary();
        CommonalityResult expected = inMemory(c, histories, fail);
        assertTrue(expected.wafersNoOutcome() > 0);
        assertSame(expected, new StreamingCommonality(c, opts(2)).run(histories, fail).result());
    }

    @Test
    void shuffledQuotedCrlfFileGivesTheSameResult() throws Exception {
        List<String> lines = Files.readAllLines(histories);
        List<String> body = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.shuffle(body, new Random(5));
        StringBuilder sb = new StringBuilder(lines.get(0)).append("\r\n\r\n");
        for (int i = 0; i < body.size(); i++) {
            String row = body.get(i);
            if (i % 97 == 0) {   // quote the wafer id, one with a line break inside another field
                String[] f = row.split(",", -1);
                f[0] = "\"" + f[0] + "\"";
                f[4] = i % 194 == 0 ? "\"" + f[4] + "\n\"" : f[4];
                row = String.join(",", f);
            }
            sb.append(row).append(i % 2 == 0 ? "\r\n" : "\n");
            if (i % 1000 == 0) {
                sb.append('\n');
            }
        }
        Path shuffled = dir.resolve("shuffled.csv");
        Files.writeString(shuffled, sb);
        CommonalityConfig c = CommonalityConfig.continuous(false).withWindow(Duration.ofHours(12));
        assertSame(inMemory(c, shuffled, yield), new StreamingCommonality(c, opts(2)).run(shuffled, yield).result());
    }

    private static FormatException badFile(String text) throws Exception {
        Path f = Files.createTempFile(dir, "bad", ".csv");
        Files.writeString(f, text);
        Map<String, Double> y = Map.of("W1", 1.0, "W2", 2.0);
        return assertThrows(FormatException.class, () -> new StreamingCommonality(CommonalityConfig.continuous(false),
                opts(2)).run(f, y));
    }

    @Test
    void badInputNamesTheLine() throws Exception {
        String h = "wafer_id,lot_id,step,tool,chamber,timestamp\n";
        String ok = "W1,L1,S1,T1,A,2026-01-01T00:00:00Z\nW2,L1,S1,T2,A,2026-01-01T01:00:00Z\n";
        FormatException e = badFile(h + ok + "W1,L1,S1,T2,A,2026-01-01T02:00:00Z\n");
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("step 'S1' of wafer W1"), e.getMessage());
        e = badFile(h + ok + "W1,L2,S2,T2,A,2026-01-01T02:00:00Z\n");
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("lot_id 'L2'"), e.getMessage());
        e = badFile(h + ok + "\nW1,L1,S2,T2,A,\n");
        assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("timestamps on 1 of its 2"), e.getMessage());
        e = badFile(h + ok + "W1,L1,S2,T2,A,2026-13-01T00:00:00Z\n");
        assertTrue(e.getMessage().contains("line 4, column 'timestamp'"), e.getMessage());
        e = badFile(h + ok + "W1,L1,S2,T2\n");
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("expected 6 fields"), e.getMessage());
        e = badFile(h + ok + "W1,L1,,T2,A,2026-01-01T00:00:00Z\n");
        assertTrue(e.getMessage().contains("line 4, column 'step'"), e.getMessage());
        e = badFile(h + ok + "W1,L1,\"S2,T2,A,2026-01-01T00:00:00Z\n");
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("unterminated"), e.getMessage());
        e = badFile("wafer_id,step\nW1,S1\n");
        assertTrue(e.getMessage().contains("missing column 'tool'"), e.getMessage());
    }
}
