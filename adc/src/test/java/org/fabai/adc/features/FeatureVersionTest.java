package org.fabai.adc.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/**
 * Feature version 2 measures a map drawn as an image of die blocks on its dies; version 1 (kept
 * for models fitted on it) measured it cell by cell.
 */
class FeatureVersionTest {

    private static WaferMap blocks(WaferMap m, int k) {
        return m.resize(m.rows() * k, m.cols() * k, WaferMap.ResizeMode.NEAREST);
    }

    /** The shared real WM-811K sample, found above the working directory; null when absent. */
    private static Path realSample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("shared/data/wm811k/wm811k-sample.npz");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Every 15th map of the sample: version 2 gives version 1's vector on the map as it ships, and
     * that same vector for the map enlarged 2 and 3 times; version 1 does not.
     */
    private static void checkBlocksGiveTheDieVector(List<WaferMap> maps) {
        int v1Differs = 0;
        try (WaferFeatureExtractor v1 = new WaferFeatureExtractor(1); WaferFeatureExtractor v2 = new WaferFeatureExtractor(2)) {
            for (int i = 0; i < maps.size(); i++) {
                WaferMap m = maps.get(i);
                double[] native1 = v1.extract(m);
                assertArrayEquals(native1, v2.extract(m), 0.0, "map " + i + " on its die grid");
                for (int k = 2; k <= 3; k++) {
                    WaferMap big = blocks(m, k);
                    assertArrayEquals(native1, v2.extract(big), 0.0, "map " + i + " enlarged " + k + " times");
                    if (!java.util.Arrays.equals(native1, v1.extract(big))) {
                        v1Differs++;
                    }
                }
            }
        }
        // version 1 measured the blocks: single failing dies became 2x2 blocks, not isolated
        assertTrue(v1Differs > maps.size(), "version 1 differed on only " + v1Differs + " of " + 2 * maps.size());
    }

    @Test
    void realMapsEnlargedByBlocksGiveTheirOwnVector() throws Exception {
        Path npz = realSample();
        assumeTrue(npz != null, "shared/data/wm811k/wm811k-sample.npz not found above the working directory; skipping");
        List<WaferMap> all = WaferMapArrays.readNpz(npz).maps();
        List<WaferMap> some = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 15) {
            some.add(all.get(i));
        }
        assertEquals(141, some.size());
        checkBlocksGiveTheDieVector(some);
    }

    @Test
    void generatedMapsEnlargedByBlocksGiveTheirOwnVector() {
        List<WaferMap> maps = new ArrayList<>();
        WaferMapGenerator g = new WaferMapGenerator();
        long seed = 7;
        for (DefectPattern p : DefectPattern.values()) {
            maps.add(g.generate(p, seed++).map());
        }
        checkBlocksGiveTheDieVector(maps);
    }

    @Test
    void versionsOutsideTheSupportedRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WaferFeatureExtractor(3));
        assertEquals("feature version must be in [1, 2], got 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WaferFeatureExtractor(0));
        assertThrows(IllegalArgumentException.class, () -> ParallelFeatures.extract(List.of(), 3));
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            assertEquals(WaferFeatureExtractor.FEATURE_VERSION, x.version());
        }
    }
}
