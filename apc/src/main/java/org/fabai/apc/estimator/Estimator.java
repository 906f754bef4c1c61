package org.fabai.apc.estimator;

/**
 * A run-to-run estimator of the process model {@code y = offset + gain * u} for one control thread.
 *
 * <p>Timing convention: after {@link #update(double, double)} for run {@code t}, the estimator holds
 * its estimate at run {@code t} and {@link #predictedOffset()} is its prediction of
 * {@code y - gain * u} for the next run. {@link #timeUpdate()} advances one run without a
 * measurement (sampled or missing metrology).
 *
 * <p>The state is a plain {@code double[]} so that stores can persist it in a documented text form:
 * its first {@link #dynamicDimension()} entries are the estimate (level, drift, gain), the rest are
 * bookkeeping such as covariance entries.
 *
 * <p>Implementations are <b>not thread-safe</b>; a control thread serialises access.
 */
public interface Estimator {

    /** @return a short stable name of the algorithm, stored with the state, e.g. {@code "ewma"} */
    String kind();

    /** @return the gain {@code b} used to turn a wanted output change into an input change */
    double gain();

    /** @return the predicted {@code y - gain*u} for the next run */
    double predictedOffset();

    /**
     * Predicted output of the next run for an input.
     *
     * @param input recipe input
     * @return {@code predictedOffset() + gain() * input}
     */
    default double predict(double input) {
        return predictedOffset() + gain() * input;
    }

    /**
     * Measurement update with the input actually applied in the run (so that a clipped input never
     * winds the estimate up) and the measured output.
     *
     * @param input  input used in the run
     * @param output measured output
     * @throws IllegalArgumentException when a value is not finite
     */
    void update(double input, double output);

    /** Advances one run without a measurement. */
    void timeUpdate();

    /** @return how many leading entries of {@link #state()} are the estimate proper */
    int dynamicDimension();

    /** @return a copy of the full state */
    double[] state();

    /** @return the length of {@link #state()} */
    default int stateLength() {
        return state().length;
    }

    /**
     * Writes the full state (as {@link #state()} returns it) into {@code dst} from {@code offset},
     * without allocating (where the implementation overrides it).
     *
     * @param dst    destination, with room for {@link #stateLength()} entries from {@code offset}
     * @param offset first index written
     */
    default void writeState(double[] dst, int offset) {
        double[] s = state();
        System.arraycopy(s, 0, dst, offset, s.length);
    }

    /**
     * Replaces the full state.
     *
     * @param state array as returned by {@link #state()}
     * @throws IllegalArgumentException when the length is wrong
     */
    void restore(double[] state);

    /**
     * @return true when the closed loop with this estimator is linear in the dynamic state (given the
     *     bookkeeping entries), so that {@code control.StabilityAnalysis} may use it
     */
    boolean isLinear();

    /** @return an independent copy with the same configuration and state */
    Estimator copy();

    /**
     * Re-seeds the estimate: the level (intercept) becomes {@code level}, any drift becomes 0 and any
     * covariance returns to its configured initial value; the gain estimate is kept. Used for
     * seeding new threads and for resets after maintenance.
     *
     * @param level new level, finite
     */
    void resetLevel(double level);

    /** @return a copy reset to the configured initial state */
    Estimator fresh();

    /**
     * Checks that a value is finite.
     *
     * @param name  what the value is
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException when it is NaN or infinite
     */
    static double requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /**
     * Checks the length of a state array.
     *
     * @param kind     estimator kind
     * @param state    the array
     * @param expected wanted length
     * @return a copy of the array
     */
    static double[] checkState(String kind, double[] state, int expected) {
        if (state == null || state.length != expected) {
            throw new IllegalArgumentException(kind + " state must have " + expected + " entries, got "
                    + (state == null ? "null" : state.length));
        }
        return state.clone();
    }
}
