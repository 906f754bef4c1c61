package org.fabai.parquet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * Writes the <em>die table</em> of wafer maps ({@code fabai inspect --dies}): one row per on-wafer die
 * with the columns {@link #COLUMNS} — the source file, lot and wafer ids, the die's row and column in the
 * map's grid, its die coordinates, its state ({@code GOOD} or {@code FAIL}), its bin ({@value
 * WaferMap#NO_BIN}: none), and the map's grid size, so that every map, off-wafer dies included, rebuilds
 * from the table (fabai-spark's {@code SparkDieTables} does). Apache Parquet when the path ends in {@code
 * .parquet} (ids and state as optional STRING, numbers as INT64; Snappy, dictionary-encoded, row groups of
 * at most 262,144 rows), else CSV with a header row (RFC 4180 quotes where a value needs them).
 *
 * <p>Streaming: each map's dies are written as it is added, so memory does not grow with the dies
 * written (a fleet's maps are hundreds of millions of dies). Not thread-safe.
 */
public final class DieTableWriter implements AutoCloseable {

    /** The table's columns, in order. */
    public static final List<String> COLUMNS = List.of("file", "lot_id", "wafer_id", "row", "col", "die_x", "die_y", "state",
            "bin", "map_rows", "map_cols");

    private static final MessageType SCHEMA = schema();

    private final Path path;
    private final RowWriter parquet;
    private final BufferedWriter csv;
    private long dies;

    private DieTableWriter(Path path, RowWriter parquet, BufferedWriter csv) {
        this.path = path;
        this.parquet = parquet;
        this.csv = csv;
    }

    private static MessageType schema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (String c : COLUMNS) {
            if (c.equals("file") || c.equals("lot_id") || c.equals("wafer_id") || c.equals("state")) {
                b.optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c);
            } else {
                b.required(PrimitiveType.PrimitiveTypeName.INT64).named(c);
            }
        }
        return b.named("table");
    }

    /**
     * Opens a die table for writing (the file is replaced).
     *
     * @param path where: Parquet when the name ends in {@code .parquet} (any case), else CSV
     * @return the writer; close it to finish the file
     * @throws IOException if the file cannot be created
     */
    public static DieTableWriter open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        boolean pq = path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
        if (pq) {
            return new DieTableWriter(path, new RowWriter(path, SCHEMA), null);
        }
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        w.write(String.join(",", COLUMNS));
        w.newLine();
        return new DieTableWriter(path, null, w);
    }

    /**
     * Writes every on-wafer die of a map.
     *
     * @param file the map's source, for the {@code file} column
     * @param m    the map (its lot and wafer ids go to their columns)
     * @throws IOException if writing fails
     */
    public void add(String file, WaferMap m) throws IOException {
        Objects.requireNonNull(m, "m");
        String f = file == null ? "" : file;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                DieState s = m.state(r, c);
                if (s == DieState.OFF) {
                    continue;
                }
                long[] v = {r, c, m.dieX(c), m.dieY(r), m.hasBins() ? m.bin(r, c) : WaferMap.NO_BIN, m.rows(), m.cols()};
                if (parquet != null) {
                    parquet.write(row -> {
                        row.string(0, f);
                        row.string(1, m.lotId());
                        row.string(2, m.waferId());
                        for (int k = 0; k < 4; k++) {
                            row.int64(3 + k, v[k]);
                        }
                        row.string(7, s.name());
                        for (int k = 4; k < 7; k++) {
                            row.int64(4 + k, v[k]);
                        }
                    });
                } else {
                    csv.write(csvField(f));
                    csv.write(',');
                    csv.write(csvField(m.lotId()));
                    csv.write(',');
                    csv.write(csvField(m.waferId()));
                    for (int k = 0; k < 4; k++) {
                        csv.write(',');
                        csv.write(Long.toString(v[k]));
                    }
                    csv.write(',');
                    csv.write(s.name());
                    for (int k = 4; k < 7; k++) {
                        csv.write(',');
                        csv.write(Long.toString(v[k]));
                    }
                    csv.newLine();
                }
                dies++;
            }
        }
    }

    private static String csvField(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** @return the dies written so far */
    public long dies() {
        return dies;
    }

    /** @return the file being written */
    public Path path() {
        return path;
    }

    /**
     * Finishes the file (Parquet: its last row group and footer).
     *
     * @throws IOException if writing fails
     */
    @Override
    public void close() throws IOException {
        if (parquet != null) {
            parquet.close();
        } else {
            csv.close();
        }
    }
}
