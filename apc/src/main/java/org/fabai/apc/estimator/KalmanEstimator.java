package org.fabai.apc.estimator;

/**
 * Kalman filter for a local level, optionally with a drift state, observed through
 * {@code z_t = y_t − b u_t = level_t + v_t}.
 *
 * <p>For the local level alone the steady-state gain {@code K} solves {@code K²/(1 − K) = q/r}, and
 * at that gain the filter is exactly the EWMA with {@code λ = K}: see
 * {@link #equivalentEwmaLambda(double, double)}.
 *
 * <p>State layout: local level {@code [a, P]}; with drift {@code [a, d, P00, P01, P11]}.
 * Not thread-safe.
 */
public final class KalmanEstimator implements Estimator {

    /** Kind name stored with the state (local level). */
    public static final String KIND = "kalman";
    /** Kind name stored with the state (level and drift). */
    public static final String KIND_DRIFT = "kalman-drift";

    private final KalmanConfig config;
    private double level;
    private double drift;
    private double p00;
    private double p01;
    private double p11;
    private double lastGain = Double.NaN;

    /**
     * @param config validated configuration
     */
    public KalmanEstimator(KalmanConfig config) {
        this.config = config;
        this.level = config.initialLevel();
        this.p00 = config.initialVariance();
        this.p11 = config.hasDrift() ? config.initialVariance() : 0;
    }

    /**
     * The EWMA weight equal to the steady-state Kalman gain of a local level model, the root in
     * (0, 1) of {@code λ²/(1 − λ) = q/r}.
     *
     * @param q level process noise variance, &gt; 0
     * @param r measurement noise variance, &gt; 0
     * @return {@code λ = (−ρ + sqrt(ρ² + 4ρ))/2} with {@code ρ = q/r}
     */
    public static double equivalentEwmaLambda(double q, double r) {
        if (!(q > 0) || !(r > 0)) {
            throw new IllegalArgumentException("q and r must be > 0, got q=" + q + ", r=" + r);
        }
        double rho = q / r;
        return (-rho + Math.sqrt(rho * rho + 4 * rho)) / 2;
    }

    /** @return the configuration */
    public KalmanConfig config() {
        return config;
    }

    /** @return the level gain used in the latest measurement update (NaN before the first) */
    public double lastLevelGain() {
        return lastGain;
    }

    /** @return the current variance of the level estimate */
    public double levelVariance() {
        return p00;
    }

    /**
     * A copy whose covariance is the fixed point of the Riccati recursion, so that its gain no longer
     * changes: the linear time-invariant filter used by {@code StabilityAnalysis}.
     *
     * @return the steady-state copy (estimates unchanged)
     */
    public KalmanEstimator steadyState() {
        KalmanEstimator c = copy();
        for (int i = 0; i < 100_000; i++) {
            double o0 = c.p00;
            double o1 = c.p01;
            double o2 = c.p11;
            c.covarianceStep();
            if (Math.abs(c.p00 - o0) <= 1e-15 * Math.max(1, Math.abs(o0))
                    && Math.abs(c.p01 - o1) <= 1e-15 * Math.max(1, Math.abs(o1))
                    && Math.abs(c.p11 - o2) <= 1e-15 * Math.max(1, Math.abs(o2))) {
                break;
            }
        }
        return c;
    }

    private void covarianceStep() {
        predictCovariance();
        double s = p00 + config.r();
        double k0 = p00 / s;
        double k1 = p01 / s;
        double n00 = (1 - k0) * p00;
        double n01 = (1 - k0) * p01;
        double n11 = p11 - k1 * p01;
        p00 = n00;
        p01 = n01;
        p11 = n11;
    }

    private void predictCovariance() {
        if (config.hasDrift()) {
            double n00 = p00 + 2 * p01 + p11 + config.q();
            double n01 = p01 + p11;
            double n11 = p11 + config.qDrift();
            p00 = n00;
            p01 = n01;
            p11 = n11;
        } else {
            p00 += config.q();
        }
    }

    @Override
    public String kind() {
        return config.hasDrift() ? KIND_DRIFT : KIND;
    }

    @Override
    public double gain() {
        return config.gain();
    }

    @Override
    public double predictedOffset() {
        return level + drift;
    }

    @Override
    public void update(double input, double output) {
        Estimator.requireFinite("input", input);
        Estimator.requireFinite("output", output);
        double z = output - config.gain() * input;
        timeUpdate();
        double s = p00 + config.r();
        double k0 = p00 / s;
        double k1 = p01 / s;
        double innovation = z - level;
        level += k0 * innovation;
        drift += k1 * innovation;
        double n00 = (1 - k0) * p00;
        double n01 = (1 - k0) * p01;
        double n11 = p11 - k1 * p01;
        p00 = n00;
        p01 = n01;
        p11 = n11;
        lastGain = k0;
    }

    @Override
    public void timeUpdate() {
        level += drift;
        predictCovariance();
    }

    @Override
    public void resetLevel(double level) {
        this.level = Estimator.requireFinite("level", level);
        this.drift = 0;
        this.p00 = config.initialVariance();
        this.p01 = 0;
        this.p11 = config.hasDrift() ? config.initialVariance() : 0;
    }

    @Override
    public int dynamicDimension() {
        return config.hasDrift() ? 2 : 1;
    }

    @Override
    public double[] state() {
        return config.hasDrift() ? new double[] {level, drift, p00, p01, p11} : new double[] {level, p00};
    }

    @Override
    public int stateLength() {
        return config.hasDrift() ? 5 : 2;
    }

    @Override
    public void writeState(double[] dst, int offset) {
        if (config.hasDrift()) {
            dst[offset] = level;
            dst[offset + 1] = drift;
            dst[offset + 2] = p00;
            dst[offset + 3] = p01;
            dst[offset + 4] = p11;
        } else {
            dst[offset] = level;
            dst[offset + 1] = p00;
        }
    }

    @Override
    public void restore(double[] state) {
        if (config.hasDrift()) {
            double[] s = Estimator.checkState(KIND_DRIFT, state, 5);
            level = s[0];
            drift = s[1];
            p00 = s[2];
            p01 = s[3];
            p11 = s[4];
        } else {
            double[] s = Estimator.checkState(KIND, state, 2);
            level = s[0];
            p00 = s[1];
        }
    }

    @Override
    public boolean isLinear() {
        return true;
    }

    @Override
    public KalmanEstimator copy() {
        KalmanEstimator c = new KalmanEstimator(config);
        c.level = level;
        c.drift = drift;
        c.p00 = p00;
        c.p01 = p01;
        c.p11 = p11;
        c.lastGain = lastGain;
        return c;
    }

    @Override
    public KalmanEstimator fresh() {
        return new KalmanEstimator(config);
    }

    @Override
    public String toString() {
        return "Kalman(q=" + config.q() + ", qDrift=" + config.qDrift() + ", r=" + config.r()
                + ", level=" + level + ", drift=" + drift + ")";
    }
}
