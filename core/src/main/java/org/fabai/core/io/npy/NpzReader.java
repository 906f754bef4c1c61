package org.fabai.core.io.npy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.fabai.core.io.FormatException;

/**
 * Reads numpy {@code .npz} archives ({@code numpy.savez} and {@code numpy.savez_compressed}):
 * a zip of {@code .npy} entries, stored or deflated. Keys are the entry names without
 * {@code .npy} ({@code arr_0}, {@code arr_1}, ... for positional arrays).
 *
 * <p>Each entry is read through {@link NpyReader} with the same checks; the entry's location in
 * messages is {@code entry 'NAME', byte OFFSET} (offset within the uncompressed entry). An entry
 * is never expanded beyond the size its own {@code .npy} header declares: the reader stops after
 * the declared data and refuses the entry if more bytes follow, so a small archive that inflates
 * to gigabytes is refused after reading one byte past the declared array. Entries that are not
 * {@code .npy} files, duplicate keys and damaged zip structures are errors too.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpzReader {

    private NpzReader() {
    }

    /**
     * Reads every array of an archive, in the order of its central directory.
     *
     * @param file the {@code .npz} file
     * @return key to array, in archive order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid archive of {@code .npy} entries
     */
    public static Map<String, NpyArray> read(Path file) throws IOException, FormatException {
        String src = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(src);
        }
        ZipFile zf;
        try {
            zf = new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            // the file exists and is a regular file: a failure here is its structure (ZipException,
            // or EOFException from a damaged end record)
            throw new FormatException(src, "byte 0", "not a readable zip archive (" + e + ")", e);
        }
        try (ZipFile z = zf) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> en;
            try {
                en = z.entries();
            } catch (RuntimeException e) {
                throw new FormatException(src, "central directory", "damaged zip directory: " + e.getMessage(), e);
            }
            while (true) {
                ZipEntry e;
                try {
                    if (!en.hasMoreElements()) {
                        break;
                    }
                    e = en.nextElement();
                } catch (RuntimeException ex) {
                    throw new FormatException(src, "central directory", "damaged zip directory: " + ex.getMessage(), ex);
                }
                String key = key(src, e, out);
                try (InputStream in = z.getInputStream(e)) {
                    out.put(key, entry(in, src, e));
                } catch (IOException | RuntimeException ex) {
                    throw new FormatException(src, "entry '" + e.getName() + "'", "damaged zip entry: " + ex, ex);
                }
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * Reads every array of an in-memory archive, in the order of its local entries.
     *
     * @param bytes  the archive's bytes
     * @param source name for messages
     * @return key to array, in archive order
     * @throws FormatException if the bytes are not a valid archive of {@code .npy} entries
     */
    public static Map<String, NpyArray> read(byte[] bytes, String source) throws FormatException {
        try {
            Map<String, NpyArray> m = read(new ByteArrayInputStream(bytes), source);
            checkEnd(bytes, source, m.size());
            return m;
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FormatException(source, "byte 0", "damaged zip archive: " + e, e);
        }
    }

    /**
     * Reads every array of an archive from a stream (read sequentially by local headers; the
     * stream is not closed). A stream cut inside the central directory, after the last entry, is
     * not detected here; {@link #read(Path)} and {@link #read(byte[], String)} check the end of
     * the archive too.
     *
     * @param in     the stream
     * @param source name for messages
     * @return key to array, in archive order
     * @throws IOException     if reading fails
     * @throws FormatException if the stream is not a valid archive of {@code .npy} entries
     */
    public static Map<String, NpyArray> read(InputStream in, String source) throws IOException, FormatException {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        ZipInputStream zin = new ZipInputStream(in);
        int index = 0;
        while (true) {
            ZipEntry e;
            try {
                e = zin.getNextEntry();
            } catch (ZipException | EOFException | RuntimeException ex) {
                throw new FormatException(source, "zip entry " + index, "damaged zip archive: " + ex, ex);
            }
            if (e == null) {
                break;
            }
            String key = key(source, e, out);
            try {
                out.put(key, entry(zin, source, e));
            } catch (ZipException | EOFException | RuntimeException ex) {
                throw new FormatException(source, "entry '" + e.getName() + "'", "damaged zip entry: " + ex, ex);
            }
            index++;
        }
        if (index == 0) {
            throw new FormatException(source, "byte 0", "not a zip archive or an empty one: no entries found");
        }
        return Collections.unmodifiableMap(out);
    }

    /** The archive must end with an end-of-central-directory record that counts the entries read. */
    private static void checkEnd(byte[] b, String source, int entries) throws FormatException {
        int min = Math.max(0, b.length - 22 - 65535);
        for (int i = b.length - 22; i >= min; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                int comment = (b[i + 20] & 0xFF) | (b[i + 21] & 0xFF) << 8;
                if (i + 22 + comment != b.length) {
                    continue;
                }
                int total = (b[i + 10] & 0xFF) | (b[i + 11] & 0xFF) << 8;
                if (total != 0xFFFF && total != entries) {
                    throw new FormatException(source, "byte " + i, "end-of-central-directory record counts " + total
                            + " entries, the archive holds " + entries);
                }
                return;
            }
        }
        throw new FormatException(source, "byte " + b.length, "truncated zip archive: no end-of-central-directory"
                + " record at its end (" + entries + " entries read)");
    }

    private static String key(String src, ZipEntry e, Map<String, NpyArray> seen) throws FormatException {
        String name = e.getName();
        if (e.isDirectory() || !name.endsWith(".npy") || name.length() == 4) {
            throw new FormatException(src, "entry '" + name + "'", "expected only .npy array entries in an .npz archive");
        }
        String key = name.substring(0, name.length() - 4);
        if (seen.containsKey(key)) {
            throw new FormatException(src, "entry '" + name + "'", "array '" + key + "' appears twice in the archive");
        }
        return key;
    }

    private static NpyArray entry(InputStream in, String src, ZipEntry e) throws IOException, FormatException {
        long declared = e.getSize();
        return NpyReader.read(in, src, "entry '" + e.getName() + "', ", declared, false, true);
    }
}
