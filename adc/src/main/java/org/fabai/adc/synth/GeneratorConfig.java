package org.fabai.adc.synth;

import java.util.Objects;

/**
 * Configuration of a {@link WaferMapGenerator}: grid sizes, background noise, orientation
 * augmentation and pattern shapes.
 *
 * <p>Each map draws its column count uniformly from {@code [minSize, maxSize]}; with probability
 * {@code nonSquareProbability} its row count is the column count times an aspect ratio drawn
 * uniformly from {@code [1/maxAspect, maxAspect]} (rectangular dies make the wafer an ellipse on
 * the grid, as in many WM-811K maps), otherwise the grid is square.
 *
 * <p>Immutable and thread-safe.
 *
 * @param minSize              smallest grid side, at least 8
 * @param maxSize              largest grid side, at least {@code minSize}, at most 1024
 * @param nonSquareProbability probability of a non-square grid, in [0, 1]
 * @param maxAspect            largest rows/cols ratio (and its inverse), in [1, 3]
 * @param background           range of the background failure rate of every map, within [0, 0.3]
 * @param rotate               rotate patterns by a uniformly random angle
 * @param flip                 mirror patterns with probability 1/2
 * @param params               pattern shape parameters
 * @param maxOverlap           on a map with several patterns, the largest fraction of one pattern's
 *                             region that may lie inside or next to (8-neighbour) the other
 *                             patterns' regions, in (0, 1]; a placement over it is redrawn (see
 *                             {@link WaferMapGenerator}); 1 places patterns independently
 * @param calibration          sizes, outline and background drawn as in real maps (see
 *                             {@link Calibration}); {@code null} for the uncalibrated model: sizes
 *                             uniform in {@code [minSize, maxSize]} with {@code nonSquareProbability}
 *                             and {@code maxAspect} as above, the wafer the ellipse inscribed in the
 *                             grid, and independent background failures at a rate uniform in
 *                             {@code background}
 */
