package org.fabai.core.io.klarf;

import java.util.List;
import java.util.Objects;

/**
 * A whole KLARF file: its version and its wafers in file order. Immutable and thread-safe.
 *
 * @param version {@code "1.1"}, {@code "1.2"} or {@code "1.8"}
 * @param wafers  the wafers
 */
public record KlarfFile(String version, List<KlarfWafer> wafers) {

    /** Validates and copies. */
    public KlarfFile {
        Objects.requireNonNull(version, "version");
        wafers = List.copyOf(Objects.requireNonNull(wafers, "wafers"));
    }
}
