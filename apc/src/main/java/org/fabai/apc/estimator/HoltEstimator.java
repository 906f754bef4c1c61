package org.fabai.apc.estimator;

/**
 * Holt's linear smoother as a run-to-run estimator of a level and a drift per run (fabai's
 * earlier {@code dewma}, in thread-state rows of format 1; the R2R literature's double EWMA is {@link DoubleEwmaEstimator}):
 * <pre>
 *   z_t = y_t − b u_t
 *   a_t = λ1 z_t + (1 − λ1)(a_{t−1} + D_{t−1})
 *   D_t = λ2 (z_t − a_{t−1}) + (1 − λ2) D_{t−1}
 * </pre>
 * The prediction for the next run is {@code a_t + D_t}; a time update moves the level by one drift
 * step ({@code a ← a + D}), so that the next measurement's difference still spans one run. Under a
 * linear drift the fixed point has {@code D = δ} and zero mean offset.
 *
 * <p>Holt with {@code (h1, h2)} predicts exactly as the Butler–Stefani d-EWMA with {@code (l1, l2)}
 * when {@code h1 = l1 + l2 − l1 l2} and {@code h2 = l1 l2}; pairs with {@code (h1 + h2)² < 4 h2}
 * (such as (0.2, 0.05)) have no d-EWMA equivalent. Thread states stored by the old {@code dewma}
 * are read as this kind.
 *
 * <p>Not thread-safe.
 */
public final class HoltEstimator extends LevelDriftEstimator {

    /** Kind name stored with the state. */
    public static final String KIND = "holt";

    private final HoltConfig config;

    /**
     * @param config validated configuration
     */
    public HoltEstimator(HoltConfig config) {
        super(config.gain(), config.initialIntercept(), config.initialDrift());
        this.config = config;
    }

    /** @return the configuration */
    public HoltConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    void update(double z) {
        double l1 = config.lambda1();
        double l2 = config.lambda2();
        double newLevel = l1 * z + (1 - l1) * (level + drift);
        drift = l2 * (z - level) + (1 - l2) * drift;
        level = newLevel;
    }

    @Override
    public void timeUpdate() {
        level += drift;
    }

    @Override
    public HoltEstimator copy() {
        return withStateOf(new HoltEstimator(config));
    }

    @Override
    public HoltEstimator fresh() {
        return new HoltEstimator(config);
    }

    @Override
    public String toString() {
        return "Holt(l1=" + config.lambda1() + ", l2=" + config.lambda2() + ", a=" + level + ", D=" + drift + ")";
    }
}
