package org.fabai.core.io.npy;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@link NpyArray}s as numpy {@code .npy} files: format version 1.0 (2.0 when the header
 * would exceed 65535 bytes), C order, little-endian, header padded so that the data start at a
 * multiple of 64 bytes, as numpy itself writes. {@code numpy.load} reads the result.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpyWriter {

    private NpyWriter() {
    }

    /**
     * Writes an array to a file (created or replaced).
     *
     * @param array the array
     * @param file  destination
     * @throws IOException if writing fails
     */
    public static void write(NpyArray array, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(array, out);
        }
    }

    /**
     * Writes an array to a stream (not closed).
     *
     * @param array the array
     * @param out   destination
     * @throws IOException if writing fails
     */
    public static void write(NpyArray array, OutputStream out) throws IOException {
        out.write(header(array));
        String[] strings = array.rawStrings();
        if (strings == null) {
            out.write(array.rawData());
            return;
        }
        if (array.dtype().kind() == NpyDtype.Kind.BYTES) {
            byte[] buf = new byte[array.dtype().itemSize()];
            for (String s : strings) {
                java.util.Arrays.fill(buf, (byte) 0);
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(b, 0, buf, 0, Math.min(b.length, buf.length));
                out.write(buf);
            }
            return;
        }
        int w = array.dtype().width();
        byte[] buf = new byte[4 * w];
        for (String s : strings) {
            java.util.Arrays.fill(buf, (byte) 0);
            int k = 0;
            for (int c = 0; c < s.length(); ) {
                int cp = s.codePointAt(c);
                c += Character.charCount(cp);
                buf[k] = (byte) cp;
                buf[k + 1] = (byte) (cp >>> 8);
                buf[k + 2] = (byte) (cp >>> 16);
                buf[k + 3] = (byte) (cp >>> 24);
                k += 4;
            }
            out.write(buf);
        }
    }

    /**
     * @param array the array
     * @return the bytes of its {@code .npy} file
     */
    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try {
            write(array, bo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    /** The magic, version, length and padded header dict of an array. */
    static byte[] header(NpyArray a) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(a.dtype().descr())
                .append("', 'fortran_order': False, 'shape': (");
        long[] shape = a.shape();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                dict.append(", ");
            }
            dict.append(shape[i]);
        }
        if (shape.length == 1) {
            dict.append(',');
        }
        dict.append("), }");
        int major = 1;
        int prefix = 10;
        int len = dict.length() + 1;
        int total = ((prefix + len + 63) / 64) * 64;
        if (total - prefix > 65535) {
            major = 2;
            prefix = 12;
            total = ((prefix + len + 63) / 64) * 64;
        }
        int hlen = total - prefix;
        while (dict.length() < hlen - 1) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] h = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[total];
        System.arraycopy(NpyReader.MAGIC, 0, out, 0, 6);
        out[6] = (byte) major;
        out[7] = 0;
        if (major == 1) {
            out[8] = (byte) hlen;
            out[9] = (byte) (hlen >>> 8);
        } else {
            out[8] = (byte) hlen;
            out[9] = (byte) (hlen >>> 8);
            out[10] = (byte) (hlen >>> 16);
            out[11] = (byte) (hlen >>> 24);
        }
        System.arraycopy(h, 0, out, prefix, h.length);
        return out;
    }
}
