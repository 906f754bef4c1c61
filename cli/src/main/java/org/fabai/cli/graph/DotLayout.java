package org.fabai.cli.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layout by Graphviz {@code dot} ({@code -Tplain}): rank direction left to right, nodes as
 * fixed-size boxes, spline edges. Tiers are kept in order by an invisible anchor between each
 * pair of consecutive tiers (every node of tier i before it, every node of tier i+1 after it).
 * Nodes are passed to dot as {@code n0, n1, ...}, so no name needs quoting.
 */
final class DotLayout {

    private static final double PT = 72.0;
    private static final double PAD = 16.0;
    private static final Pattern TOKEN = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");

    private DotLayout() {
    }

    static GraphLayout layout(Diagram d, String dot) {
        List<Diagram.Node> nodes = d.nodes();
        Map<String, String> id = new HashMap<>();
        StringBuilder g = new StringBuilder("digraph G {\n  graph [rankdir=LR, nodesep=0.3, ranksep=0.55, splines=spline];\n"
                + "  node [shape=box, fixedsize=true, label=\"\"];\n  edge [dir=none];\n");
        for (int i = 0; i < nodes.size(); i++) {
            Diagram.Node n = nodes.get(i);
            id.put(n.name(), "n" + i);
            double[] wh = LayoutEngine.nodeSize(n);
            g.append(String.format(Locale.ROOT, "  n%d [width=%.4f, height=%.4f];%n", i, wh[0] / PT, wh[1] / PT));
        }
        for (Diagram.Edge e : d.edges()) {
            g.append("  ").append(id.get(e.from())).append(" -> ").append(id.get(e.to())).append(";\n");
        }
        TreeMap<Integer, List<String>> tiers = new TreeMap<>();
        for (Diagram.Node n : nodes) {
            tiers.computeIfAbsent(n.tier(), k -> new ArrayList<>()).add(id.get(n.name()));
        }
        List<List<String>> ordered = new ArrayList<>(tiers.values());
        for (int t = 1; t < ordered.size(); t++) {
            String a = "a" + t;
            g.append("  ").append(a).append(" [shape=point, width=0.01, height=0.01, style=invis];\n");
            for (String n : ordered.get(t - 1)) {
                g.append("  ").append(n).append(" -> ").append(a).append(" [style=invis];\n");
            }
            for (String n : ordered.get(t)) {
                g.append("  ").append(a).append(" -> ").append(n).append(" [style=invis];\n");
            }
        }
        g.append("}\n");
        String plain = run(dot, g.toString());

        double height = 0;
        double width = 0;
        Map<String, GraphLayout.Box> byId = new HashMap<>();
        Map<String, List<double[]>> edgePts = new HashMap<>();
        for (String line : plain.split("\n")) {
            List<String> tok = tokens(line);
            if (tok.isEmpty()) {
                continue;
            }
            switch (tok.get(0)) {
                case "graph":
                    width = num(tok, 2) * PT + 2 * PAD;
                    height = num(tok, 3) * PT;
                    break;
                case "node": {
                    if (tok.get(1).startsWith("a")) {
                        break;
                    }
                    double w = num(tok, 4) * PT;
                    double h = num(tok, 5) * PT;
                    double cx = num(tok, 2) * PT + PAD;
                    double cy = height - num(tok, 3) * PT + top(d);
                    byId.put(tok.get(1), new GraphLayout.Box(cx - w / 2, cy - h / 2, w, h));
                    break;
                }
                case "edge": {
                    if (tok.get(1).startsWith("a") || tok.get(2).startsWith("a")) {
                        break;
                    }
                    int n = (int) num(tok, 3);
                    List<double[]> pts = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        pts.add(new double[] {num(tok, 4 + 2 * k) * PT + PAD, height - num(tok, 5 + 2 * k) * PT + top(d)});
                    }
                    edgePts.putIfAbsent(tok.get(1) + ">" + tok.get(2), pts);
                    break;
                }
                default:
                    break;
            }
        }
        Map<String, GraphLayout.Box> boxes = new HashMap<>();
        for (Diagram.Node n : nodes) {
            GraphLayout.Box b = byId.get(id.get(n.name()));
            if (b == null) {
                throw new IllegalStateException("dot output has no position for node '" + n.name() + "'");
            }
            boxes.put(n.name(), b);
        }
        List<GraphLayout.Route> routes = new ArrayList<>();
        for (Diagram.Edge e : d.edges()) {
            List<double[]> pts = edgePts.remove(id.get(e.from()) + ">" + id.get(e.to()));
            if (pts == null || pts.size() < 4 || (pts.size() - 1) % 3 != 0) {
                throw new IllegalStateException("dot output has no spline for edge " + e.from() + " -> " + e.to());
            }
            routes.add(new GraphLayout.Route(e.from(), e.to(), e.directed(), true, pts));
        }
        return new GraphLayout(width, height + top(d) + PAD, boxes, routes, "dot");
    }

    /** Room above the drawing for the tier labels. */
    private static double top(Diagram d) {
        return ElkLayout.tierBand(d) ? 30 : PAD;
    }

    private static String run(String dot, String input) {
        try {
            Process p = new ProcessBuilder(dot, "-Tplain").redirectErrorStream(false).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t1 = drain(p.getInputStream(), out);
            Thread t2 = drain(p.getErrorStream(), err);
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("dot took over 30 s");
            }
            t1.join();
            t2.join();
            if (p.exitValue() != 0) {
                throw new IllegalStateException("dot exited " + p.exitValue() + ": " + err.toString(StandardCharsets.UTF_8).trim());
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + dot + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running dot", e);
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(to);
            } catch (IOException ignored) {
                // the exit code tells
            }
        }, "dot-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    private static double num(List<String> tok, int i) {
        if (i >= tok.size()) {
            throw new IllegalStateException("dot -Tplain line too short: " + String.join(" ", tok));
        }
        return Double.parseDouble(tok.get(i));
    }
}
