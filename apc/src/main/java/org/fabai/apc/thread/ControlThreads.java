package org.fabai.apc.thread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.fabai.core.Provenance;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.control.UpdateOutcome;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
import org.fabai.apc.estimator.HoltEstimator;
import org.fabai.apc.estimator.Estimator;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.estimator.KalmanEstimator;
import org.fabai.apc.estimator.RlsEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control threads keyed by {@link Context}, with their state in a {@link ThreadStateStore}.
 *
 * <ul>
 *   <li>{@link #recommend(Context)}: the next recipe input of a thread (creating and seeding the
 *       thread on first use, see {@link Seeding}); the fact that the run uses it is committed.</li>
 *   <li>{@link #update(Context, Measurement)}: applies one metrology result. Exactly once: a replayed
 *       run id returns {@link UpdateResult.Status#DUPLICATE} and changes nothing. In run order: a
 *       result whose sequence is not after the latest applied one is
 *       {@link UpdateResult.Status#LATE_REJECTED} (recorded in the ledger and the audit, never
 *       silently dropped). The result is returned only after the store committed it.</li>
 *   <li>{@link #missing}: a run without metrology (time update).</li>
 *   <li>{@link #maintenance}: reset / re-seed after a maintenance event.</li>
 * </ul>
 *
 * <p>Thread-safe. Calls for one thread are serialised by a per-thread lock in this JVM, and across
 * JVMs (or several instances on one store) by the store's optimistic version check: a commit based
 * on a stale version is recomputed from the fresh state. Different threads proceed in parallel.
 *
 * <p>Each thread's controller stays cached between calls (as committed). On an
 * {@link InMemoryThreadStateStore} a change is committed without building a {@link ThreadRecord}
 * and {@link ThreadCommit} (the store copies the controller's state; same content, same checks); on
 * any other store each change is a {@link ThreadCommit}. Either way the change is stamped with
 * {@link System#currentTimeMillis()}.
 */
public final class ControlThreads {

    private static final Logger LOG = LoggerFactory.getLogger(ControlThreads.class);
    private static final int RETRIES = 50;

    private final ThreadPolicy policy;
    private final ThreadStateStore store;
    /** Where a thread's controller comes from: its stored state, checked and migrated, or seeding. */
    private final ThreadLoader loader;
    /** The store when it is the in-memory one (its allocation-free commit path), else null. */
    private final InMemoryThreadStateStore memory;
    private final Provenance provenance;
    /** {@link #provenance} in its text form, as written with every state. */
    private final String provenanceText;
    /** One entry per thread used through this instance: its lock and its cached live controller. */
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** Bumped by {@link #clearCache()}: a slot cached under an older generation is reloaded. */
    private final AtomicInteger generation = new AtomicInteger();

    /**
     * A thread's lock and, when cached, its controller as committed at {@code version}. The cached
     * fields are read and written only under {@code lock}.
     */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        /** The live controller, null when not cached. */
        Controller controller;
        long version;
        long lastSeq;
        int generation;
        /**
         * The working copy handed out for an operation on the cached controller, reused (under the
         * lock) from one operation to the next; no operation on this thread nests inside another.
         */
        final Current work = new Current();

        void drop() {
            controller = null;
        }
    }

    /**
     * @param policy how threads are controlled and seeded
     * @param store  where their state lives
     */
    public ControlThreads(ThreadPolicy policy, ThreadStateStore store) {
        this.policy = policy;
        this.store = store;
        this.loader = new ThreadLoader(policy, store);
        this.memory = store instanceof InMemoryThreadStateStore m ? m : null;
        this.provenance = Provenance.of("fabai-apc").with("estimator", policy.prototype().kind())
                .with("estimator.config", describe(policy.prototype())).with("controller", policy.controller())
                .with("seeding", policy.seeding());
        this.provenanceText = provenance.toText();
    }

    private static String describe(Estimator e) {
        if (e instanceof EwmaEstimator x) {
            return x.config().toString();
        } else if (e instanceof DoubleEwmaEstimator x) {
            return x.config().toString();
        } else if (e instanceof HoltEstimator x) {
            return x.config().toString();
        } else if (e instanceof KalmanEstimator x) {
            return x.config().toString();
        } else if (e instanceof RlsEstimator x) {
            return x.config().toString();
        }
        return e.toString();
    }

    /** @return the policy */
    public ThreadPolicy policy() {
        return policy;
    }

    /**
     * @return the provenance written with every thread state (in its {@link Provenance#toText() text
     *         form}): library version, estimator kind and configuration, controller settings, seeding
     */
    public Provenance provenance() {
        return provenance;
    }

    /** @return the store */
    public ThreadStateStore store() {
        return store;
    }

    private Slot slot(Context ctx) {
        String key = ctx.key();
        Slot s = slots.get(key);
        return s != null ? s : slots.computeIfAbsent(key, k -> new Slot());
    }

    private ReentrantLock lock(Context ctx) {
        return slot(ctx).lock;
    }

    /**
     * The thread's working copy; the caller holds the slot's lock. A cached controller is handed out
     * live: the operation mutates it, and if the commit then fails the slot's cache is dropped
     * (reloaded from the store next time).
     */
    private Current current(Context ctx, Slot slot, int gen) {
        if (slot.controller != null && slot.generation == gen) {
            return slot.work.reset(ctx, slot.controller, slot.version, slot.lastSeq);
        }
        slot.drop();
        ThreadLoader.Loaded l = loader.load(ctx);
        Current cur = new Current(ctx, l.controller(), l.version(), l.lastSequence());
        if (l.noteKind() != null) {
            cur.note(l.noteKind(), l.noteDetail());
        }
        return cur;
    }

    /**
     * Why a measurement must be held before it reaches the controller (input outside the thread's
     * bounds, output outside the physical range), or null.
     */
    private String screen(Current cur, Measurement m) {
        var cfg = policy.controller();
        if (m.input() < cfg.lowerBound() || m.input() > cfg.upperBound()) {
            return "input " + m.input() + " of run '" + m.runId() + "' is outside the thread's bounds [" + cfg.lowerBound()
                    + ", " + cfg.upperBound() + "]: held, not applied";
        }
        ThreadPolicy.Limits l = policy.limits();
        if (m.output() < l.outputMin() || m.output() > l.outputMax()) {
            return "output " + m.output() + " of run '" + m.runId() + "' is outside the physical range [" + l.outputMin()
                    + ", " + l.outputMax() + "]: held, not applied";
        }
        return null;
    }

    /**
     * Why an update just applied must be undone (a non-finite state, or a level step beyond the
     * physical limit), or null.
     */
    private String verdict(Current cur, Measurement m, boolean wasValid, double levelBefore) {
        Controller c = cur.controller;
        int n = c.stateLength();
        if (cur.afterState == null || cur.afterState.length != n) {
            cur.afterState = new double[n];
        }
        c.writeState(cur.afterState);
        int bad = ThreadLoader.firstNonFinite(cur.afterState);
        if (bad >= 0) {
            return "run '" + m.runId() + "' (input " + m.input() + ", output " + m.output() + ") would make state entry "
                    + bad + " " + cur.afterState[bad] + ": held, not applied";
        }
        double step = policy.limits().maxLevelStep();
        if (wasValid && Double.isFinite(step)) {
            double jump = Math.abs(c.estimator().predictedOffset() - levelBefore);
            if (!(jump <= step)) {
                return "run '" + m.runId() + "' (output " + m.output() + ") would move the estimated level by " + jump
                        + ", more than the physical limit " + step + ": held, not applied";
            }
        }
        return null;
    }

    private static List<AuditEntry> audits(Current cur, long version, String runId) {
        if (cur.notes == null) {
            return List.of();
        }
        List<AuditEntry> l = new ArrayList<>(cur.notes.size());
        for (String[] n : cur.notes) {
            l.add(new AuditEntry(cur.context.key(), version, n[0], runId, n[1]));
        }
        return l;
    }

    private ThreadRecord record(Current cur, long lastSeq, long timeMs) {
        return new ThreadRecord(cur.context, cur.controller.estimator().kind(), cur.controller.state(), lastSeq,
                cur.version + 1, timeMs, provenanceText);
    }

    /** Records what an operation changed in {@code cur} (see {@link Op}). */
    private static void pending(Current cur, Controller after, long lastSeqAfter, RunRecord run, List<AuditEntry> audit) {
        cur.after = after;
        cur.lastSeqAfter = lastSeqAfter;
        cur.run = run;
        cur.audit = audit;
    }

    /**
     * Commits the change computed in {@code cur}: version {@code cur.version + 1}, the state of
     * {@code cur.after}. On the in-memory store the state is copied straight from the controller
     * (same content, same checks, no intermediate record); on any other store as a {@link ThreadCommit}.
     */
    private void commit(Current cur) {
        long now = System.currentTimeMillis();
        if (memory != null) {
            memory.commitLive(cur.context, cur.after, cur.version, cur.lastSeqAfter, now, provenanceText, cur.run, cur.audit);
        } else {
            ThreadRecord rec = new ThreadRecord(cur.context, cur.after.estimator().kind(), cur.after.state(),
                    cur.lastSeqAfter, cur.version + 1, now, provenanceText);
            store.commit(new ThreadCommit(rec, cur.version, cur.run == null ? List.of() : List.of(cur.run), cur.audit));
        }
    }

    /**
     * One operation on a thread: computes its change from {@code cur}, records it with
     * {@link #pending} and returns the caller's result.
     */
    private interface Op<A, T> {
        T apply(ControlThreads self, Current cur, A arg);
    }

    /** What an operation returns when the store reports its run id as already recorded. */
    private interface OnDuplicate<A, T> {
        T apply(Context context, A arg, Current cur);
    }

    private static final Op<Void, Recommendation> RECOMMEND = (self, cur, none) -> self.recommendChange(cur);
    private static final Op<Measurement, UpdateResult> UPDATE = (self, cur, m) -> self.change(cur, m, false);
    private static final Op<Measurement, UpdateResult> MISSING = (self, cur, m) -> self.change(cur, m, true);
    private static final OnDuplicate<Measurement, UpdateResult> DUPLICATE =
            (ctx, m, cur) -> duplicate(ctx, m.runId(), cur.version);

    private static <A, T> OnDuplicate<A, T> noRun(String what) {
        return (ctx, arg, cur) -> {
            throw new IllegalStateException("internal: " + what + " records no run");
        };
    }

    private static final OnDuplicate<Void, Recommendation> RECOMMEND_NO_RUN = noRun("recommendation");

    /**
     * Runs one operation under the thread's lock: compute from the current state, commit, and on
     * success keep the controller cached. A stale version (another writer on the store) recomputes
     * from the fresh state; any failure drops the cached controller, which the failed operation may
     * have mutated, so nothing uncommitted survives in memory.
     */
    private <A, T> T run(Context ctx, A arg, Op<A, T> op, OnDuplicate<A, T> onDuplicate) {
        Slot slot = slot(ctx);
        ReentrantLock l = slot.lock;
        l.lock();
        try {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                int gen = generation.get();
                Current cur = current(ctx, slot, gen);
                T result;
                try {
                    result = op.apply(this, cur, arg);
                } catch (RuntimeException | Error e) {
                    slot.drop();
                    throw e;
                }
                try {
                    commit(cur);
                } catch (StaleStateException e) {
                    LOG.debug("thread {}: {}; recomputing from the fresh state", ctx, e.getMessage());
                    slot.drop();
                    continue;
                } catch (DuplicateRunException e) {
                    slot.drop();
                    return onDuplicate.apply(ctx, arg, cur);
                } catch (RuntimeException | Error e) {
                    slot.drop();
                    throw e;
                }
                slot.controller = cur.after;
                slot.version = cur.version + 1;
                slot.lastSeq = cur.lastSeqAfter;
                slot.generation = gen;
                return result;
            }
            throw new StoreException("thread " + ctx + ": gave up after " + RETRIES + " conflicting concurrent writers");
        } finally {
            l.unlock();
        }
    }

    /**
     * The recommended input for the next run of a thread; creates and seeds the thread if new.
     * The recommendation (the input the run will use, for rate limits and deadbands) is committed.
     *
     * @param context the thread
     * @return the recommendation
     */
    public Recommendation recommend(Context context) {
        return run(context, null, RECOMMEND, RECOMMEND_NO_RUN);
    }

    private Recommendation recommendChange(Current cur) {
        Recommendation r = cur.controller.recommend();
        if (r.fallback()) {
            cur.note("FALLBACK", r.reason());
        }
        if (r.clipped()) {
            cur.note("CLIPPED", r.reason());
        }
        pending(cur, cur.controller, cur.lastSeq, null, audits(cur, cur.version + 1, ""));
        return r;
    }

    /**
     * The recommendation the thread would give now, without committing anything (what-if).
     *
     * @param context the thread
     * @return the recommendation
     */
    public Recommendation peek(Context context) {
        Slot slot = slot(context);
        slot.lock.lock();
        try {
            return current(context, slot, generation.get()).controller.peek();
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Applies one metrology result; returns after it is committed.
     *
     * @param context     the thread
     * @param measurement the result
     * @return what was done
     */
    public UpdateResult update(Context context, Measurement measurement) {
        return run(context, measurement, UPDATE, DUPLICATE);
    }

    /**
     * Records a run that will never be measured (sampling): a time update, exactly once, in run order.
     *
     * @param context  the thread
     * @param runId    the run
     * @param sequence its place in run order
     * @return what was done
     */
    public UpdateResult missing(Context context, String runId, long sequence) {
        Measurement.checkRunId(runId);
        return run(context, new Measurement(runId, sequence, 0, 0), MISSING, DUPLICATE);
    }

    private static UpdateResult duplicate(Context ctx, String runId, long version) {
        return new UpdateResult(ctx, runId, UpdateResult.Status.DUPLICATE, Double.NaN, version,
                "run '" + runId + "' was already recorded: ignored");
    }

    private UpdateResult change(Current cur, Measurement m, boolean missing) {
        long version = cur.version + 1;
        if (m.sequence() <= cur.lastSeq) {
            String msg = "run '" + m.runId() + "' has sequence " + m.sequence() + ", not after the latest applied "
                    + cur.lastSeq + ": not applied";
            cur.note("LATE_REJECTED", msg);
            RunRecord run = new RunRecord(m.runId(), m.sequence(), missing ? Double.NaN : m.input(),
                    missing ? Double.NaN : m.output(), UpdateResult.Status.LATE_REJECTED.name());
            pending(cur, cur.controller, cur.lastSeq, run, audits(cur, version, m.runId()));
            return new UpdateResult(cur.context, m.runId(), UpdateResult.Status.LATE_REJECTED, Double.NaN, version, msg);
        }
        UpdateResult.Status status;
        double innovation = Double.NaN;
        String msg;
        if (missing) {
            cur.controller.missing();
            status = UpdateResult.Status.MISSING;
            msg = "no measurement: time update";
        } else {
            boolean wasValid = cur.controller.valid();
            String held = screen(cur, m);
            UpdateOutcome o = null;
            if (held == null) {
                Controller c = cur.controller;
                int n = c.stateLength();
                if (cur.before == null || cur.before.length != n) {
                    cur.before = new double[n];
                }
                c.writeState(cur.before);
                double levelBefore = wasValid ? c.estimator().predictedOffset() : Double.NaN;
                o = c.update(m.input(), m.output());
                held = verdict(cur, m, wasValid, levelBefore);
                if (held != null) {
                    c.restore(cur.before);
                }
            }
            if (held != null) {
                LOG.warn("thread {}: {}", cur.context, held);
                status = UpdateResult.Status.OUTLIER_HELD;
                msg = held;
                cur.note(status.name(), msg);
            } else {
                innovation = wasValid ? o.innovation() : Double.NaN;
                msg = o.message();
                status = switch (o.status()) {
                    case ACCEPTED -> wasValid ? UpdateResult.Status.APPLIED : UpdateResult.Status.SEEDED;
                    case OUTLIER_HELD -> UpdateResult.Status.OUTLIER_HELD;
                    case SHIFT_ACCEPTED -> UpdateResult.Status.SHIFT_ACCEPTED;
                };
                if (status != UpdateResult.Status.APPLIED) {
                    cur.note(status.name(), msg);
                }
            }
        }
        RunRecord run = new RunRecord(m.runId(), m.sequence(), missing ? Double.NaN : m.input(),
                missing ? Double.NaN : m.output(), status.name());
        pending(cur, cur.controller, m.sequence(), run, audits(cur, version, m.runId()));
        return new UpdateResult(cur.context, m.runId(), status, innovation, version, msg);
    }

    /**
     * Applies many results in one store transaction (for throughput: one durable commit for the
     * batch). Results for one thread apply in the order given. If the batch meets a replayed run id
     * already in the store or a concurrent writer, it falls back to one update at a time, with the
     * same outcome as calling {@link #update} for each.
     *
     * @param batch thread and result pairs
     * @return one result per entry, in order
     */
    public List<UpdateResult> updateBatch(List<Map.Entry<Context, Measurement>> batch) {
        TreeMap<String, Context> keys = new TreeMap<>();
        for (Map.Entry<Context, Measurement> e : batch) {
            keys.put(e.getKey().key(), e.getKey());
        }
        Map<String, Slot> held = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Context> k : keys.entrySet()) {
                Slot s = slot(k.getValue());
                s.lock.lock();
                held.put(k.getKey(), s);
            }
            try {
                return batchLocked(batch, held);
            } catch (RuntimeException | Error ex) {
                for (Slot s : held.values()) {
                    s.drop();
                }
                throw ex;
            }
        } finally {
            for (Slot s : held.values()) {
                s.lock.unlock();
            }
        }
    }

    private List<UpdateResult> batchLocked(List<Map.Entry<Context, Measurement>> batch, Map<String, Slot> held) {
        int gen = generation.get();
        Map<String, Current> work = new LinkedHashMap<>();
        Map<String, List<RunRecord>> runs = new HashMap<>();
        Map<String, List<AuditEntry>> audit = new HashMap<>();
        Map<String, Set<String>> ids = new HashMap<>();
        List<UpdateResult> results = new ArrayList<>();
        for (Map.Entry<Context, Measurement> e : batch) {
            String key = e.getKey().key();
            Current cur = work.get(key);
            if (cur == null) {
                cur = current(e.getKey(), held.get(key), gen);
                work.put(key, cur);
            }
            Measurement m = e.getValue();
            if (!ids.computeIfAbsent(key, k -> new HashSet<>()).add(m.runId())) {
                results.add(duplicate(e.getKey(), m.runId(), cur.version + 1));
                continue;
            }
            results.add(change(cur, m, false));
            runs.computeIfAbsent(key, k -> new ArrayList<>()).add(cur.run);
            audit.computeIfAbsent(key, k -> new ArrayList<>()).addAll(cur.audit);
            // continue from the new state, same version slot (one version per thread per batch)
            Current next = new Current(cur.context, cur.controller, cur.version, cur.lastSeqAfter);
            work.put(key, next);
        }
        List<ThreadCommit> commits = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Current cur : work.values()) {
            String key = cur.context.key();
            commits.add(new ThreadCommit(record(cur, cur.lastSeq, now), cur.version,
                    runs.getOrDefault(key, List.of()), audit.getOrDefault(key, List.of())));
        }
        try {
            store.commit(commits);
        } catch (StaleStateException | DuplicateRunException ex) {
            LOG.debug("batch of {} fell back to single updates: {}", batch.size(), ex.getMessage());
            for (Slot s : held.values()) {
                s.drop();
            }
            List<UpdateResult> single = new ArrayList<>();
            for (Map.Entry<Context, Measurement> e : batch) {
                single.add(update(e.getKey(), e.getValue()));
            }
            return single;
        }
        for (ThreadCommit c : commits) {
            String key = c.record().context().key();
            Slot s = held.get(key);
            s.controller = work.get(key).controller;
            s.version = c.record().version();
            s.lastSeq = c.record().lastSequence();
            s.generation = gen;
        }
        return results;
    }

    /**
     * A maintenance event: the thread's estimate is reset and re-seeded (keeping its last input),
     * and its run order restarts: the next run is accepted whatever its sequence (a run id already
     * recorded is still a duplicate). With {@link Seeding#FIRST_MEASUREMENT} it falls back to the
     * nominal recipe until the next measurement.
     *
     * @param context the thread
     * @param seeding how to re-seed
     * @param note    what happened (e.g. "PM 2026-11-29, chamber wet clean"), kept in the audit
     * @return the thread's new version
     */
    public long maintenance(Context context, Seeding seeding, String note) {
        return run(context, null, (self, cur, none) -> {
            StringBuilder detail = new StringBuilder();
            Controller fresh = loader.seed(context, seeding, detail);
            fresh.applied(cur.controller.lastInput());
            Current next = new Current(context, fresh, cur.version, cur.lastSeq);
            if (cur.notes != null) {
                for (String[] n : cur.notes) {
                    next.note(n[0], n[1]);
                }
            }
            next.note("MAINTENANCE", note + "; re-seeded: " + detail + (cur.lastSeq == Long.MIN_VALUE ? ""
                    : "; run order restarts (latest sequence was " + cur.lastSeq + ")"));
            pending(cur, fresh, Long.MIN_VALUE, null, audits(next, cur.version + 1, ""));
            return cur.version + 1;
        }, ControlThreads.<Void, Long>noRun("maintenance"));
    }

    /**
     * A detached copy of a thread's controller, for inspection.
     *
     * @param context the thread
     * @return the controller, if the thread exists
     */
    public Optional<Controller> controller(Context context) {
        Optional<ThreadRecord> r = store.load(context);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(loader.restore(r.get()));
    }

    /** Forgets cached states (they are reloaded from the store on next use). */
    public void clearCache() {
        generation.incrementAndGet();
    }
}
