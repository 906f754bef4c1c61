package org.fabai.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.fabai.core.io.FormatException;

/**
 * A flat table in Apache Parquet, held as one primitive array per column: numbers (INT32, INT64,
 * FLOAT, DOUBLE) as {@code double[]}, text (STRING/BINARY) and BOOLEAN as {@code String[]}. What
 * the RCA commands read as a data table and what {@code fabai inspect} exports dies into.
 *
 * <p>Reading refuses, with a {@link FormatException} naming file, row and column: nested or
 * repeated columns, other types (timestamps, decimals, dates), nulls and non-finite numbers (a
 * table for causal discovery must be complete). Immutable and thread-safe.
 */
public final class ParquetTable {

    /**
     * One column: exactly one of {@code numbers} and {@code text} is non-null.
     *
     * @param name     column name
     * @param numbers  numeric values, or null
     * @param integral whether the numbers are integers (written as INT64, shown without a fraction)
     * @param text     text values (null entries are written as nulls), or null
     */
    public record Column(String name, double[] numbers, boolean integral, String[] text) {
        /** Validates. */
        public Column {
            Objects.requireNonNull(name, "name");
            if ((numbers == null) == (text == null)) {
                throw new IllegalArgumentException("column " + name + ": exactly one of numbers and text must be given");
            }
            if (integral && numbers == null) {
                throw new IllegalArgumentException("column " + name + ": integral applies to numbers only");
            }
        }

        /** @param name name @param values values @return a numeric column */
        public static Column of(String name, double[] values) {
            return new Column(name, values, false, null);
        }

        /** @param name name @param values values @return an integer column */
        public static Column ofIntegers(String name, long[] values) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = values[i];
            }
            return new Column(name, d, true, null);
        }

        /** @param name name @param values values @return a text column */
        public static Column of(String name, String[] values) {
            return new Column(name, null, false, values);
        }

        /** @return whether the column holds text */
        public boolean isText() {
            return text != null;
        }

        /** @return the number of values */
        public int size() {
            return text != null ? text.length : numbers.length;
        }

        /** @param i row @return the value as text (integers without a fraction) */
        public String format(int i) {
            if (text != null) {
                return text[i];
            }
            return integral ? Long.toString((long) numbers[i]) : Double.toString(numbers[i]);
        }
    }

    private final String source;
    private final List<Column> columns;
    private final int rows;

    /**
     * @param source  where it came from, for messages
     * @param columns columns of equal length
     */
    public ParquetTable(String source, List<Column> columns) {
        this.source = Objects.requireNonNull(source, "source");
        this.columns = List.copyOf(columns);
        int n = this.columns.isEmpty() ? 0 : this.columns.get(0).size();
        for (Column c : this.columns) {
            if (c.size() != n) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " values, expected " + n);
            }
        }
        this.rows = n;
    }

    /** @return where the table came from */
    public String source() {
        return source;
    }

    /** @return the columns in file order */
    public List<Column> columns() {
        return columns;
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /**
     * Reads every column of a flat file.
     *
     * @param file the file
     * @return the table
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a flat, complete table of numbers and text
     */
    public static ParquetTable read(Path file) throws IOException, FormatException {
        String src = file.toString();
        try (ParquetFileReader r = Pq.open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            Pq.columns(schema, src);
            long total = r.getRecordCount();
            if (total > Integer.MAX_VALUE - 8) {
                throw new FormatException(src, "footer", total + " rows; a table held in memory takes at most "
                        + (Integer.MAX_VALUE - 8));
            }
            int n = (int) total;
            int k = schema.getFieldCount();
            ColumnDescriptor[] ds = new ColumnDescriptor[k];
            double[][] nums = new double[k][];
            String[][] texts = new String[k][];
            for (int j = 0; j < k; j++) {
                ds[j] = Pq.flat(schema, j, src);
                boolean bool = ds[j].getPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN;
                if (Pq.isText(ds[j]) || bool) {
                    texts[j] = new String[n];
                } else if (Pq.isInteger(ds[j]) || Pq.isFloating(ds[j])) {
                    nums[j] = new double[n];
                } else {
                    throw new FormatException(src, "column '" + schema.getFieldName(j) + "'", "expected numbers (INT32,"
                            + " INT64, FLOAT, DOUBLE), text or BOOLEAN, found " + Pq.typeOf(ds[j]));
                }
            }
            int row = 0;
            for (int g = 0; g < r.getRowGroups().size(); g++) {
                try {
                    PageReadStore rg = r.readRowGroup(g);
                    ColumnReadStoreImpl st = Pq.store(rg, schema, r);
                    int m = (int) rg.getRowCount();
                    for (int j = 0; j < k; j++) {
                        ColumnReader cr = st.getColumnReader(ds[j]);
                        String name = schema.getFieldName(j);
                        boolean bool = ds[j].getPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN;
                        for (int i = 0; i < m; i++) {
                            if (!Pq.present(cr)) {
                                throw new FormatException(src, "row " + (row + i + 1) + ", column '" + name + "'",
                                        "expected a value, found null (a table must be complete)");
                            }
                            if (texts[j] != null) {
                                texts[j][row + i] = bool ? Boolean.toString(cr.getBoolean()) : cr.getBinary().toStringUsingUTF8();
                            } else {
                                double v = Pq.number(cr);
                                if (!Double.isFinite(v)) {
                                    throw new FormatException(src, "row " + (row + i + 1) + ", column '" + name + "'",
                                            "expected a finite number, found " + v);
                                }
                                nums[j][row + i] = v;
                            }
                            cr.consume();
                        }
                    }
                    row += m;
                } catch (java.io.EOFException | RuntimeException e) {
                    throw new FormatException(src, "row group " + g + " (rows from " + (row + 1) + ")",
                            "corrupt or truncated data: " + Pq.reason(e), e);
                }
            }
            List<Column> cols = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                cols.add(new Column(schema.getFieldName(j), nums[j], nums[j] != null && Pq.isInteger(ds[j]), texts[j]));
            }
            return new ParquetTable(src, cols);
        }
    }

    /**
     * Writes a table: numbers as DOUBLE (integral columns as INT64), text as optional STRING.
     *
     * @param file the file (replaced)
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column c : columns) {
            if (c.isText()) {
                b.optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
            } else if (c.integral()) {
                b.required(PrimitiveType.PrimitiveTypeName.INT64).named(c.name());
            } else {
                b.required(PrimitiveType.PrimitiveTypeName.DOUBLE).named(c.name());
            }
        }
        MessageType schema = b.named("table");
        try (RowWriter w = new RowWriter(file, schema)) {
            for (int i = 0; i < rows; i++) {
                int row = i;
                w.write(f -> {
                    for (int j = 0; j < columns.size(); j++) {
                        Column c = columns.get(j);
                        if (c.isText()) {
                            f.string(j, c.text()[row]);
                        } else if (c.integral()) {
                            f.int64(j, (long) c.numbers()[row]);
                        } else {
                            f.float64(j, c.numbers()[row]);
                        }
                    }
                });
            }
        }
    }

    /**
     * @param file a file
     * @return whether it starts with Parquet's magic number {@code PAR1}
     * @throws IOException if it cannot be read
     */
    public static boolean isParquet(Path file) throws IOException {
        return Pq.hasMagic(file);
    }
}
