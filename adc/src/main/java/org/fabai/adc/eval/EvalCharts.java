package org.fabai.adc.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Renders evaluation results to PNG: a confusion matrix heat map with per-class precision, recall
 * and F1, and a learning curve (mean macro-F1 with a ±1 standard-deviation band per family, log
 * scale of training size).
 *
 * <p>Stateless and thread-safe. Needs no display ({@code java.awt.headless} is fine).
 */
public final class EvalCharts {

    private EvalCharts() {
    }

    /**
     * Draws a confusion matrix: rows (truth) normalised to fractions shading the cells, counts
     * written in them, and a precision / recall / F1 table on the right.
     *
     * @param cm    the matrix
     * @param title chart title
     * @return the image
     */
    public static BufferedImage confusionImage(ConfusionMatrix cm, String title) {
        List<String> cls = cm.classes();
        int k = cls.size();
        int cell = 52;
        int left = 110;
        int top = 110;
        int tableW = 240;
        int w = left + (k + 1) * cell + tableW + 20;
        int h = top + k * cell + 90;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString("predicted \u2192", left, top - 60);
            g.drawString("truth \u2193", 10, top - 8);
            long[][] c = cm.counts();
            for (int j = 0; j <= k; j++) {
                String name = j < k ? cls.get(j) : "unknown";
                Graphics2D g2 = (Graphics2D) g.create();
                g2.translate(left + j * cell + cell / 2 + 4, top - 6);
                g2.rotate(-Math.PI / 4);
                g2.drawString(name, 0, 0);
                g2.dispose();
            }
            for (int i = 0; i < k; i++) {
                long support = cm.support(cls.get(i));
                g.setColor(Color.BLACK);
                g.drawString(cls.get(i), 10, top + i * cell + cell / 2 + 4);
                for (int j = 0; j <= k; j++) {
                    long v = j < k ? c[i][j] : cm.rejected(cls.get(i));
                    double frac = support == 0 ? 0 : (double) v / support;
                    Color fill = j == i ? blend(new Color(0xE8F5E9), new Color(0x1B5E20), frac)
                            : blend(Color.WHITE, new Color(0xB71C1C), frac);
                    g.setColor(fill);
                    g.fillRect(left + j * cell, top + i * cell, cell, cell);
                    g.setColor(new Color(0xBDBDBD));
                    g.drawRect(left + j * cell, top + i * cell, cell, cell);
                    g.setColor(frac > 0.5 ? Color.WHITE : Color.BLACK);
                    String s = Long.toString(v);
                    int sw = g.getFontMetrics().stringWidth(s);
                    g.drawString(s, left + j * cell + (cell - sw) / 2, top + i * cell + cell / 2 + 4);
                }
            }
            int tx = left + (k + 1) * cell + 20;
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%-9s %6s %6s %6s", "", "prec", "recall", "F1"), tx, top - 8);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
            int row = 0;
            for (ConfusionMatrix.ClassMetrics m : cm.perClass()) {
                g.drawString(String.format(Locale.ROOT, "%-9.9s %6.3f %6.3f %6.3f", m.className(), m.precision(), m.recall(), m.f1()),
                        tx, top + row * cell + cell / 2 + 4);
                row++;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            String noneName = cls.contains("none") ? "none" : "";
            g.drawString(String.format(Locale.ROOT, "n=%d   accuracy %.4f   macro-F1 %.4f   macro-F1 w/o none %.4f   balanced acc %.4f   rejected %.2f%%",
                    cm.total(), cm.accuracy(), cm.macroF1(), cm.macroF1Excluding(List.of(noneName)), cm.balancedAccuracy(),
                    100 * cm.rejectRate()), 10, top + k * cell + 40);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Writes {@link #confusionImage} to a PNG file.
     *
     * @param cm    the matrix
     * @param title chart title
     * @param out   destination
     * @throws IOException if writing fails
     */
    public static void writeConfusionPng(ConfusionMatrix cm, String title, Path out) throws IOException {
        createParent(out);
        ImageIO.write(confusionImage(cm, title), "png", out.toFile());
    }

    /**
     * Writes a learning-curve chart (JFreeChart): mean macro-F1 against training size (log axis),
     * with a ±1 standard-deviation band, one series per family.
     *
     * @param result the curve
     * @param title  chart title
     * @param out    destination PNG
     * @throws IOException if writing fails
     */
    public static void writeLearningCurvePng(LearningCurve.Result result, String title, Path out) throws IOException {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String f : result.families()) {
            YIntervalSeries s = new YIntervalSeries(f);
            for (int n : result.config().sizes()) {
                double m = result.mean(f, n);
                if (!Double.isNaN(m)) {
                    double sd = result.std(f, n);
                    s.add(n, m, Math.max(0, m - sd), Math.min(1, m + sd));
                }
            }
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("training maps");
        x.setBase(10);
        x.setSmallestValue(1);
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
        NumberAxis y = new NumberAxis("macro-F1 (test)");
        double lo = 1;
        for (LearningCurve.Point p : result.points()) {
            lo = Math.min(lo, p.macroF1());
        }
        y.setRange(Math.max(0, Math.floor((lo - 0.05) * 20) / 20), 1.0);
        DeviationRenderer r = new DeviationRenderer(true, true);
        Color[] palette = {new Color(0x1565C0), new Color(0xC62828), new Color(0x2E7D32), new Color(0x6A1B9A), new Color(0xEF6C00)};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Color c = palette[i % palette.length];
            r.setSeriesPaint(i, c);
            r.setSeriesFillPaint(i, c);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        r.setAlpha(0.2f);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        createParent(out);
        ChartUtils.saveChartAsPNG(out.toFile(), chart, 900, 560);
    }

    private static void createParent(Path out) throws IOException {
        Path p = out.toAbsolutePath().getParent();
        if (p != null) {
            Files.createDirectories(p);
        }
    }

    private static Color blend(Color a, Color b, double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * u),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * u),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * u));
    }
}
