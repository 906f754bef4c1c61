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
import java.util.concurrent.locks.ReentrantLock;

import org.fabai.core.FabaiVersion;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.control.UpdateOutcome;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
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
 */
public final class ControlThreads {

    private static final Logger LOG = LoggerFactory.getLogger(ControlThreads.class);
    private static final int RETRIES = 50;

    private final ThreadPolicy policy;
    private final ThreadStateStore store;
    private final String provenance;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Live controllers of recently used threads; mutated only under the thread's lock. */
    private final ConcurrentHashMap<String, Live> cache = new ConcurrentHashMap<>();

    /** A cached thread: its controller as committed at {@code version}. */
    private static final class Live {
        final Controller controller;
        final long version;
        final long lastSeq;

        Live(Controller controller, long version, long lastSeq) {
            this.controller = controller;
            this.version = version;
            this.lastSeq = lastSeq;
        }
    }

    /**
     * @param policy how threads are controlled and seeded
     * @param store  where their state lives
     */
    public ControlThreads(ThreadPolicy policy, ThreadStateStore store) {
        this.policy = policy;
        this.store = store;
        this.provenance = "fabai-apc " + FabaiVersion.get() + "; " + policy.prototype().kind() + " "
                + describe(policy.prototype()) + "; " + policy.controller() + "; seeding " + policy.seeding();
    }

