package org.fabai.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryChunk;
import org.fabai.core.io.csv.WaferHistoryCsv;

/** Shared plumbing of the Parquet readers: opening, column lookup, typed errors, value decoding. */
final class Pq {

    /** Parquet's magic number, at the start and the end of every file. */
    static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    private Pq() {
    }

    /** @return whether the file starts with Parquet's magic number */
    static boolean hasMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return Arrays.equals(b, MAGIC);
        }
    }

    /**
     * Opens a file, turning Parquet's own complaints (bad magic, a footer that does not parse, a
     * truncated file) into a {@link FormatException} naming the file.
     */
    static ParquetFileReader open(Path file) throws IOException, FormatException {
        String src = file.toString();
        if (!Files.isRegularFile(file)) {
            if (Files.isDirectory(file)) {
                throw new IOException(src + ": is a directory, not a Parquet file (a partitioned data set: read its part files)");
            }
            throw new java.nio.file.NoSuchFileException(src, null, "no such Parquet file");
        }
        long size = Files.size(file);
        if (size < 12) {
            throw new FormatException(src, "byte 0", "not a Parquet file: " + size + " bytes, shorter than the 12 bytes of"
                    + " an empty one (magic 'PAR1', footer length, 'PAR1')");
        }
        if (!hasMagic(file)) {
            throw new FormatException(src, "byte 0", "not a Parquet file: it does not start with the magic 'PAR1'");
        }
        try {
            return ParquetFileReader.open(new LocalInputFile(file),
                    ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
        } catch (EOFException e) {
            throw new FormatException(src, "footer", "truncated Parquet file: " + reason(e), e);
        } catch (IOException | RuntimeException e) {
            if (Files.exists(file) && !(e instanceof java.nio.file.AccessDeniedException)) {
                throw new FormatException(src, "footer", "not a readable Parquet file (truncated or corrupt?): "
                        + reason(e), e);
            }
            throw e;
        }
    }

    /** @return a short reason from an exception and its causes */
    static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            String m = t.getMessage();
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(m == null ? t.getClass().getSimpleName() : m);
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.length() > 300 ? sb.substring(0, 300) + "..." : sb.toString();
    }

    /** @return top-level column name (lower case) to field index; nested or repeated columns are refused */
    static Map<String, Integer> columns(MessageType schema, String src) throws FormatException {
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type t = schema.getType(i);
            String name = t.getName().toLowerCase(Locale.ROOT);
            if (idx.put(name, i) != null) {
                throw new FormatException(src, "schema", "column '" + t.getName() + "' appears twice");
            }
        }
        return idx;
    }

    /** @return the descriptor of a flat, non-repeated top-level column */
    static ColumnDescriptor flat(MessageType schema, int field, String src) throws FormatException {
        Type t = schema.getType(field);
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            throw new FormatException(src, "column '" + t.getName() + "'", "expected a flat column of single values,"
                    + " found " + t.toString().strip());
        }
        return schema.getColumnDescription(new String[] {t.getName()});
    }

    /** Column readers over one row group. */
    static ColumnReadStoreImpl store(PageReadStore rg, MessageType schema, ParquetFileReader reader) {
        return new ColumnReadStoreImpl(rg, new GroupRecordConverter(schema).getRootConverter(), schema,
                reader.getFileMetaData().getCreatedBy());
    }

    /** @return a short description of a column's type for messages */
    static String typeOf(ColumnDescriptor d) {
        PrimitiveType p = d.getPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        return p.getPrimitiveTypeName() + (a == null ? "" : " (" + a + ")");
    }

    /** @return whether a column holds text (BINARY or FIXED_LEN_BYTE_ARRAY without a numeric annotation) */
    static boolean isText(ColumnDescriptor d) {
        PrimitiveType p = d.getPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        return switch (p.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
            default -> false;
        };
    }

    /** @return whether a column holds plain integers (INT32 or INT64 without a time or decimal annotation) */
    static boolean isInteger(ColumnDescriptor d) {
        PrimitiveType p = d.getPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        boolean intType = p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                || p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64;
        return intType && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation);
    }

    /** @return whether a column holds floating-point numbers */
    static boolean isFloating(ColumnDescriptor d) {
        PrimitiveType.PrimitiveTypeName t = d.getPrimitiveType().getPrimitiveTypeName();
        return t == PrimitiveType.PrimitiveTypeName.DOUBLE || t == PrimitiveType.PrimitiveTypeName.FLOAT;
    }

    /** @return the current value of an integer column as a long */
    static long integer(ColumnReader r) {
        return r.getDescriptor().getPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                ? r.getInteger() : r.getLong();
    }

    /** @return the current value of a numeric column (integer or floating) as a double */
    static double number(ColumnReader r) {
        return switch (r.getDescriptor().getPrimitiveType().getPrimitiveTypeName()) {
            case INT32 -> r.getInteger();
            case INT64 -> r.getLong();
            case FLOAT -> r.getFloat();
            case DOUBLE -> r.getDouble();
            default -> throw new IllegalStateException("not a numeric column: " + r.getDescriptor());
        };
    }

    /** @return whether the reader's current value is present (not null) */
    static boolean present(ColumnReader r) {
        return r.getCurrentDefinitionLevel() == r.getDescriptor().getMaxDefinitionLevel();
    }

    /**
     * Turns time values of one column into nanoseconds since the epoch (UTC): INT64 with a
     * TIMESTAMP annotation (millis, micros or nanos; local times in the scan's zone), INT96 (the
     * legacy Impala/Spark form, UTC), or ISO-8601 text as the CSV reader reads it.
     */
    static final class TimeDecoder {
        private final String src;
        private final String column;
        private final ZoneId zone;
        private final int kind;
        private final long mult;
        private final boolean local;

        TimeDecoder(ColumnDescriptor d, String column, ZoneId zone, String src) throws FormatException {
            this.src = src;
            this.column = column;
            this.zone = zone;
            PrimitiveType p = d.getPrimitiveType();
            LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
            if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                    && a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                kind = 0;
                mult = switch (ts.getUnit()) {
                    case MILLIS -> 1_000_000L;
                    case MICROS -> 1_000L;
                    case NANOS -> 1L;
                };
                local = !ts.isAdjustedToUTC() && !zone.normalized().equals(ZoneOffset.UTC);
            } else if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
                kind = 1;
                mult = 1;
                local = false;
            } else if (isText(d)) {
                kind = 2;
                mult = 1;
                local = false;
            } else {
                throw new FormatException(src, "column '" + column + "'", "expected a TIMESTAMP (INT64 with a"
                        + " TIMESTAMP(MILLIS|MICROS|NANOS) annotation), INT96 or ISO-8601 text column, found " + typeOf(d));
            }
        }

        /** @return the reader's current value in nanoseconds since the epoch */
        long nanos(ColumnReader r, long row) throws FormatException {
            try {
                switch (kind) {
                    case 0: {
                        long v = Math.multiplyExact(r.getLong(), mult);
                        if (local) {
                            LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L),
                                    (int) Math.floorMod(v, 1_000_000_000L), ZoneOffset.UTC);
                            java.time.Instant i = t.atZone(zone).toInstant();
                            v = Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
                        }
                        return v;
                    }
                    case 1: {
                        Binary b = r.getBinary();
                        if (b.length() != 12) {
                            throw new FormatException(src, "row " + row + ", column '" + column + "'",
                                    "INT96 time of " + b.length() + " bytes, expected 12");
                        }
                        ByteBuffer bb = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                        long nanosOfDay = bb.getLong(bb.position());
                        int julianDay = bb.getInt(bb.position() + 8);
                        return Math.addExact(Math.multiplyExact(julianDay - 2_440_588L, 86_400_000_000_000L), nanosOfDay);
                    }
                    default: {
                        String s = r.getBinary().toStringUsingUTF8().strip();
                        if (s.isEmpty()) {
                            return HistoryChunk.NO_TIME;
                        }
                        java.time.Instant i;
                        try {
                            i = WaferHistoryCsv.time(s, zone, src, row);
                        } catch (FormatException e) {
                            throw new FormatException(src, "row " + row + ", column '" + column + "'", "expected an"
                                    + " ISO-8601 time (2024-03-01T12:00:00Z) or 'yyyy-MM-dd HH:mm:ss', found '"
                                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
                        }
                        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
                    }
                }
            } catch (ArithmeticException e) {
                throw new FormatException(src, "row " + row + ", column '" + column + "'",
                        "time outside the years 1678-2261 that a history scan holds");
            }
        }
    }

    /** @return the names of a schema's top-level columns */
    static List<String> names(MessageType schema) {
        List<String> out = new ArrayList<>();
        for (Type t : schema.getFields()) {
            out.add(t.getName());
        }
        return out;
    }
}
