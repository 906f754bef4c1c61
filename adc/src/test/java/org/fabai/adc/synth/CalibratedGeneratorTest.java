package org.fabai.adc.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/**
 * The calibrated generator against the statistics measured on the real WM-811K sample (the
 * numbers in {@code adc/REAL-DATA.md}, from {@code GeneratorTransferReport stats}): the median of a
 * statistic over generated maps of a class must lie within the real maps' 25th-75th percentile
 * band (or 5th-95th where noted) of that class; the uncalibrated defaults fail the same checks.
 */
class CalibratedGeneratorTest {

    private static final WaferMapGenerator CALIBRATED = new WaferMapGenerator(GeneratorConfig.calibrated());
    private static final int PER_CLASS = 60;

    /** One real-data band: class, statistic, low and high bound of the median. */
    private record Band(DefectPattern cls, String statistic, double lo, double hi, boolean wide) {
        Band(DefectPattern cls, String statistic, double lo, double hi) {
            this(cls, statistic, lo, hi, false);
        }
    }

    /** Real WM-811K sample (2,107 maps), MapStatistics percentiles: 25th-75th unless noted. */
    private static final List<Band> REAL = List.of(
            new Band(DefectPattern.NONE, "die_count", 562, 1376),
            new Band(DefectPattern.NONE, "fail_ratio", 0.060, 0.096),
            new Band(DefectPattern.NONE, "background_rate", 0.054, 0.091),
            new Band(DefectPattern.NONE, "edge_excess", 0.093, 0.205),
            new Band(DefectPattern.NONE, "isolated_fail_fraction", 0.419, 0.595),
            new Band(DefectPattern.NONE, "outline_match", 0.965, 0.984),
            new Band(DefectPattern.CENTER, "pattern_area", 0.024, 0.062),
            new Band(DefectPattern.CENTER, "pattern_radius", 0.109, 0.445),
            new Band(DefectPattern.CENTER, "pattern_intensity", 0.408, 0.556),
            new Band(DefectPattern.EDGE_RING, "pattern_radius", 0.933, 0.960),
            new Band(DefectPattern.EDGE_RING, "pattern_radial_width_dies", 1.036, 1.919),
            new Band(DefectPattern.EDGE_RING, "edge_excess", 0.369, 0.924, true),       // 5th-95th
            new Band(DefectPattern.EDGE_LOC, "pattern_radius", 0.863, 0.935),
            new Band(DefectPattern.EDGE_LOC, "pattern_arc_span", 60, 180),
            new Band(DefectPattern.LOC, "pattern_radius", 0.523, 0.797),
            new Band(DefectPattern.SCRATCH, "pattern_thickness_dies", 2.206, 3.634),
            new Band(DefectPattern.SCRATCH, "pattern_intensity", 0.298, 0.457),
            new Band(DefectPattern.RANDOM, "fail_ratio", 0.308, 0.514),
            new Band(DefectPattern.NEAR_FULL, "fail_ratio", 0.801, 0.948));

    private static List<String> failures(WaferMapGenerator gen) {
        List<DefectPattern> classes = new ArrayList<>();
        for (Band b : REAL) {
            if (!classes.contains(b.cls)) {
                classes.add(b.cls);
            }
        }
        List<SyntheticWafer> w = gen.dataset(classes, PER_CLASS, 2026);
        MapStatistics.Summary s = MapStatistics.summarise(WaferMapGenerator.maps(w), WaferMapGenerator.labels(w));
        List<String> out = new ArrayList<>();
        for (Band b : REAL) {
            double m = s.of(b.cls.label()).median(b.statistic);
            if (!(m >= b.lo && m <= b.hi)) {
                out.add(String.format("%s %s median %.3f outside [%.3f, %.3f]", b.cls.label(), b.statistic, m, b.lo, b.hi));
            }
        }
        return out;
    }

    @Test
    void calibratedStatisticsFallInsideTheRealBands() {
        List<String> f = failures(CALIBRATED);
        assertTrue(f.isEmpty(), String.join("\n", f));
    }

    @Test
    void theBandsAreTheRealSamplesPercentiles() throws Exception {
        java.nio.file.Path file = RealSample.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(file != null,
                "skipped: the real WM-811K sample ../shared/data/wm811k/wm811k-sample.npz is absent");
        RealSample real = RealSample.load(file);
        MapStatistics.Summary s = MapStatistics.summarise(real.maps(), real.labels());
        for (Band b : REAL) {
            MapStatistics.ClassSummary c = s.of(b.cls.label());
            double tol = b.statistic.equals("die_count") || b.statistic.endsWith("span") ? 0.5 : 1e-3;
            assertEquals(b.lo, c.quantile(b.statistic, b.wide ? 0.05 : 0.25), tol, b.toString());
            assertEquals(b.hi, c.quantile(b.statistic, b.wide ? 0.95 : 0.75), tol, b.toString());
        }
    }

