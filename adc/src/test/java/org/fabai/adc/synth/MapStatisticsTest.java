package org.fabai.adc.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

class MapStatisticsTest {

    /** A disc of good dies inscribed in an n x n grid. */
    private static WaferMap.Builder disc(int n) {
        WaferMap.Builder b = WaferMap.builder(n, n);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double u = (c + 0.5 - n / 2.0) / (n / 2.0);
                double v = (r + 0.5 - n / 2.0) / (n / 2.0);
                if (u * u + v * v <= 1) {
                    b.state(r, c, DieState.GOOD);
                }
            }
        }
        return b;
    }

    private static double stat(double[] s, String name) {
        return s[MapStatistics.index(name)];
    }

    @Test
    void cleanWaferHasGeometryButNoPattern() {
        double[] s = MapStatistics.compute(disc(40).build());
        assertEquals(40, stat(s, "rows"));
        assertEquals(40, stat(s, "cols"));
        assertEquals(1.0, stat(s, "aspect"));
        assertEquals(Math.PI / 4, stat(s, "bbox_fill"), 0.02);
        assertEquals(1.0, stat(s, "outline_match"), 1e-12, "the disc is its own inscribed ellipse");
        assertEquals(0, stat(s, "fail_ratio"));
        assertEquals(0, stat(s, "pattern_area"));
        assertTrue(Double.isNaN(stat(s, "pattern_intensity")));
        assertTrue(Double.isNaN(stat(s, "neighbour_fail_excess")), "undefined without failing dies");
    }

    @Test
    void failingOutermostDiesAreAllEdgeExcess() {
        WaferMap clean = disc(30).build();
        WaferMap.Builder b = disc(30);
        int edge = 0;
        for (int r = 0; r < 30; r++) {
            for (int c = 0; c < 30; c++) {
                if (clean.state(r, c) != DieState.OFF && (off(clean, r - 1, c) || off(clean, r + 1, c)
                        || off(clean, r, c - 1) || off(clean, r, c + 1))) {
                    b.state(r, c, DieState.FAIL);
                    edge++;
                }
            }
        }
        double[] s = MapStatistics.compute(b.build());
        assertEquals(1.0, stat(s, "edge_fail_rate"));
        assertEquals(0.0, stat(s, "inner_fail_rate"));
        assertEquals(1.0, stat(s, "edge_excess"));
        assertEquals((double) edge / clean.dieCount(), stat(s, "fail_ratio"), 1e-12);
        assertTrue(stat(s, "pattern_radius") > 0.9, "a ring at the edge: " + stat(s, "pattern_radius"));
        assertTrue(stat(s, "pattern_arc_span") >= 350, "the whole edge: " + stat(s, "pattern_arc_span"));
        assertTrue(stat(s, "pattern_radial_width_dies") < 1.5, "one die thick: " + stat(s, "pattern_radial_width_dies"));
    }

    private static boolean off(WaferMap m, int r, int c) {
        return r < 0 || c < 0 || r >= m.rows() || c >= m.cols() || m.state(r, c) == DieState.OFF;
    }

    @Test
    void blockAndLineHaveTheirSizeThicknessAndElongation() {
        WaferMap.Builder b = disc(40);
        for (int r = 18; r < 23; r++) {
            for (int c = 18; c < 23; c++) {
                b.state(r, c, DieState.FAIL);
            }
        }
        double[] s = MapStatistics.compute(b.build());
        // a 5x5 block: variance of 0..4 is 2 in each axis, so the band width sqrt(12*2) = 4.9
        assertEquals(Math.sqrt(24), stat(s, "pattern_thickness_dies"), 1e-9);
        assertEquals(1.0, stat(s, "pattern_elongation"), 1e-9);
        assertTrue(stat(s, "pattern_radius") < 0.15, "central: " + stat(s, "pattern_radius"));
        assertEquals(0.0, stat(s, "background_rate"));
        assertTrue(stat(s, "pattern_intensity") > 0.2 && stat(s, "pattern_intensity") <= 1);

        WaferMap.Builder line = disc(40);
        for (int c = 8; c < 32; c++) {
            line.state(30, c, DieState.FAIL);
        }
        double[] t = MapStatistics.compute(line.build());
        assertTrue(stat(t, "pattern_thickness_dies") < 1.0, "one die wide: " + stat(t, "pattern_thickness_dies"));
        assertTrue(stat(t, "pattern_elongation") > 10, "long and thin: " + stat(t, "pattern_elongation"));
        assertTrue(stat(t, "neighbour_fail_excess") > 0.3, "clustered failures: " + stat(t, "neighbour_fail_excess"));
    }

    @Test
    void summariesQuantilesAndErrors() {
        WaferMap a = disc(20).build();
        WaferMap.Builder bb = disc(20);
        bb.state(10, 10, DieState.FAIL);
        WaferMap b = bb.build();
        MapStatistics.Summary s = MapStatistics.summarise(List.of(a, b, a), List.of("x", "x", "y"));
        assertEquals(List.of("x", "y"), List.copyOf(s.classes().keySet()));
        assertEquals(2, s.of("x").maps());
        assertEquals(1.0 / b.dieCount() / 2, s.of("x").median("fail_ratio"), 1e-12);
        assertEquals(1, s.of("x").defined()[MapStatistics.index("neighbour_fail_excess")], "NaN values are skipped");
        assertTrue(s.toMarkdown(List.of("fail_ratio")).contains("| y | fail_ratio | 1 |"));
        assertThrows(IllegalArgumentException.class, () -> s.of("z"));
        assertThrows(IllegalArgumentException.class, () -> MapStatistics.index("nope"));
        assertThrows(IllegalArgumentException.class, () -> MapStatistics.summarise(List.of(a), List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MapStatistics.summarise(List.of(a, WaferMap.builder(5, 5).build()), List.of("x", "x")));
        assertTrue(e.getMessage().contains("map 1") && e.getMessage().contains("no on-wafer die"), e.getMessage());
    }
}
