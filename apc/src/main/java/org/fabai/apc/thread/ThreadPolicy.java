package org.fabai.apc.thread;

import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.estimator.Estimator;

/**
 * How every thread of one {@link ControlThreads} is controlled: the controller settings, the
 * estimator (as a prototype, copied fresh for each thread) and how new threads are seeded.
 * Immutable, thread-safe (the prototype is never handed out, only fresh copies).
 *
 * <p>Whatever the limits, a measurement whose input lies outside the controller's bounds, or whose
 * update would leave a non-finite value in the thread's state, is held (never applied) and audited;
 * {@link Limits} adds the physical range of the output and the largest credible step of the
 * estimated level.
 *
 * @param controller controller settings
 * @param prototype  estimator prototype (its configured initial state is the nominal model)
 * @param seeding    seeding of new threads
 * @param limits     physical limits of a measurement ({@link Limits#NONE}: only the always-on checks)
 */
public record ThreadPolicy(ControllerConfig controller, Estimator prototype, Seeding seeding, Limits limits) {
    /** Validates and takes a private fresh copy of the prototype. */
    public ThreadPolicy {
        if (controller == null || prototype == null || seeding == null || limits == null) {
            throw new IllegalArgumentException("controller, prototype, seeding and limits must not be null");
        }
        prototype = prototype.fresh();
    }

    /**
     * A policy without physical limits ({@link Limits#NONE}).
     *
     * @param controller controller settings
     * @param prototype  estimator prototype
     * @param seeding    seeding of new threads
     */
    public ThreadPolicy(ControllerConfig controller, Estimator prototype, Seeding seeding) {
        this(controller, prototype, seeding, Limits.NONE);
    }

    /**
     * @param l physical limits
     * @return this policy with those limits
     */
    public ThreadPolicy withLimits(Limits l) {
        return new ThreadPolicy(controller, prototype, seeding, l);
    }

    /**
     * What a credible measurement looks like, physically. A measurement outside these is held and
     * audited ({@code OUTLIER_HELD}), never applied.
     *
     * @param outputMin    smallest credible measured output
     * @param outputMax    largest credible measured output
     * @param maxLevelStep largest credible change of the estimated level (the process offset) from
     *                     one measurement, positive ({@code Infinity}: no limit)
     */
    public record Limits(double outputMin, double outputMax, double maxLevelStep) {
        /** No physical limits beyond the always-on checks. */
        public static final Limits NONE = new Limits(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY);

        /** Validates the limits. */
        public Limits {
            if (Double.isNaN(outputMin) || Double.isNaN(outputMax) || !(outputMin < outputMax)) {
                throw new IllegalArgumentException("outputMin must be < outputMax, got [" + outputMin + ", " + outputMax + "]");
            }
            if (!(maxLevelStep > 0)) {
                throw new IllegalArgumentException("maxLevelStep must be > 0, got " + maxLevelStep);
            }
        }
    }

    /** @return a fresh estimator in its configured initial state */
    @Override
    public Estimator prototype() {
        return prototype.fresh();
    }
}
