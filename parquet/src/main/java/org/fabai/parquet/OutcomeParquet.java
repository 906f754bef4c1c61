package org.fabai.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.fabai.core.process.Outcome;

/**
 * Wafer outcomes in Apache Parquet: columns {@code wafer_id} (text or integer), {@code name} (text)
 * and {@code value} (DOUBLE, FLOAT, INT32 or INT64), names case-insensitive, further columns
 * ignored; the same rules as {@code OutcomeCsv}: a null or non-finite value, a null or empty wafer
 * id or name, and the same (wafer, name) twice are each a {@link FormatException} naming file, row
 * and column. Stateless and thread-safe.
 */
public final class OutcomeParquet {

    /** The schema {@link #write} writes. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("wafer_id")
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("name")
            .required(PrimitiveType.PrimitiveTypeName.DOUBLE).named("value")
            .named("outcome");

    private OutcomeParquet() {
    }

    /**
     * @param file the file
     * @return outcomes in file order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid outcome file
     */
    public static List<Outcome> read(Path file) throws IOException, FormatException {
        String src = file.toString();
        List<Outcome> out = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (ParquetFileReader r = Pq.open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            Map<String, Integer> idx = Pq.columns(schema, src);
            ColumnDescriptor wd = checkSchema(schema, idx, src);
            MessageType projection = new MessageType(schema.getName(), schema.getType(idx.get("wafer_id")),
                    schema.getType(idx.get("name")), schema.getType(idx.get("value")));
            r.setRequestedSchema(projection);
            long row = 1;
            for (int g = 0; g < r.getRowGroups().size(); g++) {
                PageReadStore rg;
                try {
                    rg = r.readRowGroup(g);
                } catch (java.io.EOFException | RuntimeException e) {
                    throw new FormatException(src, "row group " + g, "corrupt or truncated data: " + Pq.reason(e), e);
                }
                try {
                    ColumnReadStoreImpl st = Pq.store(rg, projection, r);
                    ColumnReader wr = st.getColumnReader(projection.getColumns().get(0));
                    ColumnReader nr = st.getColumnReader(projection.getColumns().get(1));
                    ColumnReader vr = st.getColumnReader(projection.getColumns().get(2));
                    for (long i = 0; i < rg.getRowCount(); i++, row++) {
                        String w = !Pq.present(wr) ? "" : Pq.isText(wd) ? wr.getBinary().toStringUsingUTF8().strip()
                                : Long.toString(Pq.integer(wr));
                        String n = !Pq.present(nr) ? "" : nr.getBinary().toStringUsingUTF8().strip();
                        if (w.isEmpty()) {
                            throw new FormatException(src, "row " + row + ", column 'wafer_id'", "expected a non-empty wafer_id");
                        }
                        if (n.isEmpty()) {
                            throw new FormatException(src, "row " + row + ", column 'name'", "expected a non-empty name");
                        }
                        if (!Pq.present(vr)) {
                            throw new FormatException(src, "row " + row + ", column 'value'", "expected a finite number,"
                                    + " found null (leave the row out to record a missing outcome)");
                        }
                        double v = Pq.number(vr);
                        if (!Double.isFinite(v)) {
                            throw new FormatException(src, "row " + row + ", column 'value'", "expected a finite number, found " + v);
                        }
                        Long before = seen.put(w + '\u0000' + n, row);
                        if (before != null) {
                            throw new FormatException(src, "row " + row, "wafer " + w + " has outcome '" + n
                                    + "' twice (first on row " + before + ")");
                        }
                        out.add(new Outcome(w, n, v));
                        wr.consume();
                        nr.consume();
                        vr.consume();
                    }
                } catch (RuntimeException e) {
                    throw new FormatException(src, "row group " + g + " (rows from " + row + ")", "corrupt or truncated data: "
                            + Pq.reason(e), e);
                }
            }
        }
        return out;
    }

    /**
     * Checks that the outcome columns are there with usable types: text or integer ids, text names,
     * numeric values.
     *
     * @return the {@code wafer_id} column
     */
    private static ColumnDescriptor checkSchema(MessageType schema, Map<String, Integer> idx, String src)
            throws FormatException {
        List<String> missing = new ArrayList<>();
        for (String c : List.of("wafer_id", "name", "value")) {
            if (!idx.containsKey(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new FormatException(src, "schema", "missing column(s) " + missing + "; outcomes need wafer_id, name"
                    + " and value, found " + Pq.names(schema));
        }
        ColumnDescriptor wd = Pq.flat(schema, idx.get("wafer_id"), src);
        ColumnDescriptor nd = Pq.flat(schema, idx.get("name"), src);
        ColumnDescriptor vd = Pq.flat(schema, idx.get("value"), src);
        if (!Pq.isText(wd) && !Pq.isInteger(wd)) {
            throw new FormatException(src, "column 'wafer_id'", "expected text or integer ids, found " + Pq.typeOf(wd));
        }
        if (!Pq.isText(nd)) {
            throw new FormatException(src, "column 'name'", "expected text, found " + Pq.typeOf(nd));
        }
        if (!Pq.isInteger(vd) && !Pq.isFloating(vd)) {
            throw new FormatException(src, "column 'value'", "expected numbers (DOUBLE, FLOAT, INT32, INT64), found "
                    + Pq.typeOf(vd));
        }
        return wd;
    }

    /**
     * @param outcomes outcomes
     * @param file     the file (replaced)
     * @throws IOException if it cannot be written
     */
    public static void write(List<Outcome> outcomes, Path file) throws IOException {
        try (RowWriter w = new RowWriter(file, SCHEMA)) {
            for (Outcome o : outcomes) {
                w.write(row -> {
                    row.string(0, o.waferId());
                    row.string(1, o.name());
                    row.float64(2, o.value());
                });
            }
        }
    }
}
