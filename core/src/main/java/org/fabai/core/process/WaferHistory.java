package org.fabai.core.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The process history of one wafer: for each step it went through, the tool, chamber and time.
 * Immutable and thread-safe.
 *
 * @param waferId wafer id
 * @param lotId   lot id (may be empty)
 * @param runs    step runs in the order they happened; each step at most once
 */
public record WaferHistory(String waferId, String lotId, List<StepRun> runs) {
    /** Validates the history. */
    public WaferHistory {
        Objects.requireNonNull(waferId, "waferId");
        lotId = lotId == null ? "" : lotId;
        runs = List.copyOf(runs);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (StepRun r : runs) {
            if (!seen.add(r.step().id())) {
                throw new IllegalArgumentException("wafer " + waferId + " has step " + r.step().id() + " twice");
            }
        }
    }

    /**
     * @param stepId a step id
     * @return the run of that step, if the wafer went through it
     */
    public Optional<StepRun> run(String stepId) {
        for (StepRun r : runs) {
            if (r.step().id().equals(stepId)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** @return step id to tool, in run order */
    public Map<String, Tool> toolsByStep() {
        Map<String, Tool> m = new LinkedHashMap<>();
        for (StepRun r : runs) {
            m.put(r.step().id(), r.tool());
        }
        return m;
    }
}
