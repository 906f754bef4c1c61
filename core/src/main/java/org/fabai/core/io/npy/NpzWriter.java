package org.fabai.core.io.npy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes numpy {@code .npz} archives: one {@code KEY.npy} entry per array, stored (like
 * {@code numpy.savez}) or deflated (like {@code numpy.savez_compressed}). {@code numpy.load}
 * reads the result.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpzWriter {

    private NpzWriter() {
    }

    /**
     * Writes an archive to a file (created or replaced).
     *
     * @param arrays     key to array, written in iteration order; keys non-empty
     * @param file       destination
     * @param compressed true to deflate the entries, false to store them
     * @throws IOException if writing fails
     */
    public static void write(Map<String, NpyArray> arrays, Path file, boolean compressed) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(arrays, out, compressed);
        }
    }

    /**
     * Writes an archive to a stream; the stream is finished but not closed.
     *
     * @param arrays     key to array, written in iteration order; keys non-empty
     * @param out        destination
     * @param compressed true to deflate the entries, false to store them
     * @throws IOException if writing fails
     */
    public static void write(Map<String, NpyArray> arrays, OutputStream out, boolean compressed) throws IOException {
        Objects.requireNonNull(arrays, "arrays");
        for (String k : arrays.keySet()) {
            if (k == null || k.isEmpty()) {
                throw new IllegalArgumentException("npz keys must be non-empty, got " + arrays.keySet());
            }
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            byte[] body = NpyWriter.toBytes(Objects.requireNonNull(e.getValue(), "array " + e.getKey()));
            ZipEntry z = new ZipEntry(e.getKey() + ".npy");
            if (compressed) {
                z.setMethod(ZipEntry.DEFLATED);
            } else {
                CRC32 crc = new CRC32();
                crc.update(body);
                z.setMethod(ZipEntry.STORED);
                z.setSize(body.length);
                z.setCompressedSize(body.length);
                z.setCrc(crc.getValue());
            }
            zip.putNextEntry(z);
            zip.write(body);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }
}
