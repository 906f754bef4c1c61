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

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 19) + "…";
    }
}
