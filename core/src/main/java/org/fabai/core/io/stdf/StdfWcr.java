package org.fabai.core.io.stdf;

import org.fabai.core.wafer.Notch;

/**
 * An STDF V4 Wafer Configuration Record (WCR): wafer and die size, flat orientation, centre die and
 * the direction in which die coordinates grow. Absent fields hold STDF's missing values (0 for sizes
 * and units, a space for characters, -32768 for the centre).
 *
 * <p>Immutable and thread-safe.
 *
 * @param waferSize  WAFR_SIZ, wafer diameter in {@code units}, 0 when unknown
 * @param dieHeight  DIE_HT, die height in {@code units}, 0 when unknown
 * @param dieWidth   DIE_WID, die width in {@code units}, 0 when unknown
 * @param units      WF_UNITS: 0 unknown, 1 inches, 2 centimetres, 3 millimetres, 4 mils
 * @param flat       WF_FLAT: 'U', 'D', 'L', 'R' or ' ' (unknown)
 * @param centerX    CENTER_X, x coordinate of the centre die, -32768 when unknown
 * @param centerY    CENTER_Y, y coordinate of the centre die, -32768 when unknown
 * @param posX       POS_X: 'L' or 'R', the side towards which x grows; ' ' when unknown
 * @param posY       POS_Y: 'U' or 'D', the side towards which y grows; ' ' when unknown
 */
public record StdfWcr(float waferSize, float dieHeight, float dieWidth, int units, char flat, int centerX,
        int centerY, char posX, char posY) {

    /** STDF's missing value of a signed 2-byte coordinate. */
    public static final int MISSING_COORD = -32768;

    /** @return a WCR whose fields are all missing */
    public static StdfWcr missing() {
        return new StdfWcr(0f, 0f, 0f, 0, ' ', MISSING_COORD, MISSING_COORD, ' ', ' ');
    }

    /** @return the notch (flat) position from WF_FLAT, {@link Notch#UNKNOWN} when not given */
    public Notch notch() {
        return Notch.parse(String.valueOf(flat));
    }

    /**
     * @return micrometres per unit of {@link #units()}, NaN when the units are unknown
     */
    public double micronsPerUnit() {
        switch (units) {
            case 1: return 25_400.0;
            case 2: return 10_000.0;
            case 3: return 1_000.0;
            case 4: return 25.4;
            default: return Double.NaN;
        }
    }

    /** @return die width in micrometres, NaN when unknown (zero, negative, non-finite or no units) */
    public double dieWidthMicrons() {
        return toMicrons(dieWidth);
    }

    /** @return die height in micrometres, NaN when unknown */
    public double dieHeightMicrons() {
        return toMicrons(dieHeight);
    }

    /** @return wafer diameter in millimetres, NaN when unknown */
    public double waferSizeMillimetres() {
        return toMicrons(waferSize) / 1000.0;
    }

    /** @return true when x grows to the left (POS_X = 'L') */
    public boolean xIncreasesToLeft() {
        return posX == 'L' || posX == 'l';
    }

    /** @return true when y grows downwards (POS_Y = 'D') */
    public boolean yIncreasesDownward() {
        return posY == 'D' || posY == 'd';
    }

    private double toMicrons(float v) {
        double f = micronsPerUnit();
        if (Double.isNaN(f) || !(v > 0) || Float.isInfinite(v)) {
            return Double.NaN;
        }
        return v * f;
    }
}
