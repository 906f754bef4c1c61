package org.fabai.apc.estimator;

/**
 * Configuration of {@link HoltEstimator}. Immutable, thread-safe.
 *
 * @param lambda1          level weight {@code h1}, in (0, 1]
 * @param lambda2          drift weight {@code h2}, in (0, 1]
 * @param gain             model gain {@code b}, finite and non-zero
 * @param initialIntercept starting level
 * @param initialDrift     starting drift per run
 */
public record HoltConfig(double lambda1, double lambda2, double gain, double initialIntercept,
                               double initialDrift) {
    /** Validates the parameters. */
    public HoltConfig {
        if (!(lambda1 > 0 && lambda1 <= 1)) {
            throw new IllegalArgumentException("lambda1 must be in (0, 1], got " + lambda1);
        }
        if (!(lambda2 > 0 && lambda2 <= 1)) {
            throw new IllegalArgumentException("lambda2 must be in (0, 1], got " + lambda2);
        }
        if (!Double.isFinite(gain) || gain == 0) {
            throw new IllegalArgumentException("gain must be finite and non-zero, got " + gain);
        }
        Estimator.requireFinite("initialIntercept", initialIntercept);
        Estimator.requireFinite("initialDrift", initialDrift);
    }
}
