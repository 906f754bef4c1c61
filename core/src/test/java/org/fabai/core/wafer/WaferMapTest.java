package org.fabai.core.wafer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class WaferMapTest {

    private static final int[][] CODES = {
            {0, 1, 1, 0},
            {1, 2, 1, 1},
            {1, 1, 1, 2},
    };

    @Test
    void countsAndRatio() {
        WaferMap m = WaferMap.fromCodes(CODES);
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertEquals(10, m.dieCount());
        assertEquals(2, m.failCount());
        assertEquals(0.2, m.failRatio(), 1e-12);
        assertEquals(DieState.FAIL, m.state(1, 1));
    }

    @Test
    void rotateQuarterTurnsAndBack() {
        WaferMap m = WaferMap.builder(3, 4).state(0, 0, DieState.FAIL).state(2, 3, DieState.GOOD)
                .notch(Notch.DOWN).build();
        WaferMap r = m.rotate(90);
        assertEquals(4, r.rows());
        assertEquals(3, r.cols());
        // top-left goes to top-right under a clockwise turn
        assertEquals(DieState.FAIL, r.state(0, 2));
        assertEquals(DieState.GOOD, r.state(3, 0));
        assertEquals(Notch.LEFT, r.notch());
        assertEquals(m, r.rotate(270));
        assertEquals(m, m.rotate(180).rotate(180));
        assertEquals(m, m.rotate(-90).rotate(90));
        assertThrows(IllegalArgumentException.class, () -> m.rotate(45));
    }

    @Test
    void flipsAreInvolutions() {
        WaferMap m = WaferMap.fromCodes(CODES);
        assertEquals(m, m.flipHorizontal().flipHorizontal());
        assertEquals(m, m.flipVertical().flipVertical());
        assertEquals(DieState.FAIL, m.flipHorizontal().state(1, 2));
        assertEquals(DieState.FAIL, m.flipVertical().state(0, 3));
    }

    @Test
    void resizeNearestKeepsStatesExact() {
        WaferMap m = WaferMap.fromCodes(CODES);
        WaferMap up = m.resize(12, 16, WaferMap.ResizeMode.NEAREST);
        for (int r = 0; r < 12; r++) {
            for (int c = 0; c < 16; c++) {
                assertEquals(m.state(r / 4, c / 4), up.state(r, c), "cell " + r + "," + c);
            }
        }
        assertEquals(m, up.resize(3, 4, WaferMap.ResizeMode.NEAREST).withIds("", ""));
    }

    @Test
    void resizeMaxNeverLosesAFailingDie() {
        WaferMap.Builder b = WaferMap.builder(64, 64);
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                b.state(r, c, DieState.GOOD);
            }
        }
        b.state(33, 17, DieState.FAIL);
        WaferMap small = b.build().resize(8, 8, WaferMap.ResizeMode.MAX);
        assertEquals(1, small.failCount());
        assertEquals(DieState.FAIL, small.state(4, 2));
        assertEquals(0, b.build().resize(8).failCount() > 1 ? -1 : 0);
    }

    @Test
    void oneHotIsChannelMajor() {
        WaferMap m = WaferMap.fromCodes(new int[][] {{0, 2}});
        float[] x = new float[6];
        m.toOneHot(x, 0);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1}, x);
        assertArrayEquals(new float[] {0, 2}, m.toFloatArray());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WaferMap.fromCodes(new int[][] {{0, 3}}));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WaferMap.fromCodes(new int[][] {{0, 1}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> WaferMap.builder(0, 3));
    }

    @Test
    void binsFollowTheirCells() {
        WaferMap m = WaferMap.builder(2, 2).state(0, 1, DieState.FAIL).bin(0, 1, 7).build();
        assertTrue(m.hasBins());
        assertEquals(7, m.rotate(90).bin(1, 1));
        assertEquals(WaferMap.NO_BIN, m.bin(0, 0));
    }

    @Test
    void rendersAValidPng() throws Exception {
        WaferMap m = WaferMap.fromCodes(CODES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WaferMapRenderer.writePng(m, WaferMapRenderer.Style.of(5), out);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertTrue(img.getWidth() >= 20);
        assertEquals(WaferMapRenderer.FAIL.getRGB(), img.getRGB(5 + 2, 5 + 2));
        assertEquals(WaferMapRenderer.OFF.getRGB(), img.getRGB(1, 1));
        assertThrows(IllegalArgumentException.class, () -> WaferMapRenderer.Style.of(0));
    }
}
