package org.fabai.adc.synth;

import java.util.Objects;

/**
 * Shape parameters of the synthetic pattern classes. Every length is in units of the wafer radius
 * (the wafer is the unit disc in pattern coordinates, whatever the grid size and aspect ratio);
 * every angle is in degrees; every density is the probability that a die inside the pattern's
 * region fails. Each instance of a pattern draws its parameters uniformly from these ranges.
 *
 * <p>Immutable and thread-safe.
 *
 * @param patternDensity     failure probability of a die inside a pattern region (Center, Donut,
 *                           Edge-Loc, Edge-Ring, Loc)
 * @param centerOffset       distance of a Center disc's middle from the wafer centre
 * @param centerRadius       radius of a Center disc
 * @param donutOffset        distance of a Donut's middle from the wafer centre
 * @param donutInnerRadius   inner radius of a Donut ring
 * @param donutWidth         radial width of a Donut ring
 * @param donutArc           angular span of a Donut ring (360 = closed ring)
 * @param edgeLocDepth       how far an Edge-Loc area reaches in from the edge
 * @param edgeLocArc         angular span of an Edge-Loc area
 * @param edgeRingWidth      radial width of an Edge-Ring band
 * @param edgeRingArc        angular span of an Edge-Ring band (at least 60 degrees; real Edge-Ring
 *                           bands often cover only part of the edge)
 * @param locDistance        distance of a Loc blob's middle from the wafer centre
 * @param locRadius          semi-axes of a Loc blob (each drawn independently: elliptic blobs)
 * @param nearFullRate       failure rate of a Near-full map
 * @param randomRate         failure rate of a Random map
 * @param scratchLength      length of a Scratch's random walk
 * @param scratchCurvature   standard deviation of the heading change per unit length (radians):
 *                           0 gives straight scratches
 * @param scratchHalfWidth   half width of a Scratch's stroke
 * @param scratchGapRate     expected number of gaps per unit length of a Scratch
 * @param scratchDensity     failure probability of a die under a Scratch's stroke
 */
