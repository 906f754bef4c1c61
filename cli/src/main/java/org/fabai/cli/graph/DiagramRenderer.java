package org.fabai.cli.graph;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws a laid-out {@link Diagram}: as SVG, where every node and edge carries a tooltip
 * (an SVG {@code <title>}: full name, tier, parents and children; what the edge says, plus the
 * diagram's own lines such as bootstrap frequencies), or as a PNG. Tiers are drawn as shaded
 * bands labelled at the top. Stateless and thread-safe.
 */
public final class DiagramRenderer {

    private static final int FONT = 11;

    private DiagramRenderer() {
    }

    /**
     * @param d      the diagram
     * @param engine the layout engine
     * @return an {@code <svg>} element
     */
    public static String svg(Diagram d, LayoutEngine engine) {
        return svg(d, engine.layout(d));
    }

    /**
     * @param d   the diagram
     * @param lay its layout
     * @return an {@code <svg>} element
     */
    public static String svg(Diagram d, GraphLayout lay) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"fabai-graph\" width=\"%.0f\" "
                + "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"%d\" data-layout=\"%s\">",
                lay.width(), lay.height(), lay.width(), lay.height(), FONT, lay.engine()));
        s.append("<defs><marker id=\"fabai-arr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        if (d.tierCount() > 1) {
            int i = 0;
            for (Map.Entry<Integer, double[]> t : tierSpans(d, lay).entrySet()) {
                double[] x = t.getValue();
                s.append(String.format(Locale.ROOT, "<g class=\"tier\"><title>%s</title><rect x=\"%.1f\" y=\"0\" width=\"%.1f\" "
                        + "height=\"%.0f\" fill=\"%s\"/><text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" fill=\"#607d8b\">%s</text></g>",
                        esc(d.tierLabel(t.getKey())), x[0], x[1] - x[0], lay.height(), i++ % 2 == 0 ? "#f5f7fa" : "#eceff3",
                        (x[0] + x[1]) / 2, esc(shorten(d.tierLabel(t.getKey()), 28))));
            }
        }
        for (int i = 0; i < lay.routes().size(); i++) {
            GraphLayout.Route r = lay.routes().get(i);
            String path = r.svgPath();
            s.append("<g class=\"edge\"><title>").append(esc(Diagram.edgeTooltip(d.edges().get(i)))).append("</title>");
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"transparent\" stroke-width=\"10\"/>");
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.3\"")
                    .append(r.directed() ? " marker-end=\"url(#fabai-arr)\"" : "").append("/></g>");
        }
        for (Diagram.Node n : d.nodes()) {
            GraphLayout.Box b = lay.nodes().get(n.name());
            boolean marked = n.mark() != null;
            s.append("<g class=\"node\"><title>").append(esc(d.nodeTooltip(n))).append("</title>");
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" "
                    + "stroke=\"#333\"/>", b.x(), b.y(), b.w(), b.h(), marked ? "#ffcdd2" : "#e3f2fd"));
            boolean two = marked && !n.mark().isEmpty();
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    b.cx(), two ? b.y() + 16 : b.cy() + 4, esc(LayoutEngine.label(n.name()))));
            if (two) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#b71c1c\" "
                        + "font-size=\"10\">%s</text>", b.cx(), b.y() + 31, esc(n.mark())));
            }
            s.append("</g>");
        }
        s.append("</svg>");
        return s.toString();
    }

    /**
     * Draws the diagram to a PNG (Java2D, headless).
     *
     * @param d   the diagram
     * @param lay its layout
     * @param out the PNG file
     * @throws IOException if writing fails
     */
    public static void png(Diagram d, GraphLayout lay, Path out) throws IOException {
        int w = (int) Math.ceil(lay.width());
        int h = (int) Math.ceil(lay.height());
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, FONT));
            if (d.tierCount() > 1) {
                int i = 0;
                for (Map.Entry<Integer, double[]> t : tierSpans(d, lay).entrySet()) {
                    double[] x = t.getValue();
                    g.setColor(new Color(i++ % 2 == 0 ? 0xf5f7fa : 0xeceff3));
                    g.fill(new java.awt.geom.Rectangle2D.Double(x[0], 0, x[1] - x[0], h));
                    g.setColor(new Color(0x607d8b));
                    centred(g, shorten(d.tierLabel(t.getKey()), 28), (x[0] + x[1]) / 2, 16);
                }
            }
            g.setStroke(new BasicStroke(1.3f));
            for (GraphLayout.Route r : lay.routes()) {
                g.setColor(new Color(0x555555));
                List<double[]> p = r.points();
                Path2D.Double path = new Path2D.Double();
                path.moveTo(p.get(0)[0], p.get(0)[1]);
                if (r.bezier()) {
                    for (int i = 1; i + 2 < p.size(); i += 3) {
                        path.curveTo(p.get(i)[0], p.get(i)[1], p.get(i + 1)[0], p.get(i + 1)[1], p.get(i + 2)[0], p.get(i + 2)[1]);
                    }
                } else {
                    for (int i = 1; i < p.size(); i++) {
                        path.lineTo(p.get(i)[0], p.get(i)[1]);
                    }
                }
                g.draw(path);
                if (r.directed()) {
                    double[] e = p.get(p.size() - 1);
                    double[] before = p.get(p.size() - 2);
                    double ang = Math.atan2(e[1] - before[1], e[0] - before[0]);
                    Path2D.Double head = new Path2D.Double();
                    head.moveTo(e[0], e[1]);
                    head.lineTo(e[0] - 9 * Math.cos(ang - 0.4), e[1] - 9 * Math.sin(ang - 0.4));
                    head.lineTo(e[0] - 9 * Math.cos(ang + 0.4), e[1] - 9 * Math.sin(ang + 0.4));
                    head.closePath();
                    g.fill(head);
                }
            }
            g.setStroke(new BasicStroke(1f));
            for (Diagram.Node n : d.nodes()) {
                GraphLayout.Box b = lay.nodes().get(n.name());
                boolean marked = n.mark() != null;
                RoundRectangle2D.Double box = new RoundRectangle2D.Double(b.x(), b.y(), b.w(), b.h(), 12, 12);
                g.setColor(new Color(marked ? 0xffcdd2 : 0xe3f2fd));
                g.fill(box);
                g.setColor(new Color(0x333333));
                g.draw(box);
                boolean two = marked && !n.mark().isEmpty();
                centred(g, LayoutEngine.label(n.name()), b.cx(), two ? b.y() + 16 : b.cy() + 4);
                if (two) {
                    g.setColor(new Color(0xb71c1c));
                    centred(g, n.mark(), b.cx(), b.y() + 31);
                }
            }
        } finally {
            g.dispose();
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        javax.imageio.ImageIO.write(img, "png", out.toFile());
    }

    /**
     * A standalone HTML page holding the diagram's SVG (tooltips on hover).
     *
     * @param title page title
     * @param note  a line under the title (e.g. the test and alpha), may be empty
     * @param svg   the SVG from {@link #svg}
     * @return the page
     */
    public static String htmlPage(String title, String note, String svg) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:1.5em}svg .edge:hover path+path{stroke:#d32f2f;stroke-width:2.5}"
                + "svg .node:hover rect{stroke-width:2.5}</style></head><body>\n<h1>" + esc(title) + "</h1>\n"
                + (note.isEmpty() ? "" : "<p>" + esc(note) + "</p>\n")
                + "<p>Hover a node or an edge for its details.</p>\n" + svg + "\n</body></html>\n";
    }

    private static Map<Integer, double[]> tierSpans(Diagram d, GraphLayout lay) {
        Map<Integer, double[]> spans = new TreeMap<>();
        for (Diagram.Node n : d.nodes()) {
            GraphLayout.Box b = lay.nodes().get(n.name());
            spans.merge(n.tier(), new double[] {b.x() - 8, b.x() + b.w() + 8},
                    (a, c) -> new double[] {Math.min(a[0], c[0]), Math.max(a[1], c[1])});
        }
        return spans;
    }

    private static void centred(Graphics2D g, String text, double cx, double baseline) {
        int tw = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (float) (cx - tw / 2.0), (float) baseline);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
