package org.fabai.apc.sim;

/**
 * Performance of one simulated run sequence. Immutable, thread-safe.
 *
 * @param mse          mean squared error about target (+∞ when diverged)
 * @param meanOffset   mean of {@code y − T}
 * @param stdDev       standard deviation of y
 * @param cpk          {@code min(USL − ȳ, ȳ − LSL) / (3 s)}
 * @param settlingRuns mean runs after a maintenance shift until settled (NaN when no shift)
 * @param clippedRuns  runs whose input was clipped
 * @param outliersHeld measurements held as outliers
 * @param diverged     true when the output left every sane range (|e| &gt; 1e9)
 */
public record Metrics(double mse, double meanOffset, double stdDev, double cpk, double settlingRuns,
                      int clippedRuns, int outliersHeld, boolean diverged) {

    /** Window of the rolling mean used for settling. */
    public static final int SETTLE_WINDOW = 5;
}
