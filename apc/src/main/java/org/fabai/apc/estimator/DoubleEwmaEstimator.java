package org.fabai.apc.estimator;

/**
 * The double EWMA (d-EWMA) of the run-to-run literature (Butler &amp; Stefani 1994; Del Castillo's
 * analyses): an EWMA of the intercept and an EWMA of the drift term,
 * <pre>
 *   z_t = y_t − b u_t
 *   a_t = λ1 z_t + (1 − λ1) a_{t−1}
 *   D_t = λ2 (z_t − a_{t−1}) + (1 − λ2) D_{t−1}
 *   u_{t+1} = (T − a_t − D_t) / b
 * </pre>
 * The prediction for the next run is {@code a_t + D_t}. Under a linear drift of {@code δ} per run
 * {@code a_t} lags by {@code δ(1 − λ1)/λ1} and {@code D_t} settles at {@code δ/λ1}, so the mean
 * offset is zero. Under white noise σ with the right gain, the output's mean square error about
 * target is {@code σ²(1 + [1 1] P [1 1]ᵀ)} with {@code P} the stationary covariance of
 * {@code (a, D)}; for (0.2, 0.05) that is 1.163 σ².
 *
 * <p>A time update (a run without metrology) applies the update with the prediction in place of
 * the measurement: {@code a ← a + λ1 D}, {@code D} unchanged, so that the level keeps moving by the
 * estimated drift per run {@code λ1 D}.
 *
 * <p>fabai's earlier {@code dewma} (thread-state rows of format 1) was Holt's smoother ({@link HoltEstimator}, now kind
 * {@code holt}); stored states of that kind are migrated by {@link #fromHolt(double, double)}.
 *
 * <p>Not thread-safe.
 */
public final class DoubleEwmaEstimator extends LevelDriftEstimator {

    /** Kind name stored with the state. */
    public static final String KIND = "dewma";

    private final DoubleEwmaConfig config;

    /**
     * @param config validated configuration
     */
    public DoubleEwmaEstimator(DoubleEwmaConfig config) {
        super(config.gain(), config.initialIntercept(), config.initialDrift());
        this.config = config;
    }

    /** @return the configuration */
    public DoubleEwmaConfig config() {
        return config;
    }

    /** @return the intercept EWMA {@code a_t} */
    public double intercept() {
        return level;
    }

    /** @return the estimated drift per run, {@code λ1 D_t} */
    public double driftPerRun() {
        return config.lambda1() * drift;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    void update(double z) {
        double l1 = config.lambda1();
        double l2 = config.lambda2();
        drift = l2 * (z - level) + (1 - l2) * drift;
        level = l1 * z + (1 - l1) * level;
    }

    @Override
    public void timeUpdate() {
        level += config.lambda1() * drift;
    }

    /**
     * Converts a state of Holt's smoother (fabai's earlier {@code dewma}: level {@code L},
     * drift per run {@code d}) into this estimator's state with the same next prediction
     * ({@code a + D = L + d}) and the same drift per run ({@code λ1 D = d}): {@code D = d/λ1},
     * {@code a = L + d − D}. The filter's dynamics from then on are this estimator's.
     *
     * @param holtLevel level {@code L} of the Holt state
     * @param holtDrift drift {@code d} of the Holt state
     * @return {@code [a, D]}, as {@link #state()} returns it
     * @throws IllegalArgumentException when a value is not finite
     */
    public double[] fromHolt(double holtLevel, double holtDrift) {
        Estimator.requireFinite("Holt level", holtLevel);
        Estimator.requireFinite("Holt drift", holtDrift);
        double d = holtDrift / config.lambda1();
        return new double[] {holtLevel + holtDrift - d, d};
    }

    @Override
    public DoubleEwmaEstimator copy() {
        return withStateOf(new DoubleEwmaEstimator(config));
    }

    @Override
    public DoubleEwmaEstimator fresh() {
        return new DoubleEwmaEstimator(config);
    }

    @Override
    public String toString() {
        return "dEWMA(l1=" + config.lambda1() + ", l2=" + config.lambda2() + ", a=" + level + ", D=" + drift + ")";
    }
}