public record PatternParams(
        Range patternDensity,
        Range centerOffset, Range centerRadius,
        Range donutOffset, Range donutInnerRadius, Range donutWidth, Range donutArc,
        Range edgeLocDepth, Range edgeLocArc,
        Range edgeRingWidth, Range edgeRingArc,
        Range locDistance, Range locRadius,
        Range nearFullRate, Range randomRate,
        Range scratchLength, Range scratchCurvature, Range scratchHalfWidth, Range scratchGapRate,
        Range scratchDensity) {

    /** Validates every range against its meaningful domain. */
    public PatternParams {
        Objects.requireNonNull(patternDensity, "patternDensity").within("patternDensity", 0.05, 1);
        Objects.requireNonNull(centerOffset, "centerOffset").within("centerOffset", 0, 0.5);
        Objects.requireNonNull(centerRadius, "centerRadius").within("centerRadius", 0.03, 0.7);
        Objects.requireNonNull(donutOffset, "donutOffset").within("donutOffset", 0, 0.4);
        Objects.requireNonNull(donutInnerRadius, "donutInnerRadius").within("donutInnerRadius", 0.05, 0.8);
        Objects.requireNonNull(donutWidth, "donutWidth").within("donutWidth", 0.03, 0.6);
        Objects.requireNonNull(donutArc, "donutArc").within("donutArc", 90, 360);
        Objects.requireNonNull(edgeLocDepth, "edgeLocDepth").within("edgeLocDepth", 0.03, 0.6);
        Objects.requireNonNull(edgeLocArc, "edgeLocArc").within("edgeLocArc", 5, 180);
        Objects.requireNonNull(edgeRingWidth, "edgeRingWidth").within("edgeRingWidth", 0.02, 0.4);
        Objects.requireNonNull(edgeRingArc, "edgeRingArc").within("edgeRingArc", 60, 360);
        Objects.requireNonNull(locDistance, "locDistance").within("locDistance", 0, 0.9);
        Objects.requireNonNull(locRadius, "locRadius").within("locRadius", 0.03, 0.5);
        Objects.requireNonNull(nearFullRate, "nearFullRate").within("nearFullRate", 0.3, 1);
        Objects.requireNonNull(randomRate, "randomRate").within("randomRate", 0.02, 0.9);
        Objects.requireNonNull(scratchLength, "scratchLength").within("scratchLength", 0.1, 4);
        Objects.requireNonNull(scratchCurvature, "scratchCurvature").within("scratchCurvature", 0, 5);
        Objects.requireNonNull(scratchHalfWidth, "scratchHalfWidth").within("scratchHalfWidth", 0.005, 0.2);
        Objects.requireNonNull(scratchGapRate, "scratchGapRate").within("scratchGapRate", 0, 20);
        Objects.requireNonNull(scratchDensity, "scratchDensity").within("scratchDensity", 0.05, 1);
    }

    /**
     * Defaults chosen from the look of WM-811K's labelled examples: Center discs of 0.12-0.35 radii,
     * Donut rings at 0.25-0.5 with widths 0.12-0.25, Edge-Loc areas 0.1-0.3 deep over 20-100 degrees,
     * Edge-Ring bands 0.05-0.14 wide over 270-360 degrees, Loc blobs of 0.07-0.2 at 0.2-0.7 from the
     * centre, Near-full at 75-98%, Random at 12-40%, and scratches 0.6-1.6 long with gaps.
     *
     * @return the default parameters
     */
    public static PatternParams defaults() {
        return new PatternParams(
                Range.of(0.6, 0.95),
                Range.of(0.0, 0.12), Range.of(0.12, 0.35),
                Range.of(0.0, 0.08), Range.of(0.25, 0.5), Range.of(0.12, 0.25), Range.of(300, 360),
                Range.of(0.1, 0.3), Range.of(20, 100),
                Range.of(0.05, 0.14), Range.of(270, 360),
                Range.of(0.2, 0.7), Range.of(0.07, 0.2),
                Range.of(0.75, 0.98), Range.of(0.12, 0.4),
                Range.of(0.6, 1.6), Range.of(0.0, 1.5), Range.of(0.012, 0.03), Range.of(0.0, 2.0),
                Range.of(0.85, 1.0));
    }

    /**
     * Wider ranges than {@link #defaults()} in every direction (smaller and larger, fainter and
     * denser, thinner and wider, straighter and more curved patterns), for training models meant
     * for maps from other sources: pattern density 0.5-0.98, Center radius 0.08-0.4 at up to 0.15
     * off centre, Donut inner radius 0.2-0.55 and width 0.08-0.3 over 270-360 degrees, Edge-Loc
     * 0.07-0.35 deep over 15-120 degrees, Edge-Ring 0.03-0.18 wide over 240-360 degrees, Loc
     * semi-axes 0.05-0.24 at 0.15-0.75, Near-full 70-99%, Random 10-50%, scratches 0.4-2.0 long,
     * curvature up to 2.5, half width 0.008-0.04, up to 3 gaps per unit length, density 0.7-1.
     *
     * @return the broad parameters
     */
    public static PatternParams broad() {
        return new PatternParams(
                Range.of(0.5, 0.98),
                Range.of(0.0, 0.15), Range.of(0.08, 0.4),
                Range.of(0.0, 0.1), Range.of(0.2, 0.55), Range.of(0.08, 0.3), Range.of(270, 360),
                Range.of(0.07, 0.35), Range.of(15, 120),
                Range.of(0.03, 0.18), Range.of(240, 360),
                Range.of(0.15, 0.75), Range.of(0.05, 0.24),
                Range.of(0.7, 0.99), Range.of(0.1, 0.5),
                Range.of(0.4, 2.0), Range.of(0.0, 2.5), Range.of(0.008, 0.04), Range.of(0.0, 3.0),
                Range.of(0.7, 1.0));
    }

    /**
     * Fitted to the pattern statistics of the real WM-811K maps of the shared sample (see
     * {@code adc/REAL-DATA.md}), with wide ranges around them: faint to dense patterns (density
     * 0.3-0.9, real patterns are about half failing), small Center discs (radius 0.05-0.22 at up to
     * 0.15 off centre), Donut rings at 0.2-0.5 that are 0.1-0.3 wide over 180-360 degrees, shallow
     * Edge-Loc areas (0.05-0.2 deep) over 60-180 degrees, thin Edge-Ring bands (0.04-0.14) over
     * 150-360 degrees (many real rings are partial), Loc blobs with semi-axes of 0.06-0.36 (often elongated) at 0.3-0.85 from the
     * centre (real Loc patterns sit mostly in the outer half), Near-full 70-98%, Random 12-45%,
     * and scratches 0.6-2.4 long, 1-2 dies wide, dense (0.7-1) with gaps.
     *
     * @return the calibrated parameters
     */
    public static PatternParams calibrated() {
        return new PatternParams(
                Range.of(0.3, 0.9),
                Range.of(0.0, 0.15), Range.of(0.05, 0.22),
                Range.of(0.0, 0.1), Range.of(0.2, 0.5), Range.of(0.1, 0.3), Range.of(180, 360),
                Range.of(0.05, 0.2), Range.of(60, 180),
                Range.of(0.04, 0.14), Range.of(150, 360),
                Range.of(0.3, 0.85), Range.of(0.06, 0.36),
                Range.of(0.7, 0.98), Range.of(0.12, 0.45),
                Range.of(0.6, 2.4), Range.of(0.0, 1.5), Range.of(0.015, 0.05), Range.of(0.0, 3.0),
                Range.of(0.7, 1.0));
    }
}
