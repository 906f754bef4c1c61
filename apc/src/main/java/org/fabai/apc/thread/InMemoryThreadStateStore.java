package org.fabai.apc.thread;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fabai.apc.control.Controller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThreadStateStore} in memory: fast, not durable. Thread-safe (every method is synchronized).
 *
 * <p>The run ledger keeps the latest {@code ledgerRetention} run ids per thread. Exactly-once does not
 * depend on it: an update whose sequence is not after the thread's latest applied run is never
 * applied ({@link UpdateResult.Status#LATE_REJECTED}), so a replay of an evicted run id is still not
 * applied twice; the ledger only lets a recent replay be reported as
 * {@link UpdateResult.Status#DUPLICATE}.
 *
 * <p>The audit keeps the latest {@code auditRetention} entries per thread (a thread whose input is
 * clipped on every run adds an entry on every recommendation, so an unbounded in-memory audit would
 * grow without limit). When a thread's audit first drops an entry, a warning is logged once for that
 * thread. Use the JDBC store for a complete, durable audit trail.
 *
 * <p>{@link ControlThreads} commits to this store through a path that copies the controller's state
 * into the store's own array instead of building a {@link ThreadRecord} per change (records are made
 * when loaded); its result is the same as {@link #commit(ThreadCommit)}'s.
 */
public final class InMemoryThreadStateStore implements ThreadStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryThreadStateStore.class);

    private final int ledgerRetention;
    private final int auditRetention;
    private final Map<String, Slot> threads = new HashMap<>();
    /** {@link #commitLive}'s buffer for the controller state, so that a failing write changes nothing. */
    private double[] scratch = new double[0];

    /**
     * One thread: its latest state, run ledger and audit. The state is held field by field (the
     * array owned by the slot) and the immutable {@link ThreadRecord} is made on demand, so that
     * {@link #commitLive} allocates nothing for it.
     */
    private static final class Slot {
        final Context context;
        String kind;
        double[] state;
        long lastSequence;
        long version;
        long updatedAtMs;
        String provenance;
        /** The record of the fields above; null until asked for after a {@link #commitLive}. */
        ThreadRecord record;
        RunLedger ledger;
        ArrayDeque<AuditEntry> audit;
        boolean auditDropped;

        Slot(Context context) {
            this.context = context;
        }

        ThreadRecord record() {
            if (record == null) {
                record = new ThreadRecord(context, kind, state, lastSequence, version, updatedAtMs, provenance);
            }
            return record;
        }

        void set(ThreadRecord r) {
            kind = r.kind();
            state = r.state();
            lastSequence = r.lastSequence();
            version = r.version();
            updatedAtMs = r.updatedAtMs();
            provenance = r.provenance();
            record = r;
        }
    }

    /**
     * Creates an empty store keeping the latest 1,000 run ids and 10,000 audit entries per thread (a
     * larger ledger costs memory and buys nothing for exactly-once).
     */
    public InMemoryThreadStateStore() {
        this(1_000, 10_000);
    }

    /**
     * Creates an empty store keeping the latest 10,000 audit entries per thread.
     *
     * @param ledgerRetention run ids kept per thread, 1 to 2<sup>26</sup>
     */
    public InMemoryThreadStateStore(int ledgerRetention) {
        this(ledgerRetention, 10_000);
    }

    /**
     * @param ledgerRetention run ids kept per thread, 1 to 2<sup>26</sup>
     * @param auditRetention  audit entries kept per thread, &ge; 1
     */
    public InMemoryThreadStateStore(int ledgerRetention, int auditRetention) {
        if (ledgerRetention < 1) {
            throw new IllegalArgumentException("ledgerRetention must be >= 1, got " + ledgerRetention);
        }
        if (ledgerRetention > (1 << 26)) {
            throw new IllegalArgumentException("ledgerRetention must be <= 67108864, got " + ledgerRetention);
        }
        if (auditRetention < 1) {
            throw new IllegalArgumentException("auditRetention must be >= 1, got " + auditRetention);
        }
        this.ledgerRetention = ledgerRetention;
        this.auditRetention = auditRetention;
    }

    @Override
    public synchronized Optional<ThreadRecord> load(Context context) {
        Slot s = threads.get(context.key());
        return s == null ? Optional.empty() : Optional.of(s.record());
    }

    @Override
    public synchronized List<ThreadRecord> loadAll() {
        List<ThreadRecord> l = new ArrayList<>(threads.size());
        for (Slot s : threads.values()) {
            l.add(s.record());
        }
        return l;
    }

    @Override
    public synchronized boolean hasRun(Context context, String runId) {
        Slot s = threads.get(context.key());
        return s != null && s.ledger != null && s.ledger.contains(runId);
    }

    @Override
    public synchronized List<RunRecord> runs(Context context) {
        Slot s = threads.get(context.key());
        List<RunRecord> l = s == null || s.ledger == null ? new ArrayList<>() : s.ledger.inInsertionOrder();
        l.sort(Comparator.comparingLong(RunRecord::sequence));
        return l;
    }

    @Override
    public synchronized List<AuditEntry> audit(Context context) {
        Slot s = threads.get(context.key());
        return s == null || s.audit == null ? new ArrayList<>() : new ArrayList<>(s.audit);
    }

    private static void checkVersion(Context context, Slot s, long expectedVersion) {
        long have = s == null ? 0 : s.version;
        if (have != expectedVersion) {
            throw new StaleStateException("thread " + context.key() + " is at version " + have + ", commit expected "
                    + expectedVersion);
        }
    }

    private static void checkNew(Context context, Slot s, String runId) {
        if (s != null && s.ledger != null && s.ledger.contains(runId)) {
            throw new DuplicateRunException("thread " + context.key() + " already recorded run '" + runId + "'");
        }
    }

    private static void check(ThreadCommit c, Slot s) {
        checkVersion(c.record().context(), s, c.expectedVersion());
        RunLedger ledger = s == null ? null : s.ledger;
        List<RunRecord> rs = c.runs();
        for (int i = 0; i < rs.size(); i++) {
            String id = rs.get(i).runId();
            boolean dupInCommit = false;
            for (int j = 0; j < i && !dupInCommit; j++) {
                dupInCommit = rs.get(j).runId().equals(id);
            }
            if (dupInCommit || (ledger != null && ledger.contains(id))) {
                throw new DuplicateRunException("thread " + c.record().context().key() + " already recorded run '"
                        + id + "'");
            }
        }
    }

    private Slot slotFor(Context context, Slot s) {
        if (s == null) {
            s = new Slot(context);
            threads.put(context.key(), s);
        }
        return s;
    }

    private void apply(ThreadCommit c, Slot s) {
        s = slotFor(c.record().context(), s);
        s.set(c.record());
        List<RunRecord> rs = c.runs();
        for (int i = 0; i < rs.size(); i++) {
            addRun(s, rs.get(i));
        }
        addAudit(s, c.audit());
    }

    private void addRun(Slot s, RunRecord r) {
        if (s.ledger == null) {
            s.ledger = new RunLedger(ledgerRetention);
        }
        s.ledger.add(r);
    }

    private void addAudit(Slot s, List<AuditEntry> as) {
        String key = s.context.key();
        if (!as.isEmpty()) {
            if (s.audit == null) {
                s.audit = new ArrayDeque<>();
            }
            for (AuditEntry a : as) {
                if (s.audit.size() == auditRetention) {
                    s.audit.removeFirst();
                    if (!s.auditDropped) {
                        s.auditDropped = true;
                        LOG.warn("thread {}: the in-memory audit keeps the latest {} entries; older ones are dropped",
                                key, auditRetention);
                    }
                }
                s.audit.addLast(a);
            }
        }
    }

    /**
     * {@link ControlThreads}' commit path: the same as {@link #commit(ThreadCommit)} of a record with
     * the controller's state (kind, state, {@code lastSequence}, version {@code expectedVersion + 1},
     * {@code updatedAtMs}, {@code provenance}), one run (or none) and {@code audit}, with the same
     * checks, all or nothing, but the state copied into the store's own array instead of into a new record.
     *
     * @param context         the thread
     * @param controller      its controller after the change
     * @param expectedVersion version the change was computed from (0: the thread must not exist yet)
     * @param lastSequence    latest applied sequence after the change
     * @param updatedAtMs     wall-clock time of the change
     * @param provenance      what produced the state
     * @param run             the run to add to the ledger, or null
     * @param audit           audit entries to add
     * @throws StaleStateException   when the thread's version differs from {@code expectedVersion}
     * @throws DuplicateRunException when the run id is already in the ledger
     */
    synchronized void commitLive(Context context, Controller controller, long expectedVersion, long lastSequence,
                                 long updatedAtMs, String provenance, RunRecord run, List<AuditEntry> audit) {
        Slot s = threads.get(context.key());
        checkVersion(context, s, expectedVersion);
        if (run != null) {
            checkNew(context, s, run.runId());
        }
        // everything that can fail (a custom estimator) before anything changes
        int n = controller.stateLength();
        if (scratch.length != n) {
            scratch = new double[n];
        }
        controller.writeState(scratch);
        String kind = controller.estimator().kind();
        s = slotFor(context, s);
        if (s.state == null || s.state.length != n) {
            s.state = new double[n];
        }
        System.arraycopy(scratch, 0, s.state, 0, n); // records are copies: none shares this array
        s.kind = kind;
        s.lastSequence = lastSequence;
        s.version = expectedVersion + 1;
        s.updatedAtMs = updatedAtMs;
        s.provenance = provenance;
        s.record = null;
        if (run != null) {
            addRun(s, run);
        }
        addAudit(s, audit);
    }

    @Override
    public synchronized void commit(ThreadCommit commit) {
        Slot s = threads.get(commit.record().context().key());
        check(commit, s);
        apply(commit, s);
    }

    @Override
    public synchronized void commit(List<ThreadCommit> commits) {
        if (commits.size() == 1) {
            commit(commits.get(0));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (ThreadCommit c : commits) {
            if (!seen.add(c.record().context().key())) {
                throw new StoreException("commit changes thread " + c.record().context().key() + " twice");
            }
        }
        Slot[] slots = new Slot[commits.size()];
        for (int i = 0; i < slots.length; i++) {
            ThreadCommit c = commits.get(i);
            slots[i] = threads.get(c.record().context().key());
            check(c, slots[i]);
        }
        for (int i = 0; i < slots.length; i++) {
            apply(commits.get(i), slots[i]);
        }
    }

    @Override
    public void close() {
        // nothing to release
    }

    /**
     * The latest run records of one thread, in insertion order, with a constant-time lookup by run
     * id: a ring of records (with their run ids' hashes) and an open-addressing (linear probing)
     * index of ring positions. Evicting the oldest record and probing compare stored hashes, so they
     * touch no old record or string. No allocation per added run once the ring has grown to the
     * retention. Not thread-safe (guarded by the store's lock).
     */
    static final class RunLedger {
        private final int retention;
        private RunRecord[] ring;
        private int[] hashes; // spread hash of ring[i].runId()
        private int head; // position of the oldest record
        private int size;
        private int[] index; // ring position + 1, 0 = empty; length a power of two >= 4 * ring.length (short probes)
        private int shift; // 32 - log2(index.length)

        RunLedger(int retention) {
            this.retention = retention;
            resize(Math.min(retention, 8));
        }

        private static int spread(String id) {
            int h = id.hashCode();
            return (h ^ (h >>> 16)) * 0x9E3779B9;
        }

        private void resize(int capacity) {
            RunRecord[] old = ring;
            int[] oldHashes = hashes;
            int oldSize = size;
            int oldHead = head;
            ring = new RunRecord[capacity];
            hashes = new int[capacity];
            int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 4 - 1) << 1; // >= 4 * capacity
            index = new int[tableSize];
            shift = 32 - Integer.numberOfTrailingZeros(tableSize);
            head = 0;
            size = 0;
            for (int i = 0; i < oldSize; i++) {
                int p = (oldHead + i) % old.length;
                insert(old[p], oldHashes[p]);
            }
        }

        boolean contains(String id) {
            int h = spread(id);
            int mask = index.length - 1;
            for (int i = h >>> shift; ; i = (i + 1) & mask) {
                int e = index[i];
                if (e == 0) {
                    return false;
                }
                if (hashes[e - 1] == h && ring[e - 1].runId().equals(id)) {
                    return true;
                }
            }
        }

        /** Adds a record whose run id is not in the ledger, evicting the oldest at the retention. */
        void add(RunRecord r) {
            if (size == ring.length) {
                if (ring.length < retention) {
                    resize((int) Math.min(retention, 2L * ring.length));
                } else {
                    evictOldest();
                }
            }
            insert(r, spread(r.runId()));
        }

        private void insert(RunRecord r, int h) {
            int pos = head + size;
            if (pos >= ring.length) {
                pos -= ring.length;
            }
            ring[pos] = r;
            hashes[pos] = h;
            size++;
            int mask = index.length - 1;
            int i = h >>> shift;
            while (index[i] != 0) {
                i = (i + 1) & mask;
            }
            index[i] = pos + 1;
        }

        private void evictOldest() {
            int mask = index.length - 1;
            int i = hashes[head] >>> shift;
            while (index[i] != head + 1) {
                i = (i + 1) & mask;
            }
            // delete index slot i, shifting later entries of its probe run back (no tombstones)
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                int e = index[j];
                if (e == 0) {
                    break;
                }
                int home = hashes[e - 1] >>> shift;
                if (((j - home) & mask) >= ((j - i) & mask)) {
                    index[i] = e;
                    i = j;
                }
            }
            index[i] = 0;
            ring[head] = null;
            head = head + 1 == ring.length ? 0 : head + 1;
            size--;
        }

        List<RunRecord> inInsertionOrder() {
            List<RunRecord> l = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                l.add(ring[(head + i) % ring.length]);
            }
            return l;
        }
    }
}
