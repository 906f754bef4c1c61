package org.fabai.benchmarks.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.fabai.benchmarks.SyntheticMaps;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/** The benchmarks compute what they claim, and peers compute the same cells as fabai. */
class WaferMapBenchTest {

    private static byte[] pixels(BufferedImage img) {
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void syntheticMapsAreSeededDiscs() {
        WaferMap a = SyntheticMaps.disc(52, 0.1, 7);
        assertEquals(a, SyntheticMaps.disc(52, 0.1, 7));
        assertEquals(DieState.OFF, a.state(0, 0));
        assertEquals(DieState.OFF, a.state(51, 51));
        assertTrue(a.failRatio() > 0.05 && a.failRatio() < 0.15, a.toString());
        assertTrue(a.dieCount() > 0.7 * 52 * 52 && a.dieCount() < 0.85 * 52 * 52, a.toString());
    }

    @Test
    void awtResizePeerComputesTheSameCellsAsFabai() {
        WaferMapBench b = new WaferMapBench();
        b.setUp();
        WaferMap fabai = b.resizeNearest52to64();
        BufferedImage awt = b.awtResizeNearest52to64();
        assertEquals(64, fabai.rows());
        assertEquals(64, awt.getWidth());
        assertEquals(64, awt.getHeight());
        assertArrayEquals(fabai.codes(), pixels(awt));
    }

    @Test
    void awtRotatePeerComputesTheSameCellsAsFabai() {
        WaferMapBench b = new WaferMapBench();
        b.setUp();
        WaferMap fabai = b.rotate90();
        BufferedImage awt = b.awtRotate90();
        assertEquals(52, awt.getWidth());
        assertEquals(52, awt.getHeight());
        assertArrayEquals(fabai.codes(), pixels(awt));
    }

    @Test
    void maxResizeAndOneHotDoTheirWork() {
        WaferMapBench b = new WaferMapBench();
        b.setUp();
        WaferMap small = b.resizeMax128to64();
        assertEquals(64, small.rows());
        assertTrue(small.failCount() >= b.map128.failCount() / 4, "MAX keeps every 2x2 block's fail");
        float[] hot = b.toOneHot64();
        double sum = 0;
        for (float v : hot) {
            sum += v;
        }
        assertEquals(64 * 64, sum, 0.0);
    }

    @Test
    void renderBenchWritesAValidPng() throws IOException {
        WaferMapRenderBench b = new WaferMapRenderBench();
        b.setUp();
        assertEquals(52 * 4, b.render52Scale4().getHeight() - 18);
        int size = b.writePng52Scale4();
        assertTrue(size > 100);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(b.png.toByteArray()));
        assertEquals(52 * 4, back.getWidth());
        byte[] cached = b.png.toByteArray();

        WaferMapRenderBench.NoDiskCache noCache = new WaferMapRenderBench.NoDiskCache();
        noCache.off();
        try {
            assertTrue(!ImageIO.getUseCache());
            assertEquals(size, b.writePngNoDiskCache(noCache));
            assertArrayEquals(cached, b.png.toByteArray(), "the cache does not change the PNG");
        } finally {
            noCache.on();
        }
        assertTrue(ImageIO.getUseCache());
    }
}
