package org.fabai.adc.synth;

import java.util.SplittableRandom;

/**
 * A closed interval {@code [min, max]} a generator parameter is drawn from, uniformly.
 *
 * <p>Immutable and thread-safe.
 *
 * @param min lower bound (finite)
 * @param max upper bound (finite, at least {@code min})
 */
public record Range(double min, double max) {

    /** Validates. */
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range bounds must be finite, got [" + min + ", " + max + "]");
        }
        if (max < min) {
            throw new IllegalArgumentException("range max must be >= min, got [" + min + ", " + max + "]");
        }
    }

    /**
     * @param min lower bound
     * @param max upper bound
     * @return the range
     */
    public static Range of(double min, double max) {
        return new Range(min, max);
    }

    /**
     * @param rng random source
     * @return a uniform draw from the range
     */
    public double draw(SplittableRandom rng) {
        return min == max ? min : min + (max - min) * rng.nextDouble();
    }

    /**
     * Checks the range lies inside {@code [lo, hi]}.
     *
     * @param name parameter name, for the message
     * @param lo   smallest allowed value
     * @param hi   largest allowed value
     * @return this range
     * @throws IllegalArgumentException if it does not
     */
    Range within(String name, double lo, double hi) {
        if (min < lo || max > hi) {
            throw new IllegalArgumentException(name + " must lie in [" + lo + ", " + hi + "], got [" + min + ", " + max + "]");
        }
        return this;
    }
}
