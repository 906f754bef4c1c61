package org.fabai.apc.estimator;

/**
 * Configuration of {@link KalmanEstimator}: a local level (random walk) with variance {@code q} per
 * run, an optional drift state (random walk with variance {@code qDrift}; 0 switches it off) and
 * measurement noise variance {@code r}. Immutable, thread-safe.
 *
 * @param q               level process noise variance per run, &gt; 0
 * @param qDrift          drift process noise variance per run, &ge; 0 (0: local level only)
 * @param r               measurement noise variance, &gt; 0
 * @param gain            model gain {@code b}, finite and non-zero
 * @param initialLevel    starting level
 * @param initialVariance starting variance of the level (and drift) estimate, &gt; 0
 */
public record KalmanConfig(double q, double qDrift, double r, double gain, double initialLevel,
                           double initialVariance) {
    /** Validates the parameters. */
    public KalmanConfig {
        if (!(q > 0) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("q must be finite and > 0, got " + q);
        }
        if (!(qDrift >= 0) || !Double.isFinite(qDrift)) {
            throw new IllegalArgumentException("qDrift must be finite and >= 0, got " + qDrift);
        }
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException("r must be finite and > 0, got " + r);
        }
        if (!Double.isFinite(gain) || gain == 0) {
            throw new IllegalArgumentException("gain must be finite and non-zero, got " + gain);
        }
        Estimator.requireFinite("initialLevel", initialLevel);
        if (!(initialVariance > 0) || !Double.isFinite(initialVariance)) {
            throw new IllegalArgumentException("initialVariance must be finite and > 0, got " + initialVariance);
        }
    }

    /** @return true when the drift state is on */
    public boolean hasDrift() {
        return qDrift > 0;
    }
}
