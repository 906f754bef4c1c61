package org.fabai.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryChunk;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.io.csv.HistorySource;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.commonality.StreamingCommonality;
import org.fabai.rca.commonality.ToolSummary;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryParquetTest {

    @TempDir
    static Path dir;
    static SyntheticFab fab;
    static Path csv;
    static Path pq;

    @BeforeAll
    static void writeFab() throws Exception {
        fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(20));
        fab.writeCsv(dir);
        csv = dir.resolve("histories.csv");
        pq = dir.resolve("histories.parquet");
        // small row groups, so the scan decodes many groups on two threads
        HistoryParquet.convert(csv, pq, opts(2), 64 << 10);
    }

    private static HistoryCsvScanner.Options opts(int threads) {
        return HistoryCsvScanner.Options.defaults().withThreads(threads).withChunkBytes(64 << 10)
                .withProgress(Duration.ofHours(1), (r, b, t, n) -> { });
    }

    /** Every row as text, in order. */
    private static List<String> rows(HistorySource s, int threads) throws Exception {
        HistoryCsvScanner.Dictionaries d = HistoryCsvScanner.Dictionaries.create();
        List<String> out = new ArrayList<>();
        s.scan(d, opts(threads), c -> {
            for (int i = 0; i < c.size(); i++) {
                out.add(d.wafers().value(c.wafer(i)) + "|" + d.lots().value(c.lot(i)) + "|" + d.steps().value(c.step(i))
                        + "|" + d.tools().value(c.tool(i)) + "|" + d.chambers().value(c.chamber(i)) + "|" + c.time(i));
            }
        });
        return out;
    }

    @Test
    void historiesRoundTripAsObjects() throws Exception {
        Path f = dir.resolve("objects.parquet");
        HistoryParquet.write(fab.histories(), f, 32 << 10);
        List<WaferHistory> back = HistoryParquet.read(f);
        assertEquals(fab.histories(), back);
    }

    @Test
    void readingWholeRefusesBeforeRunningOutOfHeapNamingTheStreamingPath() throws Exception {
        Path f = dir.resolve("whole.parquet");
        HistoryParquet.write(fab.histories(), f, 32 << 10);
        long rows = fab.histories().stream().mapToLong(h -> h.runs().size()).sum();
        // a row estimate so large that the file's exact row count (from its footer) cannot fit
        long perRow = org.fabai.core.io.InputTooLargeException.freeHeap() / rows + 1_000_000;
        org.fabai.core.io.InputTooLargeException e = assertThrows(org.fabai.core.io.InputTooLargeException.class,
                () -> HistoryParquet.read(f, perRow));
        assertTrue(e.getMessage().startsWith(f + String.format(java.util.Locale.ROOT, ": about %,d rows", rows)),
                e.getMessage());
        assertTrue(e.getMessage().contains("without --bootstrap") && e.getMessage().contains("CommonalityJob"),
                e.getMessage());
        assertEquals(fab.histories(), HistoryParquet.read(f, 1));
    }

    @Test
    void scanGivesTheRowsOfTheCsvInOrder() throws Exception {
        List<String> fromCsv = rows(HistorySource.csv(csv), 1);
        assertTrue(fromCsv.size() > 5_000, "rows: " + fromCsv.size());
        assertEquals(fromCsv, rows(HistoryParquet.source(pq), 2));
        assertEquals(fromCsv, rows(HistoryParquet.source(pq), 1));
    }

    @Test
    void commonalityOnParquetEqualsCommonalityOnCsv() throws Exception {
        Map<String, Double> y = fab.outcome(SyntheticFab.YIELD);
        for (CommonalityConfig c : List.of(CommonalityConfig.continuous(false),
                CommonalityConfig.continuous(false).withWindow(Duration.ofDays(2)))) {
            StreamingCommonality sc = new StreamingCommonality(c, opts(2));
            StreamingCommonality.Run a = sc.run(HistorySource.csv(csv), y);
            StreamingCommonality.Run b = sc.run(HistoryParquet.source(pq), y);
            assertEquals(a.rows(), b.rows());
            assertEquals(a.wafers(), b.wafers());
            assertIdentical(a.result(), b.result());
        }
    }

    private static void assertIdentical(CommonalityResult a, CommonalityResult b) {
        assertEquals(a.wafers(), b.wafers());
        assertEquals(a.strata(), b.strata());
        assertEquals(a.skipped(), b.skipped());
        assertEquals(a.ranked().size(), b.ranked().size());
        assertTrue(a.ranked().size() > 5);
        for (int i = 0; i < a.ranked().size(); i++) {
            StepFinding x = a.ranked().get(i);
            StepFinding z = b.ranked().get(i);
            assertEquals(x.step(), z.step(), "rank " + i);
            assertEquals(x.statistic(), z.statistic(), x.step());
            assertEquals(x.p(), z.p(), x.step());
            assertEquals(x.q(), z.q(), x.step());
            assertEquals(x.culprit().tool(), z.culprit().tool(), x.step());
            for (int k = 0; k < x.tools().size(); k++) {
                ToolSummary s = x.tools().get(k);
                ToolSummary t = z.tools().get(k);
                assertEquals(s.tool(), t.tool());
                assertEquals(s.wafers(), t.wafers());
                assertEquals(s.meanOutcome(), t.meanOutcome());
            }
        }
    }

    @Test
    void aLargeRowGroupStreamsInChunksAndASinkErrorStopsTheScan() throws Exception {
        // 120,000 rows: one row group (few bytes a row) of more than seven 16,384-row chunks
        List<WaferHistory> hs = new ArrayList<>();
        for (int w = 0; w < 2400; w++) {
            List<org.fabai.core.process.StepRun> runs = new ArrayList<>();
            for (int s = 0; s < 50; s++) {
                runs.add(new org.fabai.core.process.StepRun(org.fabai.core.process.Step.of("S" + s),
                        new org.fabai.core.process.Tool("T" + (w + s) % 7, "C" + w % 3),
                        java.time.Instant.ofEpochSecond(1_700_000_000L + 60L * (w * 50 + s))));
            }
            hs.add(new WaferHistory("W" + w, "L" + w / 25, runs));
        }
        Path f = dir.resolve("large.parquet");
        HistoryParquet.write(hs, f);
        List<String> rows = rows(HistoryParquet.source(f), 2);
        assertEquals(120_000, rows.size());
        assertEquals("W0|L0|S0|T0|C0|" + 1_700_000_000_000_000_000L, rows.get(0));
        assertEquals("W2399|L95|S49|T" + (2399 + 49) % 7 + "|C2|" + (1_700_000_000L + 60L * 119_999) * 1_000_000_000L,
                rows.get(119_999));
        assertEquals(hs, HistoryParquet.read(f));
        int[] chunks = {0};
        FormatException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(FormatException.class, () -> HistoryParquet.scan(f,
                        HistoryCsvScanner.Dictionaries.create(), opts(2), c -> {
                            if (++chunks[0] == 2) {
                                throw new FormatException("sink", "chunk 2", "stop");
                            }
                        })));
        assertEquals("sink", e.source());
    }

    @Test
    void aFileThatIsNotParquetIsAFormatErrorNamingIt() {
        FormatException e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(csv), 1));
        assertEquals(csv.toString(), e.source());
        assertTrue(e.getMessage().contains("PAR1"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsAFormatErrorNamingIt() throws Exception {
        byte[] all = Files.readAllBytes(pq);
        for (int keep : new int[] {all.length / 2, all.length - 3, 8}) {
            Path f = dir.resolve("cut-" + keep + ".parquet");
            Files.write(f, java.util.Arrays.copyOf(all, keep));
            FormatException e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(f), 2), "kept " + keep);
            assertEquals(f.toString(), e.source());
            assertTrue(e.getMessage().contains("Parquet") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void corruptPagesAreAFormatErrorNamingTheRowGroup() throws Exception {
        byte[] all = Files.readAllBytes(pq);
        Path f = dir.resolve("corrupt.parquet");
        // garble the data pages (bytes 4 .. a third of the file), keep the footer
        for (int i = 4; i < all.length / 3; i += 7) {
            all[i] = (byte) (all[i] ^ 0x5A);
        }
        Files.write(f, all);
        FormatException e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(f), 2));
        assertEquals(f.toString(), e.source());
        assertTrue(e.location().startsWith("row group"), e.getMessage());
    }

    @Test
    void missingColumnsNullIdsAndBadTimesAreNamed() throws Exception {
        Path noTool = dir.resolve("notool.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.of("wafer_id", new String[] {"W1"}),
                ParquetTable.Column.of("step", new String[] {"S1"}))).write(noTool);
        FormatException e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(noTool), 1));
        assertTrue(e.getMessage().contains("missing column(s) [tool]"), e.getMessage());

        Path nullStep = dir.resolve("nullstep.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.of("wafer_id", new String[] {"W1", "W1"}),
                ParquetTable.Column.of("step", new String[] {"S1", null}),
                ParquetTable.Column.of("tool", new String[] {"T1", "T2"}))).write(nullStep);
        e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(nullStep), 1));
        assertEquals("row 2, column 'step'", e.location());

        Path badTime = dir.resolve("badtime.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.ofIntegers("wafer_id", new long[] {7, 7}),
                ParquetTable.Column.of("step", new String[] {"S1", "S2"}),
                ParquetTable.Column.of("tool", new String[] {"T1", "T2"}),
                ParquetTable.Column.of("timestamp", new String[] {"2024-03-01T12:00:00Z", "yesterday"}))).write(badTime);
        e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(badTime), 1));
        assertEquals("row 2, column 'timestamp'", e.location());
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());

        Path numericTime = dir.resolve("numtime.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.of("wafer_id", new String[] {"W1"}),
                ParquetTable.Column.of("step", new String[] {"S1"}), ParquetTable.Column.of("tool", new String[] {"T1"}),
                ParquetTable.Column.of("timestamp", new double[] {1.5}))).write(numericTime);
        e = assertThrows(FormatException.class, () -> rows(HistoryParquet.source(numericTime), 1));
        assertEquals("column 'timestamp'", e.location());
    }

    @Test
    void int96AndMillisecondAndLocalTimesAreRead() throws Exception {
        // 2024-03-01T12:00:00Z as Spark's legacy INT96 (nanos of day, Julian day; little-endian),
        // as TIMESTAMP(MILLIS, UTC), and as a local TIMESTAMP(MICROS) read in UTC+02:00
        long expected = 1_709_294_400_000_000_000L;
        org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message h { required binary wafer_id (STRING); required binary step (STRING); required binary tool (STRING);"
                + " optional int96 timestamp; optional int64 t_ms (TIMESTAMP(MILLIS,true));"
                + " optional int64 t_local (TIMESTAMP(MICROS,false)); }");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(12L * 3600 * 1_000_000_000L).putInt((int) (java.time.LocalDate.of(2024, 3, 1).toEpochDay() + 2_440_588));
        Path f = dir.resolve("times.parquet");
        try (RowWriter w = new RowWriter(f, schema)) {
            w.write(row -> {
                row.string(0, "W1");
                row.string(1, "S1");
                row.string(2, "T1");
                row.binary(3, org.apache.parquet.io.api.Binary.fromConstantByteArray(b.array()));
                row.int64(4, expected / 1_000_000L);
                row.int64(5, (expected / 1000L) + 2 * 3600 * 1_000_000L);
            });
        }
        assertEquals(List.of("W1||S1|T1||" + expected), rows(HistoryParquet.source(f), 1));
        // the same file with the other columns as the timestamp, by renaming through a projection-free copy
        for (String col : List.of("t_ms", "t_local")) {
            Path g = dir.resolve(col + ".parquet");
            org.apache.parquet.schema.MessageType one = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                    "message h { required binary wafer_id (STRING); required binary step (STRING); required binary tool (STRING);"
                    + (col.equals("t_ms") ? " optional int64 timestamp (TIMESTAMP(MILLIS,true)); }"
                    : " optional int64 timestamp (TIMESTAMP(MICROS,false)); }"));
            try (RowWriter w = new RowWriter(g, one)) {
                w.write(row -> {
                    row.string(0, "W1");
                    row.string(1, "S1");
                    row.string(2, "T1");
                    row.int64(3, col.equals("t_ms") ? expected / 1_000_000L : expected / 1000L + 2 * 3600 * 1_000_000L);
                });
            }
            HistoryCsvScanner.Dictionaries d = HistoryCsvScanner.Dictionaries.create();
            long[] t = {0};
            HistoryParquet.scan(g, d, opts(1).withZone(java.time.ZoneOffset.ofHours(2)), c -> t[0] = c.time(0));
            assertEquals(expected, t[0], col);
        }
    }

    @Test
    void integerIdsAndTextTimesAreRead() throws Exception {
        Path f = dir.resolve("ints.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.ofIntegers("WAFER_ID", new long[] {7, 7}),
                ParquetTable.Column.ofIntegers("step", new long[] {10, 20}),
                ParquetTable.Column.of("tool", new String[] {"T1", "T2"}),
                ParquetTable.Column.of("timestamp", new String[] {"2024-03-01T12:00:00Z", ""}))).write(f);
        assertEquals(List.of("7||10|T1||" + 1_709_294_400_000_000_000L, "7||20|T2||" + HistoryChunk.NO_TIME),
                rows(HistoryParquet.source(f), 1));
    }
}
