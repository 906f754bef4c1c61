package org.fabai.core.wafer;

/** Where the wafer's notch (or flat) points in the map's grid, as drawn with row 0 at the top. */
public enum Notch {
    /** Notch at the bottom of the drawn map (the most common convention). */
    DOWN,
    /** Notch on the left. */
    LEFT,
    /** Notch at the top. */
    UP,
    /** Notch on the right. */
    RIGHT,
    /** Not known from the source. */
    UNKNOWN;

    /**
     * Parses the notch letter used by STDF's WCR.WF_FLAT and KLARF ("U", "D", "L", "R") or a word.
     *
     * @param s the text, may be null or blank
     * @return the notch, {@link #UNKNOWN} when absent or unrecognised
     */
    public static Notch parse(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        switch (s.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "D": case "DOWN": case "BOTTOM": return DOWN;
            case "U": case "UP": case "TOP": return UP;
            case "L": case "LEFT": return LEFT;
            case "R": case "RIGHT": return RIGHT;
            default: return UNKNOWN;
        }
    }

    /**
     * The notch after rotating the map clockwise by {@code quarterTurns} quarter turns.
     *
     * @param quarterTurns number of clockwise quarter turns, any integer
     * @return the new notch position
     */
    public Notch rotatedClockwise(int quarterTurns) {
        if (this == UNKNOWN) {
            return UNKNOWN;
        }
        Notch[] cw = {UP, RIGHT, DOWN, LEFT};
        int i = java.util.Arrays.asList(cw).indexOf(this);
        return cw[Math.floorMod(i + quarterTurns, 4)];
    }
}
