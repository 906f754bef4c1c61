package org.fabai.core.process;

import java.util.Objects;

/**
 * A process tool, optionally one chamber of it.
 *
 * @param id      tool id (e.g. "ETCH07")
 * @param chamber chamber id, or empty when the tool has one chamber or it is not known
 */
public record Tool(String id, String chamber) {
    /** Validates the tool. */
    public Tool {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("tool id must not be blank");
        }
        chamber = chamber == null ? "" : chamber;
    }

    /**
     * @param id tool id
     * @return a tool with no chamber
     */
    public static Tool of(String id) {
        return new Tool(id, "");
    }

    /** @return "tool" or "tool/chamber" */
    public String label() {
        return chamber.isEmpty() ? id : id + "/" + chamber;
    }
}
