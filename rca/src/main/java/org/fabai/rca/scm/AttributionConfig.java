package org.fabai.rca.scm;

import java.util.Objects;

/**
 * Configuration of anomaly attribution.
 *
 * Immutable and thread-safe.
 *
 * @param permutations random permutations for the Shapley estimate (each also used reversed), at least 1
 * @param samples      background noise samples per coalition value, at least 10
 * @param tail         which deviations of the target are anomalous
 * @param seed         random seed
 */
public record AttributionConfig(int permutations, int samples, Tail tail, long seed) {

    /** Which side of the target's distribution is anomalous. Immutable and thread-safe. */
    public enum Tail {
        /** high values (e.g. defect counts) */
        HIGH,
        /** low values (e.g. yield) */
        LOW,
        /** both */
        BOTH
    }

    /** Validates the configuration. */
    public AttributionConfig {
        Objects.requireNonNull(tail, "tail");
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        }
        if (samples < 10) {
            throw new IllegalArgumentException("samples must be >= 10, got " + samples);
        }
    }
}
