package org.fabai.apc.control;

/**
 * What a controller did with one measurement. Immutable, thread-safe.
 *
 * @param status     accepted, held as an outlier, or accepted as a persistent shift
 * @param innovation measured output minus the prediction at the input used
 * @param sigma      σ used for the outlier test (NaN when the test was not applied)
 * @param message    a short human-readable explanation
 */
public record UpdateOutcome(Status status, double innovation, double sigma, String message) {

    /** Outcome kinds. */
    public enum Status {
        /** The estimator was updated. */
        ACCEPTED,
        /** |innovation| &gt; kσ: the estimate was held (a time update only) and the run flagged. */
        OUTLIER_HELD,
        /** The measurement was an outlier but followed enough rejections to count as a real shift. */
        SHIFT_ACCEPTED
    }

    /** @return true when the estimator used the measurement */
    public boolean applied() {
        return status != Status.OUTLIER_HELD;
    }
}
