package org.fabai.apc.thread;

import java.util.List;
import java.util.Optional;

/**
 * Durable (or in-memory) state of control threads plus the exactly-once run ledger and the audit
 * trail. {@link #commit} is atomic: all of its changes become visible together or none does, and
 * once it returns the change is as durable as the implementation promises. Implementations are
 * thread-safe.
 */
public interface ThreadStateStore extends AutoCloseable {

    /**
     * @param context thread context
     * @return its record, if the thread exists
     */
    Optional<ThreadRecord> load(Context context);

    /** @return every thread's record (for seeding and context-offset models) */
    List<ThreadRecord> loadAll();

    /**
     * @param context thread context
     * @param runId   run id
     * @return true when the run is in the ledger
     */
    boolean hasRun(Context context, String runId);

    /**
     * @param context thread context
     * @return the thread's ledger in sequence order (ties by commit order)
     */
    List<RunRecord> runs(Context context);

    /**
     * @param context thread context
     * @return the thread's audit entries in version order
     */
    List<AuditEntry> audit(Context context);

    /**
     * Applies all changes atomically.
     *
     * @param commits the changes (each thread at most once)
     * @throws StaleStateException    when some thread's version differs from the expected one
     * @throws DuplicateRunException  when some run id is already in the ledger
     * @throws StoreException         for any other failure; nothing was applied
     */
    void commit(List<ThreadCommit> commits);

    /**
     * Applies one thread's change atomically; the same as {@code commit(List.of(commit))}, which is
     * what the default does (a store may override it to skip the list).
     *
     * @param commit the change
     * @throws StaleStateException    when the thread's version differs from the expected one
     * @throws DuplicateRunException  when some run id is already in the ledger
     * @throws StoreException         for any other failure; nothing was applied
     */
    default void commit(ThreadCommit commit) {
        commit(List.of(commit));
    }

    /** Releases resources. */
    @Override
    void close();
}
