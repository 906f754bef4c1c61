package org.fabai.core.defect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The defects of one wafer from one inspection, with the wafer's identity and the inspection's
 * header fields. Immutable and thread-safe.
 *
 * @param lotId    lot id
 * @param waferId  wafer id
 * @param slot     slot number, or {@link Defect#UNKNOWN}
 * @param defects  the defects in source order
 * @param header   other header fields of the source (name to raw text), in source order
 */
public record DefectList(String lotId, String waferId, int slot, List<Defect> defects, Map<String, String> header) {

    /** Copies the collections. */
    public DefectList {
        lotId = lotId == null ? "" : lotId;
        waferId = waferId == null ? "" : waferId;
        defects = List.copyOf(Objects.requireNonNull(defects, "defects"));
        header = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(header, "header")));
    }

    /** @return number of defects */
    public int size() {
        return defects.size();
    }

    /**
     * Groups the defects by die.
     *
     * @return die {@code (x, y)} as a two-element list to the defects on it, in first-seen order
     */
    public Map<List<Integer>, List<Defect>> byDie() {
        Map<List<Integer>, List<Defect>> m = new LinkedHashMap<>();
        for (Defect d : defects) {
            m.computeIfAbsent(List.of(d.dieX(), d.dieY()), k -> new ArrayList<>()).add(d);
        }
        return m;
    }
}