public record GeneratorConfig(int minSize, int maxSize, double nonSquareProbability, double maxAspect,
                              Range background, boolean rotate, boolean flip, PatternParams params,
                              double maxOverlap, Calibration calibration) {

    /** Default of {@link #maxOverlap()}: at least half of every pattern stays its own. */
    public static final double DEFAULT_MAX_OVERLAP = 0.5;

    /** Validates. */
    public GeneratorConfig {
        if (minSize < 8) {
            throw new IllegalArgumentException("minSize must be >= 8, got " + minSize);
        }
        if (maxSize < minSize || maxSize > 1024) {
            throw new IllegalArgumentException("maxSize must be in [minSize=" + minSize + ", 1024], got " + maxSize);
        }
        if (!(nonSquareProbability >= 0 && nonSquareProbability <= 1)) {
            throw new IllegalArgumentException("nonSquareProbability must be in [0, 1], got " + nonSquareProbability);
        }
        if (!(maxAspect >= 1 && maxAspect <= 3)) {
            throw new IllegalArgumentException("maxAspect must be in [1, 3], got " + maxAspect);
        }
        Objects.requireNonNull(background, "background").within("background", 0, 0.3);
        Objects.requireNonNull(params, "params");
        if (!(maxOverlap > 0 && maxOverlap <= 1)) {
            throw new IllegalArgumentException("maxOverlap must be in (0, 1], got " + maxOverlap);
        }
    }

    /**
     * An uncalibrated configuration ({@code calibration} null).
     *
     * @param minSize              smallest grid side
     * @param maxSize              largest grid side
     * @param nonSquareProbability probability of a non-square grid
     * @param maxAspect            largest rows/cols ratio
     * @param background           background failure-rate range
     * @param rotate               random rotation
     * @param flip                 random mirroring
     * @param params               pattern shape parameters
     * @param maxOverlap           largest overlap fraction of mixed patterns
     */
    public GeneratorConfig(int minSize, int maxSize, double nonSquareProbability, double maxAspect,
                           Range background, boolean rotate, boolean flip, PatternParams params, double maxOverlap) {
        this(minSize, maxSize, nonSquareProbability, maxAspect, background, rotate, flip, params, maxOverlap, null);
    }

    /**
     * An uncalibrated configuration with {@link #DEFAULT_MAX_OVERLAP}.
     *
     * @param minSize              smallest grid side
     * @param maxSize              largest grid side
     * @param nonSquareProbability probability of a non-square grid
     * @param maxAspect            largest rows/cols ratio
     * @param background           background failure-rate range
     * @param rotate               random rotation
     * @param flip                 random mirroring
     * @param params               pattern shape parameters
     */
    public GeneratorConfig(int minSize, int maxSize, double nonSquareProbability, double maxAspect,
                           Range background, boolean rotate, boolean flip, PatternParams params) {
        this(minSize, maxSize, nonSquareProbability, maxAspect, background, rotate, flip, params, DEFAULT_MAX_OVERLAP);
    }

    /**
     * Defaults: grids of 26 to 64 dies a side (WM-811K's common range), half of them non-square
     * with aspect up to 1.4, background failure rate 0-4%, random rotation and flips on, at
     * most half of a pattern inside or touching the others on mixed maps.
     *
     * @return the default configuration
     */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(26, 64, 0.5, 1.4, Range.of(0.0, 0.04), true, true, PatternParams.defaults());
    }

    /**
     * Broad variety for training models meant for other maps than this generator's defaults:
     * grids of 20 to 96 dies a side, 60% non-square with aspect up to 1.6, background 0-5%,
     * {@link PatternParams#broad()} shapes, rotations and flips on.
     *
     * @return the broad configuration
     */
    public static GeneratorConfig broad() {
        return new GeneratorConfig(20, 96, 0.6, 1.6, Range.of(0.0, 0.05), true, true, PatternParams.broad());
    }

    /**
     * Calibrated to real WM-811K maps (see {@code adc/REAL-DATA.md}): {@link Calibration#wm811k()}
     * sizes (20 to 160 dies a side, aspect up to 2.2), outlines and background (failure rates up
     * to 30%, clumps, edge excess), {@link PatternParams#calibrated()} shapes, random rotation
     * and flips, at most half of a pattern inside or touching the others on mixed maps. Use it to
     * train models meant for real maps.
     *
     * @return the calibrated configuration
     */
    public static GeneratorConfig calibrated() {
        return new GeneratorConfig(20, 160, 1.0, 2.2, Range.of(0.0, 0.3), true, true, PatternParams.calibrated(),
                DEFAULT_MAX_OVERLAP, Calibration.wm811k());
    }

    /**
     * @param c the calibration, or {@code null} for the uncalibrated model
     * @return a copy with another calibration
     */
    public GeneratorConfig withCalibration(Calibration c) {
        return new GeneratorConfig(minSize, maxSize, nonSquareProbability, maxAspect, background, rotate, flip, params,
                maxOverlap, c);
    }

    /**
     * @param size the grid side of every map
     * @return a copy producing only square {@code size x size} maps (a calibrated copy keeps its
     *         outline and background model, but not its crop to the wafer's dies)
     */
    public GeneratorConfig withFixedSize(int size) {
        return new GeneratorConfig(size, size, 0.0, 1.0, background, rotate, flip, params, maxOverlap, calibration);
    }

    /**
     * @param rate background failure-rate range
     * @return a copy with another background failure rate
     */
    public GeneratorConfig withBackground(Range rate) {
        return new GeneratorConfig(minSize, maxSize, nonSquareProbability, maxAspect, rate, rotate, flip, params,
                maxOverlap, calibration);
    }

    /**
     * @param fraction largest overlap fraction, in (0, 1]; 1 places patterns independently
     * @return a copy with another {@link #maxOverlap()}
     */
    public GeneratorConfig withMaxOverlap(double fraction) {
        return new GeneratorConfig(minSize, maxSize, nonSquareProbability, maxAspect, background, rotate, flip, params,
                fraction, calibration);
    }
}
