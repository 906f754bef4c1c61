package org.fabai.apc.estimator;

/**
 * Configuration of {@link RlsEstimator}. Immutable, thread-safe.
 *
 * @param forgetting        forgetting factor μ in (0, 1]; 1 = no forgetting
 * @param initialIntercept  starting intercept
 * @param initialGain       starting (nominal) gain, finite and non-zero; its sign is kept for control
 * @param initialVariance   starting variance of both parameters, &gt; 0
 * @param minGainMagnitude  smallest |gain| used for control, &gt; 0 (guards against division by ~0)
 * @param maxVariance       cap on the trace of the covariance (guards against windup when the input
 *                          does not vary), &gt; 0
 */
public record RlsConfig(double forgetting, double initialIntercept, double initialGain, double initialVariance,
                        double minGainMagnitude, double maxVariance) {
    /** Validates the parameters. */
    public RlsConfig {
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new IllegalArgumentException("forgetting must be in (0, 1], got " + forgetting);
        }
        Estimator.requireFinite("initialIntercept", initialIntercept);
        if (!Double.isFinite(initialGain) || initialGain == 0) {
            throw new IllegalArgumentException("initialGain must be finite and non-zero, got " + initialGain);
        }
        if (!(initialVariance > 0) || !Double.isFinite(initialVariance)) {
            throw new IllegalArgumentException("initialVariance must be finite and > 0, got " + initialVariance);
        }
        if (!(minGainMagnitude > 0) || !Double.isFinite(minGainMagnitude)) {
            throw new IllegalArgumentException("minGainMagnitude must be finite and > 0, got " + minGainMagnitude);
        }
        if (!(maxVariance > 0) || !Double.isFinite(maxVariance)) {
            throw new IllegalArgumentException("maxVariance must be finite and > 0, got " + maxVariance);
        }
    }

    /**
     * Sensible defaults around a nominal model.
     *
     * @param forgetting       forgetting factor
     * @param initialIntercept starting intercept
     * @param initialGain      nominal gain
     * @return config with variance 100, min |gain| 1e-3·|gain|, max trace 1e6
     */
    public static RlsConfig of(double forgetting, double initialIntercept, double initialGain) {
        return new RlsConfig(forgetting, initialIntercept, initialGain, 100, 1e-3 * Math.abs(initialGain), 1e6);
    }
}
