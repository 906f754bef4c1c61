package org.fabai.apc.estimator;

/**
 * Recursive least squares with exponential forgetting over {@code y = a + b u}, adapting both the
 * intercept and the gain. With regressor {@code φ = [1, u]}:
 * <pre>
 *   k = P φ / (μ + φᵀ P φ);  θ ← θ + k (y − φᵀ θ);  P ← (P − k φᵀ P) / μ
 * </pre>
 * The gain is only identifiable when the input varies; the covariance trace is capped to avoid
 * windup under constant input, and the gain estimate is projected into
 * {@code [minGainRatio, maxGainRatio]·b0} after every update so that it keeps the nominal sign and
 * never nears 0. The closed loop is nonlinear, so {@link #isLinear()} is false.
 *
 * <p>State layout {@code [a, b, P00, P01, P11]}. Not thread-safe.
 */
public final class RlsEstimator implements Estimator {

    /** Kind name stored with the state. */
    public static final String KIND = "rls";

    private final RlsConfig config;
    private double a;
    private double b;
    private double p00;
    private double p01;
    private double p11;

    /**
     * @param config validated configuration
     */
    public RlsEstimator(RlsConfig config) {
        this.config = config;
        this.a = config.initialIntercept();
        this.b = config.initialGain();
        this.p00 = config.initialVariance();
        this.p11 = config.initialVariance();
    }

    /** @return the configuration */
    public RlsConfig config() {
        return config;
    }

    private double project(double gain) {
        double lo = config.minGainRatio() * config.initialGain();
        double hi = config.maxGainRatio() * config.initialGain();
        if (lo > hi) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        return Math.min(hi, Math.max(lo, gain));
    }

    /** @return the gain estimate */
    public double estimatedGain() {
        return b;
    }

    /** @return the intercept estimate */
    public double intercept() {
        return a;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public double gain() {
        return project(b);
    }

    @Override
    public double predictedOffset() {
        return a;
    }

    @Override
    public double predict(double input) {
        return a + b * input;
    }

    @Override
    public void update(double input, double output) {
        Estimator.requireFinite("input", input);
        Estimator.requireFinite("output", output);
        double mu = config.forgetting();
        // P φ with φ = [1, u]
        double pf0 = p00 + p01 * input;
        double pf1 = p01 + p11 * input;
        double denom = mu + pf0 + pf1 * input;
        double k0 = pf0 / denom;
        double k1 = pf1 / denom;
        double err = output - (a + b * input);
        a += k0 * err;
        b = project(b + k1 * err);
        // P ← (P − k (Pφ)ᵀ) / μ ; P symmetric so φᵀP = (Pφ)ᵀ
        double n00 = (p00 - k0 * pf0) / mu;
        double n01 = (p01 - k0 * pf1) / mu;
        double n11 = (p11 - k1 * pf1) / mu;
        double trace = n00 + n11;
        if (trace > config.maxVariance()) {
            double s = config.maxVariance() / trace;
            n00 *= s;
            n01 *= s;
            n11 *= s;
        }
        p00 = n00;
        p01 = n01;
        p11 = n11;
    }

    @Override
    public void timeUpdate() {
        // parameters follow a constant model; nothing to propagate
    }

    @Override
    public void resetLevel(double level) {
        this.a = Estimator.requireFinite("level", level);
        this.p00 = config.initialVariance();
        this.p01 = 0;
        this.p11 = config.initialVariance();
    }

    @Override
    public int dynamicDimension() {
        return 2;
    }

    @Override
    public double[] state() {
        return new double[] {a, b, p00, p01, p11};
    }

    @Override
    public int stateLength() {
        return 5;
    }

    @Override
    public void writeState(double[] dst, int offset) {
        dst[offset] = a;
        dst[offset + 1] = b;
        dst[offset + 2] = p00;
        dst[offset + 3] = p01;
        dst[offset + 4] = p11;
    }

    @Override
    public void restore(double[] state) {
        double[] s = Estimator.checkState(KIND, state, 5);
        a = s[0];
        b = s[1];
        p00 = s[2];
        p01 = s[3];
        p11 = s[4];
    }

    @Override
    public boolean isLinear() {
        return false;
    }

    @Override
    public RlsEstimator copy() {
        RlsEstimator c = new RlsEstimator(config);
        c.restore(state());
        return c;
    }

    @Override
    public RlsEstimator fresh() {
        return new RlsEstimator(config);
    }

    @Override
    public String toString() {
        return "RLS(mu=" + config.forgetting() + ", a=" + a + ", b=" + b + ")";
    }
}
