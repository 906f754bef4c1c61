package org.fabai.core.io;

import java.util.List;
import java.util.Objects;
import org.fabai.core.defect.Defect;
import org.fabai.core.wafer.WaferMap;

/**
 * One wafer read from a file by {@link WaferFiles}, with what the format says about it. Immutable
 * (the map is the reader's) and thread-safe.
 *
 * @param map     the wafer map
 * @param remarks format-specific remarks, e.g. {@code "KLARF 1.8, defects 12, test-plan dies 0"},
 *                {@code "STDF V4 little-endian, parts 400, retests 3, sites 4"}, {@code "NPZ, labels Edge-Ring"}
 * @param defects the wafer's defects as the file lists them (KLARF's DefectList), in file order;
 *                empty for formats without defects (STDF, NPY, NPZ)
 */
public record WaferSummary(WaferMap map, String remarks, List<Defect> defects) {

    /** Copies the defect list so the record is immutable. */
    public WaferSummary {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(remarks, "remarks");
        defects = List.copyOf(Objects.requireNonNull(defects, "defects"));
    }

    /**
     * A wafer of a format without defects.
     *
     * @param map     the wafer map
     * @param remarks format-specific remarks
     */
    public WaferSummary(WaferMap map, String remarks) {
        this(map, remarks, List.of());
    }
}
