package org.fabai.apc.sim;

/**
 * One simulation experiment. Immutable, thread-safe.
 *
 * @param plant      plant and metrology
 * @param runs       runs per seed, &ge; 1
 * @param warmup     first runs excluded from the metrics, in [0, runs)
 * @param lsl        lower spec limit for Cpk
 * @param usl        upper spec limit for Cpk, &gt; lsl
 * @param settleBand a shift is settled when the mean error of the last {@link Metrics#SETTLE_WINDOW}
 *                   runs is within ±settleBand, &gt; 0
 */
public record SimulationConfig(PlantConfig plant, int runs, int warmup, double lsl, double usl, double settleBand) {
    /** Validates the parameters. */
    public SimulationConfig {
        if (plant == null) {
            throw new IllegalArgumentException("plant must not be null");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        if (warmup < 0 || warmup >= runs) {
            throw new IllegalArgumentException("warmup must be in [0, " + runs + "), got " + warmup);
        }
        if (!(lsl < usl)) {
            throw new IllegalArgumentException("lsl must be < usl, got " + lsl + " >= " + usl);
        }
        if (!(settleBand > 0)) {
            throw new IllegalArgumentException("settleBand must be > 0, got " + settleBand);
        }
    }
}
