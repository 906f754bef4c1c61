package org.fabai.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fabai.cli.graph.Diagram;
import org.fabai.cli.graph.DiagramRenderer;
import org.fabai.cli.graph.LayoutEngine;

/**
 * Draws a small directed graph for a report: tiers (process order) left to right, laid out by
 * {@link LayoutEngine#AUTO} (Graphviz {@code dot} when installed, else Eclipse ELK's layered
 * algorithm) so that no edge passes through a node; edges as arrows (directed) or plain lines
 * (undirected), the highlighted nodes filled; tooltips on every node and edge in the SVG.
 * A thin front to {@link org.fabai.cli.graph}. Stateless and thread-safe.
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
     * @param highlight node name to a label drawn in it (e.g. its rank), may be empty
     * @return an {@code <svg>} element
     */
    public static String render(Map<String, Integer> nodes, List<Edge> edges, Map<String, String> highlight) {
        return DiagramRenderer.svg(diagram(nodes, edges, highlight), LayoutEngine.AUTO);
    }

    /**
     * Draws the same diagram to a PNG (Java2D, headless).
     *
     * @param nodes     node name to tier (column)
     * @param edges     edges between named nodes
     * @param highlight node name to a label drawn in it, may be empty
     * @param out       PNG file
     * @throws java.io.IOException if writing fails
     */
    public static void writePng(Map<String, Integer> nodes, List<Edge> edges, Map<String, String> highlight,
                                java.nio.file.Path out) throws java.io.IOException {
        Diagram d = diagram(nodes, edges, highlight);
        DiagramRenderer.png(d, LayoutEngine.AUTO.layout(d), out);
    }

    private static Diagram diagram(Map<String, Integer> nodes, List<Edge> edges, Map<String, String> highlight) {
        List<Diagram.Edge> es = new ArrayList<>();
        for (Edge e : edges) {
            if (nodes.containsKey(e.from()) && nodes.containsKey(e.to())) {
                es.add(new Diagram.Edge(e.from(), e.to(), e.directed(), null));
            }
        }
        return Diagram.of(nodes, es, highlight);
    }
}
