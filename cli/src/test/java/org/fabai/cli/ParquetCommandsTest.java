package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.csv.CsvTable;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.parquet.HistoryParquet;
import org.fabai.parquet.OutcomeParquet;
import org.fabai.parquet.ParquetTable;
import org.fabai.rca.data.HistoryCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RCA commands on Parquet give what they give on the same data as CSV; inspect exports dies as Parquet. */
class ParquetCommandsTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void synth() throws Exception {
        String[] s = InspectCommandTest.run("rca", "synth", "--out", tmp.toString(), "--lots", "30", "--seed", "5", "--parquet");
        assertEquals("0", s[0], s[2]);
        // the histories once more, converted from the CSV by the streaming converter
        HistoryParquet.convert(tmp.resolve("histories.csv"), tmp.resolve("converted.parquet"),
                HistoryCsvScanner.Options.defaults().withThreads(2));
        assertEquals(HistoryCsv.byName(HistoryCsv.readOutcomes(tmp.resolve("outcomes.csv")), "yield"),
                HistoryCsv.byName(OutcomeParquet.read(tmp.resolve("outcomes.parquet")), "yield"));
        // the table as Parquet: numbers as DOUBLE, tool columns as text, the way a data lake would hold it;
        // renamed so that only its magic bytes say what it is
        ParquetTable t = ParquetTable.read(tmp.resolve("table.parquet"));
        assertTrue(t.columns().stream().anyMatch(ParquetTable.Column::isText) && t.columns().stream().anyMatch(c -> !c.isText()));
        Files.copy(tmp.resolve("table.parquet"), tmp.resolve("table.pq"));
    }

    @Test
    void commonalityOnParquetPrintsWhatItPrintsOnCsv() {
        String[] csv = InspectCommandTest.run("rca", "commonality", "--json", "-q", "--histories",
                tmp.resolve("histories.csv").toString(), "--outcomes", tmp.resolve("outcomes.csv").toString());
        String[] pq = InspectCommandTest.run("rca", "commonality", "--json", "-q", "--histories",
                tmp.resolve("histories.parquet").toString(), "--outcomes", tmp.resolve("outcomes.parquet").toString());
        assertEquals("0", csv[0], csv[2]);
        assertEquals("0", pq[0], pq[2]);
        assertTrue(csv[1].contains("\"culprit\""), csv[1]);
        assertEquals(csv[1], pq[1]);
        String[] conv = InspectCommandTest.run("rca", "commonality", "--json", "-q", "--histories",
                tmp.resolve("converted.parquet").toString(), "--outcomes", tmp.resolve("outcomes.parquet").toString());
        assertEquals(csv[1], conv[1]);
        // without -q: what it read and how fast, on stderr (stdout stays the JSON)
        for (String h : List.of("histories.csv", "histories.parquet")) {
            String[] loud = InspectCommandTest.run("rca", "commonality", "--json", "--histories", tmp.resolve(h).toString(),
                    "--outcomes", tmp.resolve("outcomes.csv").toString());
            assertEquals(csv[1], loud[1]);
            assertTrue(loud[2].matches("(?s).*fabai commonality: [0-9,]+ rows, [0-9,]+ wafers, [0-9]+ steps in [0-9.]+ s \\([0-9,]+"
                    + " rows/s\\), peak heap [0-9,]+ MB.*"), loud[2]);
        }
    }

    @Test
    void causesTakesTheSameHistoryOptionsAsCommonality() {
        // the rca commands on histories share one set of data options (RcaHistories): Parquet included
        String[] csv = InspectCommandTest.run("rca", "causes", "--json", "-m", "robust-z", "--histories",
                tmp.resolve("histories.csv").toString(), "--outcomes", tmp.resolve("outcomes.csv").toString());
        String[] pq = InspectCommandTest.run("rca", "causes", "--json", "-m", "robust-z", "--histories",
                tmp.resolve("histories.parquet").toString(), "--outcomes", tmp.resolve("outcomes.parquet").toString());
        assertEquals("0", csv[0], csv[2]);
        assertEquals("0", pq[0], pq[2]);
        assertTrue(csv[1].contains("\"cause\""), csv[1]);
        assertEquals(csv[1], pq[1]);
    }

    @Test
    void discoverReadsAParquetTableByItsMagicBytes() {
        // table.pq: not named *.parquet, found by its magic bytes
        String[] csv = InspectCommandTest.run("rca", "discover", "--json", tmp.resolve("table.csv").toString());
        String[] pq = InspectCommandTest.run("rca", "discover", "--json", tmp.resolve("table.pq").toString());
        assertEquals("0", csv[0], csv[2]);
        assertEquals("0", pq[0], pq[2]);
        assertEquals(csv[1], pq[1]);
    }

    @Test
    void convertWritesHistoriesOutcomesAndTablesAsParquetThatGiveTheCsvResults() throws Exception {
        String[] h = InspectCommandTest.run("rca", "convert", "--histories", tmp.resolve("histories.csv").toString(),
                tmp.resolve("c-histories.parquet").toString());
        assertEquals("0", h[0], h[2]);
        assertTrue(h[1].matches("(?s)wrote [0-9,]+ history rows to .*c-histories.parquet in [0-9.]+ s \\([0-9,]+ rows/s\\).*"), h[1]);
        String[] o = InspectCommandTest.run("rca", "convert", "--outcomes", tmp.resolve("outcomes.csv").toString(),
                tmp.resolve("c-outcomes.parquet").toString());
        assertEquals("0", o[0], o[2]);
        assertEquals(HistoryCsv.readOutcomes(tmp.resolve("outcomes.csv")), OutcomeParquet.read(tmp.resolve("c-outcomes.parquet")));
        String[] csv = InspectCommandTest.run("rca", "commonality", "--json", "-q", "--histories",
                tmp.resolve("histories.csv").toString(), "--outcomes", tmp.resolve("outcomes.csv").toString());
        String[] pq = InspectCommandTest.run("rca", "commonality", "--json", "-q", "--histories",
                tmp.resolve("c-histories.parquet").toString(), "--outcomes", tmp.resolve("c-outcomes.parquet").toString());
        assertEquals("0", pq[0], pq[2]);
        assertEquals(csv[1], pq[1]);
        String[] t = InspectCommandTest.run("rca", "convert", "--table", tmp.resolve("table.csv").toString(),
                tmp.resolve("c-table.parquet").toString());
        assertEquals("0", t[0], t[2]);
        String[] d1 = InspectCommandTest.run("rca", "discover", "--json", tmp.resolve("table.csv").toString());
        String[] d2 = InspectCommandTest.run("rca", "discover", "--json", tmp.resolve("c-table.parquet").toString());
        assertEquals("0", d2[0], d2[2]);
        assertEquals(d1[1], d2[1]);
        // usage: one kind, an OUT named .parquet; bad input: the CSV's problem, naming it
        assertEquals("2", InspectCommandTest.run("rca", "convert", tmp.resolve("table.csv").toString(), "x.parquet")[0]);
        assertEquals("2", InspectCommandTest.run("rca", "convert", "--table", "--outcomes", tmp.resolve("table.csv").toString(),
                "x.parquet")[0]);
        String[] name = InspectCommandTest.run("rca", "convert", "--table", tmp.resolve("table.csv").toString(), "x.csv");
        assertEquals("2", name[0]);
        assertTrue(name[2].contains("OUT must end in .parquet"), name[2]);
        Path bad = Files.writeString(tmp.resolve("bad-outcomes.csv"), "wafer_id,name,value\nW1,yield,abc\n");
        String[] b = InspectCommandTest.run("rca", "convert", "--outcomes", bad.toString(), tmp.resolve("b.parquet").toString());
        assertEquals("3", b[0], b[2]);
        assertTrue(b[2].contains("bad-outcomes.csv"), b[2]);
    }

    @Test
    void aTruncatedParquetFileIsBadInputNamingTheFile() throws Exception {
        byte[] all = Files.readAllBytes(tmp.resolve("histories.parquet"));
        Path cut = tmp.resolve("cut.parquet");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 20));
        String[] r = InspectCommandTest.run("rca", "commonality", "--histories", cut.toString(), "--outcomes",
                tmp.resolve("outcomes.parquet").toString());
        assertEquals("3", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("cut.parquet") && !r[2].contains("\tat "), r[2]);
    }

    @Test
    void inspectExportsDiesAsParquetAndCsv() throws Exception {
        Path npz = Path.of("..", "core", "src", "test", "resources", "npy", "wafer_maps_strings.npz");
        Path pq = tmp.resolve("dies.parquet");
        Path csv = tmp.resolve("dies.csv");
        String[] r = InspectCommandTest.run("inspect", "--dies", pq.toString(), npz.toString());
        assertEquals("0", r[0], r[2]);
        String[] c = InspectCommandTest.run("inspect", "--dies", csv.toString(), npz.toString());
        assertEquals("0", c[0], c[2]);
        ParquetTable t = ParquetTable.read(pq);
        CsvTable ct = CsvTable.read(csv);
        assertTrue(t.rows() > 100, "dies: " + t.rows());
        assertEquals(t.rows(), ct.rowCount());
        assertEquals(List.of("file", "lot_id", "wafer_id", "row", "col", "die_x", "die_y", "state", "bin", "map_rows",
                "map_cols"), t.columns().stream().map(ParquetTable.Column::name).toList());
        // every wafer's map, off-wafer dies included, rebuilds from the table: its grid is in map_rows/map_cols
        org.fabai.core.io.npy.WaferMapArrays.LabeledWaferMaps src = org.fabai.core.io.npy.WaferMapArrays.readNpz(npz);
        java.util.Map<String, int[][]> rebuilt = new java.util.LinkedHashMap<>();
        for (int i = 0; i < t.rows(); i++) {
            String key = t.columns().get(1).text()[i] + "/" + t.columns().get(2).text()[i];
            int mr = (int) t.columns().get(9).numbers()[i];
            int mc = (int) t.columns().get(10).numbers()[i];
            int[][] g = rebuilt.computeIfAbsent(key, k -> new int[mr][mc]);
            g[(int) t.columns().get(3).numbers()[i]][(int) t.columns().get(4).numbers()[i]] =
                    t.columns().get(7).text()[i].equals("FAIL") ? 2 : 1;
        }
        assertEquals(src.maps().size(), rebuilt.size());
        for (org.fabai.core.wafer.WaferMap m : src.maps()) {
            int[][] g = rebuilt.get(m.lotId() + "/" + m.waferId());
            assertEquals(m.rows(), g.length, m.waferId());
            assertEquals(m.cols(), g[0].length, m.waferId());
            for (int rr = 0; rr < m.rows(); rr++) {
                for (int cc = 0; cc < m.cols(); cc++) {
                    assertEquals(m.state(rr, cc).ordinal(), g[rr][cc], m.waferId() + " at " + rr + "," + cc);
                }
            }
        }
        assertEquals(ct.columns(), t.columns().stream().map(ParquetTable.Column::name).toList());
        long fails = 0;
        for (String s : t.columns().get(7).text()) {
            assertTrue(s.equals("GOOD") || s.equals("FAIL"), s);
            fails += s.equals("FAIL") ? 1 : 0;
        }
        assertTrue(r[1].contains("wrote " + String.format(java.util.Locale.ROOT, "%,d", t.rows()) + " dies"), r[1]);
        assertTrue(fails > 0);
    }

    @Test
    void inspectExportsDefectsAsParquetAndCsv() throws Exception {
        // W01: 3 defects (one with NA position and sizes, one with NA class), W02: none, W03: 3 with their own
        // record spec (no sizes, class or test)
        Path klarf = Path.of("..", "core", "src", "test", "resources", "klarf", "multi12.klarf");
        Path pq = tmp.resolve("defects.parquet");
        Path csv = tmp.resolve("defects.csv");
        String[] r = InspectCommandTest.run("inspect", "--defects", pq.toString(), klarf.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("wrote 6 defects to " + pq), r[1]);
        String[] c = InspectCommandTest.run("inspect", "--defects", csv.toString(), "--json", klarf.toString());
        assertEquals("0", c[0], c[2]);
        com.google.gson.JsonParser.parseString(c[1]);
        List<String> lines = Files.readAllLines(csv);
        List<String> names = List.of("file", "lot_id", "wafer_id", "defect_id", "die_x", "die_y", "x_rel", "y_rel", "x_size",
                "y_size", "area", "d_size", "class_number", "test");
        assertEquals(String.join(",", names), lines.get(0));
        assertEquals(7, lines.size(), String.join("\n", lines));
        String f = klarf.toString();
        assertEquals(f + ",LOT 0001,W01,1,0,0,100.5,200.25,1.5,2.5,3.75,2.0,1,1", lines.get(1));
        assertEquals(f + ",LOT 0001,W01,2,1,1,NaN,12.0,NaN,NaN,NaN,NaN,2,1", lines.get(2));
        assertEquals(f + ",LOT 0001,W01,3,0,0,5.0,6.0,1.0,1.0,1.0,1.0,-1,1", lines.get(3));
        assertEquals(f + ",LOT 0001,W03,12,2,-2,5.0,6.0,NaN,NaN,NaN,NaN,-1,-1", lines.get(6));
        // the Parquet file: the same columns, typed, and rows
        try (org.apache.parquet.hadoop.ParquetFileReader pr = org.apache.parquet.hadoop.ParquetFileReader.open(
                new org.apache.parquet.io.LocalInputFile(pq))) {
            org.apache.parquet.schema.MessageType schema = pr.getFooter().getFileMetaData().getSchema();
            assertEquals(names, schema.getFields().stream().map(org.apache.parquet.schema.Type::getName).toList());
            assertEquals("INT64", schema.getType("die_y").asPrimitiveType().getPrimitiveTypeName().name());
            assertEquals("DOUBLE", schema.getType("x_rel").asPrimitiveType().getPrimitiveTypeName().name());
            assertEquals(6, pr.getRecordCount());
        }
        // a format without defects: an empty table, not an error
        Path none = tmp.resolve("none.csv");
        Path npz = Path.of("..", "core", "src", "test", "resources", "npy", "wafer_maps_strings.npz");
        assertEquals("0", InspectCommandTest.run("inspect", "--defects", none.toString(), npz.toString())[0]);
        assertEquals(List.of(String.join(",", names)), Files.readAllLines(none));
    }
}
