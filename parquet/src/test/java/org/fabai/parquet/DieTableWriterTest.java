package org.fabai.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.csv.CsvTable;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The die table as CSV and as Parquet holds every on-wafer die once, and every map rebuilds from it. */
class DieTableWriterTest {

    private static List<WaferMap> maps() {
        // a 4x5 map whose first row and last column are off-wafer, with bins; a 3x3 map named with a comma and a quote
        WaferMap.Builder a = WaferMap.builder(4, 5).lotId("L1").waferId("W1");
        for (int r = 1; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                a.state(r, c, (r + c) % 3 == 0 ? DieState.FAIL : DieState.GOOD).bin(r, c, r * 10 + c);
            }
        }
        WaferMap.Builder b = WaferMap.builder(3, 3).lotId("L,2").waferId("W\"2");
        b.state(1, 1, DieState.FAIL).state(0, 1, DieState.GOOD);
        return List.of(a.build(), b.build());
    }

    @Test
    void csvAndParquetHoldEveryDieAndRebuildEveryMap(@TempDir Path dir) throws Exception {
        for (String name : List.of("dies.csv", "dies.parquet")) {
            Path f = dir.resolve(name);
            try (DieTableWriter w = DieTableWriter.open(f)) {
                for (WaferMap m : maps()) {
                    w.add("src " + name, m);
                }
                assertEquals(12 + 2, w.dies());
            }
            String[][] cells;
            if (name.endsWith(".csv")) {
                CsvTable t = CsvTable.read(f);
                assertEquals(DieTableWriter.COLUMNS, t.columns());
                cells = new String[t.rowCount()][];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = new String[t.columns().size()];
                    for (int j = 0; j < cells[i].length; j++) {
                        cells[i][j] = t.cell(i, j);
                    }
                }
            } else {
                ParquetTable t = ParquetTable.read(f);
                assertEquals(DieTableWriter.COLUMNS, t.columns().stream().map(ParquetTable.Column::name).toList());
                cells = new String[t.rows()][];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = new String[t.columns().size()];
                    for (int j = 0; j < cells[i].length; j++) {
                        cells[i][j] = t.columns().get(j).format(i);
                    }
                }
            }
            assertEquals(14, cells.length, name);
            int at = 0;
            for (WaferMap m : maps()) {
                int[][] grid = null;
                int bins = 0;
                for (int k = 0; k < m.dieCount(); k++, at++) {
                    String[] row = cells[at];
                    assertEquals("src " + name, row[0]);
                    assertEquals(m.lotId(), row[1]);
                    assertEquals(m.waferId(), row[2]);
                    if (grid == null) {
                        grid = new int[Integer.parseInt(row[9])][Integer.parseInt(row[10])];
                    }
                    int r = Integer.parseInt(row[3]);
                    int c = Integer.parseInt(row[4]);
                    assertEquals(m.dieX(c), Integer.parseInt(row[5]));
                    assertEquals(m.dieY(r), Integer.parseInt(row[6]));
                    grid[r][c] = DieState.valueOf(row[7]).code();
                    assertEquals(m.hasBins() ? m.bin(r, c) : WaferMap.NO_BIN, Integer.parseInt(row[8]));
                    bins += m.hasBins() ? 1 : 0;
                }
                assertEquals(m.rows(), grid.length);
                assertEquals(m.cols(), grid[0].length);
                for (int r = 0; r < m.rows(); r++) {
                    for (int c = 0; c < m.cols(); c++) {
                        assertEquals(m.state(r, c).code(), grid[r][c], name + " " + m.waferId() + " at " + r + "," + c);
                    }
                }
                assertEquals(m.hasBins() ? m.dieCount() : 0, bins);
            }
        }
    }
}
