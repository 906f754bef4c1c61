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
        XYSeriesCollection ds = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] y = e.getValue();
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                if (!Double.isNaN(y[i])) {
                    s.add(x[i], y[i]);
                }
            }
            ds.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, ds, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot p = c.getXYPlot();
        ((org.jfree.chart.axis.NumberAxis) p.getRangeAxis()).setAutoRangeIncludesZero(false);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < series.size(); i++) {
            p.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
        }
        for (Double h : hLines) {
            ValueMarker m = new ValueMarker(h);
            m.setPaint(Color.GRAY);
            m.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            p.addRangeMarker(m);
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
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            ds.addValue(e.getValue(), label, e.getKey());
        }
        JFreeChart c = ChartFactory.createBarChart(title, "", label, ds, PlotOrientation.HORIZONTAL, false, false, false);
        c.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(out.toFile(), c, 720, Math.max(200, 60 + 28 * values.size()));
    }
}
