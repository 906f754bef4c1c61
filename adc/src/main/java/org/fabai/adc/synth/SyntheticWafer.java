package org.fabai.adc.synth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fabai.core.wafer.WaferMap;

/**
 * One generated wafer map with its truth: the set of patterns drawn on it (empty for "none") and,
 * per pattern, a pixel-level mask of the dies that pattern made fail.
 *
 * <p>Masks are row-major {@code rows*cols} boolean arrays. A die can belong to several masks
 * (overlapping patterns); background failures belong to none.
 *
 * <p>Immutable (arrays are copied on the way in and out) and thread-safe.
 *
 * @param map      the wafer map
 * @param patterns the patterns on it; empty means "none"
 * @param masks    per-pattern masks, one per element of {@code patterns}
 * @param seed     the seed this wafer was generated from (regenerates it exactly)
 */
public record SyntheticWafer(WaferMap map, Set<DefectPattern> patterns, Map<DefectPattern, boolean[]> masks, long seed) {

    /** Validates and copies. */
    public SyntheticWafer {
        Objects.requireNonNull(map, "map");
        patterns = patterns.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(patterns));
        if (patterns.contains(DefectPattern.NONE)) {
            throw new IllegalArgumentException("patterns must not contain NONE; use the empty set");
        }
        EnumMap<DefectPattern, boolean[]> m = new EnumMap<>(DefectPattern.class);
        for (Map.Entry<DefectPattern, boolean[]> e : masks.entrySet()) {
            if (e.getValue().length != map.rows() * map.cols()) {
                throw new IllegalArgumentException("mask of " + e.getKey() + " has " + e.getValue().length
                        + " cells, map has " + map.rows() * map.cols());
            }
            m.put(e.getKey(), e.getValue().clone());
        }
        if (!m.keySet().equals(patterns.isEmpty() ? Set.of() : EnumSet.copyOf(patterns))) {
            throw new IllegalArgumentException("masks " + m.keySet() + " do not match patterns " + patterns);
        }
        masks = m;
    }

    /**
     * The single-label class name: the pattern's WM-811K name, {@code "none"} for no pattern, or
     * the names joined by {@code '+'} in enum order for a mixed map (e.g. {@code "Center+Loc"}).
     *
     * @return the label
     */
    public String label() {
        if (patterns.isEmpty()) {
            return DefectPattern.NONE.label();
        }
        List<String> names = new ArrayList<>();
        for (DefectPattern p : EnumSet.copyOf(patterns)) {
            names.add(p.label());
        }
        return String.join("+", names);
    }

    /**
     * Multi-hot label over {@link DefectPattern#mixedWm38Types()} (MixedWM38's eight columns).
     *
     * @return eight 0/1 entries
     */
    public int[] multiHot() {
        List<DefectPattern> types = DefectPattern.mixedWm38Types();
        int[] out = new int[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = patterns.contains(types.get(i)) ? 1 : 0;
        }
        return out;
    }

    /**
     * @param p a pattern on this wafer
     * @return a copy of its mask
     * @throws IllegalArgumentException if the pattern is not on this wafer
     */
    public boolean[] mask(DefectPattern p) {
        boolean[] m = masks.get(p);
        if (m == null) {
            throw new IllegalArgumentException(p + " is not on this wafer; patterns: " + patterns);
        }
        return m.clone();
    }

    @Override
    public Map<DefectPattern, boolean[]> masks() {
        EnumMap<DefectPattern, boolean[]> m = new EnumMap<>(DefectPattern.class);
        masks.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    /** Equal when map, patterns, mask contents and seed are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SyntheticWafer w) || seed != w.seed || !map.equals(w.map) || !patterns.equals(w.patterns)) {
            return false;
        }
        for (Map.Entry<DefectPattern, boolean[]> e : masks.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), w.masks.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(map, patterns, seed);
    }

    @Override
    public String toString() {
        return "SyntheticWafer[" + label() + ", " + map.rows() + "x" + map.cols() + ", seed " + seed + "]";
    }
}
