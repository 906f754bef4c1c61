package org.fabai.core.io.npy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fabai.core.io.FormatException;

/**
 * Reads numpy {@code .npy} files (format versions 1.0, 2.0 and 3.0) into {@link NpyArray}s.
 *
 * <p>Every problem is a {@link FormatException} naming the source, the byte offset and what was
 * expected: bad magic, unsupported version, malformed header, unknown or object dtype, a shape
 * whose element count overflows or needs more bytes than the input holds (checked before any
 * allocation), truncated data and trailing bytes. Data are read with a buffer that grows only as
 * bytes actually arrive, so a lying header never makes the reader allocate more than about twice
 * what the input really holds.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpyReader {

    /** The 6-byte magic that starts every {@code .npy} file. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Largest header accepted (numpy writes a few hundred bytes). */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final int CHUNK = 1 << 16;

    private NpyReader() {
    }

    /**
     * Reads a whole {@code .npy} file; bytes after the array's data are an error.
     *
     * @param file the file
     * @return the array
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid {@code .npy} file
     */
    public static NpyArray read(Path file) throws IOException, FormatException {
        return read(file, NpyLimits.DEFAULT);
    }

    /**
     * Reads a whole {@code .npy} file within a memory budget; bytes after the array's data are an
     * error.
     *
     * @param file   the file
     * @param limits the budget, checked against the header before the data are read
     * @return the array
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid {@code .npy} file or its array is over budget
     */
    public static NpyArray read(Path file, NpyLimits limits) throws IOException, FormatException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString(), "", size, true, true, new Budget(limits));
        }
    }

    /**
     * Reads an in-memory {@code .npy} image; bytes after the array's data are an error.
     *
     * @param bytes  the file's bytes
     * @param source name for messages
     * @return the array
     * @throws FormatException if the bytes are not a valid {@code .npy} file
     */
    public static NpyArray read(byte[] bytes, String source) throws FormatException {
        return read(bytes, source, NpyLimits.DEFAULT);
    }

    /**
     * Reads an in-memory {@code .npy} image within a memory budget; bytes after the array's data
     * are an error.
     *
     * @param bytes  the file's bytes
     * @param source name for messages
     * @param limits the budget, checked against the header before the data are read
     * @return the array
     * @throws FormatException if the bytes are not a valid {@code .npy} file or the array is over budget
     */
    public static NpyArray read(byte[] bytes, String source, NpyLimits limits) throws FormatException {
        try {
            return read(new ByteArrayInputStream(bytes), source, "", bytes.length, true, true, new Budget(limits));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
    }

    /**
     * Reads one array from a stream and leaves the stream just after it (numpy can save several
     * arrays one after another into one file). The stream is not closed.
     *
     * @param in     the stream
     * @param source name for messages
     * @return the array
     * @throws IOException     if reading fails
     * @throws FormatException if the stream does not hold a valid array
     */
    public static NpyArray read(InputStream in, String source) throws IOException, FormatException {
        return read(in, source, NpyLimits.DEFAULT);
    }

    /**
     * Reads one array from a stream within a memory budget and leaves the stream just after it.
     * The stream is not closed; its data buffer grows only as bytes arrive.
     *
     * @param in     the stream
     * @param source name for messages
     * @param limits the budget, checked against the header before the data are read
     * @return the array
     * @throws IOException     if reading fails
     * @throws FormatException if the stream does not hold a valid array or the array is over budget
     */
    public static NpyArray read(InputStream in, String source, NpyLimits limits) throws IOException, FormatException {
        return read(in, source, "", -1, false, false, new Budget(limits));
    }

    /**
     * Reads only the header of a {@code .npy} file.
     *
     * @param file the file
     * @return the header
     * @throws IOException     if the file cannot be read
     * @throws FormatException if the header is not valid
     */
    public static NpyHeader readHeader(Path file) throws IOException, FormatException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            Pos pos = new Pos(in, file.toString(), "", size);
            return header(pos);
        }
    }

    /**
     * Core: reads an array from a stream.
     *
     * @param in         stream positioned at the magic
     * @param source     file name for messages
     * @param where      prefix of locations (e.g. NPZ entry name), may be empty
     * @param available  bytes the stream holds, or -1 when unknown
     * @param requireEnd whether bytes after the data are an error
     */
    static NpyArray read(InputStream in, String source, String where, long available, boolean requireEnd)
            throws IOException, FormatException {
        return read(in, source, where, available, available >= 0, requireEnd, new Budget(NpyLimits.DEFAULT));
    }

    /**
     * Core with an explicit choice whether {@code available} may size the data buffer up front
     * (true for files and byte arrays; false for NPZ entries, whose declared size may lie), and the
     * budget the array is charged to (shared by the entries of one archive).
     */
    static NpyArray read(InputStream in, String source, String where, long available, boolean trustLength,
            boolean requireEnd, Budget budget) throws IOException, FormatException {
        Pos pos = new Pos(in, source, where, available);
        NpyHeader h = header(pos);
        NpyDtype dt = h.dtype();
        long count;
        try {
            count = h.elementCount();
        } catch (IllegalArgumentException e) {
            throw pos.error(h.dataOffset(), e.getMessage());
        }
        long nbytes;
        if (count > NpyArray.MAX_BYTES / dt.itemSize()) {
            throw pos.error(h.dataOffset(), "shape " + Arrays.toString(h.shape()) + " of " + dt + " declares "
                    + count + " elements, more than the " + NpyArray.MAX_BYTES + " bytes an array may hold");
        }
        nbytes = count * dt.itemSize();
        budget.charge(pos, h, count);
        if (available >= 0 && available - h.dataOffset() < nbytes) {
            throw pos.error(h.dataOffset(), "truncated: shape " + Arrays.toString(h.shape()) + " of " + dt
                    + " needs " + nbytes + " data bytes, but only " + (available - h.dataOffset()) + " follow the header");
        }
        byte[] data = pos.readData((int) nbytes, trustLength);
        if (requireEnd) {
            long extra = available >= 0 ? available - pos.offset : 0;
            if (extra > 0 || in.read() >= 0) {
                throw pos.error(pos.offset, "expected the end of the array after its " + nbytes + " data bytes (shape "
                        + Arrays.toString(h.shape()) + " of " + dt + "), found " + (extra > 0 ? extra + " more" : "more")
                        + " bytes; refused");
            }
        }
        int n = (int) count;
        boolean transpose = h.fortranOrder() && h.shape().length > 1 && n > 1;
        if (dt.kind().isString()) {
            String[] s = decodeStrings(pos, h, data, n);
            if (transpose) {
                String[] t = pos.allocateStrings(n, h.dataOffset());
                FortranOrder it = new FortranOrder(h.shape());
                for (int i = 0; i < n; i++) {
                    t[i] = s[it.next()];
                }
                s = t;
            }
            return NpyArray.wrap(dt, h.shape(), n, null, s);
        }
        int w = dt.itemSize();
        if (w > 1 && dt.byteOrder() == ByteOrder.BIG_ENDIAN) {
            for (int i = 0; i < nbytes; i += w) {
                for (int a = i, b = i + w - 1; a < b; a++, b--) {
                    byte t = data[a];
                    data[a] = data[b];
                    data[b] = t;
                }
            }
        }
        if (dt.kind() == NpyDtype.Kind.BOOL) {
            for (int i = 0; i < n; i++) {
                if (data[i] != 0 && data[i] != 1) {
                    throw pos.error(h.dataOffset() + i, "bool element " + i + " must be 0 or 1, found " + data[i]);
                }
            }
        }
        if (transpose) {
            byte[] t = pos.allocate(data.length, h.dataOffset(), "the C-order copy of a Fortran-order array");
            FortranOrder it = new FortranOrder(h.shape());
            if (w == 1) {
                for (int i = 0; i < n; i++) {
                    t[i] = data[it.next()];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data, it.next() * w, t, i * w, w);
                }
            }
            data = t;
        }
        return NpyArray.wrap(dt, h.shape(), n, data, null);
    }

    /**
     * Walks the elements in row-major order and yields, for each, its index in column-major
     * storage (no table: the memory of a transposition is the copy alone).
     */
    private static final class FortranOrder {
        private final long[] shape;
        private final long[] fstride;
        private final long[] idx;
        private long src;

        FortranOrder(long[] shape) {
            this.shape = shape;
            int nd = shape.length;
            fstride = new long[nd];
            idx = new long[nd];
            long s = 1;
            for (int a = 0; a < nd; a++) {
                fstride[a] = s;
                s *= shape[a];
            }
        }

        int next() {
            int at = (int) src;
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a]++;
                src += fstride[a];
                if (idx[a] < shape[a]) {
                    break;
                }
                src -= idx[a] * fstride[a];
                idx[a] = 0;
            }
            return at;
        }
    }

    /** What the arrays read so far (one array, or the entries of one archive) have cost. */
    static final class Budget {
        final NpyLimits limits;
        long spent;

        Budget(NpyLimits limits) {
            this.limits = java.util.Objects.requireNonNull(limits, "limits");
        }

        /** Charges an array's cost, or refuses it before anything is allocated. */
        void charge(Pos pos, NpyHeader h, long count) throws FormatException {
            NpyDtype dt = h.dtype();
            long cost = NpyLimits.cost(count, dt.itemSize(), dt.kind().isString());
            String what = "shape " + Arrays.toString(h.shape()) + " of " + dt + " (" + count + " elements) would take "
                    + cost + " bytes in memory";
            if (cost > limits.maxArrayBytes()) {
                throw pos.error(h.dataOffset(), what + ", more than the " + limits.maxArrayBytes()
                        + "-byte limit per array (NpyLimits.maxArrayBytes); refused before reading its data");
            }
            if (cost > limits.maxTotalBytes() - spent) {
                throw pos.error(h.dataOffset(), what + "; with the " + spent + " bytes of the arrays before it that"
                        + " passes the " + limits.maxTotalBytes() + "-byte limit per archive"
                        + " (NpyLimits.maxTotalBytes); refused before reading its data");
            }
            spent += cost;
        }
    }

    private static String[] decodeStrings(Pos pos, NpyHeader h, byte[] data, int n) throws FormatException {
        NpyDtype dt = h.dtype();
        int w = dt.itemSize();
        String[] out = pos.allocateStrings(n, h.dataOffset());
        if (dt.kind() == NpyDtype.Kind.BYTES) {
            for (int i = 0; i < n; i++) {
                int end = w;
                while (end > 0 && data[i * w + end - 1] == 0) {
                    end--;
                }
                out[i] = new String(data, i * w, end, StandardCharsets.ISO_8859_1);
            }
            return out;
        }
        ByteBuffer bb = ByteBuffer.wrap(data).order(dt.byteOrder());
        int chars = w / 4;

        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int base = i * w;
            int end = chars;
            while (end > 0 && bb.getInt(base + 4 * (end - 1)) == 0) {
                end--;
            }
            sb.setLength(0);
            for (int c = 0; c < end; c++) {
                int cp = bb.getInt(base + 4 * c);
                if (cp < 0 || cp > Character.MAX_CODE_POINT) {
                    throw pos.error(h.dataOffset() + base + 4L * c, "string element " + i + " holds 0x"
                            + Integer.toHexString(cp) + ", expected a unicode code point (at most 0x10ffff)");
                }
                sb.appendCodePoint(cp);
            }
            out[i] = sb.toString();
        }
        return out;
    }

    static NpyHeader header(Pos pos) throws IOException, FormatException {
        byte[] magic = pos.readSmall(6, "the magic string \\x93NUMPY");
        if (!Arrays.equals(magic, MAGIC)) {
            throw pos.error(0, "bad magic: expected \\x93NUMPY, found " + hex(magic) + " (not a .npy array)");
        }
        byte[] ver = pos.readSmall(2, "the format version");
        int major = ver[0] & 0xFF;
        int minor = ver[1] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw pos.error(6, "unsupported NPY format version " + major + "." + minor + "; supported 1.0, 2.0, 3.0");
        }
        long hlen;
        if (major == 1) {
            byte[] l = pos.readSmall(2, "the 2-byte header length");
            hlen = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
        } else {
            byte[] l = pos.readSmall(4, "the 4-byte header length");
            hlen = (l[0] & 0xFFL) | (l[1] & 0xFFL) << 8 | (l[2] & 0xFFL) << 16 | (l[3] & 0xFFL) << 24;
        }
        long hstart = pos.offset;
        if (hlen > MAX_HEADER_BYTES) {
            throw pos.error(hstart - (major == 1 ? 2 : 4), "header length " + hlen + " exceeds the "
                    + MAX_HEADER_BYTES + " bytes accepted");
        }
        if (pos.available >= 0 && pos.available - hstart < hlen) {
            throw pos.error(hstart, "truncated: header length " + hlen + " but only "
                    + (pos.available - hstart) + " bytes follow");
        }
        byte[] hb = pos.readSmall((int) hlen, "the " + hlen + "-byte header");
        String text;
        try {
            text = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(hb)).toString();
        } catch (CharacterCodingException e) {
            throw pos.error(hstart, "header of a version 3.0 file is not valid UTF-8");
        }
        return new NpyHeaderParser(pos, hstart, text, major, minor).parse(pos.offset);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.length() == 0 ? "nothing" : "0x" + sb;
    }

    /** A stream with a byte offset, source name and optional known length. */
    static final class Pos {
        final InputStream in;
        final String source;
        final String where;
        final long available;
        long offset;

        Pos(InputStream in, String source, String where, long available) {
            this.in = in;
            this.source = source;
            this.where = where;
            this.available = available;
        }

        FormatException error(long at, String msg) {
            return new FormatException(source, where + "byte " + at, msg);
        }

        byte[] readSmall(int n, String what) throws IOException, FormatException {
            byte[] b = new byte[n];
            int got = in.readNBytes(b, 0, n);
            if (got < n) {
                throw error(offset + got, "truncated: expected " + what + " (" + n + " bytes at byte " + offset
                        + "), input ends after " + got);
            }
            offset += n;
            return b;
        }

        /**
         * Allocates a buffer; a heap too small for it is a {@link FormatException} naming the
         * array, not an {@link OutOfMemoryError} (the failed allocation leaves nothing behind).
         */
        byte[] allocate(int n, long at, String what) throws FormatException {
            try {
                return new byte[n];
            } catch (OutOfMemoryError e) {
                throw heap(at, n, what);
            }
        }

        String[] allocateStrings(int n, long at) throws FormatException {
            try {
                return new String[n];
            } catch (OutOfMemoryError e) {
                throw heap(at, (long) n * 8, "the " + n + " strings of the array");
            }
        }

        private FormatException heap(long at, long n, String what) {
            return error(at, "the Java heap (max " + Runtime.getRuntime().maxMemory() + " bytes) cannot hold " + what
                    + " (" + n + " bytes); give the JVM more heap (-Xmx) or read it with smaller NpyLimits to refuse"
                    + " it earlier");
        }

        /** Reads n bytes; when the length is not known in advance the buffer grows as data arrive. */
        byte[] readData(int n, boolean lengthKnown) throws IOException, FormatException {
            long start = offset;
            byte[] b = allocate(lengthKnown ? n : Math.min(n, CHUNK), start, "the array's data");
            int got = 0;
            while (got < n) {
                if (got == b.length) {
                    byte[] bigger = allocate((int) Math.min(n, 2L * b.length), start, "the array's data");
                    System.arraycopy(b, 0, bigger, 0, got);
                    b = bigger;
                }
                int r = in.read(b, got, b.length - got);
                if (r < 0) {
                    throw error(start + got, "truncated: array data needs " + n + " bytes from byte " + start
                            + ", input ends after " + got);
                }
                got += r;
            }
            offset += n;
            return b;
        }
    }
}
