package org.fabai.adc.synth;

import java.util.List;
import java.util.Locale;

/**
 * The nine wafer-map pattern classes of WM-811K (Wu, Jang, Chen, IEEE TSM 2015), with their
 * names exactly as the data set spells them. The first six (and Random, Near-full) are also the
 * eight defect types of MixedWM38 (Wang et al. 2020).
 *
 * <p>Enum constants are immutable and thread-safe.
 */
public enum DefectPattern {
    /** A filled disc of failing dies near the wafer centre. */
    CENTER("Center"),
    /** A ring of failing dies at mid radius. */
    DONUT("Donut"),
    /** A localised failing area touching the wafer edge. */
    EDGE_LOC("Edge-Loc"),
    /** A band of failing dies along (most of) the wafer edge. */
    EDGE_RING("Edge-Ring"),
    /** A localised blob of failing dies inside the wafer. */
    LOC("Loc"),
    /** Almost every die fails. */
    NEAR_FULL("Near-full"),
    /** Failing dies scattered uniformly at a high rate. */
    RANDOM("Random"),
    /** A thin, curved, possibly interrupted line of failing dies. */
    SCRATCH("Scratch"),
    /** No pattern: only sparse background failures. */
    NONE("none");

    private final String label;

    DefectPattern(String label) {
        this.label = label;
    }

    /** @return the WM-811K class name ({@code "Edge-Loc"}, {@code "none"}, ...) */
    public String label() {
        return label;
    }

    /** @return the nine WM-811K class names in enum order */
    public static List<String> wm811kLabels() {
        return List.of(CENTER.label, DONUT.label, EDGE_LOC.label, EDGE_RING.label, LOC.label,
                NEAR_FULL.label, RANDOM.label, SCRATCH.label, NONE.label);
    }

    /**
     * The eight MixedWM38 defect types in the column order of MixedWM38's multi-hot labels
     * (Center, Donut, Edge-Loc, Edge-Ring, Loc, Near-full, Scratch, Random).
     *
     * @return the eight types
     */
    public static List<DefectPattern> mixedWm38Types() {
        return List.of(CENTER, DONUT, EDGE_LOC, EDGE_RING, LOC, NEAR_FULL, SCRATCH, RANDOM);
    }

    /**
     * Parses a class name leniently: case, spaces, '-' and '_' are ignored ("edge_loc", "Edge-Loc",
     * "EdgeLoc" all give {@link #EDGE_LOC}; "Nearfull" gives {@link #NEAR_FULL}).
     *
     * @param name a class name
     * @return the pattern
     * @throws IllegalArgumentException if the name matches none of the nine classes
     */
    public static DefectPattern parse(String name) {
        String k = normalise(name);
        for (DefectPattern p : values()) {
            if (normalise(p.label).equals(k) || normalise(p.name()).equals(k)) {
                return p;
            }
        }
        if (k.equals("normal")) {
            return NONE;
        }
        throw new IllegalArgumentException("unknown wafer-map class '" + name + "'; expected one of "
                + wm811kLabels());
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }
}
