package org.fabai.apc.thread;

/**
 * One metrology result for a run of a control thread. Immutable, thread-safe.
 *
 * @param runId    unique id of the run (lot/wafer/run key); a replay of the same id is ignored.
 *                 Kept in Unicode NFC; an unpaired surrogate, NUL or other control character is refused
 * @param sequence run order within the thread (e.g. process start time in ms or a lot counter);
 *                 updates apply in increasing sequence
 * @param input    recipe input actually used in the run
 * @param output   measured output
 */
public record Measurement(String runId, long sequence, double input, double output) {
    /** Validates the values. */
    public Measurement {
        runId = checkRunId(runId);
        if (!Double.isFinite(input)) {
            throw new IllegalArgumentException("input of run '" + runId + "' must be finite, got " + input);
        }
        if (!Double.isFinite(output)) {
            throw new IllegalArgumentException("output of run '" + runId + "' must be finite, got " + output);
        }
    }

    /** Validates a run id and returns its NFC form. */
    static String checkRunId(String runId) {
        if (runId == null || runId.isBlank() || runId.length() > 200) {
            throw new IllegalArgumentException("runId must be non-blank and at most 200 characters, got '" + runId + "'");
        }
        if (runId.chars().anyMatch(c -> c != 0 && Character.isISOControl(c))) {
            throw new IllegalArgumentException("runId must not contain control characters, got '" + runId + "'");
        }
        return Context.normalize("runId", runId);
    }
}
