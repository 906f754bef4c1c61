package org.fabai.rca.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataIoTest {

    @TempDir
    Path dir;

    @Test
    void readsHistoriesAndOutcomesAndScreensThem() throws Exception {
        StringBuilder h = new StringBuilder("wafer_id,lot_id,step,tool,chamber,timestamp\n");
        StringBuilder o = new StringBuilder("wafer_id,name,value\n");
        for (int i = 0; i < 40; i++) {
            String w = "W" + i;
            // rows deliberately out of time order
            h.append(w).append(",L1,ETCH,E").append(i % 2).append(",A,2026-01-05T10:00:00Z\n");
            h.append(w).append(",L1,LITHO,L1,,2026-01-05T08:00:00Z\n");
            o.append(w).append(",yield,").append(i % 2 == 0 ? 0.9 : 0.6 + 0.001 * i).append('\n');
        }
        Path hp = Files.writeString(dir.resolve("h.csv"), h);
        Path op = Files.writeString(dir.resolve("o.csv"), o);
        List<WaferHistory> hs = HistoryCsv.readHistories(hp);
        assertEquals(40, hs.size());
        assertEquals("LITHO", hs.get(0).runs().get(0).step().id());
        assertEquals("L1", hs.get(0).lotId());
        assertEquals(List.of("LITHO", "ETCH"), HistoryCsv.inferRoute(hs).steps().stream().map(s -> s.id()).toList());
        List<Outcome> os = HistoryCsv.readOutcomes(op);
        Map<String, Double> y = HistoryCsv.byName(os, "yield");
        CommonalityResult r = new CommonalityScreen(CommonalityConfig.continuous(false)).run(hs, y);
        assertEquals("ETCH E1/A", r.causes().get(0).name());
        assertEquals("LITHO", r.skipped().get(0).step());
    }

    @Test
    void badCsvIsRefusedWithFileAndLine() throws Exception {
        Path p = Files.writeString(dir.resolve("bad.csv"), "wafer_id,step,tool,chamber,timestamp\nW1,S1,T1,A,yesterday\n");
        FormatException e = assertThrows(FormatException.class, () -> HistoryCsv.readHistories(p));
        assertEquals("line 2, column 'timestamp'", e.location());
        assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
        Path q = Files.writeString(dir.resolve("bad2.csv"), "wafer_id,step,chamber\nW1,S1,A\n");
        assertTrue(assertThrows(FormatException.class, () -> HistoryCsv.readHistories(q)).getMessage().contains("tool"));
        Path r = Files.writeString(dir.resolve("o.csv"), "wafer_id,name,value\nW1,yield,NaN\n");
        assertThrows(FormatException.class, () -> HistoryCsv.readOutcomes(r));
        Path t = Files.writeString(dir.resolve("t.tsv"), "a\tb\n1\t2\n3\n");
        FormatException te = assertThrows(FormatException.class, () -> DataTable.read(t, '\t', List.of()));
        assertEquals("line 3", te.location());
        Path u = Files.writeString(dir.resolve("u.tsv"), "a\tb\n1\tx\n");
        assertTrue(assertThrows(FormatException.class, () -> DataTable.read(u, '\t', List.of())).getMessage().contains("'x'"));
    }

    @Test
    void csvTablesAreReadAsRfc4180() throws Exception {
        // a quoted recipe name holding the delimiter, a quoted number, CRLF line ends
        Path p = Files.writeString(dir.resolve("q.csv"), "recipe,x,y\r\n\"etch, long\",1.5,\"2\"\r\nshort,2.5,3\r\n");
        DataTable t = DataTable.readInferringTypes(p, ',', List.of());
        assertEquals(List.of("recipe", "x", "y"), t.names());
        assertTrue(t.isCategorical(0));
        assertEquals(List.of("etch, long", "short"), t.levels(0));
        assertEquals(2.0, t.get(0, 2), 0);
        // a row of the wrong width is an error naming the file and line
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b\n1,2\n3\n");
        FormatException e = assertThrows(FormatException.class, () -> DataTable.read(bad, ',', List.of()));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void tableTransformsAndRanks() {
        DataTable t = DataTable.builder().continuous("a", new double[] {1, 10, 100, 10}).build();
        assertEquals(Math.log(100), t.mapContinuous(Math::log).get(2, 0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> t.mapContinuous(v -> v - 10).mapContinuous(Math::log));
        double[] ns = t.normalScores().column(0);
        assertEquals(ns[1], ns[3]);
        assertTrue(ns[0] < ns[1] && ns[1] < ns[2]);
        assertEquals(List.of(1.0, 2.5, 4.0, 2.5), java.util.Arrays.stream(Ranks.midRanks(new double[] {1, 10, 100, 10})).boxed().toList());
        assertEquals(6.0, Ranks.tieTerm(new double[] {1, 10, 100, 10}));
    }

    @Test
    void syntheticFabRoundTripsThroughCsv() throws Exception {
        org.fabai.rca.synth.SyntheticFab fab = org.fabai.rca.synth.SyntheticFab.generate(
                org.fabai.rca.synth.FabConfig.defaults(5).withLots(20));
        fab.writeCsv(dir);
        List<WaferHistory> hs = HistoryCsv.readHistories(dir.resolve("histories.csv"));
        assertEquals(fab.histories(), hs);
        assertEquals(fab.outcomes(), HistoryCsv.readOutcomes(dir.resolve("outcomes.csv")));
        DataTable t = DataTable.read(dir.resolve("table.csv"), ',', fab.route().steps().stream().map(s -> s.id()).toList());
        DataTable mem = fab.table();
        assertEquals(mem.names(), t.names());
        int y = t.indexOf("yield");
        for (int i = 0; i < t.rows(); i++) {
            assertEquals(mem.get(i, y), t.get(i, y));
            assertEquals(mem.levels(0).get((int) mem.get(i, 0)), t.levels(0).get((int) t.get(i, 0)));
        }
    }

    @Test
    void aTableTooLargeForTheHeapIsRefusedBeforeReadingNamingTheFileAndWhatToDo() throws Exception {
        StringBuilder b = new StringBuilder("a,b,c,d,e,f,g,h,i,j\n");
        for (int i = 0; i < 2000; i++) {
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ",").append(i * 10 + j);
            }
            b.append('\n');
        }
        Path f = Files.writeString(dir.resolve("wide.csv"), b);
        // read whole at the real cost per cell: it fits
        assertEquals(2000, DataTable.readInferringTypes(f, ',', List.of()).rows());
        // at a cost per cell that makes 2,001 lines x 10 columns twice the free heap: refused before reading
        long perCell = 2 * org.fabai.core.io.InputTooLargeException.freeHeap() / (2001L * 10) + 1;
        org.fabai.core.io.InputTooLargeException e = assertThrows(org.fabai.core.io.InputTooLargeException.class,
                () -> DataTable.read(f, ',', List.of(), true, perCell));
        assertTrue(e.getMessage().startsWith(f + ": about 2,001 rows need about"), e.getMessage());
        assertTrue(e.getMessage().contains("select fewer columns or rows, or give the JVM more heap"), e.getMessage());
        assertTrue(e.neededBytes() > e.freeBytes());
        // tab-separated: the columns come from the header's fields
        Path t = Files.writeString(dir.resolve("wide.tsv"), b.toString().replace(',', '\t'));
        assertThrows(org.fabai.core.io.InputTooLargeException.class, () -> DataTable.read(t, '\t', List.of(), false, perCell));
        assertEquals(10, DataTable.read(t, '\t', List.of()).columns());
    }

    @Test
    void aTableReadRowByRowEqualsTheTableBuiltFromAllItsCells() throws Exception {
        // the synthetic fab's table (tool columns as text, numbers) and a quoted, CRLF, semicolon variant
        org.fabai.rca.synth.SyntheticFab.generate(org.fabai.rca.synth.FabConfig.defaults(3).withLots(8)).writeCsv(dir);
        Path semi = Files.writeString(dir.resolve("semi.csv"),
                "recipe;x;flag\r\n\"etch; long\";1.5;True\r\n\r\nshort;2;False\r\n\"etch; long\";-3e2;True\r\n");
        for (Object[] c : new Object[][] {{dir.resolve("table.csv"), ','}, {semi, ';'}}) {
            Path f = (Path) c[0];
            char d = (char) c[1];
            org.fabai.core.io.csv.CsvTable all = org.fabai.core.io.csv.CsvTable.read(f, d);
            DataTable.Builder b = DataTable.builder();
            for (String col : all.columns()) {
                String[] v = all.strings(col);
                boolean numbers = java.util.Arrays.stream(v).allMatch(x -> {
                    try {
                        return Double.isFinite(Double.parseDouble(x.strip()));
                    } catch (NumberFormatException e) {
                        return false;
                    }
                });
                if (numbers) {
                    b.continuous(col, java.util.Arrays.stream(v).mapToDouble(x -> Double.parseDouble(x.strip())).toArray());
                } else {
                    b.categorical(col, java.util.Arrays.stream(v).map(String::strip).toArray(String[]::new));
                }
            }
            DataTable expected = b.build();
            DataTable got = DataTable.readInferringTypes(f, d, List.of());
            assertEquals(expected.names(), got.names(), f.toString());
            assertEquals(expected.rows(), got.rows(), f.toString());
            for (int j = 0; j < got.columns(); j++) {
                assertEquals(expected.isCategorical(j), got.isCategorical(j), got.names().get(j));
                assertEquals(expected.levels(j), got.levels(j), got.names().get(j));
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected.column(j), got.column(j), got.names().get(j));
            }
        }
        // a column forced numeric (no inference) names the data row and the column of a bad value
        FormatException e = assertThrows(FormatException.class, () -> DataTable.read(semi, ';', List.of("recipe")));
        assertEquals("data row 1, column 'flag'", e.location());
        Path bad = Files.writeString(dir.resolve("inf.csv"), "a,b\n1,2\n3,Infinity\n");
        e = assertThrows(FormatException.class, () -> DataTable.read(bad, ',', List.of()));
        assertEquals("data row 2, column 'b'", e.location());
        assertTrue(e.getMessage().contains("expected a finite number, found 'Infinity'"), e.getMessage());
    }
}
