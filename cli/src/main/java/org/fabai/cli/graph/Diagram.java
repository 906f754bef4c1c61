package org.fabai.cli.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A causal graph to draw: named nodes in process-order tiers and directed or undirected edges,
 * with optional tooltip text for each. Validated on construction: node names are unique and
 * non-blank, tiers are non-negative, every edge joins two distinct declared nodes.
 *
 * @param nodes     the nodes, in the order given (the layout may reorder them within a tier)
 * @param edges     the edges
 * @param tierNames tier to the label drawn above it (e.g. a process step); tiers without one are
 *                  labelled "tier N"; ignored when every node is in one tier
 */
public record Diagram(List<Node> nodes, List<Edge> edges, Map<Integer, String> tierNames) {

    /**
     * A node.
     *
     * @param name    its name (shown, shortened when long; the tooltip carries it in full)
     * @param tier    process-order tier, 0 first; earlier tiers are drawn left of later ones
     * @param mark    a short label drawn in the node and filling it red (e.g. a rank), or
     *                {@code null} for a plain node
     * @param tooltip extra tooltip lines (e.g. a score), or {@code null}
     */
    public record Node(String name, int tier, String mark, String tooltip) {
        /** Validates. */
        public Node {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("node name is blank");
            }
            if (tier < 0) {
                throw new IllegalArgumentException("node '" + name + "': tier " + tier + " is negative");
            }
        }
    }

    /**
     * An edge.
     *
     * @param from     source node
     * @param to       target node
     * @param directed true for {@code from -> to}, false for an undirected {@code from - to}
     * @param tooltip  extra tooltip lines (e.g. bootstrap frequency), or {@code null}
     */
    public record Edge(String from, String to, boolean directed, String tooltip) {
        /** Validates. */
        public Edge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.equals(to)) {
                throw new IllegalArgumentException("edge " + from + " -> " + to + " is a self-loop");
            }
        }
    }

    /** Validates and copies. */
    public Diagram {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        tierNames = Map.copyOf(tierNames);
        Set<String> names = new HashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("node '" + n.name() + "' is declared twice");
            }
        }
        for (Edge e : edges) {
            if (!names.contains(e.from()) || !names.contains(e.to())) {
                throw new IllegalArgumentException("edge " + e.from() + " -> " + e.to() + " names an undeclared node");
            }
        }
    }

    /**
     * A diagram from node tiers and plain edges.
     *
     * @param tiers node name to tier, in drawing order
     * @param edges edges as {@code from, to, directed}
     * @param marks node name to its mark (may be empty)
     * @return the diagram, without tooltips beyond the generated ones
     */
    public static Diagram of(Map<String, Integer> tiers, List<Edge> edges, Map<String, String> marks) {
        List<Node> ns = new ArrayList<>();
        tiers.forEach((n, t) -> ns.add(new Node(n, t, marks.get(n), null)));
        return new Diagram(ns, edges, Map.of());
    }

    /** @return node name to node, in declaration order */
    public Map<String, Node> byName() {
        Map<String, Node> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.put(n.name(), n));
        return m;
    }

    /** @return the number of distinct tiers */
    public int tierCount() {
        return (int) nodes.stream().mapToInt(Node::tier).distinct().count();
    }

    /** @return the label of a tier */
    public String tierLabel(int tier) {
        return tierNames.getOrDefault(tier, "tier " + (tier + 1));
    }

    /**
     * The tooltip of a node: its full name, tier, parents, children and undirected neighbours,
     * then the node's own tooltip lines.
     */
    String nodeTooltip(Node n) {
        List<String> parents = new ArrayList<>();
        List<String> children = new ArrayList<>();
        List<String> undirected = new ArrayList<>();
        for (Edge e : edges) {
            if (e.directed() && e.to().equals(n.name())) {
                parents.add(e.from());
            } else if (e.directed() && e.from().equals(n.name())) {
                children.add(e.to());
            } else if (!e.directed() && (e.from().equals(n.name()) || e.to().equals(n.name()))) {
                undirected.add(e.from().equals(n.name()) ? e.to() : e.from());
            }
        }
        StringBuilder s = new StringBuilder(n.name());
        if (tierCount() > 1) {
            s.append("\n").append(tierLabel(n.tier()));
        }
        s.append("\nparents: ").append(parents.isEmpty() ? "none" : String.join(", ", parents));
        s.append("\nchildren: ").append(children.isEmpty() ? "none" : String.join(", ", children));
        if (!undirected.isEmpty()) {
            s.append("\nundirected: ").append(String.join(", ", undirected));
        }
        if (n.mark() != null && !n.mark().isEmpty()) {
            s.append("\n").append(n.mark());
        }
        if (n.tooltip() != null && !n.tooltip().isBlank()) {
            s.append("\n").append(n.tooltip());
        }
        return s.toString();
    }

    /** The tooltip of an edge: what it says, then the edge's own tooltip lines. */
    static String edgeTooltip(Edge e) {
        String s = e.directed()
                ? e.from() + " \u2192 " + e.to() + "\ndirected: " + e.from() + " is a direct cause of " + e.to() + " in this graph"
                : e.from() + " \u2014 " + e.to() + "\nundirected: adjacent, direction not identified from the data";
        return e.tooltip() == null || e.tooltip().isBlank() ? s : s + "\n" + e.tooltip();
    }
}
