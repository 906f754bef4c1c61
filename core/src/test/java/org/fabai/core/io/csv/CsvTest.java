package org.fabai.core.io.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.Route;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @TempDir
    Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(CsvTest.class.getResource("/csv/" + name).toURI());
    }

    private static List<CsvReader.Record> records(String text) throws Exception {
        CsvReader r = new CsvReader(new StringReader(text), "t.csv", ',');
        List<CsvReader.Record> out = new java.util.ArrayList<>();
        for (CsvReader.Record x = r.next(); x != null; x = r.next()) {
            out.add(x);
        }
        return out;
    }

    private static FormatException bad(org.junit.jupiter.api.function.Executable ex) {
        FormatException e = assertThrows(FormatException.class, ex);
        System.out.println("  message: " + e.getMessage());
        return e;
    }

    @Test
    void rfc4180Records() throws Exception {
        List<CsvReader.Record> r = records("\uFEFFa,b,c\r\n1,\"x,y\",\"he said \"\"hi\"\"\"\n\n \"multi\r\nline\" , 2 ,\r\nlast");
        assertEquals(4, r.size());
        assertEquals(List.of("a", "b", "c"), r.get(0).fields());
        assertEquals(List.of("1", "x,y", "he said \"hi\""), r.get(1).fields());
        assertEquals(List.of("multi\r\nline", "2", ""), r.get(2).fields());
        assertEquals(4, r.get(2).line());
        assertEquals(List.of("last"), r.get(3).fields());
        assertEquals(6, r.get(3).line());
        assertEquals(List.of("", ""), records(",").get(0).fields());
    }

    @Test
    void malformedRecords() {
        FormatException e = bad(() -> records("a,b\n1,\"open\n2,3\n"));
        assertEquals("line 2", e.location());
        assertTrue(e.getMessage().contains("unterminated quoted field (field 2)"));
        e = bad(() -> records("a,b\n\"x\"y,2\n"));
        assertTrue(e.getMessage().contains("after the closing quote of field 1, found 'y'"));
        e = bad(() -> records("a,b\n5\"inch,2\n"));
        assertEquals("line 2", e.location());
        assertTrue(e.getMessage().contains("quote inside unquoted field 1"));
    }

    @Test
    void tableNumbersAndMissingValues() throws Exception {
        CsvTable t = CsvTable.parse("x, Y ,name\n1,2.5e3,a\n-0.5,NA,b\n3,,c\n", "t.csv", ',');
        assertEquals(List.of("x", "Y", "name"), t.columns());
        assertEquals(3, t.rowCount());
        assertArrayEquals(new double[] {1, -0.5, 3}, t.numbers("X"));
        double[] y = t.numbers("y", true);
        assertEquals(2500.0, y[0]);
        assertTrue(Double.isNaN(y[1]) && Double.isNaN(y[2]));
        assertArrayEquals(new String[] {"a", "b", "c"}, t.strings("name"));
        FormatException e = bad(() -> t.numbers("y"));
        assertEquals("line 3, column 'Y'", e.location());
        assertTrue(e.getMessage().contains("expected a number, found 'NA' (missing values are not allowed here)"));
        e = bad(() -> t.matrix());
        assertEquals("line 2, column 'name'", e.location());
        e = bad(() -> t.numbers("z"));
        assertTrue(e.getMessage().contains("missing column 'z'; found columns [x, Y, name]"));
        CsvTable h = CsvTable.parse("a,b\n1,0x10\n", "hex.csv", ',');
        e = bad(() -> h.numbers("b"));
        assertTrue(e.getMessage().contains("expected a number, found '0x10'"));
        e = bad(() -> CsvTable.parse("a,b\n1,2,3\n", "wide.csv", ','));
        assertEquals("line 2", e.location());
        assertTrue(e.getMessage().contains("expected 2 fields (columns [a, b]), found 3"));
        e = bad(() -> CsvTable.parse("a,A\n1,2\n", "dup.csv", ','));
        assertTrue(e.getMessage().contains("column 'A' appears twice"));
        double[][] m = t.matrix(List.of("y", "x"), true);
        assertEquals(-0.5, m[1][1]);
    }

    @Test
    void realSachsTable() throws Exception {
        Path p = org.fabai.core.SharedData.require("sachs/sachs.2005.continuous.txt");
        CsvTable t = CsvTable.read(p);
        assertEquals(List.of("raf", "mek", "plc", "pip2", "pip3", "erk", "akt", "pka", "pkc", "p38", "jnk"), t.columns());
        assertEquals(7466, t.rowCount());
        double[][] m = t.matrix();
        assertEquals(26.4, m[0][0]);
        assertEquals(40.0, m[0][10]);
    }

    @Test
    void historiesFromFile() throws Exception {
        WaferHistoryCsv.Result r = WaferHistoryCsv.read(fixture("histories.csv"));
        assertEquals(2, r.histories().size());
        WaferHistory w1 = r.histories().get(0);
        assertEquals("W01", w1.waferId());
        assertEquals("LOT1", w1.lotId());
        // sorted by time: LITHO 08:00Z, ETCH 10:00 (UTC), CMP 12:30+01:00 = 11:30Z
        assertEquals(List.of("LITHO", "ETCH", "CMP"), w1.runs().stream().map(x -> x.step().id()).toList());
        assertEquals(new Tool("ETCH07", "A"), w1.runs().get(1).tool());
        assertEquals(Instant.parse("2024-03-01T11:30:00Z"), w1.runs().get(2).time());
        assertEquals(Instant.parse("2024-03-02T09:00:00.250Z"), r.histories().get(1).runs().get(1).time());
        assertEquals(List.of("recipe"), r.extraColumns());
        assertEquals("R1, v2", r.extras().get("W01").get("ETCH").get("recipe"));
        assertEquals("say \"hi\"", r.extras().get("W01").get("LITHO").get("recipe"));
        assertEquals("multi\nline", r.extras().get("W02").get("ETCH").get("recipe"));
        Route route = r.inferRoute();
        assertEquals(List.of("LITHO", "ETCH", "CMP"), route.steps().stream().map(Step::id).toList());
        assertTrue(route.isBefore("LITHO", "CMP"));
        // local times in another zone
        WaferHistoryCsv.Result z = WaferHistoryCsv.read(fixture("histories.csv"), ZoneId.of("Europe/Berlin"));
        assertEquals(Instant.parse("2024-03-01T09:00:00Z"), z.histories().get(0).run("ETCH").orElseThrow().time());
    }

    @Test
    void historiesWithoutTimesKeepFileOrder() throws Exception {
        WaferHistoryCsv.Result r = WaferHistoryCsv.parse("wafer_id,step,tool\nW1,B,T1\nW2,A,T2\nW1,A,T3\n", "t");
        assertEquals(List.of("B", "A"), r.histories().get(0).runs().stream().map(x -> x.step().id()).toList());
        assertNull(r.histories().get(0).runs().get(0).time());
        assertEquals("", r.histories().get(0).runs().get(0).tool().chamber());
        // W1 says B before A, W2 has only A: consistent
        assertEquals(List.of("B", "A"), r.inferRoute().steps().stream().map(Step::id).toList());
        WaferHistoryCsv.Result c = WaferHistoryCsv.parse("wafer_id,step,tool\nW1,A,T\nW1,B,T\nW2,B,T\nW2,A,T\n", "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::inferRoute);
        assertTrue(e.getMessage().contains("A, B form a cycle"), e.getMessage());
    }

    @Test
    void badHistories() {
        FormatException e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,chamber\nW1,A,x\n", "h.csv"));
        assertEquals("line 1, header", e.location());
        assertTrue(e.getMessage().contains("missing column 'tool'"));
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool\nW1,A,T\nW1,A,U\n", "h.csv"));
        assertEquals("line 3, column 'step'", e.location());
        assertTrue(e.getMessage().contains("step 'A' of wafer W1 already given on line 2"));
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool,timestamp\nW1,A,T,2024-13-01 00:00:00\n", "h.csv"));
        assertEquals("line 2, column 'timestamp'", e.location());
        assertTrue(e.getMessage().contains("found '2024-13-01 00:00:00'"));
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool,timestamp\nW1,A,T,2024-02-30T00:00:00\n", "h.csv"));
        assertTrue(e.getMessage().contains("expected an ISO-8601 time"));
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool,timestamp\nW1,A,T,2024-02-01T00:00:00\nW1,B,T,\n", "h.csv"));
        assertEquals("line 3, column 'timestamp'", e.location());
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool,lot_id\nW1,A,T,L1\nW1,B,T,L2\n", "h.csv"));
        assertTrue(e.getMessage().contains("wafer W1 has lot_id 'L2' but 'L1' on line 2"));
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool\nW1,,T\n", "h.csv"));
        assertEquals("line 2, column 'step'", e.location());
        e = bad(() -> WaferHistoryCsv.parse("wafer_id,step,tool\nW1,\"A,T\n", "h.csv"));
        assertTrue(e.getMessage().contains("unterminated quoted field"));
        e = bad(() -> WaferHistoryCsv.parse("", "h.csv"));
        assertTrue(e.getMessage().contains("empty file"));
    }

    @Test
    void historyRoundTrip() throws Exception {
        List<WaferHistory> hs = List.of(
                new WaferHistory("W,1", "L \"7\"", List.of(
                        new StepRun(new Step("S1", "Litho, metal 1"), new Tool("T1", "A"), Instant.parse("2024-01-01T00:00:00Z")),
                        new StepRun(Step.of("S2"), Tool.of("T2"), Instant.parse("2024-01-01T01:00:00.123456789Z")))),
                new WaferHistory("W2", "", List.of(new StepRun(Step.of("S2"), new Tool("T9", "B"), null))));
        Path p = tmp.resolve("h.csv");
        WaferHistoryCsv.write(hs, p);
        assertEquals(hs, WaferHistoryCsv.read(p).histories());
        StringWriter sw = new StringWriter();
        WaferHistoryCsv.write(hs, sw);
        assertTrue(sw.toString().startsWith("wafer_id,lot_id,step,step_name,tool,chamber,timestamp\r\n\"W,1\",\"L \"\"7\"\"\""),
                sw.toString());
    }

    @Test
    void outcomes() throws Exception {
        List<Outcome> o = OutcomeCsv.parse("value,wafer_id,name,comment\n0.93,W1,yield,ok\n-1e-3,W2,yield,\n12,W1,bin7,x\n", "o.csv");
        assertEquals(List.of(new Outcome("W1", "yield", 0.93), new Outcome("W2", "yield", -0.001),
                new Outcome("W1", "bin7", 12)), o);
        Path p = tmp.resolve("o.csv");
        List<Outcome> x = List.of(new Outcome("W1", "y", 0.1 + 0.2), new Outcome("W \"2\"", "a,b", -1e-300));
        OutcomeCsv.write(x, p);
        assertEquals(x, OutcomeCsv.read(p));
        assertThrows(IllegalArgumentException.class,
                () -> OutcomeCsv.write(List.of(new Outcome("W", "n", Double.POSITIVE_INFINITY)), new StringWriter()));
    }

    @Test
    void badOutcomes() {
        FormatException e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield,NaN\n", "o.csv"));
        assertEquals("line 2, column 'value'", e.location());
        assertTrue(e.getMessage().contains("outcome yield of wafer W1 is 'NaN'; expected a number"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield,\n", "o.csv"));
        assertTrue(e.getMessage().contains("is empty"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield,9x\n", "o.csv"));
        assertTrue(e.getMessage().contains("expected a number, found '9x'"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield,inf\n", "o.csv"));
        assertTrue(e.getMessage().contains("expected a finite number"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield,1\nW1,yield,2\n", "o.csv"));
        assertEquals("line 3", e.location());
        assertTrue(e.getMessage().contains("already given on line 2"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,value\nW1,1\n", "o.csv"));
        assertTrue(e.getMessage().contains("missing column 'name'"));
        e = bad(() -> OutcomeCsv.parse("wafer_id,name,value\nW1,yield\n", "o.csv"));
        assertTrue(e.getMessage().contains("expected 3 fields"));
    }

    @Test
    void tableFromFileDetectsDelimiter() throws Exception {
        Path p = tmp.resolve("t.tsv");
        Files.writeString(p, "a\tb\n1\t2\n");
        assertEquals(2.0, CsvTable.read(p).numbers("b")[0]);
        Files.writeString(p, "a;b\n1;2\n");
        assertEquals(2.0, CsvTable.read(p).numbers("b")[0]);
    }
}
