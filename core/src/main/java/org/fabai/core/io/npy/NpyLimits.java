package org.fabai.core.io.npy;

/**
 * Memory budget of the NPY and NPZ readers, checked against each array's header before any buffer
 * for its data is allocated, and against the running total of an archive before each entry is
 * read. An array over budget is a {@link org.fabai.core.io.FormatException} naming the entry, its
 * shape and dtype, what it would cost and the limit; nothing is allocated for it.
 *
 * <p>An array's cost is its data bytes; an array of strings ({@code S} or {@code U} dtypes) is also
 * charged {@value #STRING_OVERHEAD_BYTES} bytes per element for the Java strings it becomes. A
 * compressed archive is never trusted to be small when expanded: the budget is what protects the
 * heap from an archive of a few megabytes that inflates to gigabytes of honest zeros.
 *
 * @param maxArrayBytes largest cost of one array, in [1, {@link NpyArray#MAX_BYTES}]
 * @param maxTotalBytes largest total cost of all arrays of one archive (or one stream of arrays),
 *                      at least {@code maxArrayBytes}
 */
public record NpyLimits(long maxArrayBytes, long maxTotalBytes) {

    /** Bytes charged per element of a string array, beyond its data bytes. */
    public static final long STRING_OVERHEAD_BYTES = 56;

    /** 1 GiB per array, 2 GiB per archive: what fits the command's default 4 GB heap. */
    public static final NpyLimits DEFAULT = new NpyLimits(1L << 30, 2L << 30);

    /** Validates the limits. */
    public NpyLimits {
        if (maxArrayBytes < 1 || maxArrayBytes > NpyArray.MAX_BYTES) {
            throw new IllegalArgumentException("maxArrayBytes must be in [1, " + NpyArray.MAX_BYTES + "], got "
                    + maxArrayBytes);
        }
        if (maxTotalBytes < maxArrayBytes) {
            throw new IllegalArgumentException("maxTotalBytes must be at least maxArrayBytes (" + maxArrayBytes
                    + "), got " + maxTotalBytes);
        }
    }

    /**
     * @param maxBytes largest cost of one array and of all arrays together
     * @return limits with one budget for an array and for the archive
     */
    public static NpyLimits of(long maxBytes) {
        return new NpyLimits(maxBytes, maxBytes);
    }

    /**
     * The cost charged for an array of {@code count} elements of a dtype.
     *
     * @param count    element count
     * @param itemSize bytes per element
     * @param string   whether the elements become Java strings
     * @return the cost in bytes (saturating at {@link Long#MAX_VALUE})
     */
    static long cost(long count, int itemSize, boolean string) {
        long data = Math.multiplyHigh(count, itemSize) != 0 ? Long.MAX_VALUE : count * itemSize;
        if (data < 0) {
            return Long.MAX_VALUE;
        }
        if (!string) {
            return data;
        }
        if (count > (Long.MAX_VALUE - data) / STRING_OVERHEAD_BYTES) {
            return Long.MAX_VALUE;
        }
        return data + count * STRING_OVERHEAD_BYTES;
    }
}
