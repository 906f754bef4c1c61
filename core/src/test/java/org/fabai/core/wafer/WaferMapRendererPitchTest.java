package org.fabai.core.wafer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Maps are drawn to their die pitch: a round wafer on a non-square grid stays round. */
class WaferMapRendererPitchTest {

    private static WaferMap ellipse(int rows, int cols, double px, double py) {
        WaferMap.Builder b = WaferMap.builder(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = (c + 0.5 - cols / 2.0) / (cols / 2.0);
                double y = (r + 0.5 - rows / 2.0) / (rows / 2.0);
                b.state(r, c, x * x + y * y <= 1 ? DieState.GOOD : DieState.OFF);
            }
        }
        if (px > 0) {
            b.diePitch(px, py);
        }
        return b.build();
    }

    @Test
    void aWaferOfTwiceAsManyColumnsAsRowsIsDrawnRoundWhenItsDiesAreTwiceAsTall() {
        // 20 rows x 40 columns of dies 5 mm wide and 10 mm tall: a 200 mm round wafer
        WaferMap m = ellipse(20, 40, 5000, 10000);
        assertEquals(8, WaferMapRenderer.cellHeight(m, 4), 1e-12);
        BufferedImage img = WaferMapRenderer.render(m, new WaferMapRenderer.Style(4, false, false, ""));
        assertEquals(160, img.getWidth());
        assertEquals(160, img.getHeight());
        // without a pitch the dies are square and the same grid is an oval
        BufferedImage oval = WaferMapRenderer.render(ellipse(20, 40, 0, 0), new WaferMapRenderer.Style(4, false, false, ""));
        assertEquals(160, oval.getWidth());
        assertEquals(80, oval.getHeight());
        // a pitch ratio that is no whole number of pixels keeps the aspect to the pixel: 30 x 41 dies of 7.3 x 5.34 mm
        WaferMap odd = ellipse(41, 30, 7300, 5340);
        BufferedImage o = WaferMapRenderer.render(odd, new WaferMapRenderer.Style(4, false, false, ""));
        assertEquals(120, o.getWidth());
        assertEquals(Math.round(41 * 4 * 5340 / 7300.0), o.getHeight());
    }
}
