package org.fabai.core.wafer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.fabai.core.SharedData;
import org.fabai.core.io.npy.WaferMapArrays;
import org.junit.jupiter.api.Test;

/** {@link MapSizing#dieGrid}: maps drawn as images of die blocks come back to their dies, exactly. */
class MapSizingDieGridTest {

    /** A round 21 x 25 wafer with a failing scratch and a few single failing dies. */
    private static WaferMap wafer() {
        WaferMap.Builder b = WaferMap.builder(21, 25);
        for (int r = 0; r < 21; r++) {
            for (int c = 0; c < 25; c++) {
                double u = (c + 0.5 - 12.5) / 12.5;
                double v = (r + 0.5 - 10.5) / 10.5;
                if (u * u + v * v <= 1) {
                    boolean fail = r == c - 2 || (r * 7 + c * 3) % 29 == 0;
                    b.state(r, c, fail ? DieState.FAIL : DieState.GOOD);
                }
            }
        }
        return b.build().withIds("lot1", "4");
    }

    private static WaferMap blocks(WaferMap m, int kr, int kc) {
        return m.resize(m.rows() * kr, m.cols() * kc, WaferMap.ResizeMode.NEAREST);
    }

    @Test
    void integerBlockEnlargementsComeBackToTheirDies() {
        WaferMap m = wafer();
        assertSame(m, MapSizing.dieGrid(m), "a map on its die grid is left as it is");
        for (int[] k : new int[][] {{2, 2}, {3, 3}, {4, 4}, {2, 3}, {1, 5}}) {
            WaferMap big = blocks(m, k[0], k[1]);
            WaferMap back = MapSizing.dieGrid(big);
            assertEquals(m.rows(), back.rows(), k[0] + "x" + k[1]);
            assertEquals(m.cols(), back.cols(), k[0] + "x" + k[1]);
            assertArrayEquals(m.codes(), back.codes(), k[0] + "x" + k[1]);
            assertEquals("lot1", back.lotId());
        }
    }

    @Test
    void nonIntegerEnlargementsAndNearlyBlockMapsAreLeftAlone() {
        WaferMap m = wafer();
        WaferMap stretched = m.resize(34, 40, WaferMap.ResizeMode.NEAREST);
        assertSame(stretched, MapSizing.dieGrid(stretched));
        // one cell of one block differs: no exact reduction exists
        WaferMap big = blocks(m, 2, 2);
        byte[] c = big.codes();
        int i = 21 * big.cols() + 25;
        c[i] = (byte) (c[i] == 2 ? 1 : 2);
        WaferMap broken = WaferMap.fromCodes(big.rows(), big.cols(), c);
        assertSame(broken, MapSizing.dieGrid(broken));
    }

    @Test
    void binsCountAndTinyResultsAreRefused() {
        // identical states but different bins in a block: not a block image
        WaferMap.Builder b = WaferMap.builder(20, 20);
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                b.state(r, c, DieState.GOOD).bin(r, c, (r / 2) * 10 + c / 2 + (r == 5 && c == 4 ? 1000 : 0));
            }
        }
        WaferMap withBins = b.build();
        assertSame(withBins, MapSizing.dieGrid(withBins));
        // a uniform map would collapse to 1 x 1: below the smallest die grid, left alone
        WaferMap.Builder u = WaferMap.builder(30, 30);
        for (int r = 0; r < 30; r++) {
            for (int c = 0; c < 30; c++) {
                u.state(r, c, DieState.GOOD);
            }
        }
        WaferMap uniform = u.build();
        assertSame(uniform, MapSizing.dieGrid(uniform));
    }

    @Test
    void everyRealSampleMapIsItsOwnDieGridAndComesBackFromBlocks() throws Exception {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(SharedData.require("wm811k/wm811k-sample.npz"));
        for (int i = 0; i < d.maps().size(); i++) {
            WaferMap m = d.maps().get(i);
            assertSame(m, MapSizing.dieGrid(m), "map " + i + " (" + m.rows() + "x" + m.cols() + ") was reduced");
            if (i % 10 == 0) {
                int k = 2 + i % 3;
                WaferMap back = MapSizing.dieGrid(blocks(m, k, k));
                assertArrayEquals(m.codes(), back.codes(), "map " + i + " enlarged " + k + " times");
            }
        }
    }
}
