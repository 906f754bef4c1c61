package org.fabai.apc.thread;

/**
 * What a control thread did with a metrology result; returned only after the change is committed
 * (acknowledged). Immutable, thread-safe.
 *
 * @param context    the thread
 * @param runId      the run
 * @param status     what was done
 * @param innovation measured minus predicted output (NaN when not computed)
 * @param version    the thread's version after the change (unchanged for a duplicate)
 * @param message    a short human-readable explanation
 */
public record UpdateResult(Context context, String runId, Status status, double innovation, long version, String message) {

    /** Outcome kinds. */
    public enum Status {
        /** The estimator used the measurement. */
        APPLIED,
        /** The first measurement of an unseeded thread seeded its level. */
        SEEDED,
        /** An outlier: the estimate was held and the run flagged in the audit. */
        OUTLIER_HELD,
        /** An outlier after enough rejections: accepted as a level shift, in the audit. */
        SHIFT_ACCEPTED,
        /** A missing measurement: time update only. */
        MISSING,
        /** The run id was already recorded: nothing changed (exactly once). */
        DUPLICATE,
        /** The run's sequence is not after the latest applied run: not applied, recorded and audited. */
        LATE_REJECTED
    }
}
