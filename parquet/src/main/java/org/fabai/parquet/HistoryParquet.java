package org.fabai.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryChunk;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.io.csv.HistorySource;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wafer histories in Apache Parquet: the columns of the history CSV ({@code wafer_id}, {@code step},
 * {@code tool} required; {@code lot_id}, {@code chamber}, {@code timestamp}, {@code step_name}
 * optional; names case-insensitive, further columns not read).
 *
 * <p>{@link #scan} streams a file row group by row group, decoded on {@link
 * HistoryCsvScanner.Options#threads()} threads, into the same dictionary-encoded {@link
 * HistoryChunk}s as {@link HistoryCsvScanner}: memory is a few row groups in flight plus the
 * dictionaries, whatever the file's size. Id columns may be text (BINARY/STRING, dictionary-encoded
 * or not) or integers; {@code timestamp} may be INT64 with a TIMESTAMP annotation (millis, micros or
 * nanos; local times in the scan's zone), INT96 or ISO-8601 text. A row's place in messages is its
 * 1-based row number in the file ({@link HistoryChunk#line}). A null or empty id, a bad time, a
 * nested column or a file that is not Parquet is a {@link FormatException} naming file, row and
 * column.
 *
 * <p>{@link #write} and {@link #convert} write Snappy-compressed, dictionary-encoded files with row groups of
 * at most 32 MiB and 262,144 rows (so that readers decode in parallel), times as TIMESTAMP(MICROS, UTC)
 * (what Spark and pandas read). A row group of any size is read in 16,384-row chunks, at most eight
 * ahead per row group in flight, so memory does not grow with the group.
 *
 * <p>Stateless and thread-safe.
 */
public final class HistoryParquet {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryParquet.class);
    /** Chunks a worker may decode ahead of delivery, per row group in flight. */
    private static final int QUEUE_CHUNKS = 8;

    /** The schema {@link #write} writes. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("wafer_id")
            .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("lot_id")
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("step")
            .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("step_name")
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("tool")
            .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("chamber")
            .optional(PrimitiveType.PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("timestamp")
            .named("wafer_history");

    private HistoryParquet() {
    }

    /**
     * @param file a history Parquet file
     * @return a source that {@link #scan}s it (for {@code StreamingCommonality})
     */
    public static HistorySource source(Path file) {
        Objects.requireNonNull(file, "file");
        return HistorySource.of(file.toString(), "row", (dicts, options, sink) -> scan(file, dicts, options, sink));
    }

    /** Which projected column is which; -1 when absent. */
    record Layout(String src, MessageType projection, int wafer, int step, int tool, int chamber, int lot,
                          int time, int stepName) {
        ColumnDescriptor col(int i) {
            return projection.getColumns().get(i);
        }
    }

    private static Layout layout(MessageType schema, String src, boolean withStepName) throws FormatException {
        Map<String, Integer> idx = Pq.columns(schema, src);
        List<String> missing = new ArrayList<>();
        for (String c : List.of("wafer_id", "step", "tool")) {
            if (!idx.containsKey(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new FormatException(src, "schema", "missing column(s) " + missing + "; a history needs wafer_id, step"
                    + " and tool (lot_id, chamber, timestamp optional), found " + Pq.names(schema));
        }
        List<String> want = new ArrayList<>(List.of("wafer_id", "step", "tool", "chamber", "lot_id", "timestamp"));
        if (withStepName) {
            want.add("step_name");
        }
        List<Type> fields = new ArrayList<>();
        int[] pos = new int[want.size()];
        for (int k = 0; k < want.size(); k++) {
            Integer f = idx.get(want.get(k));
            if (f == null) {
                pos[k] = -1;
                continue;
            }
            ColumnDescriptor d = Pq.flat(schema, f, src);
            String name = schema.getType(f).getName();
            boolean time = want.get(k).equals("timestamp");
            if (!time && !Pq.isText(d) && !Pq.isInteger(d)) {
                throw new FormatException(src, "column '" + name + "'", "expected text or integer ids, found "
                        + Pq.typeOf(d));
            }
            pos[k] = fields.size();
            fields.add(schema.getType(f));
        }
        List<String> unread = new ArrayList<>();
        for (Type t : schema.getFields()) {
            if (!want.contains(t.getName().toLowerCase(Locale.ROOT)) && !t.getName().equalsIgnoreCase("step_name")) {
                unread.add(t.getName());
            }
        }
        if (!unread.isEmpty()) {
            LOG.info("{}: columns {} are not read", src, unread);
        }
        MessageType projection = new MessageType(schema.getName(), fields);
        return new Layout(src, projection, pos[0], pos[1], pos[2], pos[3], pos[4], pos[5],
                withStepName ? pos[6] : -1);
    }

    /**
     * Streams a history Parquet file in row order as dictionary-encoded chunks.
     *
     * @param file    the file
     * @param dicts   dictionaries to intern into
     * @param options threads (row groups decoded in parallel), zone of local times, progress
     * @param sink    receives the rows, in file order, on the calling thread
     * @return what was read (bytes: compressed bytes of the row groups read)
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid history file (or from the sink)
     */
    public static HistoryCsvScanner.Summary scan(Path file, HistoryCsvScanner.Dictionaries dicts,
                                                 HistoryCsvScanner.Options options, HistoryCsvScanner.Sink sink)
            throws IOException, FormatException {
        Objects.requireNonNull(dicts, "dicts");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sink, "sink");
        String src = file.toString();
        long t0 = System.nanoTime();
        long total = java.nio.file.Files.size(file);
        ConcurrentLinkedQueue<ParquetFileReader> idle = new ConcurrentLinkedQueue<>();
        List<ParquetFileReader> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ParquetFileReader first = Pq.open(file);
        opened.add(first);
        try {
            Layout l = layout(first.getFooter().getFileMetaData().getSchema(), src, false);
            first.setRequestedSchema(l.projection());
            idle.add(first);
            List<BlockMetaData> groups = first.getRowGroups();
            long[] firstRow = firstRows(groups);
            int threads = Math.min(options.threads(), Math.max(1, groups.size()));
            ExecutorService pool = workers(threads);
            long rows = 0;
            long bytes = 0;
            long lastReport = t0;
            long every = options.progressEvery().toNanos();
            try {
                // one bounded queue per row group in flight: a worker decodes its group into chunks as it
                // goes, so memory stays bounded however many rows a group holds; groups are delivered in order
                ArrayDeque<BlockingQueue<RowGroupDecoder.Item>> pending = new ArrayDeque<>();
                int next = 0;
                while (next < groups.size() || !pending.isEmpty()) {
                    while (next < groups.size() && pending.size() < 2 * threads) {
                        int g = next++;
                        BlockingQueue<RowGroupDecoder.Item> q = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
                        pending.add(q);
                        pool.submit(() -> {
                            decodeGroup(file, l, dicts, options, idle, opened, groups.get(g), g, firstRow[g], q);
                            return null;
                        });
                    }
                    BlockingQueue<RowGroupDecoder.Item> q = pending.peek();
                    RowGroupDecoder.Item it;
                    try {
                        it = q.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while scanning", e);
                    }
                    if (it.chunk() != null) {
                        sink.accept(it.chunk());
                        rows += it.chunk().size();
                    } else {
                        pending.poll();
                        rethrow(it.failure());
                        bytes += it.bytes();
                    }
                    long now = System.nanoTime();
                    if (now - lastReport >= every) {
                        lastReport = now;
                        report(options, src, rows, bytes, total, now - t0);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long nanos = System.nanoTime() - t0;
            HistoryCsvScanner.Summary s = new HistoryCsvScanner.Summary(rows, bytes, nanos);
            LOG.info("{}: {} rows in {} row groups, {} MB in {} s ({} rows/s, {} threads)", src, rows, groups.size(),
                    bytes >> 20, String.format(Locale.ROOT, "%.1f", nanos / 1e9),
                    String.format(Locale.ROOT, "%.0f", s.rowsPerSecond()), threads);
            return s;
        } finally {
            synchronized (opened) {
                for (ParquetFileReader r : opened) {
                    r.close();
                }
            }
        }
    }

    /** @return the 1-based number of each row group's first row */
    private static long[] firstRows(List<BlockMetaData> groups) {
        long[] firstRow = new long[groups.size()];
        long r0 = 1;
        for (int g = 0; g < groups.size(); g++) {
            firstRow[g] = r0;
            r0 += groups.get(g).getRowCount();
        }
        return firstRow;
    }

    private static ExecutorService workers(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fabai-parquet-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One worker's task: decodes row group {@code g} into {@code q} on a reader from {@code idle}
     * (a new one when none is free), and ends the group with its end item; a stopped scan ends it
     * without one.
     */
    private static void decodeGroup(Path file, Layout l, HistoryCsvScanner.Dictionaries dicts,
                                    HistoryCsvScanner.Options options, ConcurrentLinkedQueue<ParquetFileReader> idle,
                                    List<ParquetFileReader> opened, BlockMetaData group, int g, long firstRow,
                                    BlockingQueue<RowGroupDecoder.Item> q) throws InterruptedException {
        RowGroupDecoder.Item last;
        ParquetFileReader r = idle.poll();
        try {
            if (r == null) {
                r = Pq.open(file);
                r.setRequestedSchema(l.projection());
                opened.add(r);
            }
            last = new RowGroupDecoder(l, dicts, options).decode(r, g, firstRow, q);
        } catch (FormatException e) {
            last = new RowGroupDecoder.Item(null, e, group.getCompressedSize());
        } catch (InterruptedException e) {
            return;   // the scan was stopped
        } catch (Throwable e) {
            last = new RowGroupDecoder.Item(null, e, 0);
        } finally {
            if (r != null) {
                idle.add(r);
            }
        }
        q.put(last);
    }

    private static void report(HistoryCsvScanner.Options options, String src, long rows, long bytes, long total,
                               long nanos) {
        if (options.progress() != null) {
            options.progress().update(rows, bytes, total, nanos);
        } else {
            LOG.info("{}: {} rows, {}% of {} MB", src, rows, total > 0 ? 100 * bytes / total : 100, total >> 20);
        }
    }

    private static void rethrow(Throwable t) throws IOException, FormatException {
        if (t == null) {
            return;
        }
        if (t instanceof FormatException fe) {
            throw fe;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error er) {
            throw er;
        }
        throw new IllegalStateException(t);
    }

    /**
     * Reads a whole history file into objects (for analyses that need every history in memory,
     * e.g. bootstrap resampling); the same checks as {@code WaferHistoryCsv} (a step twice for a
     * wafer, two lots for a wafer).
     *
     * @param file the file
     * @return histories in order of first appearance
     * @throws IOException     if the file cannot be read
     * @throws FormatException on bad input
     * @throws org.fabai.core.io.InputTooLargeException before reading, when the file's rows (from its
     *         footer) would not fit in the free heap as objects ({@value #HEAP_BYTES_PER_ROW} bytes a row)
     */
    public static List<WaferHistory> read(Path file) throws IOException, FormatException {
        return read(file, HEAP_BYTES_PER_ROW);
    }

    /**
     * Heap one history row needs once read into {@link WaferHistory} objects: the estimate the CSV
     * reader uses ({@code HistoryCsv}: 249 bytes measured on a 1M-row file, 300 with the reading's
     * overhead); the objects are the same whichever file they came from.
     */
    static final long HEAP_BYTES_PER_ROW = 300;

    /** {@link #read(Path)} with the heap estimate per row as a parameter (tests). */
    static List<WaferHistory> read(Path file, long bytesPerRow) throws IOException, FormatException {
        long rows;
        try (ParquetFileReader r = Pq.open(file)) {
            rows = 0;
            for (org.apache.parquet.hadoop.metadata.BlockMetaData b : r.getFooter().getBlocks()) {
                rows += b.getRowCount();
            }
        }
        org.fabai.core.io.InputTooLargeException.checkFits(file, rows, bytesPerRow, "stream it instead"
                + " (StreamingCommonality over HistoryParquet.source; the CLI's 'fabai rca commonality' without --bootstrap),"
                + " give the JVM more heap (FABAI_JAVA_OPTS=-Xmx...), or run it on a cluster (fabai-spark's CommonalityJob)");
        HistoryCsvScanner.Dictionaries dicts = HistoryCsvScanner.Dictionaries.create();
        Map<String, String> stepNames = readStepNames(file);
        Map<Integer, List<StepRun>> runs = new LinkedHashMap<>();
        Map<Integer, Integer> lots = new HashMap<>();
        Map<Integer, Long> lotRow = new HashMap<>();
        String src = file.toString();
        scan(file, dicts, HistoryCsvScanner.Options.defaults().withThreads(1), c -> {
            for (int i = 0; i < c.size(); i++) {
                int w = c.wafer(i);
                Integer old = lots.putIfAbsent(w, c.lot(i));
                if (old == null) {
                    lotRow.put(w, c.line(i));
                } else if (old != c.lot(i)) {
                    throw new FormatException(src, "row " + c.line(i) + ", column 'lot_id'", "wafer "
                            + dicts.wafers().value(w) + " has lot_id '" + dicts.lots().value(c.lot(i)) + "' but '"
                            + dicts.lots().value(old) + "' on row " + lotRow.get(w) + "; expected one lot per wafer");
                }
                String stepId = dicts.steps().value(c.step(i));
                Step step = new Step(stepId, stepNames.getOrDefault(stepId, stepId));
                Tool tool = new Tool(dicts.tools().value(c.tool(i)), dicts.chambers().value(c.chamber(i)));
                long t = c.time(i);
                Instant time = t == HistoryChunk.NO_TIME ? null
                        : Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L));
                List<StepRun> rs = runs.computeIfAbsent(w, k -> new ArrayList<>());
                for (StepRun r : rs) {
                    if (r.step().id().equals(stepId)) {
                        throw new FormatException(src, "row " + c.line(i) + ", column 'step'", "step '" + stepId
                                + "' of wafer " + dicts.wafers().value(w) + " already given on an earlier row");
                    }
                }
                rs.add(new StepRun(step, tool, time));
            }
        });
        List<WaferHistory> out = new ArrayList<>(runs.size());
        for (Map.Entry<Integer, List<StepRun>> e : runs.entrySet()) {
            out.add(new WaferHistory(dicts.wafers().value(e.getKey()), dicts.lots().value(lots.get(e.getKey())),
                    e.getValue()));
        }
        return out;
    }

    /** @return step id to step name, from the optional column {@code step_name} (empty without it) */
    private static Map<String, String> readStepNames(Path file) throws IOException, FormatException {
        Map<String, String> out = new HashMap<>();
        try (ParquetFileReader r = Pq.open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            Layout l = layout(schema, file.toString(), true);
            if (l.stepName() < 0) {
                return out;
            }
            ColumnDescriptor nd = l.col(l.stepName());
            if (!Pq.isText(nd)) {
                throw new FormatException(file.toString(), "column 'step_name'", "expected text, found " + Pq.typeOf(nd));
            }
            r.setRequestedSchema(l.projection());
            for (int g = 0; g < r.getRowGroups().size(); g++) {
                PageReadStore rg = r.readRowGroup(g);
                ColumnReadStoreImpl st = Pq.store(rg, l.projection(), r);
                ColumnReader sr = st.getColumnReader(l.col(l.step()));
                ColumnReader nr = st.getColumnReader(nd);
                for (long i = 0; i < rg.getRowCount(); i++) {
                    if (Pq.present(nr) && Pq.present(sr)) {
                        String id = Pq.isText(l.col(l.step())) ? sr.getBinary().toStringUsingUTF8()
                                : Long.toString(Pq.integer(sr));
                        out.putIfAbsent(id, nr.getBinary().toStringUsingUTF8());
                    }
                    sr.consume();
                    nr.consume();
                }
            }
        } catch (RuntimeException e) {
            throw new FormatException(file.toString(), "column 'step_name'", "corrupt or truncated data: " + Pq.reason(e), e);
        }
        return out;
    }

    /**
     * Writes histories (one row per step run, in order).
     *
     * @param histories the histories
     * @param file      the file (replaced)
     * @throws IOException              if it cannot be written
     * @throws IllegalArgumentException if a time has a fraction finer than a microsecond
     */
    public static void write(List<WaferHistory> histories, Path file) throws IOException {
        write(histories, file, RowWriter.ROW_GROUP_BYTES);
    }

    /** As {@link #write(List, Path)} with a row-group size (tests use small ones for many groups). */
    static void write(List<WaferHistory> histories, Path file, long rowGroupBytes) throws IOException {
        try (RowWriter w = new RowWriter(file, SCHEMA, rowGroupBytes)) {
            for (WaferHistory h : histories) {
                for (StepRun r : h.runs()) {
                    Long micros = r.time() == null ? null : micros(r.time());
                    w.write(row -> {
                        row.string(0, h.waferId());
                        row.string(1, h.lotId().isEmpty() ? null : h.lotId());
                        row.string(2, r.step().id());
                        row.string(3, r.step().name().equals(r.step().id()) ? null : r.step().name());
                        row.string(4, r.tool().id());
                        row.string(5, r.tool().chamber().isEmpty() ? null : r.tool().chamber());
                        if (micros != null) {
                            row.int64(6, micros);
                        }
                    });
                }
            }
        }
    }

    private static long micros(Instant t) {
        if (t.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("time " + t + " has a fraction finer than a microsecond; Parquet histories"
                    + " hold TIMESTAMP(MICROS)");
        }
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /**
     * Converts a history CSV to Parquet, streaming (memory independent of the file's size). The
     * column {@code step_name} is not carried over.
     *
     * @param csv     the CSV (as {@link HistoryCsvScanner} reads it)
     * @param parquet the Parquet file to write (replaced)
     * @param options how to scan the CSV
     * @return what was read from the CSV
     * @throws IOException     if a file cannot be read or written
     * @throws FormatException if the CSV is not a valid history file
     */
    public static HistoryCsvScanner.Summary convert(Path csv, Path parquet, HistoryCsvScanner.Options options)
            throws IOException, FormatException {
        return convert(csv, parquet, options, RowWriter.ROW_GROUP_BYTES);
    }

    /** As {@link #convert(Path, Path, HistoryCsvScanner.Options)} with a row-group size. */
    static HistoryCsvScanner.Summary convert(Path csv, Path parquet, HistoryCsvScanner.Options options, long rowGroupBytes)
            throws IOException, FormatException {
        HistoryCsvScanner.Dictionaries dicts = HistoryCsvScanner.Dictionaries.create();
        try (RowWriter w = new RowWriter(parquet, SCHEMA, rowGroupBytes)) {
            IOException[] failed = {null};
            HistoryCsvScanner.Summary s = HistoryCsvScanner.scan(csv, dicts, options, c -> {
                if (failed[0] != null) {
                    return;
                }
                try {
                    for (int i = 0; i < c.size(); i++) {
                        int k = i;
                        w.write(row -> {
                            row.string(0, dicts.wafers().value(c.wafer(k)));
                            String lot = dicts.lots().value(c.lot(k));
                            row.string(1, lot.isEmpty() ? null : lot);
                            row.string(2, dicts.steps().value(c.step(k)));
                            row.string(4, dicts.tools().value(c.tool(k)));
                            String ch = dicts.chambers().value(c.chamber(k));
                            row.string(5, ch.isEmpty() ? null : ch);
                            long t = c.time(k);
                            if (t != HistoryChunk.NO_TIME) {
                                if (t % 1000 != 0) {
                                    throw new IllegalArgumentException(csv + ": line " + c.line(k) + ": time has a fraction"
                                            + " finer than a microsecond; Parquet histories hold TIMESTAMP(MICROS)");
                                }
                                row.int64(6, Math.floorDiv(t, 1000L));
                            }
                        });
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            return s;
        }
    }
}
