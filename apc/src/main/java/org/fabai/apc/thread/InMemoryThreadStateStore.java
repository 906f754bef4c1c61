package org.fabai.apc.thread;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ThreadStateStore} in memory: fast, not durable. Thread-safe (every method is synchronized).
 *
 * <p>The run ledger keeps the latest {@code ledgerRetention} run ids per thread. Exactly-once does not
 * depend on it: an update whose sequence is not after the thread's latest applied run is never
 * applied ({@link UpdateResult.Status#LATE_REJECTED}), so a replay of an evicted run id is still not
 * applied twice; the ledger only lets a recent replay be reported as
 * {@link UpdateResult.Status#DUPLICATE}.
 */
public final class InMemoryThreadStateStore implements ThreadStateStore {

    private final int ledgerRetention;
    private final Map<String, ThreadRecord> threads = new HashMap<>();
    private final Map<String, LinkedHashMap<String, RunRecord>> runs = new HashMap<>();
    private final Map<String, List<AuditEntry>> audit = new HashMap<>();

    /**
     * Creates an empty store keeping the latest 1,000 run ids per thread (a larger ledger costs
     * garbage-collector time on every update and buys nothing for exactly-once).
     */
    public InMemoryThreadStateStore() {
        this(1_000);
    }

    /**
     * @param ledgerRetention run ids kept per thread, &ge; 1
     */
    public InMemoryThreadStateStore(int ledgerRetention) {
        if (ledgerRetention < 1) {
            throw new IllegalArgumentException("ledgerRetention must be >= 1, got " + ledgerRetention);
        }
        this.ledgerRetention = ledgerRetention;
    }

    @Override
    public synchronized Optional<ThreadRecord> load(Context context) {
        return Optional.ofNullable(threads.get(context.key()));
    }

    @Override
    public synchronized List<ThreadRecord> loadAll() {
        return new ArrayList<>(threads.values());
    }

    @Override
    public synchronized boolean hasRun(Context context, String runId) {
        Map<String, RunRecord> m = runs.get(context.key());
        return m != null && m.containsKey(runId);
    }

    @Override
    public synchronized List<RunRecord> runs(Context context) {
        List<RunRecord> l = new ArrayList<>(runs.getOrDefault(context.key(), new LinkedHashMap<>()).values());
        l.sort(Comparator.comparingLong(RunRecord::sequence));
        return l;
    }

    @Override
    public synchronized List<AuditEntry> audit(Context context) {
        return new ArrayList<>(audit.getOrDefault(context.key(), List.of()));
    }

    private void check(ThreadCommit c) {
        String key = c.record().context().key();
        ThreadRecord cur = threads.get(key);
        long have = cur == null ? 0 : cur.version();
        if (have != c.expectedVersion()) {
            throw new StaleStateException("thread " + key + " is at version " + have + ", commit expected "
                    + c.expectedVersion());
        }
        Map<String, RunRecord> ledger = runs.get(key);
        List<RunRecord> rs = c.runs();
        for (int i = 0; i < rs.size(); i++) {
            String id = rs.get(i).runId();
            boolean dupInCommit = false;
            for (int j = 0; j < i && !dupInCommit; j++) {
                dupInCommit = rs.get(j).runId().equals(id);
            }
            if (dupInCommit || (ledger != null && ledger.containsKey(id))) {
                throw new DuplicateRunException("thread " + key + " already recorded run '" + id + "'");
            }
        }
    }

    @Override
    public synchronized void commit(List<ThreadCommit> commits) {
        if (commits.size() > 1) {
            Set<String> seen = new HashSet<>();
            for (ThreadCommit c : commits) {
                if (!seen.add(c.record().context().key())) {
                    throw new StoreException("commit changes thread " + c.record().context().key() + " twice");
                }
            }
        }
        for (ThreadCommit c : commits) {
            check(c);
        }
        for (ThreadCommit c : commits) {
            String key = c.record().context().key();
            threads.put(key, c.record());
            if (!c.runs().isEmpty()) {
                LinkedHashMap<String, RunRecord> ledger = runs.computeIfAbsent(key, k -> new LinkedHashMap<>() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, RunRecord> eldest) {
                        return size() > ledgerRetention;
                    }
                });
                for (RunRecord r : c.runs()) {
                    ledger.put(r.runId(), r);
                }
            }
            if (!c.audit().isEmpty()) {
                audit.computeIfAbsent(key, k -> new ArrayList<>()).addAll(c.audit());
            }
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
