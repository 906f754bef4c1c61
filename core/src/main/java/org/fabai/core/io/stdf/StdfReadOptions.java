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
 */
public record StdfReadOptions(long maxInflatedBytes, int maxMapCells) {

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
    }

    /** @return the default limits */
    public static StdfReadOptions defaults() {
        return new StdfReadOptions(DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_MAP_CELLS);
    }

    /**
     * @param bytes new inflated-size limit
     * @return a copy with that limit
     */
    public StdfReadOptions withMaxInflatedBytes(long bytes) {
        return new StdfReadOptions(bytes, maxMapCells);
    }

    /**
     * @param cells new grid-size limit
     * @return a copy with that limit
     */
    public StdfReadOptions withMaxMapCells(int cells) {
        return new StdfReadOptions(maxInflatedBytes, cells);
    }
}
