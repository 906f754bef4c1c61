package org.fabai.apc.thread;

/**
 * A run as recorded by a thread store (the exactly-once ledger). Immutable, thread-safe.
 *
 * @param runId    run id
 * @param sequence run order
 * @param input    input used (NaN for a missing measurement)
 * @param output   measured output (NaN for a missing measurement)
 * @param status   what was done: a {@link UpdateResult.Status} name
 */
public record RunRecord(String runId, long sequence, double input, double output, String status) {
}
