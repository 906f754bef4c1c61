package org.fabai.apc.thread;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.fabai.apc.control.Controller;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
import org.fabai.apc.estimator.HoltEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link ControlThreads} thread's controller comes from: its stored state, checked (a
 * non-finite or mismatched state falls back to the nominal recipe) and migrated (a Holt state that
 * fabai's earlier {@code dewma} wrote, for a d-EWMA policy), or the policy's {@link Seeding} for a
 * thread with no state. Package-private; thread-safe (it only reads the store).
 */
final class ThreadLoader {

    /** Under {@link ControlThreads}' name: these are its warnings. */
    private static final Logger LOG = LoggerFactory.getLogger(ControlThreads.class);

    private final ThreadPolicy policy;
    private final ThreadStateStore store;

    /**
     * A loaded or seeded controller, the version and latest applied sequence it starts from, and the
     * audit note (kind and detail) its loading made, or nulls for none.
     */
    record Loaded(Controller controller, long version, long lastSequence, String noteKind, String noteDetail) {
    }

    ThreadLoader(ThreadPolicy policy, ThreadStateStore store) {
        this.policy = policy;
        this.store = store;
    }

    /**
     * The thread's controller: restored from its stored state (a Holt state migrated to d-EWMA), or
     * unseeded with a note when that state is unusable, or seeded by the policy when there is none.
     */
    Loaded load(Context ctx) {
        ThreadRecord r = store.load(ctx).orElse(null);
        if (r == null) {
            StringBuilder detail = new StringBuilder();
            Controller c = seed(ctx, policy.seeding(), detail);
            return new Loaded(c, 0, Long.MIN_VALUE, "SEEDED", detail.toString());
        }
        Controller c = new Controller(policy.controller(), policy.prototype());
        String problem = null;
        double[] migrated = migrateHolt(r, c);
        if (migrated == null && !r.kind().equals(c.estimator().kind())) {
            problem = "stored state is for estimator '" + r.kind() + "', policy uses '" + c.estimator().kind() + "'";
        } else {
            try {
                c.restore(migrated != null ? migrated : r.state());
                int bad = firstNonFinite(r.state());
                if (bad >= 0) {
                    problem = "stored state entry " + bad + " is " + r.state()[bad] + " (state " + Arrays.toString(r.state())
                            + "); the state is discarded and the thread re-seeded";
                }
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            LOG.warn("thread {}: {}: falling back to the nominal recipe until the next measurement", ctx, problem);
            c = Controller.unseeded(policy.controller(), policy.prototype());
            return new Loaded(c, r.version(), r.lastSequence(), "INVALID_STATE",
                    problem + ": nominal recipe until the next measurement");
        }
        if (migrated != null) {
            String detail = "stored state of Holt's smoother (fabai's earlier 'dewma', " + r.provenance()
                    + ") migrated to the Butler-Stefani d-EWMA with the same next prediction and drift per run; "
                    + "to keep the earlier dynamics use 'holt' with the same lambdas";
            LOG.warn("thread {}: {}", ctx, detail);
            return new Loaded(c, r.version(), r.lastSequence(), "MIGRATED", detail);
        }
        return new Loaded(c, r.version(), r.lastSequence(), null, null);
    }

    /** A stored state restored into a new controller (a Holt state migrated), for inspection. */
    Controller restore(ThreadRecord r) {
        Controller c = new Controller(policy.controller(), policy.prototype());
        double[] migrated = migrateHolt(r, c);
        c.restore(migrated != null ? migrated : r.state());
        return c;
    }

    /**
     * A stored state of Holt's smoother (kind {@code holt}: what fabai's earlier {@code dewma}
     * wrote) for a policy that uses the Butler–Stefani d-EWMA: the controller state with its
     * estimator part converted by {@link DoubleEwmaEstimator#fromHolt(double, double)}; null when
     * the record is anything else.
     */
    private static double[] migrateHolt(ThreadRecord r, Controller c) {
        if (!HoltEstimator.KIND.equals(r.kind()) || !(c.estimator() instanceof DoubleEwmaEstimator d)) {
            return null;
        }
        double[] s = r.state();
        if (s.length != c.stateLength() || !Double.isFinite(s[s.length - 2]) || !Double.isFinite(s[s.length - 1])) {
            return null;
        }
        double[] ad = d.fromHolt(s[s.length - 2], s[s.length - 1]);
        s[s.length - 2] = ad[0];
        s[s.length - 1] = ad[1];
        return s;
    }

    /** @return the index of the first non-finite entry of {@code s}, -1 when all are finite */
    static int firstNonFinite(double[] s) {
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                return i;
            }
        }
        return -1;
    }

    private List<Map.Entry<Context, Double>> validLevels(Context exclude) {
        List<Map.Entry<Context, Double>> out = new ArrayList<>();
        for (ThreadRecord r : store.loadAll()) {
            if (r.context().equals(exclude) || !r.context().sameDimensions(exclude)) {
                continue;
            }
            Controller c = new Controller(policy.controller(), policy.prototype());
            double[] migrated = migrateHolt(r, c);
            if (migrated == null && !r.kind().equals(c.estimator().kind())) {
                continue;
            }
            try {
                c.restore(migrated != null ? migrated : r.state());
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

    /**
     * A new controller for {@code ctx} as {@code how} says; what was done is appended to
     * {@code detail} (for the audit).
     */
    Controller seed(Context ctx, Seeding how, StringBuilder detail) {
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
}
