package org.fabai.apc.thread;

import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.estimator.Estimator;

/**
 * How every thread of one {@link ControlThreads} is controlled: the controller settings, the
 * estimator (as a prototype, copied fresh for each thread) and how new threads are seeded.
 * Immutable, thread-safe (the prototype is never handed out, only fresh copies).
 *
 * @param controller controller settings
 * @param prototype  estimator prototype (its configured initial state is the nominal model)
 * @param seeding    seeding of new threads
 */
public record ThreadPolicy(ControllerConfig controller, Estimator prototype, Seeding seeding) {
    /** Validates and takes a private fresh copy of the prototype. */
    public ThreadPolicy {
        if (controller == null || prototype == null || seeding == null) {
            throw new IllegalArgumentException("controller, prototype and seeding must not be null");
        }
        prototype = prototype.fresh();
    }

    /** @return a fresh estimator in its configured initial state */
    @Override
    public Estimator prototype() {
        return prototype.fresh();
    }
}
