package org.fabai.core.io.csv;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fabai.core.io.FormatException;

/**
 * Parses one piece of a wafer-history CSV into {@link HistoryChunk}s (one parser per piece, on a
 * {@link HistoryCsvScanner} worker thread): a plain record by byte offsets, with dictionary codes
 * through a per-column cache and ISO-8601 UTC times by a fast path; a record with a quote through
 * {@link CsvReader}. Package-private; not thread-safe.
 */
final class HistoryPieceParser {

    private static final int ROWS_PER_CHUNK = 1 << 14;
    private static final long FAIL = Long.MIN_VALUE + 1;

    /** Where the columns are. */
    record Layout(String src, CsvReader.Record header, int width, int wafer, int step, int tool, int chamber,
                  int time, int lot, ZoneId zone, boolean localIsUtc) {
    }

    /** The rows of a piece before its first error, and that error (null when none). */
    record Parsed(List<HistoryChunk> chunks, FormatException error) {
    }

    private final Layout l;
    private final HistoryCsvScanner.Dictionaries d;
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

    HistoryPieceParser(Layout l, HistoryCsvScanner.Dictionaries d) {
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

    Parsed parse(CsvChunker.Piece piece) {
        List<HistoryChunk> out = new ArrayList<>();
        try {
            parse(piece, out);
            return new Parsed(out, null);
        } catch (FormatException e) {
            return new Parsed(out, e);
        }
    }

    private void parse(CsvChunker.Piece piece, List<HistoryChunk> out) throws FormatException {
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
                line = addQuoted(cur, b, p, r, line);
                p = r;
                continue;
            }
            if (nf < width) {
                fs[nf] = s;
                fe[nf] = q;
            }
            nf++;
            addPlain(cur, b, nf, line);
            p = q;
        }
    }

    /**
     * Adds the record with a quote in {@code b[p, r)}, read by {@link CsvReader}.
     *
     * @return the line after it
     */
    private long addQuoted(HistoryChunk cur, byte[] b, int p, int r, long line) throws FormatException {
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
        return line;
    }

    /** Adds the plain record whose {@code nf} fields lie at {@code fs}/{@code fe}. */
    private void addPlain(HistoryChunk cur, byte[] b, int nf, long line) throws FormatException {
        int width = l.width();
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
            if (k != null && Arrays.equals(k, 0, k.length, b, s, e)) {
                return codes[slot];
            }
            int c = dict.intern(new String(b, s, e - s, StandardCharsets.UTF_8));
            keys[slot] = Arrays.copyOfRange(b, s, e);
            codes[slot] = c;
            return c;
        }
    }
}
