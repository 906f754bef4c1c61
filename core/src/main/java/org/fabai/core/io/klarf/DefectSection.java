package org.fabai.core.io.klarf;

/**
 * One {@code DefectList} statement of a KLARF 1.1/1.2 wafer. A wafer may hold several (one per
 * TIFF image file in 1.1); {@link KlarfWafer#defects()} holds all their defects in order and the
 * sections say how they were split. Immutable and thread-safe.
 *
 * @param count         number of defects in this statement
 * @param tiffFileName  value of the {@code TiffFileName} statement that came just before it inside
 *                      the wafer (tokens joined by spaces), or null when none did
 */
public record DefectSection(int count, String tiffFileName) {

    /** Validates. */
    public DefectSection {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }
}
