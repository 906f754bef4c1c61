package org.fabai.rca.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fabai.core.io.FormatException;

/**
 * Reader of CMU Tetrad's plain-text graph format: a {@code Graph Nodes:} line followed by the
 * node names separated by {@code ;}, then {@code Graph Edges:} and lines {@code "N. a --> b"}
 * (directed) or {@code "N. a --- b"} (undirected). {@link #write} writes it, {@link #read} reads
 * it, and {@link #readAny} also reads the Graphviz DOT that {@link Cpdag#toDot()} writes (edges
 * {@code "a" -> "b"}, undirected ones with {@code [dir=none]} or {@code --}). Stateless and
 * thread-safe.
 */
public final class TetradGraphFormat {

    private static final Pattern EDGE = Pattern.compile("\\s*\\d+\\.\\s+(\\S+)\\s+(-->|---)\\s+(\\S+)\\s*");

    private TetradGraphFormat() {
    }

    /**
     * @param file the graph file
     * @return the graph
     * @throws IOException     on read failure
     * @throws FormatException if a section or edge line is malformed or names an unknown node
     */
    public static Cpdag read(Path file) throws IOException, FormatException {
        requireFile(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String src = file.toString();
        List<String> nodes = null;
        List<Cpdag.Edge> edges = new ArrayList<>();
        boolean inEdges = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.equals("Graph Nodes:")) {
                if (i + 1 >= lines.size()) {
                    throw new FormatException(src, "line " + (i + 1), "expected the node list after 'Graph Nodes:'");
                }
                nodes = Arrays.stream(lines.get(i + 1).split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                i++;
                continue;
            }
            if (l.equals("Graph Edges:")) {
                inEdges = true;
                continue;
            }
            if (inEdges) {
                Matcher m = EDGE.matcher(l);
                if (!m.matches()) {
                    if (l.startsWith("Graph ") || l.endsWith(":")) {
                        break;
                    }
                    throw new FormatException(src, "line " + (i + 1), "expected an edge 'N. a --> b', found '" + l + "'");
                }
                if (nodes == null || !nodes.contains(m.group(1)) || !nodes.contains(m.group(3))) {
                    throw new FormatException(src, "line " + (i + 1), "edge names a node not in the node list: '" + l + "'");
                }
                edges.add(new Cpdag.Edge(m.group(1), m.group(3), m.group(2).equals("-->")));
            }
        }
        if (nodes == null) {
            throw new FormatException(src, "end of file", "no 'Graph Nodes:' section (Tetrad graph text expected; "
                    + "DOT files start with 'digraph' or 'graph')");
        }
        return Cpdag.of(nodes, edges);
    }

    private static void requireFile(Path file) throws java.io.FileNotFoundException {
        if (!Files.isRegularFile(file)) {
            throw new java.io.FileNotFoundException("graph file " + file.toAbsolutePath() + " does not exist"
                    + (Files.isDirectory(file) ? " as a file (it is a directory)" : "")
                    + "; expected Tetrad graph text or Graphviz DOT");
        }
    }

    /**
     * Writes a graph in Tetrad's text format (what {@link #read} reads back).
     *
     * @param g    the graph
     * @param file the file
     * @throws IOException on write failure
     */
    public static void write(Cpdag g, Path file) throws IOException {
        Files.writeString(file, format(g), StandardCharsets.UTF_8);
    }

    /**
     * @param g a graph
     * @return it in Tetrad's text format
     */
    public static String format(Cpdag g) {
        for (String n : g.nodes()) {
            if (n.isEmpty() || n.chars().anyMatch(c -> Character.isWhitespace(c) || c == ';')) {
                throw new IllegalArgumentException("node name '" + n + "' cannot be written in Tetrad's format "
                        + "(no whitespace or ';' allowed)");
            }
        }
        StringBuilder sb = new StringBuilder("Graph Nodes:\n").append(String.join(";", g.nodes())).append("\n\n");
        sb.append("Graph Edges:\n");
        int i = 1;
        for (Cpdag.Edge e : g.edges()) {
            sb.append(i++).append(". ").append(e.from()).append(e.directed() ? " --> " : " --- ").append(e.to()).append('\n');
        }
        return sb.toString();
    }

    private static final Pattern DOT_EDGE = Pattern.compile(
            "\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z0-9_.]+)\\s*(->|--)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z0-9_.]+)\\s*(\\[[^\\]]*\\])?\\s*;?\\s*");
    private static final Pattern DOT_NODE = Pattern.compile(
            "\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z0-9_.]+)\\s*(\\[[^\\]]*\\])?\\s*;?\\s*");

