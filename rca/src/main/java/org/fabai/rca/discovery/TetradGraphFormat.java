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
 * (directed) or {@code "N. a --- b"} (undirected). Stateless and thread-safe.
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
            throw new FormatException(src, "end of file", "no 'Graph Nodes:' section");
        }
        return Cpdag.of(nodes, edges);
    }
}
