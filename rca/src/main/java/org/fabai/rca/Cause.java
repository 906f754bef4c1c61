package org.fabai.rca;

import java.util.Objects;

/**
 * One candidate root cause and its score in a ranking (higher score = more likely the cause).
 * What the score means depends on the method that produced it (a z-score, a Shapley
 * contribution, ...). Immutable and thread-safe.
 *
 * @param name  the candidate, e.g. {@code "S07 ETCH2/B"} or a variable name
 * @param score its score, finite
 */
public record Cause(String name, double score) {
    /** Validates the cause. */
    public Cause {
        Objects.requireNonNull(name, "name");
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score of cause '" + name + "' is NaN");
        }
    }
}
