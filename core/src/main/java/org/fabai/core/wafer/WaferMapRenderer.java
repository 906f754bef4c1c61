package org.fabai.core.wafer;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Renders a {@link WaferMap} to an image (headless AWT): one cell of {@code scale} pixels wide per
 * die, as high as the die pitch makes it when the map knows its pitch (square otherwise), OFF light grey, GOOD green, FAIL red, an optional colour legend below the map and, when
 * the map carries bins and {@link Style#colourByBin()} is set, failing dies coloured by bin.
 *
 * <p>Stateless and thread-safe.
 */
public final class WaferMapRenderer {

    /** Colour of OFF cells. */
    public static final Color OFF = new Color(0xEEEEEE);
    /** Colour of GOOD dies. */
    public static final Color GOOD = new Color(0x4CAF50);
    /** Colour of FAIL dies. */
    public static final Color FAIL = new Color(0xD32F2F);

    /**
     * How to draw.
     *
     * @param scale       pixels per cell, 1..64
     * @param legend      draw a legend strip under the map
     * @param colourByBin colour failing dies by bin code when the map has bins
     * @param title       title drawn in the legend strip (may be empty)
     */
    public record Style(int scale, boolean legend, boolean colourByBin, String title) {
        /** Validates the style. */
        public Style {
            if (scale < 1 || scale > 64) {
                throw new IllegalArgumentException("scale must be in [1, 64], got " + scale);
            }
            title = title == null ? "" : title;
        }

        /**
         * @param scale pixels per cell
         * @return a style with a legend and no bin colouring
         */
        public static Style of(int scale) {
            return new Style(scale, true, false, "");
        }
    }

    private WaferMapRenderer() {
    }

    /**
     * @param map   the map
     * @param style how to draw
     * @return an RGB image
     */
    public static BufferedImage render(WaferMap map, Style style) {
        int s = style.scale();
        double sy = cellHeight(map, s);
        int w = map.cols() * s;
        int h = (int) Math.round(map.rows() * sy);
        int legendH = style.legend() ? 18 : 0;
        int width = Math.max(w, style.legend() ? 150 : 1);
        BufferedImage img = new BufferedImage(width, h + legendH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int r = 0; r < map.rows(); r++) {
                // row boundaries rounded from the exact die height: the image keeps the wafer's aspect
                int y0 = (int) Math.round(r * sy);
                int y1 = (int) Math.round((r + 1) * sy);
                for (int c = 0; c < map.cols(); c++) {
                    g.setColor(colour(map, r, c, style.colourByBin()));
                    g.fillRect(c * s, y0, s, Math.max(1, y1 - y0));
                }
            }
            if (style.legend()) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                int y = h + 4;
                int x = 2;
                x = swatch(g, x, y, GOOD, "good");
                x = swatch(g, x, y, FAIL, "fail");
                x = swatch(g, x, y, OFF, "off");
                if (!style.title().isEmpty()) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(style.title(), x + 4, y + 9);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Height in pixels of one die drawn {@code scale} pixels wide: to the die pitch when the map knows
     * it ({@code scale · pitchY / pitchX}, so that a round wafer stays round), else square. Rows are
     * drawn between rounded multiples of it.
     *
     * @param map   the map
     * @param scale pixels per die along x
     * @return pixels per die along y (not rounded), at least 1
     */
    public static double cellHeight(WaferMap map, int scale) {
        double px = map.diePitchX();
        double py = map.diePitchY();
        if (!(px > 0 && py > 0) || !Double.isFinite(px) || !Double.isFinite(py)) {
            return scale;
        }
        return Math.max(1, scale * py / px);
    }

    /**
     * Writes a PNG.
     *
     * @param map   the map
     * @param style how to draw
     * @param out   the file to write (parent folders are created)
     * @throws IOException if the file cannot be written
     */
    public static void writePng(WaferMap map, Style style, Path out) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        try (OutputStream os = Files.newOutputStream(out)) {
            writePng(map, style, os);
        }
    }

    /**
     * Writes a PNG to a stream (the stream is not closed).
     *
     * @param map   the map
     * @param style how to draw
     * @param out   the stream
     * @throws IOException if writing fails
     */
    public static void writePng(WaferMap map, Style style, OutputStream out) throws IOException {
        if (!ImageIO.write(render(map, style), "png", out)) {
            throw new IOException("no PNG writer available in this JVM");
        }
    }

    private static int swatch(Graphics2D g, int x, int y, Color c, String label) {
        g.setColor(c);
        g.fillRect(x, y, 10, 10);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, y, 10, 10);
        g.drawString(label, x + 13, y + 9);
        return x + 13 + g.getFontMetrics().stringWidth(label) + 6;
    }

    private static Color colour(WaferMap map, int r, int c, boolean byBin) {
        DieState st = map.state(r, c);
        if (st == DieState.OFF) {
            return OFF;
        }
        if (st == DieState.GOOD) {
            return GOOD;
        }
        if (byBin && map.hasBins() && map.bin(r, c) != WaferMap.NO_BIN) {
            float hue = (map.bin(r, c) * 0.618034f) % 1f;
            return Color.getHSBColor(hue, 0.75f, 0.85f);
        }
        return FAIL;
    }
}
