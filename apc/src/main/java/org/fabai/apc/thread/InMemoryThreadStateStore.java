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
 */
public final class InMemoryThreadStateStore implements ThreadStateStore {

    private final Map<String, ThreadRecord> threads = new HashMap<>();
    private final Map<String, LinkedHashMap<String, RunRecord>> runs = new HashMap<>();
    private final Map<String, List<AuditEntry>> audit = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryThreadStateStore() {
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

    @Override
    public synchronized void commit(List<ThreadCommit> commits) {
        Set<String> seen = new HashSet<>();
        for (ThreadCommit c : commits) {
            String key = c.record().context().key();
            if (!seen.add(key)) {
                throw new StoreException("commit changes thread " + key + " twice");
            }
            ThreadRecord cur = threads.get(key);
            long have = cur == null ? 0 : cur.version();
            if (have != c.expectedVersion()) {
                throw new StaleStateException("thread " + key + " is at version " + have + ", commit expected "
                        + c.expectedVersion());
            }
            Set<String> ids = new HashSet<>();
            for (RunRecord r : c.runs()) {
                if (!ids.add(r.runId()) || hasRun(c.record().context(), r.runId())) {
                    throw new DuplicateRunException("thread " + key + " already recorded run '" + r.runId() + "'");
                }
            }
        }
        for (ThreadCommit c : commits) {
            String key = c.record().context().key();
            threads.put(key, c.record());
            for (RunRecord r : c.runs()) {
                runs.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.runId(), r);
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
