package org.fabai.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a small directed graph as inline SVG for a report: nodes placed in columns by tier
 * (process order, left to right), edges as arrows (directed) or plain lines (undirected), the
 * highlighted nodes filled. A diagram, not a chart. Stateless and thread-safe.
 */
public final class GraphSvg {

    /**
     * An edge.
     *
     * @param from     source node
     * @param to       target node
     * @param directed true for {@code from -> to}, false for an undirected {@code from - to}
     */
    public record Edge(String from, String to, boolean directed) {
    }

    private GraphSvg() {
    }

    /**
     * @param nodes     node name to tier (column)
     * @param edges     edges between named nodes
     * @param highlight node name to a label drawn under it (e.g. its rank), may be empty
     * @return an {@code <svg>} element
     */
    public static String render(Map<String, Integer> nodes, List<Edge> edges, Map<String, String> highlight) {
        Layout lay = layout(nodes);
        int w = lay.width();
        int h = lay.height();
        Map<String, double[]> pos = lay.pos();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">", w, h));
        s.append("<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        for (Edge e : edges) {
            double[] a = pos.get(e.from());
            double[] b = pos.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            double dx = b[0] - a[0];
            double dy = b[1] - a[1];
            double len = Math.max(1e-9, Math.hypot(dx, dy));
            double rx = 58;
            double ry = 16;
            double t = 1.0 / Math.sqrt((dx * dx) / (rx * rx) + (dy * dy) / (ry * ry));
            double sx = a[0] + dx * t;
            double sy = a[1] + dy * t;
            double ex = b[0] - dx * t;
            double ey = b[1] - dy * t;
            if (t * len * 2 >= len) {
                sx = a[0];
                sy = a[1];
                ex = b[0];
                ey = b[1];
            }
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"%s/>",
                    sx, sy, ex, ey, e.directed() ? " marker-end=\"url(#arr)\"" : ""));
        }
        for (Map.Entry<String, double[]> n : pos.entrySet()) {
            boolean hi = highlight.containsKey(n.getKey());
            double[] p = n.getValue();
            s.append(String.format(Locale.ROOT,
                    "<ellipse cx=\"%.1f\" cy=\"%.1f\" rx=\"58\" ry=\"16\" fill=\"%s\" stroke=\"#333\"/>",
                    p[0], p[1], hi ? "#ffcdd2" : "#e3f2fd"));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    p[0], p[1] + 4, HtmlReport.esc(shorten(n.getKey()))));
            if (hi && !highlight.get(n.getKey()).isEmpty()) {
                s.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#b71c1c\" font-size=\"10\">%s</text>",
                        p[0], p[1] + 28, HtmlReport.esc(highlight.get(n.getKey()))));
            }
        }
        s.append("</svg>");
        return s.toString();
    }

    private record Layout(int width, int height, Map<String, double[]> pos) {
    }

    private static Layout layout(Map<String, Integer> nodes) {
        Map<Integer, List<String>> cols = new java.util.TreeMap<>();
        nodes.forEach((n, t) -> cols.computeIfAbsent(t, k -> new ArrayList<>()).add(n));
        // tiers run left to right and wrap into bands of at most PER_ROW columns
        final int perRow = 6;
        int colW = 170;
        int rowH = 56;
        int maxRows = cols.values().stream().mapToInt(List::size).max().orElse(1);
        int bandH = maxRows * rowH + 40;
        int bands = (cols.size() + perRow - 1) / perRow;
        int w = Math.min(Math.max(1, cols.size()), perRow) * colW + 40;
        int h = Math.max(1, bands) * bandH + 20;
        Map<String, double[]> pos = new LinkedHashMap<>();
        int ci = 0;
        for (List<String> col : cols.values()) {
            int band = ci / perRow;
            int inBand = ci % perRow;
            int x = band % 2 == 0 ? inBand : perRow - 1 - inBand;
            double off = (maxRows - col.size()) * rowH / 2.0;
            for (int r = 0; r < col.size(); r++) {
                pos.put(col.get(r), new double[] {30 + x * colW + 60, 30 + band * bandH + off + r * rowH});
            }
            ci++;
        }
        return new Layout(w, h, pos);
    }

    /**
     * Draws the same diagram to a PNG (Java2D, headless).
     *
     * @param nodes     node name to tier (column)
     * @param edges     edges between named nodes
     * @param highlight node name to a label drawn under it, may be empty
     * @param out       PNG file
     * @throws java.io.IOException if writing fails
     */
    public static void writePng(Map<String, Integer> nodes, List<Edge> edges, Map<String, String> highlight,
                                java.nio.file.Path out) throws java.io.IOException {
        Layout lay = layout(nodes);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(lay.width(), lay.height(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, lay.width(), lay.height());
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
            g.setColor(new java.awt.Color(0x555555));
            for (Edge e : edges) {
                double[] a = lay.pos().get(e.from());
                double[] b = lay.pos().get(e.to());
                if (a == null || b == null) {
                    continue;
                }
                double dx = b[0] - a[0];
                double dy = b[1] - a[1];
                double t = 1.0 / Math.sqrt((dx * dx) / (58.0 * 58) + (dy * dy) / (16.0 * 16));
                double ex = b[0] - dx * t;
                double ey = b[1] - dy * t;
                g.draw(new java.awt.geom.Line2D.Double(a[0] + dx * t, a[1] + dy * t, ex, ey));
                if (e.directed()) {
                    double ang = Math.atan2(dy, dx);
                    java.awt.geom.Path2D.Double head = new java.awt.geom.Path2D.Double();
                    head.moveTo(ex, ey);
                    head.lineTo(ex - 9 * Math.cos(ang - 0.4), ey - 9 * Math.sin(ang - 0.4));
                    head.lineTo(ex - 9 * Math.cos(ang + 0.4), ey - 9 * Math.sin(ang + 0.4));
                    head.closePath();
                    g.fill(head);
                }
            }
            for (Map.Entry<String, double[]> n : lay.pos().entrySet()) {
                double[] c = n.getValue();
                java.awt.geom.Ellipse2D.Double el = new java.awt.geom.Ellipse2D.Double(c[0] - 58, c[1] - 16, 116, 32);
                boolean hi = highlight.containsKey(n.getKey());
                g.setColor(hi ? new java.awt.Color(0xffcdd2) : new java.awt.Color(0xe3f2fd));
                g.fill(el);
                g.setColor(new java.awt.Color(0x333333));
                g.draw(el);
                String label = shorten(n.getKey());
                int tw = g.getFontMetrics().stringWidth(label);
                g.drawString(label, (float) (c[0] - tw / 2.0), (float) (c[1] + 4));
                if (hi && !highlight.get(n.getKey()).isEmpty()) {
                    g.setColor(new java.awt.Color(0xb71c1c));
                    String h = highlight.get(n.getKey());
                    g.drawString(h, (float) (c[0] - g.getFontMetrics().stringWidth(h) / 2.0), (float) (c[1] + 28));
                }
            }
        } finally {
            g.dispose();
        }
        if (out.getParent() != null) {
            java.nio.file.Files.createDirectories(out.getParent());
        }
        javax.imageio.ImageIO.write(img, "png", out.toFile());
    }

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 19) + "…";
    }
}
