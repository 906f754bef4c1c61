package org.fabai.core.io.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
    private static final int ROWS_PER_CHUNK = 1 << 14;
    private static final long FAIL = Long.MIN_VALUE + 1;

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
            Chunker chunker = new Chunker(in, options.chunkBytes(), src);
            CsvReader.Record h = null;
            while (h == null) {
                Piece hp = chunker.next(true);
                if (hp == null) {
                    throw new FormatException(src, "line 1", "empty file: expected a header row with columns "
                            + WaferHistoryCsv.REQUIRED_COLUMNS);
                }
                h = new CsvReader(new InputStreamReader(new java.io.ByteArrayInputStream(hp.bytes, 0, hp.length),
                        StandardCharsets.UTF_8), src, ',', hp.firstLine).next();
            }
            Layout layout = layout(h, src, options.zone());
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
                ArrayDeque<Future<Parsed>> pending = new ArrayDeque<>();
                for (Piece p = chunker.next(false); p != null; p = chunker.next(false)) {
                    Piece piece = p;
                    pending.add(pool.submit(() -> new Parser(layout, dicts).parse(piece)));
                    while (pending.size() > 2 * options.threads()) {
                        rows += deliver(pending.poll(), sink);
                    }
                    long now = System.nanoTime();
                    if (now - lastReport >= every) {
                        lastReport = now;
                        report(options, src, rows, chunker.bytesRead, total, now - t0);
                    }
                }
                while (!pending.isEmpty()) {
                    rows += deliver(pending.poll(), sink);
                }
            } finally {
                pool.shutdownNow();
            }
            long nanos = System.nanoTime() - t0;
            Summary s = new Summary(rows, chunker.bytesRead, nanos);
            LOG.info("{}: {} rows, {} MB in {} s ({} rows/s, {} threads)", src, rows, chunker.bytesRead >> 20,
                    String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9),
                    String.format(java.util.Locale.ROOT, "%.0f", s.rowsPerSecond()), options.threads());
            return s;
        }
    }

    private static void report(Options o, String src, long rows, long read, long total, long nanos) {
        if (o.progress() != null) {
            o.progress().update(rows, read, total, nanos);
        } else {
            LOG.info("{}: {} rows, {}% of {} MB, {} rows/s", src, rows, total > 0 ? 100 * read / total : 100,
                    total >> 20, String.format(java.util.Locale.ROOT, "%.0f", rows * 1e9 / Math.max(1, nanos)));
        }
    }

    private static long deliver(Future<Parsed> f, Sink sink) throws IOException, FormatException {
        Parsed parsed;
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

    /** Where the columns are. */
    private record Layout(String src, CsvReader.Record header, int width, int wafer, int step, int tool, int chamber,
                          int time, int lot, ZoneId zone, boolean localIsUtc) {
    }

    private static Layout layout(CsvReader.Record h, String src, ZoneId zone) throws FormatException {
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
        return new Layout(src, h, h.fields().size(), cWafer, cStep, cTool, idx.getOrDefault("chamber", -1),
                idx.getOrDefault("timestamp", -1), idx.getOrDefault("lot_id", -1), zone,
                zone.normalized().equals(ZoneOffset.UTC));
    }

    /** The rows of a piece before its first error, and that error (null when none). */
    private record Parsed(List<HistoryChunk> chunks, FormatException error) {
    }

    /** A piece of the file: whole records, starting at line {@code firstLine}. */
    private record Piece(byte[] bytes, int length, long firstLine) {
    }

    /** Cuts the input into pieces at line feeds outside quotes, counting lines as {@link CsvReader} does. */
    private static final class Chunker {
        private final InputStream in;
        private final int size;
        private final String src;
        private byte[] buf;
        private int len;
        private boolean eof;
        private long line = 1;
        long bytesRead;

        Chunker(InputStream in, int size, String src) {
            this.in = in;
            this.size = size;
            this.src = src;
            this.buf = new byte[size];
        }

        Piece next(boolean first) throws IOException, FormatException {
            while (true) {
                while (!eof && len < buf.length) {
                    int r = in.read(buf, len, buf.length - len);
                    if (r < 0) {
                        eof = true;
                    } else {
                        len += r;
                        bytesRead += r;
                    }
                }
                boolean quoted = false;
                int cut = -1;
                long lines = 0;
                long linesAtCut = 0;
                byte[] b = buf;
                int n = len;
                for (int i = 0; i < n; i++) {
                    byte c = b[i];
                    if (c == '\n') {
                        lines++;
                        if (!quoted) {
                            cut = i + 1;
                            linesAtCut = lines;
                            if (first) {
                                break;
                            }
                        }
                    } else if (c == '"') {
                        quoted = !quoted;
                    } else if (c == '\r' && (i + 1 < n ? b[i + 1] != '\n' : eof)) {
                        lines++;
                    }
                }
                if (cut < 0 && eof) {
                    if (len == 0) {
                        return null;
                    }
                    cut = len;
                    linesAtCut = lines;
                }
                if (cut < 0) {
                    if (buf.length >= size + 4L * CsvReader.MAX_RECORD_CHARS) {
                        throw new FormatException(src, "line " + line, "no line break outside quotes in the next "
                                + (buf.length >> 20) + " MB (an unterminated quote?)");
                    }
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    continue;
                }
                Piece p = new Piece(buf, cut, line);
                line += linesAtCut;
                byte[] nb = new byte[Math.max(size, 2 * (len - cut))];
                System.arraycopy(buf, cut, nb, 0, len - cut);
                len -= cut;
                buf = nb;
                return p;
            }
        }
    }

    /**
     * A direct-mapped cache from the UTF-8 bytes of a cell to its dictionary code, so repeated ids
     * are neither decoded nor looked up in the shared dictionary. One per parser and column.
     */
    private static final class ByteCache {
        private static final int SLOTS = 1 << 12;
        private final StringDictionary dict;
        private final byte[][] keys = new byte[SLOTS][];
        private final int[] codes = new int[SLOTS];

        ByteCache(StringDictionary dict) {
            this.dict = dict;
        }

        int code(byte[] b, int s, int e) {
            int h = 0;
            for (int i = s; i < e; i++) {
                h = 31 * h + b[i];
            }
            int slot = (h ^ (h >>> 12)) & (SLOTS - 1);
            byte[] k = keys[slot];
            if (k != null && java.util.Arrays.equals(k, 0, k.length, b, s, e)) {
                return codes[slot];
            }
            int c = dict.intern(new String(b, s, e - s, StandardCharsets.UTF_8));
            keys[slot] = java.util.Arrays.copyOfRange(b, s, e);
            codes[slot] = c;
            return c;
        }
    }

    /** Parses one piece into chunks (one parser per piece, on a worker thread). */
    private static final class Parser {
        private final Layout l;
        private final Dictionaries d;
        private final int[] fs;
        private final int[] fe;
        private int lastDate = -1;
        private long lastEpochDay;

        private final ByteCache waferCache;
        private final ByteCache stepCache;
        private final ByteCache toolCache;
        private final ByteCache chamberCache;
        private final ByteCache lotCache;
        private final int noChamber;
        private final int noLot;

        Parser(Layout l, Dictionaries d) {
            this.l = l;
            this.d = d;
            this.waferCache = new ByteCache(d.wafers());
            this.stepCache = new ByteCache(d.steps());
            this.toolCache = new ByteCache(d.tools());
            this.chamberCache = new ByteCache(d.chambers());
            this.lotCache = new ByteCache(d.lots());
            this.noChamber = d.chambers().intern("");
            this.noLot = d.lots().intern("");
            this.fs = new int[l.width()];
            this.fe = new int[l.width()];
        }

        Parsed parse(Piece piece) {
            List<HistoryChunk> out = new ArrayList<>();
            try {
                parse(piece, out);
                return new Parsed(out, null);
            } catch (FormatException e) {
                return new Parsed(out, e);
            }
        }

        private void parse(Piece piece, List<HistoryChunk> out) throws FormatException {
            HistoryChunk cur = new HistoryChunk(ROWS_PER_CHUNK);
            out.add(cur);
            byte[] b = piece.bytes();
            int end = piece.length();
            long line = piece.firstLine();
            int p = 0;
            int width = l.width();
            while (p < end) {
                byte c = b[p];
                if (c == '\n') {
                    line++;
                    p++;
                    continue;
                }
                if (c == '\r') {
                    line++;
                    p++;
                    if (p < end && b[p] == '\n') {
                        p++;
                    }
                    continue;
                }
                if (cur.size == ROWS_PER_CHUNK) {
                    cur = new HistoryChunk(ROWS_PER_CHUNK);
                    out.add(cur);
                }
                int nf = 0;
                int s = p;
                int q = p;
                boolean quote = false;
                for (; q < end; q++) {
                    byte x = b[q];
                    if (x == ',') {
                        if (nf < width) {
                            fs[nf] = s;
                            fe[nf] = q;
                        }
                        nf++;
                        s = q + 1;
                    } else if (x == '\n' || x == '\r') {
                        break;
                    } else if (x == '"') {
                        quote = true;
                        break;
                    }
                }
                if (quote) {
                    int r = recordEnd(b, p, end);
                    String text = new String(b, p, r - p, StandardCharsets.UTF_8);
                    CsvReader.Record rec;
                    try {
                        rec = new CsvReader(new StringReader(text), l.src(), ',', line).next();
                    } catch (IOException e) {
                        throw new IllegalStateException("reading a string failed", e);
                    }
                    Csv.checkWidth(rec, l.header(), l.src());
                    List<String> f = rec.fields();
                    String wafer = f.get(l.wafer()).trim();
                    String step = f.get(l.step()).trim();
                    String tool = f.get(l.tool()).trim();
                    check(line, wafer, step, tool);
                    String tt = l.time() < 0 ? "" : f.get(l.time()).trim();
                    long t = tt.isEmpty() ? HistoryChunk.NO_TIME : nanos(WaferHistoryCsv.time(tt, l.zone(), l.src(), line), line);
                    add(cur, line, wafer, step, tool, l.chamber() < 0 ? "" : f.get(l.chamber()).trim(),
                            l.lot() < 0 ? "" : f.get(l.lot()).trim(), t);
                    for (int i = p; i < r; i++) {
                        if (b[i] == '\n' || b[i] == '\r' && (i + 1 >= r || b[i + 1] != '\n')) {
                            line++;
                        }
                    }
                    p = r;
                    continue;
                }
                if (nf < width) {
                    fs[nf] = s;
                    fe[nf] = q;
                }
                nf++;
                if (nf != width) {
                    throw new FormatException(l.src(), "line " + line, "expected " + width + " fields (columns "
                            + l.header().fields() + "), found " + nf);
                }
                for (int i = 0; i < width; i++) {
                    int a = fs[i];
                    int z = fe[i];
                    while (a < z && (b[a] == ' ' || b[a] == '\t')) {
                        a++;
                    }
                    while (z > a && (b[z - 1] == ' ' || b[z - 1] == '\t')) {
                        z--;
                    }
                    fs[i] = a;
                    fe[i] = z;
                }
                if (fe[l.wafer()] == fs[l.wafer()] || fe[l.step()] == fs[l.step()] || fe[l.tool()] == fs[l.tool()]) {
                    check(line, str(b, l.wafer()), str(b, l.step()), str(b, l.tool()));
                }
                long t = HistoryChunk.NO_TIME;
                if (l.time() >= 0 && fe[l.time()] > fs[l.time()]) {
                    t = l.localIsUtc() || isUtcMarked(b, fs[l.time()], fe[l.time()])
                            ? fastTime(b, fs[l.time()], fe[l.time()]) : FAIL;
                    if (t == FAIL) {
                        t = nanos(WaferHistoryCsv.time(str(b, l.time()), l.zone(), l.src(), line), line);
                    }
                }
                int i = cur.size++;
                cur.time[i] = t;
                cur.line[i] = line;
                cur.wafer[i] = waferCache.code(b, fs[l.wafer()], fe[l.wafer()]);
                cur.step[i] = stepCache.code(b, fs[l.step()], fe[l.step()]);
                cur.tool[i] = toolCache.code(b, fs[l.tool()], fe[l.tool()]);
                cur.chamber[i] = l.chamber() < 0 ? noChamber : chamberCache.code(b, fs[l.chamber()], fe[l.chamber()]);
                cur.lot[i] = l.lot() < 0 ? noLot : lotCache.code(b, fs[l.lot()], fe[l.lot()]);
                p = q;
            }
        }

        private String str(byte[] b, int col) {
            return new String(b, fs[col], fe[col] - fs[col], StandardCharsets.UTF_8);
        }

        private void check(long line, String wafer, String step, String tool) throws FormatException {
            if (wafer.isEmpty()) {
                throw empty(line, "wafer_id");
            }
            if (step.isEmpty()) {
                throw empty(line, "step");
            }
            if (tool.isEmpty()) {
                throw empty(line, "tool");
            }
        }

        private void add(HistoryChunk c, long line, String wafer, String step, String tool, String chamber, String lot,
                         long time) {
            int i = c.size++;
            c.time[i] = time;
            c.wafer[i] = d.wafers().intern(wafer);
            c.step[i] = d.steps().intern(step);
            c.tool[i] = d.tools().intern(tool);
            c.chamber[i] = d.chambers().intern(chamber);
            c.lot[i] = d.lots().intern(lot);
            c.line[i] = line;
        }

        private FormatException empty(long line, String col) {
            return new FormatException(l.src(), "line " + line + ", column '" + col + "'", "expected a non-empty " + col);
        }

        private long nanos(Instant t, long line) throws FormatException {
            try {
                return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            } catch (ArithmeticException e) {
                throw new FormatException(l.src(), "line " + line + ", column 'timestamp'", "time " + t
                        + " is outside the years 1678-2261 that the streaming scan holds");
            }
        }

        /** @return whether a time ends in Z, i.e. its zone is fixed whatever the reader's zone */
        private static boolean isUtcMarked(byte[] b, int s, int e) {
            return e > s && b[e - 1] == 'Z';
        }

        /**
         * Parses {@code yyyy-MM-ddTHH:mm:ss[.f]Z} (or without Z, or with a space for T, as UTC),
         * or returns {@link #FAIL} for anything else (the caller then uses the full parser, which
         * also words the error).
         */
        private long fastTime(byte[] b, int s, int e) {
            int n = e - s;
            if (n < 19 || b[s + 4] != '-' || b[s + 7] != '-' || b[s + 13] != ':' || b[s + 16] != ':') {
                return FAIL;
            }
            byte sep = b[s + 10];
            if (sep != 'T' && sep != ' ') {
                return FAIL;
            }
            int y = digits(b, s, 4);
            int mo = digits(b, s + 5, 2);
            int dd = digits(b, s + 8, 2);
            int hh = digits(b, s + 11, 2);
            int mi = digits(b, s + 14, 2);
            int ss = digits(b, s + 17, 2);
            if (y < 0 || mo < 1 || mo > 12 || dd < 1 || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) {
                return FAIL;
            }
            int p = s + 19;
            long frac = 0;
            if (p < e && b[p] == '.') {
                p++;
                int k = 0;
                while (p < e && b[p] >= '0' && b[p] <= '9') {
                    if (++k > 9) {
                        return FAIL;
                    }
                    frac = frac * 10 + (b[p] - '0');
                    p++;
                }
                if (k == 0) {
                    return FAIL;
                }
                for (; k < 9; k++) {
                    frac *= 10;
                }
            }
            if (p < e && b[p] == 'Z' && sep == 'T') {
                p++;
            }
            if (p != e) {
                return FAIL;
            }
            int key = y * 10000 + mo * 100 + dd;
            if (key != lastDate) {
                if (dd > LocalDate.of(y, mo, 1).lengthOfMonth()) {
                    return FAIL;
                }
                lastEpochDay = LocalDate.of(y, mo, dd).toEpochDay();
                lastDate = key;
            }
            long sec = lastEpochDay * 86400 + hh * 3600L + mi * 60L + ss;
            if (sec < -9_223_372_036L || sec > 9_223_372_035L) {
                return FAIL;
            }
            return sec * 1_000_000_000L + frac;
        }

        private static int digits(byte[] b, int s, int n) {
            int v = 0;
            for (int i = s; i < s + n; i++) {
                int c = b[i] - '0';
                if (c < 0 || c > 9) {
                    return -1;
                }
                v = v * 10 + c;
            }
            return v;
        }

        /** @return the index after the record starting at p (at its line break or the end) */
        private static int recordEnd(byte[] b, int p, int end) {
            boolean q = false;
            for (int i = p; i < end; i++) {
                byte c = b[i];
                if (c == '"') {
                    q = !q;
                } else if (!q && (c == '\n' || c == '\r')) {
                    return i;
                }
            }
            return end;
        }
    }
}
