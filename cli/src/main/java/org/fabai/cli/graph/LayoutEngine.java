package org.fabai.cli.graph;

import java.io.File;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link Diagram} is laid out: tiers left to right, nodes of a tier in one band, edges
 * routed around nodes. Every engine is a layered (Sugiyama) layout:
 * <ul>
 *   <li>{@link #DOT}: Graphviz {@code dot} run as a process (spline edges); needs {@code dot}
 *       on the {@code PATH};</li>
 *   <li>{@link #ELK}: Eclipse ELK's layered algorithm in-process (orthogonal edges), tiers as
 *       ELK partitions;</li>
 *   <li>{@link #AUTO}: {@code dot} when it is installed and its drawing has no edge through a
 *       node, else ELK.</li>
 * </ul>
 * Thread-safe.
 */
public enum LayoutEngine {
    /** Graphviz when installed, else ELK. */
    AUTO,
    /** Graphviz {@code dot}. */
    DOT,
    /** Eclipse ELK layered. */
    ELK;

    private static final Logger LOG = LoggerFactory.getLogger(LayoutEngine.class);
    private static volatile String dotPath;

    /**
     * @param d the diagram
     * @return its layout
     * @throws IllegalStateException for {@link #DOT} when Graphviz is not installed or fails
     */
    public GraphLayout layout(Diagram d) {
        switch (this) {
            case ELK:
                return ElkLayout.layout(d);
            case DOT: {
                String dot = dotExecutable();
                if (dot == null) {
                    throw new IllegalStateException("Graphviz 'dot' is not on the PATH (install graphviz, or use the elk layout)");
                }
                return DotLayout.layout(d, dot);
            }
            default: {
                String dot = dotExecutable();
                if (dot != null) {
                    try {
                        GraphLayout g = DotLayout.layout(d, dot);
                        List<String> bad = g.edgesThroughNodes(1.0);
                        if (bad.isEmpty()) {
                            return g;
                        }
                        LOG.debug("dot drew {} edge(s) through nodes ({}); using ELK", bad.size(), bad.get(0));
                    } catch (IllegalStateException e) {
                        LOG.warn("Graphviz dot failed ({}); laying the graph out with ELK", e.getMessage());
                    }
                }
                return ElkLayout.layout(d);
            }
        }
    }

    /**
     * @param name auto, dot or elk (any case)
     * @return the engine
     * @throws IllegalArgumentException for another name
     */
    public static LayoutEngine parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layout must be auto, dot or elk, got '" + name + "'");
        }
    }

    /** @return the path of Graphviz's {@code dot} on the {@code PATH}, or null */
    public static String dotExecutable() {
        String p = dotPath;
        if (p == null) {
            p = "";
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(File.pathSeparator)) {
                    File f = new File(dir, "dot");
                    if (!dir.isEmpty() && f.isFile() && f.canExecute()) {
                        p = f.getPath();
                        break;
                    }
                }
            }
            dotPath = p;
        }
        return p.isEmpty() ? null : p;
    }

    /** Node box size {@code {w, h}} for a node's label (and mark). */
    static double[] nodeSize(Diagram.Node n) {
        int chars = Math.max(label(n.name()).length(), n.mark() == null ? 0 : n.mark().length());
        return new double[] {Math.max(56, Math.ceil(chars * 6.6) + 20), n.mark() == null || n.mark().isEmpty() ? 28 : 40};
    }

    /** A node's shown label: its name, shortened past 24 characters. */
    static String label(String name) {
        return name.length() <= 24 ? name : name.substring(0, 23) + "\u2026";
    }
}
