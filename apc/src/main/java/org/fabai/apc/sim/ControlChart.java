package org.fabai.apc.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Renders a run-to-run control chart (headless AWT): the output y with the target and spec limits
 * in the upper panel, the input u in the lower panel. Stateless and thread-safe.
 */
public final class ControlChart {

    private ControlChart() {
    }

    /**
     * @param result a simulation result
     * @param lsl    lower spec limit (NaN: none)
     * @param usl    upper spec limit (NaN: none)
     * @param title  chart title
     * @return the image, 1000 × 600
     */
    public static BufferedImage render(SimulationResult result, double lsl, double usl, String title) {
        int w = 1000;
        int h = 600;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 60, 20);
            double[] y = result.outputs();
            double[] u = result.inputs();
            panel(g, y, new double[] {result.target(), lsl, usl}, 60, 35, w - 80, 340, "y", new Color(0x1565C0));
            panel(g, u, new double[0], 60, 410, w - 80, 160, "u", new Color(0x2E7D32));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void panel(Graphics2D g, double[] v, double[] lines, int x0, int y0, int pw, int ph, String label,
                              Color colour) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double d : v) {
            if (Double.isFinite(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
                n++;
            }
        }
        for (double d : lines) {
            if (Double.isFinite(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        if (n == 0) {
            return;
        }
        if (hi - lo < 1e-12) {
            hi += 1;
            lo -= 1;
        }
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        g.setColor(new Color(0xF5F5F5));
        g.fillRect(x0, y0, pw, ph);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "%.4g", hi), 2, y0 + 10);
        g.drawString(String.format(Locale.ROOT, "%.4g", lo), 2, y0 + ph);
        g.drawString(label, 2, y0 + ph / 2);
        final double flo = lo;
        final double fhi = hi;
        java.util.function.DoubleUnaryOperator sy = d -> y0 + ph - (d - flo) / (fhi - flo) * ph;
        for (int i = 0; i < lines.length; i++) {
            if (Double.isFinite(lines[i])) {
                g.setColor(i == 0 ? new Color(0x388E3C) : new Color(0xD32F2F));
                g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
                int yy = (int) Math.round(sy.applyAsDouble(lines[i]));
                g.drawLine(x0, yy, x0 + pw, yy);
            }
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(colour);
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int t = 0; t < v.length; t++) {
            if (!Double.isFinite(v[t])) {
                continue;
            }
            double px = x0 + (v.length == 1 ? 0 : (double) t / (v.length - 1) * pw);
            double py = sy.applyAsDouble(v[t]);
            if (started) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                started = true;
            }
        }
        g.draw(path);
    }

    /**
     * Writes the chart as PNG.
     *
     * @param result a simulation result
     * @param lsl    lower spec limit (NaN: none)
     * @param usl    upper spec limit (NaN: none)
     * @param title  chart title
     * @param out    PNG file
     * @throws IOException when it cannot be written
     */
    public static void writePng(SimulationResult result, double lsl, double usl, String title, Path out) throws IOException {
        if (!ImageIO.write(render(result, lsl, usl, title), "png", out.toFile())) {
            throw new IOException(out + ": no PNG writer available");
        }
    }
}
