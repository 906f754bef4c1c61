package org.fabai.apc.thread;

/** How a new thread (or one reset by maintenance) gets its first state. Immutable, thread-safe. */
public enum Seeding {
    /** The estimator's configured initial state (the nominal model), trusted at once. */
    NOMINAL,
    /** No valid state: the nominal recipe is recommended until the first measurement seeds the level. */
    FIRST_MEASUREMENT,
    /**
     * The mean level of the existing threads with the same dimensions that share the most dimension
     * values with the new one (at least one); {@link #FIRST_MEASUREMENT} when there are none.
     */
    NEAREST_SIBLINGS,
    /**
     * The level predicted by an additive context-offset model fitted over all threads with the same
     * dimensions (JADE-style: level = mean + one offset per dimension value, see
     * {@link ContextOffsetModel}); {@link #FIRST_MEASUREMENT} when there are none.
     */
    CONTEXT_OFFSET
}
