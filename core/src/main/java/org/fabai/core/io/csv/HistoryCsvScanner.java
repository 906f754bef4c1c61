package org.fabai.core.io.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.fabai.core.io.FormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a wafer-history CSV (the format of {@link WaferHistoryCsv}: {@code wafer_id}, {@code step},
 * {@code tool} required, {@code chamber}, {@code timestamp}, {@code lot_id} optional) as columnar,
 * dictionary-encoded {@link HistoryChunk}s, in file order, without holding the file: memory is a
 * few chunks in flight plus the {@link Dictionaries} (one entry per distinct wafer, step, tool,
 * chamber and lot). For files too large for {@link WaferHistoryCsv#read(Path)}'s one object per row.
 *
 * <p>The file is cut into pieces of about {@link Options#chunkBytes()} at line breaks outside
 * quotes; pieces are parsed on {@link Options#threads()} threads and handed to the {@link Sink} in
 * order on the calling thread. Fields follow {@link CsvReader}'s RFC 4180 rules (records with a
 * quote go through {@link CsvReader} itself); timestamps as {@link WaferHistoryCsv} reads them, the
 * common ISO-8601 UTC forms by a fast path. Per-row checks here: field count, non-empty wafer id,
 * step and tool, a valid timestamp; each a {@link FormatException} naming file and line, the first
 * in file order. Checks that span rows of one wafer (a step twice, two lots, timed and untimed rows)
 * belong to the sink, which sees every row with its line. Columns {@code step_name} and any extra
 * columns are not read (logged).
 *
 * <p>Progress (rows, bytes, rows per second) goes to {@link Options#progress()}, or to the log at
 * INFO, every {@link Options#progressEvery()}.
 *
 * <p>Stateless and thread-safe; each call uses its own threads, stopped before it returns.
 */
public final class HistoryCsvScanner {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryCsvScanner.class);

    private HistoryCsvScanner() {
    }

    /**
     * The dictionaries a scan interns codes into. Pass the same instance to several scans of one
     * file (or of files that share wafers) to get the same codes; pre-intern wafers to give them
     * codes 0..n-1. Thread-safe.
     *
     * @param wafers   wafer ids
     * @param lots     lot ids ({@code ""} for none)
     * @param steps    step ids
     * @param tools    tool ids
     * @param chambers chamber ids ({@code ""} for none)
     */
    public record Dictionaries(StringDictionary wafers, StringDictionary lots, StringDictionary steps,
                               StringDictionary tools, StringDictionary chambers) {
        /** Validates. */
        public Dictionaries {
            Objects.requireNonNull(wafers, "wafers");
            Objects.requireNonNull(lots, "lots");
            Objects.requireNonNull(steps, "steps");
            Objects.requireNonNull(tools, "tools");
            Objects.requireNonNull(chambers, "chambers");
        }

        /** @return five empty dictionaries */
        public static Dictionaries create() {
            return new Dictionaries(new StringDictionary(), new StringDictionary(), new StringDictionary(),
                    new StringDictionary(), new StringDictionary());
        }
    }

    /** Receives the chunks of a scan, in file order, on the scanning thread. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param chunk the next rows
         * @throws FormatException to stop the scan on bad input
         */
        void accept(HistoryChunk chunk) throws FormatException;
    }

    /** Receives progress of a long scan. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param rows         rows handed to the sink so far
         * @param bytesRead    bytes of the file read so far
         * @param totalBytes   size of the file
         * @param elapsedNanos time since the scan started
         */
        void update(long rows, long bytesRead, long totalBytes, long elapsedNanos);
    }

    /**
     * Options of a scan.
     *
     * @param threads       parsing threads, 1 to 256
     * @param zone          zone of timestamps written without an offset
     * @param chunkBytes    size of a piece, 64 KiB to 256 MiB
     * @param progressEvery how often to report progress, positive
     * @param progress      where to report it; null: the log at INFO
     */
    public record Options(int threads, ZoneId zone, int chunkBytes, Duration progressEvery, Progress progress) {
        /** Validates. */
        public Options {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
            }
            Objects.requireNonNull(zone, "zone");
            if (chunkBytes < (64 << 10) || chunkBytes > (256 << 20)) {
                throw new IllegalArgumentException("chunkBytes must be in [65536, 268435456], got " + chunkBytes);
            }
            Objects.requireNonNull(progressEvery, "progressEvery");
            if (progressEvery.isNegative() || progressEvery.isZero()) {
                throw new IllegalArgumentException("progressEvery must be positive, got " + progressEvery);
            }
        }

        /** @return one thread per available processor, UTC, 4 MiB pieces, progress to the log every 10 s */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), ZoneOffset.UTC, 4 << 20,
                    Duration.ofSeconds(10), null);
        }

        /** @param n threads @return a copy with that many parsing threads */
        public Options withThreads(int n) {
            return new Options(n, zone, chunkBytes, progressEvery, progress);
        }

        /** @param bytes piece size @return a copy with that piece size */
        public Options withChunkBytes(int bytes) {
            return new Options(threads, zone, bytes, progressEvery, progress);
        }

        /** @param every interval @param p listener @return a copy reporting progress there */
        public Options withProgress(Duration every, Progress p) {
            return new Options(threads, zone, chunkBytes, every, p);
        }

        /** @param z zone of local times @return a copy with that zone */
        public Options withZone(ZoneId z) {
            return new Options(threads, z, chunkBytes, progressEvery, progress);
        }
    }

    /**
     * What a scan read.
     *
     * @param rows  rows handed to the sink
     * @param bytes bytes read
     * @param nanos wall time
     */
    public record Summary(long rows, long bytes, long nanos) {
        /** @return rows per second of wall time */
        public double rowsPerSecond() {
            return nanos > 0 ? rows * 1e9 / nanos : 0;
        }
    }

    /**
     * Scans a UTF-8 history file.
     *
     * @param file    the file
     * @param dicts   dictionaries to intern into
     * @param options options
     * @param sink    receives the rows
     * @return what was read
     * @throws IOException     if the file cannot be read
     * @throws FormatException on bad input (or from the sink)
     */
    public static Summary scan(Path file, Dictionaries dicts, Options options, Sink sink)
            throws IOException, FormatException {
        Objects.requireNonNull(dicts, "dicts");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sink, "sink");
        String src = file.toString();
        long total = Files.size(file);
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            CsvChunker chunker = new CsvChunker(in, options.chunkBytes(), src);
            CsvReader.Record h = null;
            while (h == null) {
                CsvChunker.Piece hp = chunker.next(true);
                if (hp == null) {
                    throw new FormatException(src, "line 1", "empty file: expected a header row with columns "
                            + WaferHistoryCsv.REQUIRED_COLUMNS);
                }
                h = new CsvReader(new InputStreamReader(new ByteArrayInputStream(hp.bytes(), 0, hp.length()),
                        StandardCharsets.UTF_8), src, ',', hp.firstLine()).next();
            }
            HistoryPieceParser.Layout layout = layout(h, src, options.zone());
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
                Thread t = new Thread(r, "fabai-csv-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long rows = 0;
            long lastReport = t0;
            long every = options.progressEvery().toNanos();
            try {
                ArrayDeque<Future<HistoryPieceParser.Parsed>> pending = new ArrayDeque<>();
                for (CsvChunker.Piece p = chunker.next(false); p != null; p = chunker.next(false)) {
                    CsvChunker.Piece piece = p;
                    pending.add(pool.submit(() -> new HistoryPieceParser(layout, dicts).parse(piece)));
                    while (pending.size() > 2 * options.threads()) {
                        rows += deliver(pending.poll(), sink);
                    }
                    long now = System.nanoTime();
                    if (now - lastReport >= every) {
                        lastReport = now;
                        report(options, src, rows, chunker.bytesRead(), total, now - t0);
                    }
                }
                while (!pending.isEmpty()) {
                    rows += deliver(pending.poll(), sink);
                }
            } finally {
                pool.shutdownNow();
            }
            long nanos = System.nanoTime() - t0;
            Summary s = new Summary(rows, chunker.bytesRead(), nanos);
            LOG.info("{}: {} rows, {} MB in {} s ({} rows/s, {} threads)", src, rows, chunker.bytesRead() >> 20,
                    String.format(Locale.ROOT, "%.1f", nanos / 1e9),
                    String.format(Locale.ROOT, "%.0f", s.rowsPerSecond()), options.threads());
            return s;
        }
    }

    private static void report(Options o, String src, long rows, long read, long total, long nanos) {
        if (o.progress() != null) {
            o.progress().update(rows, read, total, nanos);
        } else {
            LOG.info("{}: {} rows, {}% of {} MB, {} rows/s", src, rows, total > 0 ? 100 * read / total : 100,
                    total >> 20, String.format(Locale.ROOT, "%.0f", rows * 1e9 / Math.max(1, nanos)));
        }
    }

    private static long deliver(Future<HistoryPieceParser.Parsed> f, Sink sink) throws IOException, FormatException {
        HistoryPieceParser.Parsed parsed;
        try {
            parsed = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scanning", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof FormatException fe) {
                throw fe;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        }
        long rows = 0;
        for (HistoryChunk c : parsed.chunks()) {
            sink.accept(c);
            rows += c.size;
        }
        if (parsed.error() != null) {
            throw parsed.error();
        }
        return rows;
    }

    private static HistoryPieceParser.Layout layout(CsvReader.Record h, String src, ZoneId zone) throws FormatException {
        Map<String, Integer> idx = Csv.header(h, src);
        int cWafer = Csv.require(idx, "wafer_id", h, src);
        int cStep = Csv.require(idx, "step", h, src);
        int cTool = Csv.require(idx, "tool", h, src);
        List<String> unread = new ArrayList<>();
        for (Map.Entry<String, Integer> e : idx.entrySet()) {
            if (!WaferHistoryCsv.REQUIRED_COLUMNS.contains(e.getKey()) && !List.of("lot_id", "chamber", "timestamp")
                    .contains(e.getKey())) {
                unread.add(h.fields().get(e.getValue()).trim());
            }
        }
        if (!unread.isEmpty()) {
            LOG.info("{}: columns {} are not read by the streaming scan", src, unread);
        }
        return new HistoryPieceParser.Layout(src, h, h.fields().size(), cWafer, cStep, cTool, idx.getOrDefault("chamber", -1),
                idx.getOrDefault("timestamp", -1), idx.getOrDefault("lot_id", -1), zone,
                zone.normalized().equals(ZoneOffset.UTC));
    }

}
