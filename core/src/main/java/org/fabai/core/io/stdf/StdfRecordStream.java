package org.fabai.core.io.stdf;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipException;
import org.fabai.core.io.FormatException;

/**
 * The record layer of {@link StdfReader}: STDF V4 framing (REC_LEN, REC_TYP, REC_SUB in the byte
 * order the FAR's CPU_TYP selects), the gzip inflation limits, and decoding of the current
 * record's fields (U1, C1, U2, I2, U4, R4, Cn), each a missing value past the record's end as
 * STDF allows. Every error names the source, the record number, its type and its byte offset.
 * Not thread-safe.
 */
final class StdfRecordStream {

    static final long MISSING_U4 = 0xFFFFFFFFL;
    static final int MISSING_U2 = 0xFFFF;
    static final int MISSING_COORD = -32768;

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

    StdfRecordStream(InputStream in, String source, StdfReadOptions options, boolean gzip, long[] compressedRead) {
        this.in = in;
        this.source = source;
        this.options = options;
        this.gzip = gzip;
        this.compressedRead = compressedRead;
    }

    /** @return the byte order the FAR selected (null before it) */
    ByteOrder order() {
        return order;
    }

    /** @return whether the input is gzip-compressed */
    boolean gzip() {
        return gzip;
    }

    /** @return the current record's REC_TYP */
    int typ() {
        return typ;
    }

    /** @return the current record's REC_SUB */
    int sub() {
        return sub;
    }

    /** @return the current record's REC_LEN */
    int length() {
        return len;
    }

    /** @return records read so far, FAR included (the current record's number) */
    long recordNumber() {
        return recordNumber;
    }

    /** Closes the underlying stream. */
    void close() throws IOException {
        in.close();
    }

    /**
     * Reads and checks the FAR, which selects the byte order.
     *
     * @throws IOException     when the stream fails
     * @throws FormatException when the input does not start with a valid V4 FAR
     */
    void readFar() throws IOException, FormatException {
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
    }

    private int readOne(String field) throws IOException, FormatException {
        int n = readBytes(header, 0, 1);
        if (n < 1) {
            throw new FormatException(source, location(), "input ends inside the FAR before its " + field);
        }
        return header[0] & 0xff;
    }

    /** Reads the next record into {@link #body}. Returns false at a clean end of input. */
    boolean readRecord() throws IOException, FormatException {
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
            throw new FormatException(source, location(), String.format(Locale.ROOT,
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

    String location() {
        String name = typ < 0 ? "?" : StdfRecordTypes.name(typ, sub);
        return "record " + recordNumber + " (" + name + ") at byte " + recordOffset;
    }

    FormatException fail(String message) {
        return new FormatException(source, location(), message);
    }

    private void need(String field, int n) throws FormatException {
        if (len - pos < n) {
            throw fail("record ends inside field " + field + " at record byte " + pos + ": it needs " + n
                    + " bytes, only " + (len - pos) + " left of REC_LEN " + len);
        }
    }

    int u1(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        return body[pos++] & 0xff;
    }

    char c1(String field) throws FormatException {
        if (pos >= len) {
            return ' ';
        }
        return (char) (body[pos++] & 0xff);
    }

    int u2(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        need(field, 2);
        int a = body[pos] & 0xff;
        int b = body[pos + 1] & 0xff;
        pos += 2;
        return order == ByteOrder.BIG_ENDIAN ? a << 8 | b : b << 8 | a;
    }

    int i2(String field, int missing) throws FormatException {
        if (pos >= len) {
            return missing;
        }
        return (short) u2(field, missing);
    }

    long u4(String field, long missing) throws FormatException {
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

    float r4(String field) throws FormatException {
        if (pos >= len) {
            return 0f;
        }
        return Float.intBitsToFloat((int) u4(field, 0));
    }

    String cn(String field) throws FormatException {
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

    static Optional<Instant> time(long epochSeconds) {
        return epochSeconds == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(epochSeconds));
    }
}
