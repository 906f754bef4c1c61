package org.fabai.rca.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * A partially directed graph over named variables as output by causal discovery: the CPDAG (or,
 * with background knowledge, the maximally oriented graph) — every edge is either directed
 * {@code a -> b} or undirected {@code a -- b}. Immutable and thread-safe.
 */
public final class Cpdag {

    /**
     * One edge of the graph.
     *
     * Immutable and thread-safe.
     *
     * @param from     first end (the tail when directed)
     * @param to       second end (the head when directed)
     * @param directed true for {@code from -> to}, false for {@code from -- to}
     */
    public record Edge(String from, String to, boolean directed) {
        @Override
        public String toString() {
            return from + (directed ? " --> " : " --- ") + to;
        }
    }

    private final List<String> nodes;
    private final boolean[][] adj;
    private final boolean[][] arrow;
    private final Map<String, Integer> index;
    private final long testsRun;

    Cpdag(List<String> nodes, boolean[][] adj, boolean[][] arrow, long testsRun) {
        this.nodes = List.copyOf(nodes);
        int n = nodes.size();
        this.adj = new boolean[n][];
        this.arrow = new boolean[n][];
        for (int i = 0; i < n; i++) {
            this.adj[i] = adj[i].clone();
            this.arrow[i] = arrow[i].clone();
        }
        java.util.HashMap<String, Integer> idx = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            idx.put(nodes.get(i), i);
        }
        this.index = Map.copyOf(idx);
        this.testsRun = testsRun;
    }

    /**
     * Builds a graph from explicit edges (e.g. a known DAG, all directed).
     *
     * @param nodes node names
     * @param edges edges over those names
     * @return the graph
     */
    public static Cpdag of(List<String> nodes, List<Edge> edges) {
        int n = nodes.size();
        boolean[][] adj = new boolean[n][n];
        boolean[][] arrow = new boolean[n][n];
        for (Edge e : edges) {
            int a = nodes.indexOf(e.from());
            int b = nodes.indexOf(e.to());
            if (a < 0 || b < 0) {
                throw new IllegalArgumentException("edge " + e + " names a node not in " + nodes);
            }
            adj[a][b] = true;
            adj[b][a] = true;
            if (e.directed()) {
                arrow[a][b] = true;
            }
        }
        return new Cpdag(nodes, adj, arrow, 0);
    }

    /** @return node names */
    public List<String> nodes() {
        return nodes;
    }

    private int idx(String v) {
        Integer i = index.get(v);
        if (i == null) {
            throw new IllegalArgumentException("graph has no node '" + v + "'");
        }
        return i;
    }

    /**
     * @param a a node
     * @param b a node
     * @return true when an edge joins them
     */
    public boolean adjacent(String a, String b) {
        return adj[idx(a)][idx(b)];
    }

    /**
     * @param a a node
     * @param b a node
     * @return true when the edge {@code a -> b} is present and directed that way
     */
    public boolean isDirected(String a, String b) {
        int i = idx(a);
        int j = idx(b);
        return adj[i][j] && arrow[i][j] && !arrow[j][i];
    }

    /**
     * @param a a node
     * @param b a node
     * @return true when {@code a -- b} is present and undirected
     */
    public boolean isUndirected(String a, String b) {
        int i = idx(a);
        int j = idx(b);
        return adj[i][j] && !arrow[i][j] && !arrow[j][i];
    }

    /** @return all edges, each once, in node order */
    public List<Edge> edges() {
        List<Edge> out = new ArrayList<>();
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!adj[i][j]) {
                    continue;
                }
                if (arrow[i][j] && !arrow[j][i]) {
                    out.add(new Edge(nodes.get(i), nodes.get(j), true));
                } else if (arrow[j][i] && !arrow[i][j]) {
                    out.add(new Edge(nodes.get(j), nodes.get(i), true));
                } else {
                    out.add(new Edge(nodes.get(i), nodes.get(j), false));
                }
            }
        }
        return out;
    }

    /** @return number of independence tests the search ran (0 for a graph built by hand) */
    public long testsRun() {
        return testsRun;
    }

    /**
     * A DAG in the equivalence class (a consistent extension, Dor and Tarsi 1992): undirected
     * edges are oriented without creating new colliders or cycles where possible; if the graph
     * admits no extension, remaining undirected edges are oriented by node order.
     *
     * @return the DAG as a JGraphT graph
     */
    public DirectedAcyclicGraph<String, DefaultEdge> toDag() {
        int n = nodes.size();
        boolean[][] a = new boolean[n][];
        boolean[][] h = new boolean[n][];
        for (int i = 0; i < n; i++) {
            a[i] = adj[i].clone();
            h[i] = arrow[i].clone();
        }
        List<int[]> oriented = new ArrayList<>();
        Set<Integer> left = new HashSet<>();
        for (int i = 0; i < n; i++) {
            left.add(i);
        }
        boolean progress = true;
        while (!left.isEmpty() && progress) {
            progress = false;
            for (int x = 0; x < n && !progress; x++) {
                if (!left.contains(x)) {
                    continue;
                }
                List<Integer> nb = sinkNeighbours(x, left, a, h);
                if (nb == null) {
                    continue;
                }
                for (int y : nb) {
                    oriented.add(new int[] {y, x});
                }
                left.remove(x);
                progress = true;
            }
        }
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        nodes.forEach(g::addVertex);
        for (int[] e : oriented) {
            g.addEdge(nodes.get(e[0]), nodes.get(e[1]));
        }
        List<Integer> rest = new ArrayList<>(left);
        Collections.sort(rest);
        for (int i = 0; i < rest.size(); i++) {
            for (int j = i + 1; j < rest.size(); j++) {
                int x = rest.get(i);
                int y = rest.get(j);
                if (!a[x][y]) {
                    continue;
                }
                String s = nodes.get(x);
                String t = nodes.get(y);
                if (h[y][x] && !h[x][y]) {
                    s = nodes.get(y);
                    t = nodes.get(x);
                }
                try {
                    g.addEdge(s, t);
                } catch (IllegalArgumentException cycle) {
                    g.addEdge(t, s);
                }
            }
        }
        return g;
    }

    /**
     * Dor and Tarsi's step: whether {@code x} is a sink of the graph still {@code left} (no edge out
     * of it) whose undirected neighbours are adjacent to all its other neighbours.
     *
     * @return its neighbours in what is left when it is, else null
     */
    private static List<Integer> sinkNeighbours(int x, Set<Integer> left, boolean[][] a, boolean[][] h) {
        boolean sink = true;
        List<Integer> und = new ArrayList<>();
        List<Integer> nb = new ArrayList<>();
        for (int y : left) {
            if (y == x || !a[x][y]) {
                continue;
            }
            nb.add(y);
            boolean xy = h[x][y] && !h[y][x];
            boolean yx = h[y][x] && !h[x][y];
            if (xy) {
                sink = false;
                break;
            }
            if (!yx) {
                und.add(y);
            }
        }
        if (!sink) {
            return null;
        }
        boolean ok = true;
        for (int y : und) {
            for (int z : nb) {
                if (z != y && !a[y][z]) {
                    ok = false;
                }
            }
        }
        return ok ? nb : null;
    }

    /**
     * @return the graph in Graphviz DOT format (directed edges as arrows, undirected with
     *         {@code dir=none})
     */
    public String toDot() {
        StringBuilder sb = new StringBuilder("digraph cpdag {\n");
        for (String v : nodes) {
            sb.append("  \"").append(v.replace("\"", "\\\"")).append("\";\n");
        }
        for (Edge e : edges()) {
            sb.append("  \"").append(e.from().replace("\"", "\\\"")).append("\" -> \"")
                    .append(e.to().replace("\"", "\\\"")).append('"')
                    .append(e.directed() ? "" : " [dir=none]").append(";\n");
        }
        return sb.append("}\n").toString();
    }

    @Override
    public String toString() {
        return edges().toString();
    }
}
