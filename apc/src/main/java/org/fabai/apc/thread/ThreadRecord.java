package org.fabai.apc.thread;

/**
 * The persisted state of one control thread. Immutable, thread-safe (the array is copied).
 *
 * @param context      the thread's context
 * @param kind         estimator kind the state belongs to (e.g. {@code ewma})
 * @param state        controller state as returned by {@code Controller.state()}
 * @param lastSequence sequence of the latest applied run ({@link Long#MIN_VALUE} when none)
 * @param version      number of committed changes (1 after creation)
 * @param updatedAtMs  wall-clock time of the change, ms since the epoch ({@link System#currentTimeMillis()})
 * @param provenance   what produced the state, in {@link org.fabai.core.Provenance}'s text form (rows written
 *                     before it hold free text after {@code fabai-apc VERSION;}, which that form reads too)
 */
public record ThreadRecord(Context context, String kind, double[] state, long lastSequence, long version,
                           long updatedAtMs, String provenance) {
    /** Copies the state. */
    public ThreadRecord {
        if (context == null || kind == null || state == null || provenance == null) {
            throw new IllegalArgumentException("context, kind, state and provenance must not be null");
        }
        state = state.clone();
    }

    @Override
    public double[] state() {
        return state.clone();
    }
}
