package org.fabai.apc.estimator;

/**
 * Configuration of {@link DoubleEwmaEstimator}, the Butler–Stefani double EWMA. Immutable,
 * thread-safe. The lambdas mean what they mean in the R2R literature (Butler &amp; Stefani 1994), so
 * values tuned on a fab's R2R system carry over.
 *
 * @param lambda1          weight {@code λ1} of the intercept EWMA {@code a_t}, in (0, 1]
 * @param lambda2          weight {@code λ2} of the drift term {@code D_t}, in (0, 1]
 * @param gain             model gain {@code b}, finite and non-zero
 * @param initialIntercept starting intercept {@code a_0}
 * @param initialDrift     starting drift term {@code D_0} (the term added to the prediction; under a
 *                         steady drift of {@code δ} per run it settles at {@code δ/λ1})
 */
public record DoubleEwmaConfig(double lambda1, double lambda2, double gain, double initialIntercept,
                               double initialDrift) {
    /** Validates the parameters. */
    public DoubleEwmaConfig {
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
