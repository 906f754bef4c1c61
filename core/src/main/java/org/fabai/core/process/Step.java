package org.fabai.core.process;

import java.util.Objects;

/**
 * A process step of a route (e.g. "LITHO-M1", "ETCH-POLY").
 *
 * @param id   unique id within a route
 * @param name human-readable name (defaults to the id)
 */
public record Step(String id, String name) {
    /** Validates the step. */
    public Step {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("step id must not be blank");
        }
        name = name == null || name.isBlank() ? id : name;
    }

    /**
     * @param id step id
     * @return a step named by its id
     */
    public static Step of(String id) {
        return new Step(id, id);
    }
}
