package org.fabai.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows of a flat schema through parquet-hadoop's {@link ParquetWriter} to a local file
 * (Snappy pages, dictionary encoding, row groups of at most 32 MiB and 262,144 rows), without an object per row: the caller
 * fills fields through {@link Row} in a callback. Not thread-safe.
 */
final class RowWriter implements AutoCloseable {

    /** Default row-group size: small enough that a reader holds a few in memory per thread. */
    static final long ROW_GROUP_BYTES = 32L << 20;
    /**
     * At most this many rows per row group: dictionary-encoded history columns take a few bits a
     * row, so the byte limit alone would put tens of millions of rows in one group, and readers
     * decode in parallel by row group.
     */
    static final int ROW_GROUP_ROWS = 1 << 18;

    /** Fills the fields of one row. */
    interface Fill {
        void fill(Row row);
    }

    /** The fields of the row being written; fields left out are null. */
    static final class Row {
        private RecordConsumer rc;
        private final MessageType schema;

        Row(MessageType schema) {
            this.schema = schema;
        }

        void string(int field, String v) {
            if (v != null) {
                rc.startField(schema.getFieldName(field), field);
                rc.addBinary(Binary.fromString(v));
                rc.endField(schema.getFieldName(field), field);
            }
        }

        void binary(int field, Binary v) {
            rc.startField(schema.getFieldName(field), field);
            rc.addBinary(v);
            rc.endField(schema.getFieldName(field), field);
        }

        void int64(int field, long v) {
            rc.startField(schema.getFieldName(field), field);
            rc.addLong(v);
            rc.endField(schema.getFieldName(field), field);
        }

        void int32(int field, int v) {
            rc.startField(schema.getFieldName(field), field);
            rc.addInteger(v);
            rc.endField(schema.getFieldName(field), field);
        }

        void float64(int field, double v) {
            rc.startField(schema.getFieldName(field), field);
            rc.addDouble(v);
            rc.endField(schema.getFieldName(field), field);
        }
    }

    private static final class Support extends WriteSupport<Fill> {
        private final MessageType schema;
        private final Row row;

        Support(MessageType schema) {
            this.schema = schema;
            this.row = new Row(schema);
        }

        @Override
        @SuppressWarnings("deprecation")
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of("writer", "fabai"));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of("writer", "fabai"));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            row.rc = recordConsumer;
        }

        @Override
        public void write(Fill record) {
            row.rc.startMessage();
            record.fill(row);
            row.rc.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Fill, Builder> {
        private final MessageType schema;

        Builder(LocalOutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<Fill> getWriteSupport(Configuration conf) {
            return new Support(schema);
        }

        @Override
        protected WriteSupport<Fill> getWriteSupport(ParquetConfiguration conf) {
            return new Support(schema);
        }
    }

    private final ParquetWriter<Fill> writer;

    RowWriter(Path file, MessageType schema) throws IOException {
        this(file, schema, ROW_GROUP_BYTES);
    }

    RowWriter(Path file, MessageType schema, long rowGroupBytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        writer = new Builder(new LocalOutputFile(file), schema)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withDictionaryEncoding(true)
                .withRowGroupSize(rowGroupBytes)
                .withRowGroupRowCountLimit(ROW_GROUP_ROWS)
                .build();
    }

    /** Writes one row. */
    void write(Fill fill) throws IOException {
        writer.write(fill);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
