package org.fabai.apc.thread;

import java.util.List;

/**
 * One thread's change inside a store transaction. Immutable, thread-safe.
 *
 * @param record          the new record; its version must be {@code expectedVersion + 1}
 * @param expectedVersion version the change was computed from (0: the thread must not exist yet)
 * @param runs            runs to add to the ledger (may be empty)
 * @param audit           audit entries to add
 */
public record ThreadCommit(ThreadRecord record, long expectedVersion, List<RunRecord> runs, List<AuditEntry> audit) {
    /** Validates the versions and copies the list. */
    public ThreadCommit {
        if (record.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("record version must be expectedVersion + 1, got " + record.version()
                    + " for expected " + expectedVersion);
        }
        runs = List.copyOf(runs);
        audit = List.copyOf(audit);
    }
}
