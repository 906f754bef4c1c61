package org.fabai.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableAndOutcomeParquetTest {

    @TempDir
    Path dir;

    @Test
    void tableRoundTrip() throws Exception {
        ParquetTable t = new ParquetTable("t", List.of(
                ParquetTable.Column.of("x", new double[] {1.5, -2.25, 1e300}),
                ParquetTable.Column.ofIntegers("n", new long[] {1, 2, -3}),
                ParquetTable.Column.of("recipe", new String[] {"A", "B", "A"})));
        Path f = dir.resolve("t.parquet");
        t.write(f);
        assertTrue(ParquetTable.isParquet(f));
        ParquetTable back = ParquetTable.read(f);
        assertEquals(3, back.rows());
        assertEquals(List.of("x", "n", "recipe"), back.columns().stream().map(ParquetTable.Column::name).toList());
        assertArrayEquals(new double[] {1.5, -2.25, 1e300}, back.columns().get(0).numbers());
        assertFalse(back.columns().get(0).integral());
        assertTrue(back.columns().get(1).integral());
        assertEquals("-3", back.columns().get(1).format(2));
        assertArrayEquals(new String[] {"A", "B", "A"}, back.columns().get(2).text());
    }

    @Test
    void tableWithNullIsAnErrorNamingRowAndColumn() throws Exception {
        Path f = dir.resolve("null.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.of("recipe", new String[] {"A", null}))).write(f);
        FormatException e = assertThrows(FormatException.class, () -> ParquetTable.read(f));
        assertEquals(f.toString(), e.source());
        assertEquals("row 2, column 'recipe'", e.location());
    }

    @Test
    void outcomesRoundTripAndCheckDuplicates() throws Exception {
        List<Outcome> o = List.of(new Outcome("W1", "yield", 0.9), new Outcome("W2", "yield", 0.1),
                new Outcome("W1", "bin", 3));
        Path f = dir.resolve("o.parquet");
        OutcomeParquet.write(o, f);
        assertEquals(o, OutcomeParquet.read(f));

        Path dup = dir.resolve("dup.parquet");
        OutcomeParquet.write(List.of(new Outcome("W1", "yield", 0.9), new Outcome("W1", "yield", 0.8)), dup);
        FormatException e = assertThrows(FormatException.class, () -> OutcomeParquet.read(dup));
        assertEquals("row 2", e.location());

        Path nulls = dir.resolve("nulls.parquet");
        new ParquetTable("t", List.of(ParquetTable.Column.of("wafer_id", new String[] {"W1"}),
                ParquetTable.Column.of("name", new String[] {"yield"}),
                ParquetTable.Column.of("value", new String[] {"0.5"}))).write(nulls);
        e = assertThrows(FormatException.class, () -> OutcomeParquet.read(nulls));
        assertEquals("column 'value'", e.location());
    }

    @Test
    void notParquetAndEmptyFilesAreNamed() throws Exception {
        Path f = dir.resolve("o.csv");
        Files.writeString(f, "wafer_id,name,value\nW1,yield,1\n");
        FormatException e = assertThrows(FormatException.class, () -> OutcomeParquet.read(f));
        assertEquals(f.toString(), e.source());
        Path empty = dir.resolve("empty.parquet");
        Files.write(empty, new byte[0]);
        e = assertThrows(FormatException.class, () -> ParquetTable.read(empty));
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
    }
}
