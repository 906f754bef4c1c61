package org.fabai.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An input would not fit in the heap if read whole: raised before reading, from an estimate of
 * its size, instead of an {@link OutOfMemoryError} minutes later. The message names the input,
 * the estimate, the free heap and what to use instead (a streaming reader, more heap, Spark).
 */
public final class InputTooLargeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long neededBytes;
    private final long freeBytes;

    /**
     * @param message     the full message
     * @param neededBytes estimated heap needed
     * @param freeBytes   heap free when checked
     */
    public InputTooLargeException(String message, long neededBytes, long freeBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
    }

    /** @return estimated heap needed, bytes */
    public long neededBytes() {
        return neededBytes;
    }

    /** @return heap free when checked, bytes */
    public long freeBytes() {
        return freeBytes;
    }

    /** @return heap that could still be allocated: the maximum less what is in use */
    public static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Estimates the rows of a text file from the line breaks in its first MiB.
     *
     * @param file a text file
     * @return estimated lines
     * @throws IOException if it cannot be read
     */
    public static long estimateLines(Path file) throws IOException {
        long size = Files.size(file);
        byte[] b = new byte[1 << 20];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; n < b.length && (r = in.read(b, n, b.length - n)) > 0; ) {
                n += r;
            }
        }
        if (n == 0) {
            return 0;
        }
        long lines = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                lines++;
            }
        }
        return Math.max(1, Math.round((double) Math.max(1, lines) * size / n));
    }

    /**
     * Throws when reading a file whole would need more heap than is free.
     *
     * @param file        the file
     * @param rows        its estimated rows
     * @param bytesPerRow heap one row takes once read
     * @param instead     what to use instead, e.g. "stream it with ..."
     * @throws InputTooLargeException when it would not fit
     */
    public static void checkFits(Path file, long rows, long bytesPerRow, String instead) {
        long need = rows * bytesPerRow;
        long free = freeHeap();
        if (need > free) {
            throw new InputTooLargeException(String.format(Locale.ROOT, "%s: about %,d rows need about %,d MB of heap"
                    + " to hold in memory, %,d MB free (max heap %,d MB); %s", file, rows, need >> 20, free >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, instead), need, free);
        }
    }
}
