package org.fabai.adc.synth;

import java.util.Objects;

/**
 * The part of a {@link GeneratorConfig} that makes generated maps look like a fab's real maps,
 * fitted to statistics measured by {@link MapStatistics}: how grid sizes are drawn, the wafer
 * outline, and the background failure process. With a calibration, a {@link WaferMapGenerator}
 * draws, per map:
 * <ul>
 *   <li><b>size</b>: a diameter in dies (geometric mean of rows and columns) that is log-normal with
 *       median {@code sizeMedian} and log standard deviation {@code sizeSigma}, and an aspect ratio
 *       rows/cols that is log-normal with median 1 and log standard deviation {@code aspectSigma};
 *       a share {@code wideShare} of the maps draw both with three times the spread (real data sets
 *       hold a few very large or very elongated grids); rows and columns are then clamped to
 *       {@link GeneratorConfig#minSize()} .. {@link GeneratorConfig#maxSize()} and the aspect to
 *       {@link GeneratorConfig#maxAspect()};</li>
 *   <li><b>outline</b>: a die is on the wafer when the ellipse, shrunk by a margin drawn from
 *       {@code dieMargin} (in dies; 0 tests the die centre, 0.5 about its far corner), holds it;
 *       the wafer centre is shifted by up to half a die in each axis; with probability
 *       {@code flatProbability} a straight flat cuts {@code flatDepth} dies off one side; the grid
 *       is then cropped to the dies on the wafer, as real maps are;</li>
 *   <li><b>background</b>: a failure rate that is log-normal with median {@code backgroundMedian}
 *       and log standard deviation {@code backgroundSigma}, clamped to
 *       {@link GeneratorConfig#background()}; a share drawn from {@code clusterShare} of those
 *       failures come as small clumps (2 to 6 adjacent dies) instead of independent dies; and the
 *       outermost dies (those with a 4-neighbour off the wafer) fail with an extra probability drawn
 *       from {@code edgeFailRate} (one third of it on the next ring in), as real wafers fail more at
 *       the edge even without a pattern.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param sizeMedian       median diameter in dies, in [8, 1024]
 * @param sizeSigma        log standard deviation of the diameter, in [0, 2]
 * @param aspectSigma      log standard deviation of the aspect ratio, in [0, 1]
 * @param wideShare        share of maps drawn with three times both spreads, in [0, 1]
 * @param dieMargin        margin of the on-wafer test in dies, within [0, 1]
 * @param flatProbability  probability of a flat, in [0, 1]
 * @param flatDepth        depth of a flat in dies, within [0, 5]
 * @param backgroundMedian median background failure rate, in (0, 0.3]
 * @param backgroundSigma  log standard deviation of the background rate, in [0, 3]
 * @param clusterShare     share of background failures that come in clumps, within [0, 1]
 * @param edgeFailRate     extra failure probability of the outermost dies, within [0, 1]
 */
public record Calibration(double sizeMedian, double sizeSigma, double aspectSigma, double wideShare,
                          Range dieMargin, double flatProbability, Range flatDepth,
                          double backgroundMedian, double backgroundSigma, Range clusterShare,
                          Range edgeFailRate) {

    /** Validates. */
    public Calibration {
        check("sizeMedian", sizeMedian, 8, 1024);
        check("sizeSigma", sizeSigma, 0, 2);
        check("aspectSigma", aspectSigma, 0, 1);
        check("wideShare", wideShare, 0, 1);
        Objects.requireNonNull(dieMargin, "dieMargin").within("dieMargin", 0, 1);
        check("flatProbability", flatProbability, 0, 1);
        Objects.requireNonNull(flatDepth, "flatDepth").within("flatDepth", 0, 5);
        if (!(backgroundMedian > 0 && backgroundMedian <= 0.3)) {
            throw new IllegalArgumentException("backgroundMedian must be in (0, 0.3], got " + backgroundMedian);
        }
        check("backgroundSigma", backgroundSigma, 0, 3);
        Objects.requireNonNull(clusterShare, "clusterShare").within("clusterShare", 0, 1);
        Objects.requireNonNull(edgeFailRate, "edgeFailRate").within("edgeFailRate", 0, 1);
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * Fitted to the 2,107 real WM-811K maps of the shared sample (see {@code adc/REAL-DATA.md}
     * for the measured statistics): diameters around 37 dies (log sd 0.2, so most maps have 26 to
     * 52 dies across; one map in ten drawn three times wider), aspect ratios with log sd 0.1,
     * outline margins of 0-0.5 die, a flat on 30% of the wafers (0.5-2 dies deep), background
     * failure rates around 6.5% (log sd 0.6: 2.4%-17% for 90% of the maps), 0-30% of them in
     * clumps, and outermost dies failing with an extra 2-35%.
     *
     * @return the WM-811K calibration
     */
    public static Calibration wm811k() {
        return new Calibration(37, 0.2, 0.1, 0.1, Range.of(0.0, 0.5), 0.3, Range.of(0.5, 2.0),
                0.065, 0.6, Range.of(0.0, 0.3), Range.of(0.02, 0.35));
    }
}
