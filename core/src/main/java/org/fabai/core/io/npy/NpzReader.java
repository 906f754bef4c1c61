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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads numpy {@code .npz} archives ({@code numpy.savez} and {@code numpy.savez_compressed}):
 * a zip of {@code .npy} entries, stored or deflated. Keys are the entry names without
 * {@code .npy} ({@code arr_0}, {@code arr_1}, ... for positional arrays).
 *
 * <p>Each entry is read through {@link NpyReader} with the same checks; the entry's location in
 * messages is {@code entry 'NAME', byte OFFSET} (offset within the uncompressed entry). An entry
 * is never expanded beyond the size its own {@code .npy} header declares: the reader stops after
 * the declared data and refuses the entry if more bytes follow, so a small archive that inflates
 * to gigabytes is refused after reading one byte past the declared array. An archive whose entries
 * honestly declare gigabytes (a few megabytes of deflated zeros) is refused by its {@link NpyLimits}:
 * each entry's cost is checked against the per-array limit and the archive's running total against
 * the per-archive limit, from the entry's header, before its data are read or any buffer for them
 * is allocated; the error names the entry. Entries that are not {@code .npy} files, duplicate keys
 * and damaged zip structures are errors too.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpzReader {

    private static final Logger LOG = LoggerFactory.getLogger(NpzReader.class);

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
        return read(file, NpyLimits.DEFAULT);
    }

    /**
     * Reads every array of an archive within a memory budget, in the order of its central directory.
     *
     * @param file   the {@code .npz} file
     * @param limits the budget per array and for the whole archive
     * @return key to array, in archive order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid archive of {@code .npy} entries or is over budget
     */
    public static Map<String, NpyArray> read(Path file, NpyLimits limits) throws IOException, FormatException {
        return read(file, limits, key -> true);
    }

    /**
     * Reads every array of an NPZ file within a memory budget, except arrays of pickled Python
     * objects that the caller does not need: those are left out with a warning naming them.
     *
     * @param file   the {@code .npz} file
     * @param limits the memory budget
     * @param needed whether the caller needs the array of a key: a pickled one under such a key is refused
     *               ({@link PickledArrayException})
     * @return key to array, in archive order, without the arrays left out
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid archive of {@code .npy} entries, is over budget, or a needed
     *                         array is pickled
     */
    public static Map<String, NpyArray> read(Path file, NpyLimits limits, java.util.function.Predicate<String> needed)
            throws IOException, FormatException {
        NpyReader.Budget budget = new NpyReader.Budget(limits);
        String src = file.toString();
        try (ZipFile z = openZip(file)) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            try {
                DeclaredTotal declared = new DeclaredTotal(src, limits);
                for (Enumeration<? extends ZipEntry> all = z.entries(); all.hasMoreElements();) {
                    ZipEntry e = all.nextElement();
                    declared.add(e.getName(), e.getSize());
                }
            } catch (RuntimeException e) {
                throw new FormatException(src, "central directory", "damaged zip directory: " + e.getMessage(), e);
            }
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
                    out.put(key, entry(in, src, e, budget));
                } catch (PickledArrayException p) {
                    if (needed.test(key)) {
                        throw p;
                    }
                    skipped(src, key);
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
        return read(bytes, source, NpyLimits.DEFAULT);
    }

    /**
     * Reads every array of an in-memory archive within a memory budget, in the order of its local
     * entries.
     *
     * @param bytes  the archive's bytes
     * @param source name for messages
     * @param limits the budget per array and for the whole archive
     * @return key to array, in archive order
     * @throws FormatException if the bytes are not a valid archive of {@code .npy} entries or are over budget
     */
    public static Map<String, NpyArray> read(byte[] bytes, String source, NpyLimits limits) throws FormatException {
        try {
            checkDeclared(bytes, source, limits);
            Map<String, NpyArray> m = read(new ByteArrayInputStream(bytes), source, limits);
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
        return read(in, source, NpyLimits.DEFAULT);
    }

    /**
     * Reads every array of an archive from a stream within a memory budget (read sequentially by
     * local headers; the stream is not closed).
     *
     * @param in     the stream
     * @param source name for messages
     * @param limits the budget per array and for the whole archive
     * @return key to array, in archive order
     * @throws IOException     if reading fails
     * @throws FormatException if the stream is not a valid archive of {@code .npy} entries or is over budget
     */
    public static Map<String, NpyArray> read(InputStream in, String source, NpyLimits limits)
            throws IOException, FormatException {
        NpyReader.Budget budget = new NpyReader.Budget(limits);
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
                out.put(key, entry(zin, source, e, budget));
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

    /**
     * Before anything is inflated: the uncompressed sizes the central directory declares, less the
     * largest header an entry may have, must fit the archive's budget. An entry never yields more
     * than it declares (the reader refuses bytes after the declared array, and data beyond the
     * declared size), so an archive that declares too much is refused at once rather than after
     * inflating gigabytes of legal entries. A directory that cannot be parsed here is left to the
     * entry-by-entry reading, which reports it.
     */
    private static void checkDeclared(byte[] b, String source, NpyLimits limits) throws FormatException {
        int end = -1;
        for (int i = b.length - 22, min = Math.max(0, b.length - 22 - 65535); i >= min; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return;
        }
        int entries = u16(b, end + 10);
        long at = u32(b, end + 16);
        DeclaredTotal declared = new DeclaredTotal(source, limits);
        for (int k = 0; k < entries; k++) {
            if (at < 0 || at + 46 > end || u32(b, (int) at) != 0x02014b50L) {
                return;
            }
            int p = (int) at;
            long size = u32(b, p + 24);
            int nameLen = u16(b, p + 28);
            if (p + 46 + nameLen > end) {
                return;
            }
            String name = new String(b, p + 46, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            declared.add(name, size == 0xFFFFFFFFL ? -1 : size);
            at = (long) p + 46 + nameLen + u16(b, p + 30) + u16(b, p + 32);
        }
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }

    /** Running total of the data the entries of an archive declare, against the per-archive budget. */
    private static final class DeclaredTotal {
        private final String source;
        private final NpyLimits limits;
        private long total;

        DeclaredTotal(String source, NpyLimits limits) {
            this.source = source;
            this.limits = limits;
        }

        void add(String name, long size) throws FormatException {
            if (size < 0) {
                return;
            }
            // at least this much of it is array data: a .npy header is at most 10 + MAX_HEADER_BYTES bytes
            long data = Math.max(0, size - 10 - NpyReader.MAX_HEADER_BYTES);
            total += data;
            if (total > limits.maxTotalBytes()) {
                throw new FormatException(source, "entry '" + name + "'", "the archive's entries up to this one declare"
                        + " at least " + total + " bytes of array data, more than the " + limits.maxTotalBytes()
                        + "-byte limit per archive (NpyLimits.maxTotalBytes); refused before reading any data");
            }
        }
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

    /** Opens a file as a zip archive; a file that is there but not a zip is a {@link FormatException}. */
    static ZipFile openZip(Path file) throws IOException, FormatException {
        String src = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(src);
        }
        try {
            return new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            // the file exists and is a regular file: a failure here is its structure (ZipException,
            // or EOFException from a damaged end record)
            throw new FormatException(src, "byte 0", "not a readable zip archive (" + e + "): truncated, damaged, or not"
                    + " an .npz file", e);
        }
    }

    static String key(String src, ZipEntry e, Map<String, ?> seen) throws FormatException {
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

    /** Says that the array of {@code key} was left out: pickled, and not needed. */
    static void skipped(String src, String key) {
        LOG.warn("{}: not reading array '{}': it holds pickled Python objects (numpy dtype 'O'), which fabai never"
                + " unpickles, and is not needed to read the maps (to keep it, save it with .astype(str))", src, key);
    }

    static NpyArray entry(InputStream in, String src, ZipEntry e, NpyReader.Budget budget)
            throws IOException, FormatException {
        long declared = e.getSize();
        // ZipFile checks no CRC: a damaged stored entry (or a deflated one that still inflates) would
        // otherwise be read as whatever its bytes now say; the reader consumes the entry to its end
        java.util.zip.CheckedInputStream checked = new java.util.zip.CheckedInputStream(in, new java.util.zip.CRC32());
        NpyArray a = NpyReader.read(checked, src, "entry '" + e.getName() + "', ", declared, false, true, budget);
        long crc = checked.getChecksum().getValue();
        if (e.getCrc() != -1 && crc != e.getCrc()) {
            throw new FormatException(src, "entry '" + e.getName() + "'", String.format(java.util.Locale.ROOT,
                    "damaged zip entry: its data have CRC-32 %08x, the archive records %08x", crc, e.getCrc()));
        }
        return a;
    }
}