    @Test
    void uncalibratedDefaultsFallOutsideThem() {
        List<String> f = failures(new WaferMapGenerator(GeneratorConfig.defaults()));
        assertTrue(f.size() >= 5, "the old generator differs from real maps: " + f);
        assertTrue(f.stream().anyMatch(s -> s.startsWith("none background_rate")), f.toString());
    }

    @Test
    void deterministicCroppedAndVariedInSize() {
        Set<String> sizes = new HashSet<>();
        int nonSquare = 0;
        for (long seed = 0; seed < 60; seed++) {
            SyntheticWafer a = CALIBRATED.generate(DefectPattern.SCRATCH, seed);
            assertEquals(a, CALIBRATED.generate(DefectPattern.SCRATCH, seed));
            WaferMap m = a.map();
            sizes.add(m.rows() + "x" + m.cols());
            if (m.rows() != m.cols()) {
                nonSquare++;
            }
            assertTrue(m.rows() >= 15 && m.cols() >= 15 && m.rows() <= 160 && m.cols() <= 160, m.rows() + "x" + m.cols());
            // cropped to the wafer, as real maps are: every border row and column holds a die
            assertTrue(rowHasDie(m, 0) && rowHasDie(m, m.rows() - 1) && colHasDie(m, 0) && colHasDie(m, m.cols() - 1), a.toString());
            assertFalse(a.mask(DefectPattern.SCRATCH).length != m.rows() * m.cols());
        }
        assertNotEquals(CALIBRATED.generate(DefectPattern.NONE, 1).map(), CALIBRATED.generate(DefectPattern.NONE, 2).map());
        assertTrue(sizes.size() > 30, "sizes vary: " + sizes);
        assertTrue(nonSquare > 40, "most grids are not square: " + nonSquare);
    }

    @Test
    void fixedSizeAndMixedTypeStillWork() {
        WaferMapGenerator fixed = new WaferMapGenerator(GeneratorConfig.calibrated().withFixedSize(48));
        for (long seed = 0; seed < 10; seed++) {
            WaferMap m = fixed.generate(DefectPattern.EDGE_RING, seed).map();
            assertEquals(48, m.rows());
            assertEquals(48, m.cols());
        }
        SyntheticWafer mixed = CALIBRATED.generateMixed(EnumSet.of(DefectPattern.CENTER, DefectPattern.EDGE_RING, DefectPattern.SCRATCH), 5);
        assertEquals("Center+Edge-Ring+Scratch", mixed.label());
        for (DefectPattern p : mixed.patterns()) {
            int dies = 0;
            for (boolean b : mixed.mask(p)) {
                dies += b ? 1 : 0;
            }
            assertTrue(dies >= 4, p + " visible on its map: " + dies);
        }
        assertEquals(38 * 2, CALIBRATED.mixedWm38(2, 3).size());
    }

    @Test
    void calibrationIsValidated() {
        Calibration c = Calibration.wm811k();
        assertThrows(IllegalArgumentException.class, () -> new Calibration(4, c.sizeSigma(), c.aspectSigma(), c.wideShare(),
                c.dieMargin(), c.flatProbability(), c.flatDepth(), c.backgroundMedian(), c.backgroundSigma(),
                c.clusterShare(), c.edgeFailRate()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Calibration(37, 0.2, 0.1, 0.1,
                c.dieMargin(), 0.3, c.flatDepth(), 0.0, 0.6, c.clusterShare(), c.edgeFailRate()));
        assertTrue(e.getMessage().contains("backgroundMedian"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Calibration(37, 0.2, 0.1, 0.1,
                Range.of(0, 2), 0.3, c.flatDepth(), 0.05, 0.6, c.clusterShare(), c.edgeFailRate()));
        assertEquals(c, GeneratorConfig.calibrated().calibration());
        assertEquals(null, GeneratorConfig.defaults().calibration());
        assertEquals(c, GeneratorConfig.defaults().withCalibration(c).calibration());
    }

    private static boolean rowHasDie(WaferMap m, int r) {
        for (int c = 0; c < m.cols(); c++) {
            if (m.state(r, c) != DieState.OFF) {
                return true;
            }
        }
        return false;
    }

    private static boolean colHasDie(WaferMap m, int c) {
        for (int r = 0; r < m.rows(); r++) {
            if (m.state(r, c) != DieState.OFF) {
                return true;
            }
        }
        return false;
    }
}
