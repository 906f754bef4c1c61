package org.fabai.apc.estimator;

/**
 * What the two level-and-drift estimators share, the Butler–Stefani d-EWMA
 * ({@link DoubleEwmaEstimator}) and Holt's smoother ({@link HoltEstimator}): the state
 * {@code (level a, drift D)} stored as {@code [a, D]}, the prediction {@code a + D}, the model gain,
 * a level reset that clears the drift, and copying. Each subclass says how a measurement and a
 * time update move the two. Not thread-safe.
 */
public abstract sealed class LevelDriftEstimator implements Estimator permits DoubleEwmaEstimator, HoltEstimator {

    private final double gain;
    /** The level {@code a}. */
    protected double level;
    /** The drift {@code D}. */
    protected double drift;

    /**
     * @param gain      the model gain {@code b}
     * @param intercept the initial level
     * @param drift     the initial drift
     */
    LevelDriftEstimator(double gain, double intercept, double drift) {
        this.gain = gain;
        this.level = intercept;
        this.drift = drift;
    }

    /** @return the drift estimate {@code D} */
    public double drift() {
        return drift;
    }

    @Override
    public double gain() {
        return gain;
    }

    @Override
    public double predictedOffset() {
        return level + drift;
    }

    @Override
    public void update(double input, double output) {
        Estimator.requireFinite("input", input);
        Estimator.requireFinite("output", output);
        update(output - gain * input);
    }

    /**
     * Moves level and drift by one measurement.
     *
     * @param z the measured intercept {@code y − b u}
     */
    abstract void update(double z);

    @Override
    public void resetLevel(double level) {
        this.level = Estimator.requireFinite("level", level);
        this.drift = 0;
    }

    @Override
    public int dynamicDimension() {
        return 2;
    }

    @Override
    public double[] state() {
        return new double[] {level, drift};
    }

    @Override
    public int stateLength() {
        return 2;
    }

    @Override
    public void writeState(double[] dst, int offset) {
        dst[offset] = level;
        dst[offset + 1] = drift;
    }

    @Override
    public void restore(double[] state) {
        double[] s = Estimator.checkState(kind(), state, 2);
        level = s[0];
        drift = s[1];
    }

    @Override
    public boolean isLinear() {
        return true;
    }

    /**
     * @param fresh a fresh estimator of the same configuration
     * @param <E>   its type
     * @return it, holding this one's level and drift
     */
    <E extends LevelDriftEstimator> E withStateOf(E fresh) {
        fresh.level = level;
        fresh.drift = drift;
        return fresh;
    }
}
