package org.fabai.apc.estimator;

/**
 * Configuration of {@link RlsEstimator}. Immutable, thread-safe. Like every APC configuration it
 * takes the gain before the intercept.
 *
 * @param forgetting       forgetting factor μ in (0, 1]; 1 = no forgetting
 * @param initialGain      starting (nominal) gain b0, finite and non-zero
 * @param initialIntercept starting intercept
 * @param initialVariance  starting variance of both parameters, &gt; 0
 * @param minGainRatio     the gain estimate is projected into {@code [minGainRatio, maxGainRatio]·b0}
 *                         (parameter projection: keeps the sign and guards against a gain near 0 in
 *                         closed loop, where the input rarely excites the gain), in (0, 1]
 * @param maxGainRatio     upper end of the projection, &ge; 1
 * @param maxVariance      cap on the trace of the covariance (guards against windup when the input
 *                         does not vary), &gt; 0
 */
public record RlsConfig(double forgetting, double initialGain, double initialIntercept, double initialVariance,
                        double minGainRatio, double maxGainRatio, double maxVariance) {
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
        if (!(minGainRatio > 0 && minGainRatio <= 1)) {
            throw new IllegalArgumentException("minGainRatio must be in (0, 1], got " + minGainRatio);
        }
        if (!(maxGainRatio >= 1) || !Double.isFinite(maxGainRatio)) {
            throw new IllegalArgumentException("maxGainRatio must be finite and >= 1, got " + maxGainRatio);
        }
        if (!(maxVariance > 0) || !Double.isFinite(maxVariance)) {
            throw new IllegalArgumentException("maxVariance must be finite and > 0, got " + maxVariance);
        }
    }

    /**
     * Sensible defaults around a nominal model: variance 10, gain projected into [0.25, 4]·b0,
     * covariance trace capped at 100.
     *
     * @param forgetting       forgetting factor
     * @param initialGain      nominal gain
     * @param initialIntercept starting intercept
     * @return the configuration
     */
    public static RlsConfig withDefaults(double forgetting, double initialGain, double initialIntercept) {
        return new RlsConfig(forgetting, initialGain, initialIntercept, 10, 0.25, 4, 100);
    }
}
