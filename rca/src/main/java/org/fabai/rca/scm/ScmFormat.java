package org.fabai.rca.scm;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * Saves and loads a fitted {@link StructuralCausalModel} in a versioned, line-oriented UTF-8 text
 * format (never Java serialization). Fields are separated by tabs; names must not contain tabs or
 * line breaks; numbers are written so that they read back exactly. Version 1:
 * <pre>
 * fabai-scm	1
 * library	VERSION
 * ridge	R
 * rows	N
 * column	NAME	K	LEVEL1 ... LEVELK        (K = 0 for a continuous column)
 * nodes	NODE1 ... NODEM                     (graph nodes in topological order)
 * edge	FROM	TO
 * training	NODE	V1 ... VN                 (sorted training values of a node)
 * root	NODE
 * linear	NODE	B0 ... BP	|	E1 ... EN    (intercept and coefficients, then sorted residuals)
 * table	NODE	MARGINAL_CDF...                 (a categorical node with parents)
 * cuts	NODE	PARENT_INDEX	C1 C2 C3          (quartile cuts of a continuous parent)
 * cpt	NODE	KEY	CDF...                      (one per observed parent configuration)
 * end
 * </pre>
 * Parents are the node's in-neighbours sorted by name. Stateless and thread-safe.
 */
public final class ScmFormat {

    /** Current format version. */
    public static final int VERSION = 1;

    private ScmFormat() {
    }

    /**
     * @param model the model
     * @param out   where to write (not closed)
     * @throws IOException on write failure
     */
    public static void write(StructuralCausalModel model, Writer out) throws IOException {
        BufferedWriter w = new BufferedWriter(out);
        StructuralCausalModel.Provenance p = model.provenance();
        w.write("fabai-scm\t" + VERSION + "\n");
        w.write("library\t" + clean(p.libraryVersion()) + "\n");
        w.write("ridge\t" + p.config().ridge() + "\n");
        w.write("rows\t" + p.rows() + "\n");
        for (int j = 0; j < model.columns().size(); j++) {
            List<String> lv = model.levels(j);
            StringBuilder sb = new StringBuilder("column\t").append(clean(model.columns().get(j))).append('\t').append(lv.size());
            lv.forEach(l -> sb.append('\t').append(clean(l)));
            w.write(sb.append('\n').toString());
        }
        StringBuilder nodes = new StringBuilder("nodes");
        model.nodes().forEach(v -> nodes.append('\t').append(clean(v)));
        w.write(nodes.append('\n').toString());
        for (DefaultEdge e : model.graph().edgeSet()) {
            w.write("edge\t" + model.graph().getEdgeSource(e) + "\t" + model.graph().getEdgeTarget(e) + "\n");
        }
        for (String v : model.nodes()) {
            w.write("training\t" + v + join(model.sortedTrainingValues(v)) + "\n");
            Mechanism m = model.mechanism(v);
            if (m instanceof Mechanism.Root) {
                w.write("root\t" + v + "\n");
            } else if (m instanceof Mechanism.Linear l) {
                w.write("linear\t" + v + join(l.beta()) + "\t|" + join(l.sortedResiduals()) + "\n");
            } else if (m instanceof Mechanism.Table t) {
                w.write("table\t" + v + join(t.marginalCumulative()) + "\n");
                for (int i = 0; i < t.cuts().length; i++) {
                    if (t.cuts()[i].length > 0) {
                        w.write("cuts\t" + v + "\t" + i + join(t.cuts()[i]) + "\n");
                    }
                }
                List<Long> keys = new ArrayList<>(t.cumulative().keySet());
                keys.sort(Long::compare);
                for (long k : keys) {
                    w.write("cpt\t" + v + "\t" + k + join(t.cumulative().get(k)) + "\n");
                }
            }
        }
        w.write("end\n");
        w.flush();
    }

