package org.fabai.core.process;

import java.time.Instant;
import java.util.Objects;

/**
 * One wafer passing through one step: which tool (and chamber) ran it, and when.
 *
 * @param step the step
 * @param tool the tool and chamber
 * @param time when the step ran (start), may be null when unknown
 */
public record StepRun(Step step, Tool tool, Instant time) {
    /** Validates the run. */
    public StepRun {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(tool, "tool");
    }
}
