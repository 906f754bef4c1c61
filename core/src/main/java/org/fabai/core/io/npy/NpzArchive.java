package org.fabai.core.io.npy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fabai.core.io.FormatException;

/**
 * An {@code .npz} file opened for reading one array at a time, so that an archive of hundreds of
 * thousands of per-map arrays (all of WM-811K) never needs to fit in memory at once: the keys come
 * from the zip's central directory, each array is inflated only when asked for, within
 * {@link NpyLimits#maxArrayBytes()}. Entries are checked as {@link NpzReader} checks them (only
 * {@code .npy} entries, no duplicate keys, damaged entries named). Not thread-safe; close it.
 */
public final class NpzArchive implements Closeable {

    private final ZipFile zip;
    private final String source;
    private final NpyLimits limits;
    /** The keys, in archive order (the entries are looked up in the zip's own index when read, not held here). */
    private final Set<String> entries;

    private NpzArchive(ZipFile zip, String source, NpyLimits limits, Set<String> entries) {
        this.zip = zip;
        this.source = source;
        this.limits = limits;
        this.entries = entries;
    }

    /**
     * Opens an archive and reads its directory.
     *
     * @param file   the {@code .npz} file
     * @param limits the budget of each array read
     * @return the open archive
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a zip archive of {@code .npy} entries
     */
    public static NpzArchive open(Path file, NpyLimits limits) throws IOException, FormatException {
        Objects.requireNonNull(limits, "limits");
        String src = file.toString();
        ZipFile zf = NpzReader.openZip(file);
        try {
            // one small entry per key: an archive of 800,000 per-map arrays keeps no ZipEntry objects
            Map<String, Boolean> byKey = new LinkedHashMap<>();
            try {
                for (Enumeration<? extends ZipEntry> all = zf.entries(); all.hasMoreElements();) {
                    ZipEntry e = all.nextElement();
                    byKey.put(NpzReader.key(src, e, byKey), Boolean.TRUE);
                }
            } catch (RuntimeException e) {
                throw new FormatException(src, "central directory", "damaged zip directory: " + e.getMessage(), e);
            }
            if (byKey.isEmpty()) {
                throw new FormatException(src, "byte 0", "an empty zip archive: no arrays");
            }
            return new NpzArchive(zf, src, limits, Collections.unmodifiableSet(byKey.keySet()));
        } catch (FormatException | RuntimeException e) {
            zf.close();
            throw e;
        }
    }

    /** @return the keys (entry names without {@code .npy}), in archive order */
    public Set<String> keys() {
        return entries;
    }

    /** @return the file's name, for messages */
    public String source() {
        return source;
    }

    /**
     * Reads one array.
     *
     * @param key its key
     * @return the array
     * @throws IOException     if reading fails
     * @throws FormatException if the entry is damaged, not an {@code .npy} array or over
     *                         {@link NpyLimits#maxArrayBytes()}
     * @throws IllegalArgumentException if the archive has no such key
     */
    public NpyArray read(String key) throws IOException, FormatException {
        ZipEntry e = entries.contains(key) ? zip.getEntry(key + ".npy") : null;
        if (e == null) {
            throw new IllegalArgumentException(source + " has no array '" + key + "'");
        }
        NpyReader.Budget budget = new NpyReader.Budget(new NpyLimits(limits.maxArrayBytes(), limits.maxArrayBytes()));
        try (InputStream in = zip.getInputStream(e)) {
            return NpzReader.entry(in, source, e, budget);
        } catch (IOException | RuntimeException ex) {
            throw new FormatException(source, "entry '" + e.getName() + "'", "damaged zip entry: " + ex, ex);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