    private static String clean(String s) {
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("name '" + s + "' contains a tab or line break and cannot be saved");
        }
        return s;
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append('\t').append(d);
        }
        return sb.toString();
    }

    /**
     * @param in     the saved model (not closed)
     * @param source name of the input for error messages
     * @return the model
     * @throws IOException     on read failure
     * @throws FormatException if the input is not a valid version-1 model; the message names the line
     */
    public static StructuralCausalModel read(Reader in, String source) throws IOException, FormatException {
        BufferedReader r = new BufferedReader(in);
        String line = r.readLine();
        if (line == null || !line.startsWith("fabai-scm\t")) {
            throw new FormatException(source, "line 1", "expected 'fabai-scm<TAB>VERSION'");
        }
        String ver = line.substring("fabai-scm\t".length()).strip();
        if (!ver.equals(String.valueOf(VERSION))) {
            throw new FormatException(source, "line 1", "unsupported version " + ver + "; this library reads version " + VERSION);
        }
        Records d = new Records();
        int ln = 1;
        boolean ended = false;
        try {
            while ((line = r.readLine()) != null) {
                ln++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "library" -> d.library = f[1];
                    case "ridge" -> d.ridge = Double.parseDouble(f[1]);
                    case "rows" -> d.rows = Integer.parseInt(f[1]);
                    case "column" -> {
                        d.columns.add(f[1]);
                        int k = Integer.parseInt(f[2]);
                        if (f.length != 3 + k) {
                            throw new FormatException(source, "line " + ln, "column '" + f[1] + "' declares " + k
                                    + " levels but lists " + (f.length - 3));
                        }
                        d.levels.add(List.copyOf(Arrays.asList(f).subList(3, 3 + k)));
                    }
                    case "nodes" -> d.nodeOrder.addAll(Arrays.asList(f).subList(1, f.length));
                    case "edge" -> d.edges.add(new String[] {f[1], f[2]});
                    case "training" -> d.training.put(f[1], doubles(f, 2, f.length));
                    case "root", "linear", "table" -> d.mechLine.put(f[1], f);
                    case "cuts" -> d.cuts.computeIfAbsent(f[1], k -> new HashMap<>()).put(Integer.parseInt(f[2]), doubles(f, 3, f.length));
                    case "cpt" -> d.cpt.computeIfAbsent(f[1], k -> new HashMap<>()).put(Long.parseLong(f[2]), doubles(f, 3, f.length));
                    case "end" -> ended = true;
                    default -> throw new FormatException(source, "line " + ln, "unknown record '" + f[0] + "'");
                }
                if (ended) {
                    break;
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new FormatException(source, "line " + ln, "malformed record: " + e.getMessage(), e);
        }
        if (!ended) {
            throw new FormatException(source, "line " + ln, "truncated: no 'end' record");
        }
        DirectedAcyclicGraph<String, DefaultEdge> g = graph(d, source);
        Map<String, Mechanism> mech = mechanisms(d, g, source);
        List<String> edgeNames = new ArrayList<>();
        d.edges.forEach(e -> edgeNames.add(e[0] + " -> " + e[1]));
        java.util.Collections.sort(edgeNames);
        List<String> order = new ArrayList<>();
        g.iterator().forEachRemaining(order::add);
        StructuralCausalModel.Provenance prov = new StructuralCausalModel.Provenance(new ScmConfig(d.ridge), d.rows,
                List.copyOf(order), List.copyOf(edgeNames), d.library);
        return StructuralCausalModel.restore(g, d.columns, d.levels, mech, d.training, prov);
    }

    /** The records of a model file, as read, before they are checked against each other. */
    private static final class Records {
        String library = "unknown";
        double ridge;
        int rows;
        final List<String> columns = new ArrayList<>();
        final List<List<String>> levels = new ArrayList<>();
        final List<String[]> edges = new ArrayList<>();
        final List<String> nodeOrder = new ArrayList<>();
        final Map<String, double[]> training = new HashMap<>();
        final Map<String, String[]> mechLine = new HashMap<>();
        final Map<String, Map<Integer, double[]>> cuts = new HashMap<>();
        final Map<String, Map<Long, double[]>> cpt = new HashMap<>();
    }

    /** The graph of the 'nodes' and 'edge' records: every node with a mechanism, acyclic. */
    private static DirectedAcyclicGraph<String, DefaultEdge> graph(Records d, String source) throws FormatException {
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        if (!new java.util.HashSet<>(d.nodeOrder).equals(d.mechLine.keySet())) {
            throw new FormatException(source, "nodes", "the 'nodes' record " + d.nodeOrder
                    + " does not match the nodes with mechanisms " + d.mechLine.keySet());
        }
        d.nodeOrder.forEach(g::addVertex);
        for (String[] e : d.edges) {
            if (!g.containsVertex(e[0]) || !g.containsVertex(e[1])) {
                throw new FormatException(source, "edges", "edge " + e[0] + " -> " + e[1] + " names a node without a mechanism");
            }
            try {
                g.addEdge(e[0], e[1]);
            } catch (IllegalArgumentException cyc) {
                throw new FormatException(source, "edges", "edge " + e[0] + " -> " + e[1] + " closes a cycle");
            }
        }
        return g;
    }

    /** Each node's mechanism from its record, its parents taken from the graph. */
    private static Map<String, Mechanism> mechanisms(Records d, DirectedAcyclicGraph<String, DefaultEdge> g, String source)
            throws FormatException {
        Map<String, Mechanism> mech = new HashMap<>();
        for (Map.Entry<String, String[]> me : d.mechLine.entrySet()) {
            String v = me.getKey();
            String[] f = me.getValue();
            int col = d.columns.indexOf(v);
            if (col < 0 || !d.training.containsKey(v)) {
                throw new FormatException(source, "node " + v, "node has no column or no training values");
            }
            List<String> ps = new ArrayList<>();
            g.incomingEdgesOf(v).forEach(e -> ps.add(g.getEdgeSource(e)));
            java.util.Collections.sort(ps);
            int[] pc = ps.stream().mapToInt(d.columns::indexOf).toArray();
            int[] lv = new int[pc.length];
            for (int i = 0; i < pc.length; i++) {
                lv[i] = d.levels.get(pc[i]).size();
            }
            try {
                switch (f[0]) {
                    case "root" -> mech.put(v, new Mechanism.Root(col, d.training.get(v)));
                    case "linear" -> {
                        int bar = Arrays.asList(f).indexOf("|");
                        if (bar < 0) {
                            throw new FormatException(source, "node " + v, "linear record lacks the '|' separator");
                        }
                        mech.put(v, new Mechanism.Linear(col, pc, lv, doubles(f, 2, bar), doubles(f, bar + 1, f.length)));
                    }
                    default -> {
                        double[][] c = new double[pc.length][];
                        for (int i = 0; i < pc.length; i++) {
                            c[i] = d.cuts.getOrDefault(v, Map.of()).getOrDefault(i, new double[0]);
                        }
                        mech.put(v, new Mechanism.Table(col, pc, lv, c, d.levels.get(col).size(),
                                Map.copyOf(d.cpt.getOrDefault(v, Map.of())), doubles(f, 2, f.length)));
                    }
                }
            } catch (NumberFormatException e) {
                throw new FormatException(source, "node " + v, "malformed number: " + e.getMessage(), e);
            }
        }
        return mech;
    }

    private static double[] doubles(String[] f, int from, int to) {
        double[] v = new double[Math.max(0, to - from)];
        for (int i = from; i < to; i++) {
            v[i - from] = Double.parseDouble(f[i]);
        }
        return v;
    }
}
