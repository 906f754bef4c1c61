package org.fabai.core.io.stdf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads STDF V4 files (Standard Test Data Format, the wafer-sort and final-test data format of ATE
 * testers) into one {@link StdfWafer} bin map per wafer.
 *
 * <p>What is read: FAR (CPU_TYP 1 = big-endian, 2 = little-endian; STDF_VER must be 4), MIR, WCR,
 * WIR, PIR, PRR, WRR and MRR. Every other record type, known or not, is skipped by its length and
 * counted. A record may end before its last fields (STDF allows trailing fields to be omitted): the
 * missing fields take STDF's missing values. A record that ends inside a field, a string whose length
 * byte runs past the record, or input that ends inside a record is an error. Input starting with the
 * gzip magic bytes is inflated on the fly.
 *
 * <p>Parts are matched PIR-to-PRR per HEAD_NUM and SITE_NUM, so several sites may test at once; a PRR
 * goes to the wafer opened by the WIR of its head. A die tested twice on one wafer (same X/Y) keeps
 * its last result and counts as a retest. See {@link StdfWafer} for the grid's layout and orientation.
 *
 * <p>Two ways to use it: {@link #read(Path)} returns the whole file as a {@link StdfFile}; or
 * {@link #open(Path)} returns a reader whose {@link #nextWafer()} hands out one wafer at a time, so
 * memory stays bounded by one wafer however long the file:
 * <pre>{@code
 * try (StdfReader r = StdfReader.open(path)) {
 *     for (StdfWafer w; (w = r.nextWafer()) != null; ) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Every problem with the content is a {@link FormatException} naming the source, the record
 * number (the FAR is record 1), its type and its byte offset (in the inflated data for gzip input),
 * and what was expected. Corrupt gzip data is a {@link FormatException} as well; {@link IOException}
 * is left for failures of the underlying stream.
 *
 * <p>Not thread-safe: one reader serves one thread. The static methods are thread-safe.
 */
public final class StdfReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StdfReader.class);

    private static final long MISSING_U4 = 0xFFFFFFFFL;
    private static final int MISSING_U2 = 0xFFFF;
    private static final int MISSING_COORD = -32768;
    private static final int MAX_WARNINGS = 1000;

    private final InputStream in;
    private final String source;
    private final StdfReadOptions options;
    private final boolean gzip;
    /** Compressed bytes the inflater has taken so far (gzip input only). */
    private final long[] compressedRead;
    private ByteOrder order;

    private final byte[] header = new byte[4];
    private final byte[] body = new byte[65535];
    private int len;
    private int pos;
    private int typ;
    private int sub;
    private long recordNumber;
    private long recordOffset;
    private long offset;

    private final Map<String, Long> recordCounts = new LinkedHashMap<>();
    private long skippedRecords;
    private long unknownRecords;
    private final List<String> warnings = new ArrayList<>();
    private long suppressedWarnings;

    private StdfMir mir;
    private StdfWcr wcr;
    private Instant finishTime;
    private boolean mrrSeen;
    private boolean eof;
    private boolean closed;
    private Exception failure;

    private final Map<Integer, WaferAcc> openWafers = new LinkedHashMap<>();
    private WaferAcc looseParts;
    private final Map<Integer, Integer> openParts = new HashMap<>();
    private long prrWithoutPir;
    private long pirWithoutPrr;
    private final Deque<StdfWafer> ready = new ArrayDeque<>();

    private StdfReader(InputStream in, String source, StdfReadOptions options, boolean gzip, long[] compressedRead) {
        this.compressedRead = compressedRead;
        this.in = in;
        this.source = source;
        this.options = options;
        this.gzip = gzip;
    }

    /**
     * Reads a whole file with the default limits.
     *
     * @param path an STDF V4 file, plain or gzip-compressed
     * @return its contents
     * @throws IOException     when the file cannot be read
     * @throws FormatException when the content is not valid STDF V4
     */
    public static StdfFile read(Path path) throws IOException, FormatException {
        return read(path, StdfReadOptions.defaults());
    }

    /**
     * Reads a whole file.
     *
     * @param path    an STDF V4 file, plain or gzip-compressed
     * @param options limits
     * @return its contents
     * @throws IOException     when the file cannot be read
     * @throws FormatException when the content is not valid STDF V4
     */
    public static StdfFile read(Path path, StdfReadOptions options) throws IOException, FormatException {
        try (StdfReader r = open(path, options)) {
            return r.readAll();
        }
    }

    /**
     * Reads a whole stream (closed at the end).
     *
     * @param in      STDF V4 bytes, plain or gzip-compressed
     * @param source  a name for messages, e.g. the file name
     * @param options limits
     * @return its contents
     * @throws IOException     when the stream fails
     * @throws FormatException when the content is not valid STDF V4
     */
    public static StdfFile read(InputStream in, String source, StdfReadOptions options)
            throws IOException, FormatException {
        try (StdfReader r = open(in, source, options)) {
            return r.readAll();
        }
    }

    /**
     * Opens a file for wafer-by-wafer reading with the default limits. The FAR is read and checked now.
     *
     * @param path an STDF V4 file, plain or gzip-compressed
     * @return the reader; close it
     * @throws IOException     when the file cannot be read
     * @throws FormatException when the file does not start with a valid V4 FAR
     */
    public static StdfReader open(Path path) throws IOException, FormatException {
        return open(path, StdfReadOptions.defaults());
    }

    /**
     * Opens a file for wafer-by-wafer reading. The FAR is read and checked now.
     *
     * @param path    an STDF V4 file, plain or gzip-compressed
     * @param options limits
     * @return the reader; close it
     * @throws IOException     when the file cannot be read
     * @throws FormatException when the file does not start with a valid V4 FAR
     */
    public static StdfReader open(Path path, StdfReadOptions options) throws IOException, FormatException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        checkDeclaredSize(path, options);
        return open(Files.newInputStream(path), path.toString(), options);
    }

    /**
     * A gzip file declares the size of its (last) member in its last four bytes (ISIZE, the size
     * modulo 2^32, so never more than the true size): beyond the limit, the file is refused before
     * anything is inflated.
     */
    private static void checkDeclaredSize(Path path, StdfReadOptions options) throws IOException, FormatException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(path)) {
            long size = ch.size();
            if (size < 18) {
                return; // the smallest gzip member is 18 bytes
            }
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(2);
            ch.read(head);
            if ((head.get(0) & 0xff) != 0x1f || (head.get(1) & 0xff) != 0x8b) {
                return;
            }
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(size - 4);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // read the 4 bytes
            }
            long isize = tail.getInt(0) & 0xFFFFFFFFL;
            if (isize > options.maxInflatedBytes()) {
                throw new FormatException(path.toString(), "byte " + (size - 4) + " (gzip ISIZE)", "gzip input declares "
                        + isize + " inflated bytes, more than the limit of " + options.maxInflatedBytes()
                        + " (StdfReadOptions.maxInflatedBytes); refused before inflating");
            }
        }
    }

    /**
     * Opens a stream for wafer-by-wafer reading. The reader owns the stream and closes it. The FAR is
     * read and checked now.
     *
     * @param in      STDF V4 bytes, plain or gzip-compressed (detected by the gzip magic bytes)
     * @param source  a name for messages, e.g. the file name
     * @param options limits
     * @return the reader; close it
     * @throws IOException     when the stream fails
     * @throws FormatException when the stream does not start with a valid V4 FAR
     */
    public static StdfReader open(InputStream in, String source, StdfReadOptions options)
            throws IOException, FormatException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        StdfReader r = null;
        try {
            BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
            b.mark(2);
            int m0 = b.read();
            int m1 = m0 < 0 ? -1 : b.read();
            b.reset();
            boolean gz = m0 == 0x1f && m1 == 0x8b;
            InputStream s = b;
            long[] taken = {0};
            if (gz) {
                InputStream counted = new java.io.FilterInputStream(b) {
                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        if (c >= 0) {
                            taken[0]++;
                        }
                        return c;
                    }

                    @Override
                    public int read(byte[] buf, int off, int n) throws IOException {
                        int r = super.read(buf, off, n);
                        if (r > 0) {
                            taken[0] += r;
                        }
                        return r;
                    }
                };
                try {
                    s = new GZIPInputStream(counted, 1 << 16);
                } catch (ZipException | EOFException e) {
                    throw new FormatException(source, "byte 0 (gzip header)",
                            "input starts with the gzip magic bytes but its gzip header is corrupt: "
                                    + e.getMessage(), e);
                }
            }
            r = new StdfReader(s, source, options, gz, taken);
            r.readFar();
            return r;
        } catch (IOException | FormatException | RuntimeException e) {
            if (r != null) {
                r.close();
            } else {
                in.close();
            }
            throw e;
        }
    }

    /** @return the byte order the FAR's CPU_TYP selected */
    public ByteOrder byteOrder() {
        return order;
    }

    /** @return whether the input is gzip-compressed */
    public boolean isGzip() {
        return gzip;
    }

    /** @return the input's name as used in messages */
    public String source() {
        return source;
    }

    /** @return the MIR read so far, empty before it (it normally follows the FAR) */
    public Optional<StdfMir> mir() {
        return Optional.ofNullable(mir);
    }

    /** @return the WCR read so far, empty when none yet */
    public Optional<StdfWcr> wcr() {
        return Optional.ofNullable(wcr);
    }

    /** @return the MRR FINISH_T, empty until the MRR has been read or when it is 0 */
    public Optional<Instant> finishTime() {
        return Optional.ofNullable(finishTime);
    }

    /** @return records read so far per type name, in first-seen order (a copy) */
    public Map<String, Long> recordCounts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(recordCounts));
    }

    /** @return records read so far, FAR included */
    public long recordCount() {
        return recordNumber;
    }

    /** @return records skipped so far by their length */
    public long skippedRecords() {
        return skippedRecords;
    }

    /** @return of the skipped records, those of types STDF V4 does not define */
    public long unknownRecords() {
        return unknownRecords;
    }

    /** @return irregularities seen so far that did not stop reading (a copy) */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Reads on to the next complete wafer. After it has thrown, the reader is spent: further calls
     * throw {@link IllegalStateException}.
     *
     * @return the next wafer, or null at the end of the input
     * @throws IOException     when the stream fails
     * @throws FormatException when the content is not valid STDF V4
     */
    public StdfWafer nextWafer() throws IOException, FormatException {
        if (closed) {
            throw new IllegalStateException("reader of " + source + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("reader of " + source + " stopped at an earlier error: "
                    + failure.getMessage(), failure);
        }
        try {
            while (ready.isEmpty() && !eof) {
                if (!readRecord()) {
                    eof = true;
                    finish();
                    break;
                }
                handleRecord();
            }
        } catch (FormatException | IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
        return ready.poll();
    }

    /**
     * Reads every remaining wafer and returns the file's summary (wafers already taken with
     * {@link #nextWafer()} are not in it).
     *
     * @return the file
     * @throws IOException     when the stream fails
     * @throws FormatException when the content is not valid STDF V4
     */
    public StdfFile readAll() throws IOException, FormatException {
        List<StdfWafer> wafers = new ArrayList<>();
        for (StdfWafer w; (w = nextWafer()) != null; ) {
            wafers.add(w);
        }
        return new StdfFile(source, order, gzip, Optional.ofNullable(mir), Optional.ofNullable(wcr), wafers,
                recordCounts, recordNumber, skippedRecords, unknownRecords, Optional.ofNullable(finishTime),
                warnings);
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }

    // ---------------------------------------------------------------- records

    private void readFar() throws IOException, FormatException {
        recordOffset = 0;
        int n = readBytes(header, 0, 4);
        recordNumber = 1;
        if (n == 0) {
            throw new FormatException(source, "byte 0", "empty input: expected an STDF V4 file starting with a FAR");
        }
        if (n < 4) {
            throw new FormatException(source, "record 1 at byte 0",
                    "input ends after " + n + " bytes, inside the first record header; expected a FAR");
        }
        typ = header[2] & 0xff;
        sub = header[3] & 0xff;
        if (typ != 0 || sub != 10) {
            throw new FormatException(source, "record 1 (" + StdfRecordTypes.name(typ, sub) + ") at byte 0",
                    "expected a FAR (REC_TYP 0, REC_SUB 10) as the first record of an STDF file, got REC_TYP "
                            + typ + ", REC_SUB " + sub + (gzip ? "" : " (not an STDF file?)"));
        }
        int b0 = header[0] & 0xff;
        int b1 = header[1] & 0xff;
        int cpuType = readOne("CPU_TYP");
        if (cpuType == 1) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (cpuType == 2) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new FormatException(source, location(), "FAR CPU_TYP must be 1 (big-endian, Sun) or 2 "
                    + "(little-endian, PC), got " + cpuType);
        }
        len = order == ByteOrder.BIG_ENDIAN ? b0 << 8 | b1 : b1 << 8 | b0;
        int swapped = order == ByteOrder.BIG_ENDIAN ? b1 << 8 | b0 : b0 << 8 | b1;
        if (len != 2 && swapped == 2) {
            throw new FormatException(source, location(), "FAR CPU_TYP " + cpuType + " selects "
                    + (cpuType == 1 ? "big" : "little") + "-endian, but the FAR's REC_LEN reads " + len
                    + " that way and 2 (its defined length) the other way: CPU_TYP contradicts the file's byte order");
        }
        if (len < 2) {
            throw new FormatException(source, location(), "FAR REC_LEN must be at least 2 (CPU_TYP, STDF_VER), got "
                    + len + " read " + (order == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian as CPU_TYP "
                    + cpuType + " says");
        }
        int version = readOne("STDF_VER");
        if (version != 4) {
            throw new FormatException(source, location(), "FAR STDF_VER must be 4 (this reader reads STDF V4), got "
                    + version);
        }
        int rest = len - 2;
        int m = readBytes(body, 0, rest);
        if (m < rest) {
            throw new FormatException(source, location(), "input ends inside the FAR: REC_LEN " + len
                    + " but only " + (2 + m) + " bytes follow the header");
        }
        offset = 4L + len;
        count("FAR");
    }

    private int readOne(String field) throws IOException, FormatException {
        int n = readBytes(header, 0, 1);
        if (n < 1) {
            throw new FormatException(source, location(), "input ends inside the FAR before its " + field);
        }
        return header[0] & 0xff;
    }

    /** Reads the next record into {@link #body}. Returns false at a clean end of input. */
    private boolean readRecord() throws IOException, FormatException {
        recordOffset = offset;
        int n = readBytes(header, 0, 4);
        if (n == 0) {
            return false;
        }
        recordNumber++;
        if (n < 4) {
            typ = -1;
            throw new FormatException(source, location(),
                    "input ends inside a record header: " + n + " of its 4 bytes (REC_LEN, REC_TYP, REC_SUB) present");
        }
        int b0 = header[0] & 0xff;
        int b1 = header[1] & 0xff;
        len = order == ByteOrder.BIG_ENDIAN ? b0 << 8 | b1 : b1 << 8 | b0;
        typ = header[2] & 0xff;
        sub = header[3] & 0xff;
        int m = readBytes(body, 0, len);
        if (m < len) {
            throw new FormatException(source, location(), "input ends inside the record: REC_LEN is " + len
                    + " but only " + m + " bytes follow its header (truncated file?)");
        }
        pos = 0;
        offset += 4L + len;
        if (gzip && offset > options.maxInflatedBytes()) {
            throw new FormatException(source, location(), "gzip input inflates beyond the limit of "
                    + options.maxInflatedBytes() + " bytes (StdfReadOptions.maxInflatedBytes); refused");
        }
        if (gzip && offset > StdfReadOptions.RATIO_GRACE_BYTES
                && offset > options.maxInflationRatio() * (double) Math.max(1, compressedRead[0])) {
            throw new FormatException(source, location(), String.format(java.util.Locale.ROOT,
                    "gzip input inflates %.0f times its size (%d bytes from %d), more than the limit of %.0f "
                            + "(StdfReadOptions.maxInflationRatio; real test data compresses some 5 to 50 times): "
                            + "refused as a likely decompression bomb", offset / (double) Math.max(1, compressedRead[0]), offset,
                    compressedRead[0], options.maxInflationRatio()));
        }
        return true;
    }

    private int readBytes(byte[] buf, int off, int n) throws IOException, FormatException {
        int total = 0;
        try {
            while (total < n) {
                int r = in.read(buf, off + total, n - total);
                if (r < 0) {
                    break;
                }
                total += r;
            }
        } catch (ZipException | EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw new FormatException(source, location() + " (offset in inflated data)",
                    "corrupt or truncated gzip data: " + e.getMessage(), e);
        }
        return total;
    }

    private void handleRecord() throws FormatException {
        int code = StdfRecordTypes.code(typ, sub);
        count(StdfRecordTypes.name(typ, sub));
        if (code == StdfRecordTypes.PRR) {
            handlePrr();
        } else if (code == StdfRecordTypes.PIR) {
            handlePir();
        } else if (code == StdfRecordTypes.WIR) {
            handleWir();
        } else if (code == StdfRecordTypes.WRR) {
            handleWrr();
        } else if (code == StdfRecordTypes.WCR) {
            handleWcr();
        } else if (code == StdfRecordTypes.MIR) {
            handleMir();
        } else if (code == StdfRecordTypes.MRR) {
            handleMrr();
        } else if (code == StdfRecordTypes.FAR) {
            throw fail("a second FAR: the FAR must be the first and only one");
        } else {
            skippedRecords++;
            if (!StdfRecordTypes.isKnown(typ, sub)) {
                unknownRecords++;
            }
        }
    }

    private void count(String name) {
        recordCounts.merge(name, 1L, Long::sum);
    }

    private void handleMir() throws FormatException {
        if (mir != null) {
            warn("record " + recordNumber + ": a second MIR replaces the first");
        }
        Optional<Instant> setup = time(u4("SETUP_T", 0));
        Optional<Instant> start = time(u4("START_T", 0));
        int stat = u1("STAT_NUM", 1);
        char mode = c1("MODE_COD");
        char rtst = c1("RTST_COD");
        c1("PROT_COD");
        u2("BURN_TIM", MISSING_U2);
        c1("CMOD_COD");
        String lot = cn("LOT_ID");
        String part = cn("PART_TYP");
        String node = cn("NODE_NAM");
        String tstr = cn("TSTR_TYP");
        String job = cn("JOB_NAM");
        String jobRev = cn("JOB_REV");
        String sblot = cn("SBLOT_ID");
        String oper = cn("OPER_NAM");
        String execTyp = cn("EXEC_TYP");
        String execVer = cn("EXEC_VER");
        String testCod = cn("TEST_COD");
        String temp = cn("TST_TEMP");
        cn("USER_TXT");
        cn("AUX_FILE");
        cn("PKG_TYP");
        cn("FAMLY_ID");
        cn("DATE_COD");
        String facil = cn("FACIL_ID");
        String floor = cn("FLOOR_ID");
        String proc = cn("PROC_ID");
        cn("OPER_FRQ");
        cn("SPEC_NAM");
        cn("SPEC_VER");
        String flow = cn("FLOW_ID");
        mir = new StdfMir(setup, start, stat, mode, rtst, lot, part, node, tstr, job, jobRev, sblot, oper, execTyp,
                execVer, testCod, temp, facil, floor, proc, flow);
    }

    private void handleMrr() throws FormatException {
        if (mrrSeen) {
            warn("record " + recordNumber + ": a second MRR");
        }
        mrrSeen = true;
        finishTime = time(u4("FINISH_T", 0)).orElse(null);
    }

    private void handleWcr() throws FormatException {
        float size = r4("WAFR_SIZ");
        float ht = r4("DIE_HT");
        float wid = r4("DIE_WID");
        int units = u1("WF_UNITS", 0);
        char flat = c1("WF_FLAT");
        int cx = i2("CENTER_X", MISSING_COORD);
        int cy = i2("CENTER_Y", MISSING_COORD);
        char px = c1("POS_X");
        char py = c1("POS_Y");
        if (wcr != null) {
            warn("record " + recordNumber + ": a second WCR replaces the first for the wafers that follow");
        }
        wcr = new StdfWcr(size, ht, wid, units, flat, cx, cy, px, py);
    }

    private void handleWir() throws FormatException {
        int head = u1("HEAD_NUM", 1);
        u1("SITE_GRP", 255);
        long start = u4("START_T", 0);
        String id = cn("WAFER_ID").trim();
        WaferAcc prev = openWafers.remove(head);
        if (prev != null) {
            warn("record " + recordNumber + ": WIR on head " + head + " while wafer '" + prev.wirId
                    + "' was still open without a WRR; that wafer is closed here");
            closeWafer(prev, null);
        }
        WaferAcc acc = new WaferAcc(head, true);
        acc.wirId = id;
        acc.startTime = time(start);
        openWafers.put(head, acc);
    }

    private void handleWrr() throws FormatException {
        int head = u1("HEAD_NUM", 1);
        u1("SITE_GRP", 255);
        long finish = u4("FINISH_T", 0);
        long partCnt = u4("PART_CNT", MISSING_U4);
        long rtstCnt = u4("RTST_CNT", MISSING_U4);
        u4("ABRT_CNT", MISSING_U4);
        long goodCnt = u4("GOOD_CNT", MISSING_U4);
        u4("FUNC_CNT", MISSING_U4);
        String id = cn("WAFER_ID").trim();
        WaferAcc acc = openWafers.remove(head);
        if (acc == null && openWafers.size() == 1) {
            Iterator<WaferAcc> it = openWafers.values().iterator();
            acc = it.next();
            it.remove();
        }
        if (acc == null && looseParts != null) {
            acc = looseParts;
            looseParts = null;
        }
        if (acc == null) {
            warn("record " + recordNumber + ": WRR on head " + head + " for wafer '" + id
                    + "' without a WIR or any parts; no wafer made from it");
            return;
        }
        WrrInfo info = new WrrInfo(time(finish), id, partCnt == MISSING_U4 ? -1 : partCnt,
                rtstCnt == MISSING_U4 ? -1 : rtstCnt, goodCnt == MISSING_U4 ? -1 : goodCnt);
        closeWafer(acc, info);
    }

    private void handlePir() throws FormatException {
        int head = u1("HEAD_NUM", 1);
        int site = u1("SITE_NUM", 1);
        Integer before = openParts.put(head << 8 | site, 1);
        if (before != null) {
            pirWithoutPrr++;
        }
    }

    private void handlePrr() throws FormatException {
        if (len < 7) {
            throw fail("PRR must hold at least HEAD_NUM, SITE_NUM, PART_FLG, NUM_TEST and HARD_BIN (7 bytes), "
                    + "REC_LEN is " + len);
        }
        int head = u1("HEAD_NUM", 1);
        int site = u1("SITE_NUM", 1);
        int flags = u1("PART_FLG", 0);
        u2("NUM_TEST", 0);
        int hard = u2("HARD_BIN", 0);
        int soft = u2("SOFT_BIN", MISSING_U2);
        int x = i2("X_COORD", MISSING_COORD);
        int y = i2("Y_COORD", MISSING_COORD);
        u4("TEST_T", 0);
        String partId = cn("PART_ID");
        if (openParts.remove(head << 8 | site) == null) {
            prrWithoutPir++;
        }
        WaferAcc acc = openWafers.get(head);
        if (acc == null) {
            if (openWafers.size() == 1) {
                acc = openWafers.values().iterator().next();
            } else if (openWafers.isEmpty()) {
                if (looseParts == null) {
                    looseParts = new WaferAcc(head, false);
                }
                acc = looseParts;
            } else {
                throw fail("PRR on HEAD_NUM " + head + " but the open wafers (WIR) are on heads "
                        + openWafers.keySet() + "; expected a PRR of one of those heads");
            }
        }
        acc.add(head, site, flags, hard, soft == MISSING_U2 ? WaferMap.NO_BIN : soft, x, y,
                partId.isEmpty() ? null : partId);
        checkGrid(acc, acc.wirId);
    }

    /** Refuses a wafer whose die coordinates span an implausibly large grid, before anything is allocated. */
    private void checkGrid(WaferAcc acc, String waferId) throws FormatException {
        if (acc.dies.isEmpty()) {
            return;
        }
        long cols = (long) acc.maxX - acc.minX + 1;
        long rows = (long) acc.maxY - acc.minY + 1;
        long cells = rows * cols;
        if (cells > options.maxMapCells()) {
            throw fail("wafer '" + waferId + "' has die coordinates X " + acc.minX + ".." + acc.maxX + ", Y "
                    + acc.minY + ".." + acc.maxY + ": a " + rows + "x" + cols + " grid of " + cells
                    + " cells exceeds the limit of " + options.maxMapCells()
                    + " (StdfReadOptions.maxMapCells); expected plausible die coordinates");
        }
    }

    private void finish() throws FormatException {
        for (WaferAcc acc : new ArrayList<>(openWafers.values())) {
            warn("wafer '" + acc.wirId + "' (head " + acc.head + ") has no WRR before the end of input");
            closeWafer(acc, null);
        }
        openWafers.clear();
        if (looseParts != null) {
            warn(looseParts.partCount + " PRRs outside any WIR/WRR pair were gathered into one wafer without id");
            closeWafer(looseParts, null);
            looseParts = null;
        }
        if (!openParts.isEmpty()) {
            pirWithoutPrr += openParts.size();
            openParts.clear();
        }
        if (pirWithoutPrr > 0) {
            warn(pirWithoutPrr + " PIRs had no matching PRR (parts started but never finished)");
        }
        if (prrWithoutPir > 0) {
            warn(prrWithoutPir + " PRRs had no matching PIR before them");
        }
        if (!mrrSeen) {
            warn("no MRR before the end of input (after " + recordNumber + " records; file cut short?)");
        }
        if (suppressedWarnings > 0) {
            warnings.add("... and " + suppressedWarnings + " more warnings (only the first " + MAX_WARNINGS
                    + " are kept)");
        }
    }

    private void warn(String message) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(message);
            LOG.warn("{}: {}", source, message);
        } else {
            suppressedWarnings++;
        }
    }

    // ---------------------------------------------------------------- wafers

    private static final class WrrInfo {
        final Optional<Instant> finish;
        final String waferId;
        final long partCount;
        final long retestCount;
        final long goodCount;

        WrrInfo(Optional<Instant> finish, String waferId, long partCount, long retestCount, long goodCount) {
            this.finish = finish;
            this.waferId = waferId;
            this.partCount = partCount;
            this.retestCount = retestCount;
            this.goodCount = goodCount;
        }
    }

    private static final class Die {
        final int x;
        final int y;
        int flags;
        int hard;
        int soft;
        String partId;

        Die(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    private static final class WaferAcc {
        final int head;
        final boolean hasWir;
        String wirId = "";
        Optional<Instant> startTime = Optional.empty();
        final Map<Integer, Die> dies = new HashMap<>();
        final TreeMap<Integer, int[]> sites = new TreeMap<>();
        int partCount;
        int retests;
        int unplaced;
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;

        WaferAcc(int head, boolean hasWir) {
            this.head = head;
            this.hasWir = hasWir;
        }

        void add(int h, int site, int flags, int hard, int soft, int x, int y, String partId) {
            partCount++;
            int[] sc = sites.computeIfAbsent(h << 8 | site, k -> new int[3]);
            sc[0]++;
            if ((flags & 0x10) == 0) {
                sc[(flags & 0x08) == 0 ? 1 : 2]++;
            }
            if (x == MISSING_COORD || y == MISSING_COORD) {
                unplaced++;
                return;
            }
            int key = x << 16 | (y & 0xffff);
            Die d = dies.get(key);
            if (d == null) {
                d = new Die(x, y);
                dies.put(key, d);
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            } else {
                retests++;
            }
            d.flags = flags;
            d.hard = hard;
            d.soft = soft;
            d.partId = partId;
        }
    }

    private void closeWafer(WaferAcc acc, WrrInfo wrr) throws FormatException {
        String waferId = wrr != null && !wrr.waferId.isEmpty() ? wrr.waferId : acc.wirId;
        boolean left = wcr != null && wcr.xIncreasesToLeft();
        boolean down = wcr != null && wcr.yIncreasesDownward();
        int rows;
        int cols;
        int originX;
        int originY;
        if (acc.dies.isEmpty()) {
            rows = 1;
            cols = 1;
            originX = 0;
            originY = 0;
        } else {
            checkGrid(acc, waferId);
            cols = acc.maxX - acc.minX + 1;
            rows = acc.maxY - acc.minY + 1;
            originX = left ? acc.maxX : acc.minX;
            originY = down ? acc.minY : acc.maxY;
        }
        WaferMap.Builder b = WaferMap.builder(rows, cols).lotId(mir == null ? "" : mir.lotId().trim())
                .waferId(waferId).origin(originX, originY);
        int[] soft = new int[rows * cols];
        Arrays.fill(soft, WaferMap.NO_BIN);
        String[] ids = new String[rows * cols];
        int good = 0;
        int failed = 0;
        int noPf = 0;
        for (Die d : acc.dies.values()) {
            int c = left ? originX - d.x : d.x - originX;
            int r = down ? d.y - originY : originY - d.y;
            DieState s;
            if ((d.flags & 0x10) != 0) {
                s = DieState.OFF;
                noPf++;
            } else if ((d.flags & 0x08) != 0) {
                s = DieState.FAIL;
                failed++;
            } else {
                s = DieState.GOOD;
                good++;
            }
            b.state(r, c, s).bin(r, c, d.hard);
            soft[r * cols + c] = d.soft;
            ids[r * cols + c] = d.partId;
        }
        if (wcr != null) {
            b.notch(wcr.notch());
            double px = wcr.dieWidthMicrons();
            double py = wcr.dieHeightMicrons();
            if (!Double.isNaN(px) || !Double.isNaN(py)) {
                b.diePitch(px, py);
            }
        }
        List<StdfSiteCount> sites = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : acc.sites.entrySet()) {
            int[] v = e.getValue();
            sites.add(new StdfSiteCount(e.getKey() >>> 8, e.getKey() & 0xff, v[0], v[1], v[2]));
        }
        if (acc.unplaced > 0) {
            warn("wafer '" + waferId + "': " + acc.unplaced + " PRRs without X/Y coordinates are counted but not "
                    + "on the map");
        }
        ready.add(new StdfWafer(b.build(), soft, ids, waferId, acc.head, acc.partCount, acc.retests, good, failed,
                noPf, acc.unplaced, sites, acc.startTime, wrr == null ? Optional.empty() : wrr.finish,
                acc.hasWir, wrr != null, wrr == null ? -1 : wrr.partCount, wrr == null ? -1 : wrr.retestCount,
                wrr == null ? -1 : wrr.goodCount, left, down));
    }

    // ---------------------------------------------------------------- fields

    private String location() {
        String name = typ < 0 ? "?" : StdfRecordTypes.name(typ, sub);
        return "record " + recordNumber + " (" + name + ") at byte " + recordOffset;
    }

    private FormatException fail(String message) {
        return new FormatException(source, location(), message);
    }

    private void need(String field, int n) throws FormatException {
        if (len - pos < n) {
            throw fail("record ends inside field " + field + " at record byte " + pos + ": it needs " + n
                    + " bytes, only " + (len - pos) + " left of REC_LEN " + len);
        }
    }

    private int u1(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        return body[pos++] & 0xff;
    }

    private char c1(String field) throws FormatException {
        if (pos >= len) {
            return ' ';
        }
        return (char) (body[pos++] & 0xff);
    }

    private int u2(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        need(field, 2);
        int a = body[pos] & 0xff;
        int b = body[pos + 1] & 0xff;
        pos += 2;
        return order == ByteOrder.BIG_ENDIAN ? a << 8 | b : b << 8 | a;
    }

    private int i2(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        return (short) u2(field, missing);
    }

    private long u4(String field, long missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        need(field, 4);
        long v = 0;
        if (order == ByteOrder.BIG_ENDIAN) {
            for (int i = 0; i < 4; i++) {
                v = v << 8 | (body[pos + i] & 0xff);
            }
        } else {
            for (int i = 3; i >= 0; i--) {
                v = v << 8 | (body[pos + i] & 0xff);
            }
        }
        pos += 4;
        return v;
    }

    private float r4(String field) throws FormatException {
        if (pos >= len) {
            return 0f;
        }
        return Float.intBitsToFloat((int) u4(field, 0));
    }

    private String cn(String field) throws FormatException {
        if (pos >= len) {
            return "";
        }
        int n = body[pos] & 0xff;
        if (len - pos - 1 < n) {
            throw fail("field " + field + " at record byte " + pos + " declares " + n + " characters but only "
                    + (len - pos - 1) + " bytes are left of REC_LEN " + len);
        }
        String s = new String(body, pos + 1, n, StandardCharsets.ISO_8859_1);
        pos += 1 + n;
        return s;
    }

    private static Optional<Instant> time(long epochSeconds) {
        return epochSeconds == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(epochSeconds));
    }
}