    private static String describe(Estimator e) {
        if (e instanceof EwmaEstimator x) {
            return x.config().toString();
        } else if (e instanceof DoubleEwmaEstimator x) {
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

    /** @return the provenance written with every thread state: library version, estimator and controller settings */
    public String provenance() {
        return provenance;
    }

    /** @return the store */
    public ThreadStateStore store() {
        return store;
    }

    /** A thread's working copy for one operation. */
    private static final class Current {
        final Context context;
        final Controller controller;
        final long version;
        final long lastSeq;
        final List<String[]> notes = new ArrayList<>(); // kind, detail

        Current(Context context, Controller controller, long version, long lastSeq) {
            this.context = context;
            this.controller = controller;
            this.version = version;
            this.lastSeq = lastSeq;
        }
    }

    private ReentrantLock lock(Context ctx) {
        return locks.computeIfAbsent(ctx.key(), k -> new ReentrantLock());
    }

    /**
     * The thread's working copy. A cached controller is handed out live: the operation mutates it,
     * and if the commit then fails the cache entry is dropped (reloaded from the store next time).
     */
    private Current current(Context ctx) {
        Live live = cache.get(ctx.key());
        if (live != null) {
            return new Current(ctx, live.controller, live.version, live.lastSeq);
        }
        ThreadRecord r = store.load(ctx).orElse(null);
        if (r == null) {
            StringBuilder detail = new StringBuilder();
            Controller c = seed(ctx, policy.seeding(), detail);
            Current cur = new Current(ctx, c, 0, Long.MIN_VALUE);
            cur.notes.add(new String[] {"SEEDED", detail.toString()});
            return cur;
        }
        Controller c = new Controller(policy.controller(), policy.prototype());
        String problem = null;
        if (!r.kind().equals(c.estimator().kind())) {
            problem = "stored state is for estimator '" + r.kind() + "', policy uses '" + c.estimator().kind() + "'";
        } else {
            try {
                c.restore(r.state());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            LOG.warn("thread {}: {}: falling back to the nominal recipe until the next measurement", ctx, problem);
            c = Controller.unseeded(policy.controller(), policy.prototype());
            Current cur = new Current(ctx, c, r.version(), r.lastSequence());
            cur.notes.add(new String[] {"INVALID_STATE", problem + ": nominal recipe until the next measurement"});
            return cur;
        }
        return new Current(ctx, c, r.version(), r.lastSequence());
    }

    private List<Map.Entry<Context, Double>> validLevels(Context exclude) {
        List<Map.Entry<Context, Double>> out = new ArrayList<>();
        for (ThreadRecord r : store.loadAll()) {
            if (r.context().equals(exclude) || !r.context().sameDimensions(exclude)) {
                continue;
            }
            Controller c = new Controller(policy.controller(), policy.prototype());
            if (!r.kind().equals(c.estimator().kind())) {
                continue;
            }
            try {
                c.restore(r.state());
            } catch (IllegalArgumentException e) {
                continue;
            }
            double level = c.estimator().predictedOffset();
            if (c.valid() && Double.isFinite(level)) {
                out.add(Map.entry(r.context(), level));
            }
        }
        return out;
    }

    private Controller seed(Context ctx, Seeding how, StringBuilder detail) {
        switch (how) {
            case NOMINAL:
                detail.append("nominal model");
                return new Controller(policy.controller(), policy.prototype());
            case FIRST_MEASUREMENT:
                detail.append("no state: nominal recipe until the first measurement");
                return Controller.unseeded(policy.controller(), policy.prototype());
            case NEAREST_SIBLINGS: {
                List<Map.Entry<Context, Double>> levels = validLevels(ctx);
                int best = 0;
                for (Map.Entry<Context, Double> e : levels) {
                    best = Math.max(best, e.getKey().shared(ctx));
                }
                if (best == 0) {
                    detail.append("no sibling shares a dimension value: nominal recipe until the first measurement");
                    return Controller.unseeded(policy.controller(), policy.prototype());
                }
                double sum = 0;
                List<String> used = new ArrayList<>();
                for (Map.Entry<Context, Double> e : levels) {
                    if (e.getKey().shared(ctx) == best) {
                        sum += e.getValue();
                        used.add(e.getKey().key());
                    }
                }
                double level = sum / used.size();
                Controller c = new Controller(policy.controller(), policy.prototype());
                c.estimator().resetLevel(level);
                detail.append("level ").append(level).append(" = mean of ").append(used.size())
                        .append(" nearest siblings sharing ").append(best).append(" dimension(s): ").append(used);
                return c;
            }
            case CONTEXT_OFFSET: {
                List<Map.Entry<Context, Double>> levels = validLevels(ctx);
                if (levels.isEmpty()) {
                    detail.append("no thread with the same dimensions: nominal recipe until the first measurement");
                    return Controller.unseeded(policy.controller(), policy.prototype());
                }
                List<Context> ctxs = new ArrayList<>();
                double[] lv = new double[levels.size()];
                for (int i = 0; i < lv.length; i++) {
                    ctxs.add(levels.get(i).getKey());
                    lv[i] = levels.get(i).getValue();
                }
                ContextOffsetModel m = ContextOffsetModel.fit(ctxs, lv);
                double level = m.predict(ctx);
                Controller c = new Controller(policy.controller(), policy.prototype());
                c.estimator().resetLevel(level);
                detail.append("level ").append(level).append(" from a context-offset model over ").append(m.threads())
                        .append(" threads (mean ").append(m.mean()).append(')');
                return c;
            }
            default:
                throw new IllegalArgumentException("unknown seeding " + how);
        }
    }

    private static List<AuditEntry> audits(Current cur, long version, String runId) {
        List<AuditEntry> l = new ArrayList<>();
        for (String[] n : cur.notes) {
            l.add(new AuditEntry(cur.context.key(), version, n[0], runId, n[1]));
        }
        return l;
    }

    private ThreadRecord record(Current cur, long lastSeq) {
        return new ThreadRecord(cur.context, cur.controller.estimator().kind(), cur.controller.state(), lastSeq,
                cur.version + 1, System.currentTimeMillis(), provenance);
    }

    /** A computed change of one thread; {@code controller} is its state after the change. */
    private record Change<T>(ThreadCommit commit, T result, Controller controller) {
    }

    private interface Op<T> {
        Change<T> apply(Current cur);
    }

    private <T> T run(Context ctx, Op<T> op, java.util.function.Function<Current, T> onDuplicate) {
        ReentrantLock l = lock(ctx);
        l.lock();
        try {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                Current cur = current(ctx);
                Change<T> ch;
                try {
                    ch = op.apply(cur);
                } catch (RuntimeException e) {
                    cache.remove(ctx.key());
                    throw e;
                }
                try {
                    store.commit(List.of(ch.commit()));
                } catch (StaleStateException e) {
                    LOG.debug("thread {}: {}; recomputing from the fresh state", ctx, e.getMessage());
                    cache.remove(ctx.key());
                    continue;
                } catch (DuplicateRunException e) {
                    cache.remove(ctx.key());
                    return onDuplicate.apply(cur);
                } catch (RuntimeException e) {
                    cache.remove(ctx.key());
                    throw e;
                }
                ThreadRecord rec = ch.commit().record();
                cache.put(ctx.key(), new Live(ch.controller(), rec.version(), rec.lastSequence()));
                return ch.result();
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
        return run(context, cur -> {
            Recommendation r = cur.controller.recommend();
            if (r.fallback()) {
                cur.notes.add(new String[] {"FALLBACK", r.reason()});
            }
            if (r.clipped()) {
                cur.notes.add(new String[] {"CLIPPED", r.reason()});
            }
            ThreadRecord rec = record(cur, cur.lastSeq);
            return new Change<>(new ThreadCommit(rec, cur.version, List.of(), audits(cur, rec.version(), "")), r,
                    cur.controller);
        }, cur -> {
            throw new IllegalStateException("internal: recommendation records no run");
        });
    }

    /**
     * The recommendation the thread would give now, without committing anything (what-if).
     *
     * @param context the thread
     * @return the recommendation
     */
    public Recommendation peek(Context context) {
        ReentrantLock l = lock(context);
        l.lock();
        try {
            return current(context).controller.peek();
        } finally {
            l.unlock();
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
        return run(context, cur -> change(cur, measurement, false),
                cur -> duplicate(context, measurement.runId(), cur.version));
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
        Measurement m = new Measurement(runId, sequence, 0, 0);
        return run(context, cur -> change(cur, m, true), cur -> duplicate(context, runId, cur.version));
    }

    private static UpdateResult duplicate(Context ctx, String runId, long version) {
        return new UpdateResult(ctx, runId, UpdateResult.Status.DUPLICATE, Double.NaN, version,
                "run '" + runId + "' was already recorded: ignored");
    }

    private Change<UpdateResult> change(Current cur, Measurement m, boolean missing) {
        long version = cur.version + 1;
        if (m.sequence() <= cur.lastSeq) {
            String msg = "run '" + m.runId() + "' has sequence " + m.sequence() + ", not after the latest applied "
                    + cur.lastSeq + ": not applied";
            cur.notes.add(new String[] {"LATE_REJECTED", msg});
            RunRecord run = new RunRecord(m.runId(), m.sequence(), missing ? Double.NaN : m.input(),
                    missing ? Double.NaN : m.output(), UpdateResult.Status.LATE_REJECTED.name());
            ThreadRecord rec = record(cur, cur.lastSeq);
            return new Change<>(new ThreadCommit(rec, cur.version, List.of(run), audits(cur, version, m.runId())),
                    new UpdateResult(cur.context, m.runId(), UpdateResult.Status.LATE_REJECTED, Double.NaN, version, msg),
                    cur.controller);
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
            UpdateOutcome o = cur.controller.update(m.input(), m.output());
            innovation = wasValid ? o.innovation() : Double.NaN;
            msg = o.message();
            status = switch (o.status()) {
                case ACCEPTED -> wasValid ? UpdateResult.Status.APPLIED : UpdateResult.Status.SEEDED;
                case OUTLIER_HELD -> UpdateResult.Status.OUTLIER_HELD;
                case SHIFT_ACCEPTED -> UpdateResult.Status.SHIFT_ACCEPTED;
            };
            if (status != UpdateResult.Status.APPLIED) {
                cur.notes.add(new String[] {status.name(), msg});
            }
        }
        RunRecord run = new RunRecord(m.runId(), m.sequence(), missing ? Double.NaN : m.input(),
                missing ? Double.NaN : m.output(), status.name());
        ThreadRecord rec = record(cur, m.sequence());
        return new Change<>(new ThreadCommit(rec, cur.version, List.of(run), audits(cur, version, m.runId())),
                new UpdateResult(cur.context, m.runId(), status, innovation, version, msg), cur.controller);
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
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (Context c : keys.values()) {
                ReentrantLock l = lock(c);
                l.lock();
                held.add(l);
            }
            try {
                return batchLocked(batch, keys);
            } catch (RuntimeException ex) {
                for (String k : keys.keySet()) {
                    cache.remove(k);
                }
                throw ex;
            }
        } finally {
            for (ReentrantLock l : held) {
                l.unlock();
            }
        }
    }

    private List<UpdateResult> batchLocked(List<Map.Entry<Context, Measurement>> batch, TreeMap<String, Context> keys) {
        Map<String, Current> work = new LinkedHashMap<>();
        Map<String, List<RunRecord>> runs = new HashMap<>();
        Map<String, List<AuditEntry>> audit = new HashMap<>();
        Map<String, Set<String>> ids = new HashMap<>();
        List<UpdateResult> results = new ArrayList<>();
        for (Map.Entry<Context, Measurement> e : batch) {
            String key = e.getKey().key();
            Current cur = work.get(key);
            if (cur == null) {
                cur = current(e.getKey());
                work.put(key, cur);
            }
            Measurement m = e.getValue();
            if (!ids.computeIfAbsent(key, k -> new HashSet<>()).add(m.runId())) {
                results.add(duplicate(e.getKey(), m.runId(), cur.version + 1));
                continue;
            }
            Change<UpdateResult> ch = change(cur, m, false);
            runs.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ch.commit().runs());
            audit.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ch.commit().audit());
            cur.notes.clear();
            results.add(ch.result());
            // continue from the new state, same version slot (one version per thread per batch)
            Current next = new Current(cur.context, cur.controller, cur.version, ch.commit().record().lastSequence());
            work.put(key, next);
        }
        List<ThreadCommit> commits = new ArrayList<>();
        for (Current cur : work.values()) {
            String key = cur.context.key();
            commits.add(new ThreadCommit(record(cur, cur.lastSeq), cur.version,
                    runs.getOrDefault(key, List.of()), audit.getOrDefault(key, List.of())));
        }
        try {
            store.commit(commits);
        } catch (StaleStateException | DuplicateRunException ex) {
            LOG.debug("batch of {} fell back to single updates: {}", batch.size(), ex.getMessage());
            for (String k : keys.keySet()) {
                cache.remove(k);
            }
            List<UpdateResult> single = new ArrayList<>();
            for (Map.Entry<Context, Measurement> e : batch) {
                single.add(update(e.getKey(), e.getValue()));
            }
            return single;
        }
        for (ThreadCommit c : commits) {
            String key = c.record().context().key();
            cache.put(key, new Live(work.get(key).controller, c.record().version(), c.record().lastSequence()));
        }
        return results;
    }

    /**
     * A maintenance event: the thread's estimate is reset and re-seeded (keeping its last input and
     * run order). With {@link Seeding#FIRST_MEASUREMENT} it falls back to the nominal recipe until
     * the next measurement.
     *
     * @param context the thread
     * @param seeding how to re-seed
     * @param note    what happened (e.g. "PM 2026-11-29, chamber wet clean"), kept in the audit
     * @return the thread's new version
     */
    public long maintenance(Context context, Seeding seeding, String note) {
        return run(context, cur -> {
            StringBuilder detail = new StringBuilder();
            Controller fresh = seed(context, seeding, detail);
            fresh.applied(cur.controller.lastInput());
            Current next = new Current(context, fresh, cur.version, cur.lastSeq);
            next.notes.addAll(cur.notes);
            next.notes.add(new String[] {"MAINTENANCE", note + "; re-seeded: " + detail});
            ThreadRecord rec = record(next, cur.lastSeq);
            return new Change<>(new ThreadCommit(rec, cur.version, List.of(), audits(next, rec.version(), "")), rec.version(),
                    fresh);
        }, cur -> {
            throw new IllegalStateException("internal: maintenance records no run");
        });
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
        Controller c = new Controller(policy.controller(), policy.prototype());
        c.restore(r.get().state());
        return Optional.of(c);
    }

    /** Forgets cached states (they are reloaded from the store on next use). */
    public void clearCache() {
        cache.clear();
    }
}