    /**
     * Reads a graph in Tetrad's text format, GML (as networkx writes it) or Graphviz DOT (one statement per line, as
     * {@link Cpdag#toDot()} writes: node statements {@code "a";}, edges {@code "a" -> "b";},
     * undirected edges with {@code [dir=none]} or, in an undirected {@code graph}, {@code --}).
     *
     * @param file the graph file
     * @return the graph
     * @throws IOException     on read failure or when the file does not exist (the message names it)
     * @throws FormatException if the file is neither format, or a line is malformed
     */
    public static Cpdag readAny(Path file) throws IOException, FormatException {
        requireFile(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String first = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst().orElse("");
        if (first.startsWith("digraph") || first.startsWith("strict") || (first.startsWith("graph") && first.contains("{"))) {
            return readDot(file, lines);
        }
        if (first.startsWith("graph") && (first.contains("[") || first.equals("graph"))) {
            return readGml(file, lines);
        }
        return read(file);
    }

    /**
     * GML as networkx writes it (what causRCA ships): {@code node [ id N label "x" ... ]} and
     * {@code edge [ source N target M ... ]}, one key per line; edges are directed when the graph
     * says {@code directed 1}.
     */
    private static Cpdag readGml(Path file, List<String> lines) throws FormatException {
        String src = file.toString();
        java.util.Map<String, String> label = new java.util.LinkedHashMap<>();
        List<String[]> rawEdges = new ArrayList<>();
        boolean directed = false;
        String block = null;
        String id = null;
        String lab = null;
        String s = null;
        String t = null;
        int depth = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.endsWith("[")) {
                depth++;
                if (depth == 2) {
                    block = l.substring(0, l.length() - 1).strip();
                    id = lab = s = t = null;
                }
                continue;
            }
            if (l.equals("]")) {
                if (depth == 2 && "node".equals(block)) {
                    if (id == null) {
                        throw new FormatException(src, "line " + (i + 1), "node without an id");
                    }
                    label.put(id, lab == null ? id : lab);
                } else if (depth == 2 && "edge".equals(block)) {
                    if (s == null || t == null) {
                        throw new FormatException(src, "line " + (i + 1), "edge without source or target");
                    }
                    rawEdges.add(new String[] {s, t, String.valueOf(i + 1)});
                }
                depth--;
                continue;
            }
            String[] kv = l.split("\\s+", 2);
            if (kv.length < 2) {
                continue;
            }
            String v = kv[1].strip();
            if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                v = v.substring(1, v.length() - 1);
            }
            if (depth == 1 && kv[0].equals("directed")) {
                directed = v.equals("1");
            } else if (depth == 2 && "node".equals(block)) {
                if (kv[0].equals("id")) {
                    id = v;
                } else if (kv[0].equals("label")) {
                    lab = v;
                }
            } else if (depth == 2 && "edge".equals(block)) {
                if (kv[0].equals("source")) {
                    s = v;
                } else if (kv[0].equals("target")) {
                    t = v;
                }
            }
        }
        List<Cpdag.Edge> edges = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String[] e : rawEdges) {
            if (!label.containsKey(e[0]) || !label.containsKey(e[1])) {
                throw new FormatException(src, "line " + e[2], "edge names an unknown node id");
            }
            if (seen.add(e[0] + "\u0000" + e[1])) { // a multigraph's parallel edges are one causal edge
                edges.add(new Cpdag.Edge(label.get(e[0]), label.get(e[1]), directed));
            }
        }
        if (label.isEmpty()) {
            throw new FormatException(src, "end of file", "no GML nodes");
        }
        return Cpdag.of(new ArrayList<>(label.values()), edges);
    }

    private static Cpdag readDot(Path file, List<String> lines) throws FormatException {
        String src = file.toString();
        java.util.LinkedHashSet<String> nodes = new java.util.LinkedHashSet<>();
        List<Cpdag.Edge> edges = new ArrayList<>();
        boolean undirectedGraph = false;
        boolean open = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("//") || l.startsWith("#")) {
                continue;
            }
            if (!open) {
                if (!l.contains("{")) {
                    throw new FormatException(src, "line " + (i + 1), "expected 'digraph name {', found '" + l + "'");
                }
                undirectedGraph = !l.replace("strict", "").strip().startsWith("digraph");
                open = true;
                continue;
            }
            if (l.equals("}")) {
                break;
            }
            if (l.matches("(graph|node|edge)\\s*\\[.*") || l.matches("[A-Za-z_]+\\s*=.*")) {
                continue; // attribute statements
            }
            Matcher e = DOT_EDGE.matcher(l);
            if (e.matches()) {
                String a = unquote(e.group(1));
                String b = unquote(e.group(3));
                String attrs = e.group(4) == null ? "" : e.group(4);
                boolean directed = e.group(2).equals("->") && !undirectedGraph && !attrs.replace(" ", "").contains("dir=none");
                nodes.add(a);
                nodes.add(b);
                edges.add(new Cpdag.Edge(a, b, directed));
                continue;
            }
            Matcher n = DOT_NODE.matcher(l);
            if (n.matches()) {
                nodes.add(unquote(n.group(1)));
                continue;
            }
            throw new FormatException(src, "line " + (i + 1), "expected a DOT node or edge statement, found '" + l + "'");
        }
        if (!open) {
            throw new FormatException(src, "end of file", "no 'digraph {' header");
        }
        return Cpdag.of(new ArrayList<>(nodes), edges);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"");
        }
        return s;
    }
}
