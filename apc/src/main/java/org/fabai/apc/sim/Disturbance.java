package org.fabai.apc.sim;

import java.util.Random;

/**
 * A seeded disturbance series {@code N_t} and its maintenance events. The series depends only on the
 * plant configuration and the seed, never on the controller, so controllers compared on the same
 * seed see the same disturbance (common random numbers). Immutable after construction, thread-safe.
 */
public final class Disturbance {

    private final double[] values;
    private final boolean[] shiftAt;

    private Disturbance(double[] values, boolean[] shiftAt) {
        this.values = values;
        this.shiftAt = shiftAt;
    }

    /**
     * Generates a series. Uses {@link java.util.Random}, whose sequence is specified, so a seed gives
     * the same series on every JVM.
     *
     * @param plant plant configuration
     * @param runs  number of runs, &ge; 1
     * @param seed  random seed
     * @return the series
     */
    public static Disturbance generate(PlantConfig plant, int runs, long seed) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        Random white = new Random(seed);
        Random ima = new Random(seed ^ 0x9E3779B97F4A7C15L);
        Random pm = new Random(seed ^ 0xC2B2AE3D27D4EB4FL);
        double[] n = new double[runs];
        boolean[] shift = new boolean[runs];
        double imaLevel = 0;
        double prevShock = 0;
        double level = 0;
        for (int t = 0; t < runs; t++) {
            if (plant.imaSigma() > 0) {
                double shock = plant.imaSigma() * ima.nextGaussian();
                imaLevel += shock - plant.imaTheta() * prevShock;
                prevShock = shock;
            }
            if (plant.pmEvery() > 0 && t > 0 && t % plant.pmEvery() == 0) {
                level += pm.nextBoolean() ? plant.pmShift() : -plant.pmShift();
                shift[t] = true;
            }
            double w = plant.whiteSigma() > 0 ? plant.whiteSigma() * white.nextGaussian() : 0;
            n[t] = w + imaLevel + plant.driftPerRun() * t + level;
        }
        return new Disturbance(n, shift);
    }

    /** @return number of runs */
    public int runs() {
        return values.length;
    }

    /**
     * @param t run index
     * @return {@code N_t}
     */
    public double value(int t) {
        return values[t];
    }

    /**
     * @param t run index
     * @return true when a maintenance shift happens at run t
     */
    public boolean shiftAt(int t) {
        return shiftAt[t];
    }
}
