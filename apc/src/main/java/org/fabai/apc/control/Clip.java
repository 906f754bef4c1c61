package org.fabai.apc.control;

/** Why a recommended input differs from the unconstrained one. Immutable, thread-safe. */
public enum Clip {
    /** Held at the lower input bound. */
    LOWER_BOUND,
    /** Held at the upper input bound. */
    UPPER_BOUND,
    /** Limited by the largest allowed change per run. */
    RATE_LIMIT
}
