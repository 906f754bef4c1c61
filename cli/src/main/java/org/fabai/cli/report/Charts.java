package org.fabai.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts for reports, drawn with JFreeChart. Stateless and thread-safe. */
public final class Charts {

    private Charts() {
    }

    /**
     * A line chart of several named series sharing an x axis.
     *
     * @param out    PNG file
     * @param title  chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param x      x values
     * @param series name to y values (same length as x)
     * @param hLines horizontal reference lines (e.g. target, spec limits), may be empty
     * @throws IOException if writing fails
     */
    public static void lines(Path out, String title, String xLabel, String yLabel, double[] x,
                             Map<String, double[]> series, List<Double> hLines) throws IOException {
        Map<String, double[][]> xy = new java.util.LinkedHashMap<>();
        series.forEach((k, y) -> xy.put(k, new double[][] {x, y}));
        lines(out, title, xLabel, yLabel, xy, labelled(hLines), List.of());
    }

    /**
     * A labelled reference line.
     *
     * @param at    where (y for a horizontal line, x for a vertical one)
     * @param label its label, may be empty
     */
    public record Marker(double at, String label) {
    }

    private static List<Marker> labelled(List<Double> at) {
        List<Marker> m = new java.util.ArrayList<>();
        at.forEach(a -> m.add(new Marker(a, "")));
        return m;
    }

    /**
     * A line chart of named series, each with its own x values, with horizontal reference lines
     * (which the value axis always shows: a spec limit is never cut off) and vertical event lines.
     *
     * @param out    PNG file
     * @param title  chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param series name to {x values, y values}
     * @param hLines horizontal reference lines (target, spec limits), may be empty
     * @param vLines vertical event lines (maintenance, a fault's start), may be empty
     * @throws IOException if writing fails
     */
    public static void lines(Path out, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             List<Marker> hLines, List<Marker> vLines) throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] x = e.getValue()[0];
            double[] y = e.getValue()[1];
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                if (!Double.isNaN(y[i])) {
                    s.add(x[i], y[i]);
                    lo = Math.min(lo, y[i]);
                    hi = Math.max(hi, y[i]);
                }
            }
            ds.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, ds, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot p = c.getXYPlot();
        org.jfree.chart.axis.NumberAxis range = (org.jfree.chart.axis.NumberAxis) p.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < series.size(); i++) {
            p.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
        }
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);
        for (Marker h : hLines) {
            ValueMarker m = new ValueMarker(h.at());
            m.setPaint(Color.GRAY);
            m.setStroke(dashed);
            if (!h.label().isEmpty()) {
                m.setLabel(h.label());
                m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
                m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
            }
            p.addRangeMarker(m);
            lo = Math.min(lo, h.at());
            hi = Math.max(hi, h.at());
        }
        for (Marker v : vLines) {
            ValueMarker m = new ValueMarker(v.at());
            m.setPaint(new Color(0x8E24AA));
            m.setStroke(new BasicStroke(1.2f));
            if (!v.label().isEmpty()) {
                m.setLabel(v.label());
                m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
                m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
                m.setLabelPaint(new Color(0x8E24AA));
            }
            p.addDomainMarker(m);
        }
        if (lo <= hi) {
            double pad = Math.max(1e-9, 0.06 * (hi - lo));
            range.setRange(lo - pad, hi + pad);
        }
        ChartUtils.saveChartAsPNG(out.toFile(), c, 720, 360);
    }

    /**
     * A horizontal bar chart.
     *
     * @param out    PNG file
     * @param title  chart title
     * @param label  value axis label
     * @param values category to value, drawn in map order
     * @throws IOException if writing fails
     */
    public static void bars(Path out, String title, String label, Map<String, Double> values) throws IOException {
        bars(out, title, label, values, null);
    }

    /**
     * A horizontal bar chart with one bar highlighted.
     *
     * @param out       PNG file
     * @param title     chart title
     * @param label     value axis label
     * @param values    category to value, drawn in map order
     * @param highlight the category drawn in the highlight colour, or null
     * @throws IOException if writing fails
     */
    public static void bars(Path out, String title, String label, Map<String, Double> values, String highlight)
            throws IOException {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            ds.addValue(e.getValue(), label, e.getKey());
        }
        JFreeChart c = ChartFactory.createBarChart(title, "", label, ds, PlotOrientation.HORIZONTAL, false, false, false);
        c.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        java.util.List<String> keys = new java.util.ArrayList<>(values.keySet());
        c.getCategoryPlot().setRenderer(new org.jfree.chart.renderer.category.BarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return keys.get(column).equals(highlight) ? new Color(0xD32F2F) : new Color(0x5C6BC0);
            }
        });
        ChartUtils.saveChartAsPNG(out.toFile(), c, 720, Math.max(200, 60 + 28 * values.size()));
    }
}
