package org.fabai.core.io.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.InputTooLargeException;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvScannerTest {

    private record Row(String wafer, String lot, String step, String tool, String chamber, long time, long line) {
    }

    private static List<Row> scan(Path f, HistoryCsvScanner.Options o) throws Exception {
        HistoryCsvScanner.Dictionaries d = HistoryCsvScanner.Dictionaries.create();
        List<Row> rows = new ArrayList<>();
        HistoryCsvScanner.scan(f, d, o, c -> {
            for (int i = 0; i < c.size(); i++) {
                rows.add(new Row(d.wafers().value(c.wafer(i)), d.lots().value(c.lot(i)), d.steps().value(c.step(i)),
                        d.tools().value(c.tool(i)), d.chambers().value(c.chamber(i)), c.time(i), c.line(i)));
            }
        });
        return rows;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void rowsTimesAndLinesMatchTheObjectReader(@TempDir Path tmp) throws Exception {
        StringBuilder sb = new StringBuilder("\uFEFFwafer_id,lot_id,step,tool,chamber,timestamp,note\r\n");
        for (int w = 0; w < 300; w++) {
            for (int s = 0; s < 20; s++) {
                String time = switch ((w + s) % 4) {
                    case 0 -> "2026-01-05T08:00:0" + (s % 10) + "Z";
                    case 1 -> "2026-01-05 08:00:0" + (s % 10) + ".25";
                    case 2 -> "2026-01-05T09:00:00+01:00";
                    default -> "2026-01-05T08:00:00.123456789";
                };
                String note = (w * 20 + s) % 50 == 0 ? "\"two\nlines, quoted\"" : "n";
                sb.append(" W").append(w).append(" ,L").append(w / 25).append(",S").append(s).append(",T").append(s % 3)
                        .append(',').append((w + s) % 2 == 0 ? "A" : "").append(',').append(time).append(',').append(note)
                        .append(s % 2 == 0 ? "\n" : "\r\n");
            }
            sb.append('\n');
        }
        Path f = Files.writeString(tmp.resolve("h.csv"), sb);
        List<WaferHistory> expected = WaferHistoryCsv.read(f, ZoneId.of("Europe/Berlin")).histories();
        for (int threads : new int[] {1, 3}) {
            List<Row> rows = scan(f, HistoryCsvScanner.Options.defaults().withThreads(threads).withChunkBytes(64 << 10)
                    .withZone(ZoneId.of("Europe/Berlin")));
            assertEquals(6000, rows.size());
            int k = 0;
            for (WaferHistory h : expected) {   // the file is grouped by wafer with steps in time order
                for (StepRun r : h.runs()) {
                    Row x = rows.stream().filter(y -> y.wafer().equals(h.waferId()) && y.step().equals(r.step().id()))
                            .findFirst().orElseThrow();
                    assertEquals(h.lotId(), x.lot());
                    assertEquals(r.tool().id(), x.tool());
                    assertEquals(r.tool().chamber(), x.chamber());
                    assertEquals(nanos(r.time()), x.time(), h.waferId() + " " + r.step().id());
                    k++;
                }
            }
            assertEquals(6000, k);
            // line numbers count the quoted line breaks and the blank lines, as CsvReader does
            Row last = rows.get(rows.size() - 1);
            assertEquals(2 + 5999 + 299 + 6000 / 50, last.line());   // header, rows, blank lines, quoted breaks
        }
    }

    @Test
    void badInputNamesFileAndLine(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.csv"), "wafer_id,step,tool\nW1,S1,T1\nW1,S2,T1,extra\n");
        FormatException e = assertThrows(FormatException.class, () -> scan(f, HistoryCsvScanner.Options.defaults()));
        assertTrue(e.getMessage().contains("bad.csv: line 3") && e.getMessage().contains("expected 3 fields"), e.getMessage());
        Path g = Files.writeString(tmp.resolve("t.csv"), "wafer_id,step,tool,timestamp\nW1,S1,T1,2026-02-30T00:00:00Z\n");
        e = assertThrows(FormatException.class, () -> scan(g, HistoryCsvScanner.Options.defaults()));
        assertTrue(e.getMessage().contains("line 2, column 'timestamp'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HistoryCsvScanner.Options.defaults().withThreads(0));
    }

    @Test
    void heapCheckRefusesBeforeReading(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("h.csv"), "wafer_id,step,tool\n" + "W1,S1,T1\n".repeat(1000));
        assertEquals(1001, InputTooLargeException.estimateLines(f));
        InputTooLargeException.checkFits(f, 1001, 100, "stream it");
        InputTooLargeException e = assertThrows(InputTooLargeException.class,
                () -> InputTooLargeException.checkFits(f, 1001, Long.MAX_VALUE / 2000, "stream it"));
        assertTrue(e.getMessage().contains("h.csv") && e.getMessage().endsWith("stream it"), e.getMessage());
        assertTrue(e.neededBytes() > e.freeBytes());
    }

    @Test
    void aLongScanReportsRowsBytesAndTimeAsItGoes(@TempDir Path tmp) throws Exception {
        // about 1.5 MB in 64 KiB pieces, progress asked for at every piece: rows/s is rows / elapsed of an update
        StringBuilder sb = new StringBuilder("wafer_id,lot_id,step,tool,chamber,timestamp\n");
        for (int w = 0; w < 2000; w++) {
            for (int s = 0; s < 20; s++) {
                sb.append('W').append(w).append(",L").append(w / 25).append(",S").append(s).append(",T").append(s % 3)
                        .append(",A,2026-01-05T08:00:00Z\n");
            }
        }
        Path f = Files.writeString(tmp.resolve("long.csv"), sb);
        List<long[]> updates = new ArrayList<>();
        HistoryCsvScanner.Options o = HistoryCsvScanner.Options.defaults().withThreads(1).withChunkBytes(1 << 16)
                .withProgress(java.time.Duration.ofNanos(1), (rows, read, total, nanos) -> updates.add(new long[] {rows, read,
                    total, nanos}));
        HistoryCsvScanner.Summary sum = HistoryCsvScanner.scan(f, HistoryCsvScanner.Dictionaries.create(), o, c -> { });
        assertEquals(40_000, sum.rows());
        assertTrue(updates.size() >= 10, "one update a piece: " + updates.size());
        long lastRows = -1;
        long lastRead = -1;
        for (long[] u : updates) {
            assertTrue(u[0] >= lastRows && u[1] >= lastRead, "rows and bytes only grow");
            assertEquals(Files.size(f), u[2]);
            assertTrue(u[1] <= u[2] && u[3] > 0);
            lastRows = u[0];
            lastRead = u[1];
        }
        long[] last = updates.get(updates.size() - 1);
        assertTrue(last[0] > 0 && last[0] < 40_000, "rows delivered while reading: " + last[0]);
        assertTrue(last[0] * 1e9 / last[3] > 0, "a rows-per-second figure");
        assertTrue(sum.rowsPerSecond() > 0);
    }
}
