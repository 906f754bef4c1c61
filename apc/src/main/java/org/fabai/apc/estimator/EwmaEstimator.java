package org.fabai.apc.estimator;

/**
 * Single EWMA intercept estimator: {@code a_t = λ (y_t − b u_t) + (1 − λ) a_{t−1}}.
 * The prediction for the next run is {@code a_t}; a time update leaves it unchanged.
 *
 * <p>With a true gain {@code ξ b} the closed loop error obeys {@code e_{t+1} = (1 − λξ) e_t + ΔN_{t+1}}:
 * stable iff {@code 0 < λξ < 2}; under white noise {@code Var(e) = 2σ²/(2 − λξ)}; under a drift
 * {@code δ} per run the output settles {@code δ/(λξ)} above target (below for a negative drift).
 *
 * <p>Not thread-safe.
 */
public final class EwmaEstimator implements Estimator {

    /** Kind name stored with the state. */
    public static final String KIND = "ewma";

    private final EwmaConfig config;
    private double intercept;

    /**
     * @param config validated configuration
     */
    public EwmaEstimator(EwmaConfig config) {
        this.config = config;
        this.intercept = config.initialIntercept();
    }

    /** @return the configuration */
    public EwmaConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public double gain() {
        return config.gain();
    }

    @Override
    public double predictedOffset() {
        return intercept;
    }

    @Override
    public void update(double input, double output) {
        Estimator.requireFinite("input", input);
        Estimator.requireFinite("output", output);
        double lambda = config.lambda();
        intercept = lambda * (output - config.gain() * input) + (1 - lambda) * intercept;
    }

    @Override
    public void timeUpdate() {
        // local level: the prediction does not change without a measurement
    }

    @Override
    public void resetLevel(double level) {
        intercept = Estimator.requireFinite("level", level);
    }

    @Override
    public int dynamicDimension() {
        return 1;
    }

    @Override
    public double[] state() {
        return new double[] {intercept};
    }

    @Override
    public int stateLength() {
        return 1;
    }

    @Override
    public void writeState(double[] dst, int offset) {
        dst[offset] = intercept;
    }

    @Override
    public void restore(double[] state) {
        intercept = Estimator.checkState(KIND, state, 1)[0];
    }

    @Override
    public boolean isLinear() {
        return true;
    }

    @Override
    public EwmaEstimator copy() {
        EwmaEstimator c = new EwmaEstimator(config);
        c.intercept = intercept;
        return c;
    }

    @Override
    public EwmaEstimator fresh() {
        return new EwmaEstimator(config);
    }

    @Override
    public String toString() {
        return "EWMA(lambda=" + config.lambda() + ", b=" + config.gain() + ", a=" + intercept + ")";
    }
}
