package org.fabai.apc.estimator;

/**
 * Configuration of {@link EwmaEstimator}. Immutable, thread-safe.
 *
 * @param lambda           EWMA weight of the newest observation, in (0, 1]
 * @param gain             model gain {@code b}, finite and non-zero
 * @param initialIntercept starting intercept {@code a_0}
 */
public record EwmaConfig(double lambda, double gain, double initialIntercept) {
    /** Validates the parameters. */
    public EwmaConfig {
        if (!(lambda > 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1], got " + lambda);
        }
        if (!Double.isFinite(gain) || gain == 0) {
            throw new IllegalArgumentException("gain must be finite and non-zero, got " + gain);
        }
        Estimator.requireFinite("initialIntercept", initialIntercept);
    }
}
