package org.fabai.adc.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.Range;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

class WaferFeatureExtractorTest {

    private static int idx(String name) {
        int i = WaferFeatureExtractor.featureNames().indexOf(name);
        assertTrue(i >= 0, name);
        return i;
    }

    @Test
    void namesAreUniqueAndMatchTheVector() {
        List<String> names = WaferFeatureExtractor.featureNames();
        assertEquals(names.size(), new HashSet<>(names).size());
        assertEquals(86, names.size());
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            double[] f = x.extract(new WaferMapGenerator().generate(DefectPattern.DONUT, 3).map());
            assertEquals(names.size(), f.length);
            for (double v : f) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    @Test
    void handMadeDiscGivesExactGeometry() {
        // 41x41 wafer, failing disc of radius 8 dies at the centre, no noise
        WaferMap.Builder b = WaferMap.builder(41, 41);
        for (int r = 0; r < 41; r++) {
            for (int c = 0; c < 41; c++) {
                double dr = r - 20;
                double dc = c - 20;
                if (dr * dr + dc * dc <= 20.5 * 20.5) {
                    b.state(r, c, dr * dr + dc * dc <= 64 ? DieState.FAIL : DieState.GOOD);
                }
            }
        }
        WaferMap m = b.build();
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            ClusterGeometry g = x.salientCluster(m);
            // the 3x3 median trims a few corner dies of the digital disc
            assertEquals(m.failCount(), g.areaFraction() * m.dieCount(), 0.03 * m.failCount());
            assertEquals(0, g.centreDistance(), 0.02);
            assertEquals(g.majorAxis(), g.minorAxis(), 0.02, "a disc is round");
            assertEquals(16.0 / 20.5, g.majorAxis(), 0.08, "diameter 16 dies over radius 20.5");
            assertTrue(g.solidity() > 0.95, "solid: " + g.solidity());
            assertTrue(g.arcSpan() > 5.5, "a centred disc spans (almost) every direction: " + g.arcSpan());
            double[] f = x.extract(m);
            assertEquals((double) m.failCount() / m.dieCount(), f[idx("fail_ratio")], 1e-12);
            assertEquals(1.0, f[idx("ring_density_0")], 1e-12);
            assertEquals(0.0, f[idx("ring_density_9")], 1e-12);
            assertEquals(0.0, f[idx("isolated_fail_fraction")], 1e-12);
            assertEquals(1.0, f[idx("largest_raw_share")], 1e-12);
            assertEquals(0.0, f[idx("edge_coverage")], 1e-12);
        }
    }

    @Test
    void invariantToRotationAndSize() {
        // the same pattern at 90-degree rotations gives (nearly) the same vector
        WaferMap m = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(48)).generate(DefectPattern.EDGE_LOC, 9).map();
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            double[] a = x.extract(m);
            double[] b = x.extract(m.rotate(90));
            double[] c = x.extract(m.flipHorizontal());
            for (String n : List.of("fail_ratio", "cluster_area", "cluster_centre_distance", "edge_coverage", "ring_density_9",
                    "edge_sector_sorted_0", "radon_mean_11")) {
                assertEquals(a[idx(n)], b[idx(n)], 0.03, n + " under rotation");
                assertEquals(a[idx(n)], c[idx(n)], 0.03, n + " under flip");
            }
            // upscaled 2x: density features stay put
            double[] d = x.extract(m.resize(96, 96, WaferMap.ResizeMode.NEAREST));
            for (String n : List.of("fail_ratio", "cluster_area", "ring_density_9", "edge_coverage")) {
                assertEquals(a[idx(n)], d[idx(n)], 0.05, n + " under resize");
            }
        }
    }

    @Test
    void featuresSeparateTheClassesTheyAreMadeFor() {
        WaferMapGenerator g = new WaferMapGenerator();
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            double ring = 0;
            double loc = 0;
            double scratchEcc = 0;
            double centreEcc = 0;
            double randomExcess = 0;
            double centreExcess = 0;
            for (int s = 0; s < 20; s++) {
                ring += x.extract(g.generate(DefectPattern.EDGE_RING, s).map())[idx("edge_coverage")];
                loc += x.extract(g.generate(DefectPattern.EDGE_LOC, s).map())[idx("edge_coverage")];
                scratchEcc += x.extract(g.generate(DefectPattern.SCRATCH, s).map())[idx("raw_cluster_eccentricity")];
                double[] c = x.extract(g.generate(DefectPattern.CENTER, s).map());
                centreEcc += c[idx("raw_cluster_eccentricity")];
                centreExcess += c[idx("neighbour_fail_excess")];
                randomExcess += x.extract(g.generate(DefectPattern.RANDOM, s).map())[idx("neighbour_fail_excess")];
            }
            assertTrue(ring > 2.5 * loc, "edge ring covers the edge: " + ring + " vs " + loc);
            assertTrue(scratchEcc > centreEcc + 4, "scratches are elongated: " + scratchEcc + " vs " + centreEcc);
            assertTrue(Math.abs(randomExcess / 20) < 0.03 && centreExcess / 20 > 0.2, "clustering: " + randomExcess + " " + centreExcess);
        }
    }

    @Test
    void cachedGeometryGivesTheSameAnswerAsAFreshExtractor() {
        List<WaferMap> maps = WaferMapGenerator.maps(new WaferMapGenerator().balanced(4, 5));
        try (WaferFeatureExtractor shared = new WaferFeatureExtractor()) {
            double[][] all = shared.extractAll(maps);
            double[][] again = shared.extractAll(maps);
            for (int i = 0; i < maps.size(); i++) {
                try (WaferFeatureExtractor fresh = new WaferFeatureExtractor()) {
                    assertArrayEquals(fresh.extract(maps.get(i)), all[i], 0.0);
                }
                assertArrayEquals(all[i], again[i], 0.0);
            }
        }
    }

    @Test
    void emptyWaferAndClosedExtractorAreErrors() {
        WaferMap empty = WaferMap.builder(10, 10).build();
        WaferFeatureExtractor x = new WaferFeatureExtractor();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.extract(empty));
        assertTrue(e.getMessage().contains("no on-wafer die"), e.getMessage());
        WaferMap noFail = new WaferMapGenerator(GeneratorConfig.defaults().withBackground(Range.of(0, 0))).generate(DefectPattern.NONE, 1).map();
        assertEquals(ClusterGeometry.empty(), x.salientCluster(noFail));
        x.close();
        x.close();
        assertThrows(IllegalStateException.class, () -> x.extract(noFail));
    }
}
