package org.fabai.core.wafer;

/**
 * State of one cell of a wafer-map grid.
 *
 * <p>The numeric {@link #code()} follows the convention of WM-811K and MixedWM38: 0 off-wafer,
 * 1 good die, 2 failing die.
 */
public enum DieState {
    /** Not a die on the wafer (outside the wafer edge, or an unprobed position). */
    OFF(0),
    /** A die that passed. */
    GOOD(1),
    /** A die that failed (or, for inspection data, carries a defect). */
    FAIL(2);

    private final int code;

    DieState(int code) {
        this.code = code;
    }

    /** @return the WM-811K numeric code: 0 off, 1 good, 2 fail */
    public int code() {
        return code;
    }

    /**
     * Maps a WM-811K code to a state.
     *
     * @param code 0, 1 or 2
     * @return the state
     * @throws IllegalArgumentException for any other code
     */
    public static DieState ofCode(int code) {
        switch (code) {
            case 0: return OFF;
            case 1: return GOOD;
            case 2: return FAIL;
            default: throw new IllegalArgumentException("die state code must be 0 (off), 1 (good) or 2 (fail), got " + code);
        }
    }
}
