package org.fabai.core.io.stdf;

/**
 * Limits that protect {@link StdfReader} from hostile or corrupt input.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxInflatedBytes the most bytes a gzip-compressed input may inflate to before it is refused
 *                         (default 4 GiB); plain input is bounded by its own size and not checked
 * @param maxMapCells      the most cells (rows x columns of the bounding box of the die coordinates)
 *                         a wafer's grid may have before the wafer is refused as implausible
 *                         (default 4,194,304, i.e. 2048 x 2048)
 * @param maxInflationRatio the most a gzip input may inflate per compressed byte, checked once
 *                         {@value #RATIO_GRACE_BYTES} bytes are inflated (default 250; real STDF
 *                         compresses some 5 to 50 times, a block of zeros about 1,030 times): a
 *                         decompression bomb is refused after its first 16 MiB instead of after
 *                         {@code maxInflatedBytes}
 */
public record StdfReadOptions(long maxInflatedBytes, int maxMapCells, double maxInflationRatio) {

    /** Default limit on inflated bytes per compressed byte of a gzip input: 250. */
    public static final double DEFAULT_MAX_INFLATION_RATIO = 250;

    /** Inflated bytes before the ratio is checked (16 MiB): small inputs are never refused by it. */
    public static final long RATIO_GRACE_BYTES = 16L << 20;

    /** Default limit on the inflated size of a gzip input: 4 GiB. */
    public static final long DEFAULT_MAX_INFLATED_BYTES = 4L * 1024 * 1024 * 1024;

    /** Default limit on the cells of one wafer grid: 2048 x 2048. */
    public static final int DEFAULT_MAX_MAP_CELLS = 2048 * 2048;

    /** Largest grid a {@link org.fabai.core.wafer.WaferMap} can hold: 64 Mi cells. */
    public static final int MAP_CELLS_CEILING = 64 * 1024 * 1024;

    /** Validates the limits. */
    public StdfReadOptions {
        if (maxInflatedBytes < 1) {
            throw new IllegalArgumentException("maxInflatedBytes must be >= 1, got " + maxInflatedBytes);
        }
        if (maxMapCells < 1 || maxMapCells > MAP_CELLS_CEILING) {
            throw new IllegalArgumentException("maxMapCells must be in [1, " + MAP_CELLS_CEILING + "], got "
                    + maxMapCells);
        }
        if (!(maxInflationRatio >= 1)) {
            throw new IllegalArgumentException("maxInflationRatio must be >= 1 (infinity: no limit), got " + maxInflationRatio);
        }
    }

    /**
     * Limits with the default inflation ratio.
     *
     * @param maxInflatedBytes see the record
     * @param maxMapCells      see the record
     */
    public StdfReadOptions(long maxInflatedBytes, int maxMapCells) {
        this(maxInflatedBytes, maxMapCells, DEFAULT_MAX_INFLATION_RATIO);
    }

    /** @return the default limits */
    public static StdfReadOptions defaults() {
        return new StdfReadOptions(DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_MAP_CELLS, DEFAULT_MAX_INFLATION_RATIO);
    }

    /**
     * @param bytes new inflated-size limit
     * @return a copy with that limit
     */
    public StdfReadOptions withMaxInflatedBytes(long bytes) {
        return new StdfReadOptions(bytes, maxMapCells, maxInflationRatio);
    }

    /**
     * @param cells new grid-size limit
     * @return a copy with that limit
     */
    public StdfReadOptions withMaxMapCells(int cells) {
        return new StdfReadOptions(maxInflatedBytes, cells, maxInflationRatio);
    }

    /**
     * @param ratio new limit on inflated bytes per compressed byte ({@link Double#POSITIVE_INFINITY}: none)
     * @return a copy with that limit
     */
    public StdfReadOptions withMaxInflationRatio(double ratio) {
        return new StdfReadOptions(maxInflatedBytes, maxMapCells, ratio);
    }
}
