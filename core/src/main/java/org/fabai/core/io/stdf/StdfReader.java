package org.fabai.core.io.stdf;

import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_COORD;
import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_U2;
import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_U4;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.fabai.core.io.FormatException;
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

    private static final int MAX_WARNINGS = 1000;

    private final StdfRecordStream records;
    private final StdfWaferAssembler wafers;
    private final String source;

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

    private StdfReader(InputStream in, String source, StdfReadOptions options, boolean gzip, long[] compressedRead) {
        this.source = source;
        this.records = new StdfRecordStream(in, source, options, gzip, compressedRead);
        this.wafers = new StdfWaferAssembler(records, options, this::warn);
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
            r.records.readFar();
            r.count("FAR");
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
        return records.order();
    }

    /** @return whether the input is gzip-compressed */
    public boolean isGzip() {
        return records.gzip();
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
        return records.recordNumber();
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
            while (wafers.noneReady() && !eof) {
                if (!records.readRecord()) {
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
        return wafers.poll();
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
        return new StdfFile(source, records.order(), records.gzip(), Optional.ofNullable(mir), Optional.ofNullable(wcr),
                wafers, recordCounts, records.recordNumber(), skippedRecords, unknownRecords, Optional.ofNullable(finishTime),
                warnings);
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            records.close();
        }
    }

    // ---------------------------------------------------------------- records

    private void handleRecord() throws FormatException {
        int typ = records.typ();
        int sub = records.sub();
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
            throw records.fail("a second FAR: the FAR must be the first and only one");
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
            warn("record " + records.recordNumber() + ": a second MIR replaces the first");
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
        wafers.lotId(mir.lotId().trim());
    }

    private void handleMrr() throws FormatException {
        if (mrrSeen) {
            warn("record " + records.recordNumber() + ": a second MRR");
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
            warn("record " + records.recordNumber() + ": a second WCR replaces the first for the wafers that follow");
        }
        wcr = new StdfWcr(size, ht, wid, units, flat, cx, cy, px, py);
        wafers.wcr(wcr);
    }

    private void handleWir() throws FormatException {
        int head = u1("HEAD_NUM", 1);
        u1("SITE_GRP", 255);
        long start = u4("START_T", 0);
        wafers.waferStart(head, cn("WAFER_ID").trim(), start);
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
        wafers.waferEnd(head, cn("WAFER_ID").trim(), finish, partCnt, rtstCnt, goodCnt);
    }

    private void handlePir() throws FormatException {
        int head = u1("HEAD_NUM", 1);
        int site = u1("SITE_NUM", 1);
        wafers.partStart(head, site);
    }

    private void handlePrr() throws FormatException {
        int len = records.length();
        if (len < 7) {
            throw records.fail("PRR must hold at least HEAD_NUM, SITE_NUM, PART_FLG, NUM_TEST and HARD_BIN (7 bytes), "
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
        wafers.partEnd(head, site, flags, hard, soft, x, y, cn("PART_ID"));
    }

    private void finish() throws FormatException {
        wafers.finish();
        if (!mrrSeen) {
            warn("no MRR before the end of input (after " + records.recordNumber() + " records; file cut short?)");
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

    // ---------------------------------------------------------------- fields of the current record

    private int u1(String field, int missing) throws FormatException {
        return records.u1(field, missing);
    }

    private char c1(String field) throws FormatException {
        return records.c1(field);
    }

    private int u2(String field, int missing) throws FormatException {
        return records.u2(field, missing);
    }

    private int i2(String field, int missing) throws FormatException {
        return records.i2(field, missing);
    }

    private long u4(String field, long missing) throws FormatException {
        return records.u4(field, missing);
    }

    private float r4(String field) throws FormatException {
        return records.r4(field);
    }

    private String cn(String field) throws FormatException {
        return records.cn(field);
    }

    private static Optional<Instant> time(long epochSeconds) {
        return StdfRecordStream.time(epochSeconds);
    }
}
