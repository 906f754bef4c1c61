package org.fabai.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The fab file formats fabai recognises, detected from content first (looking inside gzip), then
 * from the name. Immutable and thread-safe.
 */
public enum FileFormat {
    /** KLARF 1.1, 1.2 or 1.8 inspection results ({@code FileVersion} / {@code Record FileRecord}, or *.klarf, *.klf, *.001). */
    KLARF,
    /** STDF V4 test data (a FAR record first, either byte order, or *.stdf, *.std). */
    STDF,
    /** A NumPy array ({@code \x93NUMPY}, or *.npy). */
    NPY,
    /** A NumPy archive (a zip: {@code PK\3\4}, or {@code PK\5\6} when empty; or *.npz). */
    NPZ,
    /** A delimited table (*.csv). */
    CSV,
    /** None of the above. */
    UNKNOWN;

    /**
     * Detects the format of a file by its first bytes (looking inside gzip), falling back to the extension.
     *
     * @param file the file
     * @return the format
     * @throws IOException if the file cannot be read
     */
    public static FileFormat detect(Path file) throws IOException {
        byte[] head = new byte[4096];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                n = in.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                return UNKNOWN;
            }
        }
        if (n >= 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M') {
            return NPY;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)) {
            return NPZ; // a local entry first, or the end record of an empty archive (numpy.savez of nothing)
        }
        // STDF V4 starts with FAR: REC_LEN (2 bytes, either order) = 2, REC_TYP 0, REC_SUB 10
        if (n >= 6 && head[2] == 0 && head[3] == 10
                && ((head[0] == 2 && head[1] == 0) || (head[0] == 0 && head[1] == 2))) {
            return STDF;
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("fileversion") || lower.contains("record filerecord")) {
            return KLARF;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".klarf") || name.endsWith(".klf") || name.endsWith(".001")) {
            return KLARF;
        }
        if (name.endsWith(".stdf") || name.endsWith(".std")) {
            return STDF;
        }
        // by name last: a damaged or truncated array file then gets the NPY/NPZ reader's own error
        if (name.endsWith(".npz")) {
            return NPZ;
        }
        if (name.endsWith(".npy")) {
            return NPY;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        return UNKNOWN;
    }
}
