package org.fabai.rca.scm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fabai.rca.data.DataTable;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * A structural causal model fitted on a DAG over the columns of a {@link DataTable}: each node's
 * mechanism is fitted from its parents — root nodes keep their empirical distribution, continuous
 * nodes are linear in their parents with additive noise (categorical parents as indicators, noise
 * from the training residuals), categorical nodes with parents a smoothed conditional probability
 * table (a classifier; continuous parents binned at quartiles). The model can draw samples,
 * recover a row's noise terms and recompute a row from noise terms — what attribution needs.
 *
 * <p>Immutable and thread-safe.
 */
public final class StructuralCausalModel {

    private final DirectedAcyclicGraph<String, DefaultEdge> graph;
    private final List<String> columns;
    private final List<String> order;
    private final int[] orderCols;
    private final Map<String, Mechanism> mechanisms;
    private final Map<String, double[]> sortedTraining;
    private final Provenance provenance;
    private final List<List<String>> levelNames;

    /**
     * Where a fitted model came from.
     *
     * Immutable and thread-safe.
     *
     * @param config         the fitting configuration
     * @param rows           training rows
     * @param nodes          nodes of the graph in topological order
     * @param edges          edges as {@code "a -> b"}
     * @param libraryVersion fabai version
     */
    public record Provenance(ScmConfig config, int rows, List<String> nodes, List<String> edges, String libraryVersion) {
    }

    private StructuralCausalModel(DirectedAcyclicGraph<String, DefaultEdge> graph, List<String> columns,
                                  List<String> order, int[] orderCols, Map<String, Mechanism> mechanisms,
                                  Map<String, double[]> sortedTraining, Provenance provenance,
                                  List<List<String>> levelNames) {
        this.levelNames = levelNames;
        this.graph = graph;
        this.columns = columns;
        this.order = order;
        this.orderCols = orderCols;
        this.mechanisms = mechanisms;
        this.sortedTraining = sortedTraining;
        this.provenance = provenance;
    }

    /**
     * Fits the mechanisms.
     *
     * @param graph  the causal DAG; every vertex must be a column of {@code data}
     * @param data   training data (at least 2 rows)
     * @param config fitting configuration
     * @return the model
     * @throws IllegalArgumentException if a vertex is not a column, or there are too few rows
     */
    public static StructuralCausalModel fit(Graph<String, DefaultEdge> graph, DataTable data, ScmConfig config) {
        Objects.requireNonNull(config, "config");
        if (data.rows() < 2) {
            throw new IllegalArgumentException("need at least 2 rows to fit an SCM, got " + data.rows());
        }
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        graph.vertexSet().forEach(v -> {
            data.indexOf(v);
            g.addVertex(v);
        });
        List<String> edges = new ArrayList<>();
        for (DefaultEdge e : graph.edgeSet()) {
            String s = graph.getEdgeSource(e);
            String t = graph.getEdgeTarget(e);
            try {
                g.addEdge(s, t);
            } catch (IllegalArgumentException cyc) {
                throw new IllegalArgumentException("graph is not acyclic: edge " + s + " -> " + t + " closes a cycle", cyc);
            }
            edges.add(s + " -> " + t);
        }
        Collections.sort(edges);
        List<String> order = new ArrayList<>();
        g.iterator().forEachRemaining(order::add);
        int[] orderCols = order.stream().mapToInt(data::indexOf).toArray();
        Map<String, Mechanism> mech = new LinkedHashMap<>();
        Map<String, double[]> sorted = new HashMap<>();
        for (String v : order) {
            int col = data.indexOf(v);
            double[] y = data.column(col);
            double[] s = y.clone();
            Arrays.sort(s);
            sorted.put(v, s);
            List<String> ps = new ArrayList<>();
            for (DefaultEdge e : g.incomingEdgesOf(v)) {
                ps.add(g.getEdgeSource(e));
            }
            Collections.sort(ps);
            int[] pc = ps.stream().mapToInt(data::indexOf).toArray();
            int[] lv = new int[pc.length];
            for (int i = 0; i < pc.length; i++) {
                lv[i] = data.isCategorical(pc[i]) ? data.levels(pc[i]).size() : 0;
            }
            if (pc.length == 0) {
                mech.put(v, new Mechanism.Root(col, s));
            } else if (data.isCategorical(col)) {
                mech.put(v, fitTable(data, col, pc, lv));
            } else {
                mech.put(v, fitLinear(data, col, pc, lv, config.ridge()));
            }
        }
        String version = StructuralCausalModel.class.getPackage().getImplementationVersion();
        Provenance prov = new Provenance(config, data.rows(), List.copyOf(order), List.copyOf(edges),
                version == null ? "development" : version);
        List<List<String>> lv = new ArrayList<>();
        for (int j = 0; j < data.columns(); j++) {
            lv.add(data.levels(j));
        }
        return new StructuralCausalModel(g, data.names(), List.copyOf(order), orderCols, mech, sorted, prov, List.copyOf(lv));
    }

    private static Mechanism.Linear fitLinear(DataTable data, int col, int[] pc, int[] lv, double ridge) {
        int n = data.rows();
        int p = 1;
        for (int l : lv) {
            p += l == 0 ? 1 : l - 1;
        }
        DMatrixRMaj xtx = new DMatrixRMaj(p, p);
        DMatrixRMaj xty = new DMatrixRMaj(p, 1);
        double[] x = new double[p];
        double[][] pcol = new double[pc.length][];
        for (int i = 0; i < pc.length; i++) {
            pcol[i] = data.column(pc[i]);
        }
        double[] y = data.column(col);
        for (int r = 0; r < n; r++) {
            Arrays.fill(x, 0);
            x[0] = 1;
            int k = 1;
            for (int i = 0; i < pc.length; i++) {
                if (lv[i] == 0) {
                    x[k++] = pcol[i][r];
                } else {
                    int code = (int) pcol[i][r];
                    if (code > 0) {
                        x[k + code - 1] = 1;
                    }
                    k += lv[i] - 1;
                }
            }
            for (int a = 0; a < p; a++) {
                if (x[a] == 0) {
                    continue;
                }
                xty.add(a, 0, x[a] * y[r]);
                for (int b = 0; b < p; b++) {
                    xtx.add(a, b, x[a] * x[b]);
                }
            }
        }
        for (int a = 1; a < p; a++) {
            xtx.add(a, a, ridge * n + 1e-12);
        }
        DMatrixRMaj beta = new DMatrixRMaj(p, 1);
        if (!CommonOps_DDRM.solve(xtx, xty, beta)) {
            DMatrixRMaj inv = new DMatrixRMaj(p, p);
            CommonOps_DDRM.pinv(xtx, inv);
            CommonOps_DDRM.mult(inv, xty, beta);
        }
        Mechanism.Linear m = new Mechanism.Linear(col, pc, lv, beta.getData().clone(), new double[0]);
        double[] res = new double[n];
        double[] row = new double[data.columns()];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < pc.length; i++) {
                row[pc[i]] = pcol[i][r];
            }
            res[r] = y[r] - m.predict(row);
        }
        Arrays.sort(res);
        return new Mechanism.Linear(col, pc, lv, beta.getData().clone(), res);
    }

    private static Mechanism.Table fitTable(DataTable data, int col, int[] pc, int[] lv) {
        int n = data.rows();
        int classes = data.levels(col).size();
        double[][] cuts = new double[pc.length][];
        for (int i = 0; i < pc.length; i++) {
            if (lv[i] == 0) {
                double[] s = data.column(pc[i]);
                Arrays.sort(s);
                cuts[i] = new double[] {s[n / 4], s[n / 2], s[3 * n / 4]};
            } else {
                cuts[i] = new double[0];
            }
        }
        Mechanism.Table proto = new Mechanism.Table(col, pc, lv, cuts, classes, Map.of(), new double[0]);
        Map<Long, double[]> counts = new HashMap<>();
        double[] marg = new double[classes];
        double[] row = new double[data.columns()];
        for (int r = 0; r < n; r++) {
            for (int p : pc) {
                row[p] = data.get(r, p);
            }
            int c = (int) data.get(r, col);
            counts.computeIfAbsent(proto.key(row), k -> new double[classes])[c]++;
            marg[c]++;
        }
        Map<Long, double[]> cum = new HashMap<>();
        counts.forEach((k, c) -> cum.put(k, cumulative(c)));
        return new Mechanism.Table(col, pc, lv, cuts, classes, Map.copyOf(cum), cumulative(marg));
    }

    private static double[] cumulative(double[] counts) {
        double tot = 0;
        for (double c : counts) {
            tot += c + 1;
        }
        double[] out = new double[counts.length];
        double s = 0;
        for (int i = 0; i < counts.length; i++) {
            s += (counts[i] + 1) / tot;
            out[i] = s;
        }
        out[counts.length - 1] = 1.0;
        return out;
    }

    /** @return the DAG (read-only use) */
    public Graph<String, DefaultEdge> graph() {
        return new org.jgrapht.graph.AsUnmodifiableGraph<>(graph);
    }

    /** @return nodes in topological order */
    public List<String> nodes() {
        return order;
    }

    /** @return the column names of the training table (rows passed in use this order) */
    public List<String> columns() {
        return columns;
    }

    /** @return provenance of the fit */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * @param node a node
     * @return its ancestors (not itself)
     */
    public Set<String> ancestors(String node) {
        requireNode(node);
        return graph.getAncestors(node);
    }

    /**
     * @param node a node
     * @return the median of its training values
     */
    public double trainingMedian(String node) {
        double[] s = sortedTraining.get(requireNode(node));
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * @param node a node
     * @return its training values, sorted ascending (a copy)
     */
    public double[] sortedTrainingValues(String node) {
        return sortedTraining.get(requireNode(node)).clone();
    }

    private String requireNode(String node) {
        if (!mechanisms.containsKey(node)) {
            throw new IllegalArgumentException("model has no node '" + node + "'; nodes: " + order);
        }
        return node;
    }

    /**
     * @param column a column index of the training table
     * @return its level names (empty for a continuous column)
     */
    public List<String> levels(int column) {
        return levelNames.get(column);
    }

    /**
     * Rebuilds a model from saved parts (used by {@link ScmFormat}).
     */
    static StructuralCausalModel restore(DirectedAcyclicGraph<String, DefaultEdge> g, List<String> columns,
                                         List<List<String>> levelNames, Map<String, Mechanism> mech,
                                         Map<String, double[]> sorted, Provenance prov) {
        List<String> order = new ArrayList<>();
        g.iterator().forEachRemaining(order::add);
        int[] orderCols = order.stream().mapToInt(columns::indexOf).toArray();
        Map<String, Mechanism> m = new LinkedHashMap<>();
        for (String v : order) {
            m.put(v, mech.get(v));
        }
        return new StructuralCausalModel(g, List.copyOf(columns), List.copyOf(order), orderCols, m, sorted, prov,
                List.copyOf(levelNames));
    }

    /**
     * The conditional information-theoretic outlier score of a node's value in a row: how
     * surprising the value is given its parents under the fitted mechanism (the anomaly of its
     * noise term). Continuous node: {@code -log((1 + #{|e - med| >= |e_x - med|}) / (n + 1))} over
     * the training residuals {@code e} (the training values for a root). Categorical node: {@code
     * -log} of the probability of the levels at most as likely as the observed one given the
     * parents (Laplace-smoothed counts); a parent configuration absent from the training data
     * gives 0 — the model has no evidence that the value is abnormal there.
     *
     * @param node a node
     * @param row  a full row in the training table's column order
     * @return the score, at least 0
     */
    public double conditionalOutlierScore(String node, double[] row) {
        Mechanism m = mechanism(node);
        int col = column(node);
        if (m instanceof Mechanism.Table t) {
            double[] c = t.cumulative().get(t.key(row));
            if (c == null) {
                return 0;
            }
            return -Math.log(Math.min(1, categoricalTail(c, (int) row[col])));
        }
        if (m instanceof Mechanism.Root r && !levelNames.get(col).isEmpty()) {
            int k = levelNames.get(col).size();
            double[] cnt = new double[k];
            for (double v : r.sortedValues()) {
                cnt[(int) v]++;
            }
            double[] cum = new double[k];
            double tot = r.sortedValues().length + k;
            double acc = 0;
            for (int i = 0; i < k; i++) {
                acc += (cnt[i] + 1) / tot;
                cum[i] = acc;
            }
            return -Math.log(Math.min(1, categoricalTail(cum, (int) row[col])));
        }
        double e;
        double[] ref;
        if (m instanceof Mechanism.Linear l) {
            e = row[col] - l.predict(row);
            ref = l.sortedResiduals();
        } else {
            e = row[col];
            ref = ((Mechanism.Root) m).sortedValues();
        }
        int n = ref.length;
        double med = n % 2 == 1 ? ref[n / 2] : 0.5 * (ref[n / 2 - 1] + ref[n / 2]);
        double d = Math.abs(e - med);
        int atLeast = 0;
        for (double x : ref) {
            if (Math.abs(x - med) >= d - 1e-12 * (1 + d)) {
                atLeast++;
            }
        }
        return -Math.log((1.0 + atLeast) / (n + 1.0));
    }

    private static double categoricalTail(double[] cumulative, int x) {
        double px = cumulative[x] - (x == 0 ? 0 : cumulative[x - 1]);
        double tail = 0;
        for (int l = 0; l < cumulative.length; l++) {
            double pl = cumulative[l] - (l == 0 ? 0 : cumulative[l - 1]);
            if (pl <= px + 1e-15) {
                tail += pl;
            }
        }
        return tail;
    }

    Mechanism mechanism(String node) {
        return mechanisms.get(requireNode(node));
    }

    int column(String node) {
        return orderCols[order.indexOf(requireNode(node))];
    }

    /**
     * Draws rows from the model (columns not in the graph stay 0).
     *
     * @param n   number of rows
     * @param rnd random source
     * @return rows in table column order
     */
    public double[][] sample(int n, java.util.SplittableRandom rnd) {
        double[][] out = new double[n][columns.size()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < order.size(); k++) {
                Mechanism m = mechanisms.get(order.get(k));
                out[i][orderCols[k]] = m.value(out[i], m.noiseAt(rnd.nextDouble()));
            }
        }
        return out;
    }
    /**
     * Draws rows from the model under an intervention {@code do(X = x)}: each intervened node takes
     * its given value instead of its mechanism's output, everything downstream follows (columns
     * not in the graph stay 0).
     *
     * @param n            number of rows, at least 1
     * @param intervention node to value (a code for a categorical node)
     * @param rnd          random source
     * @return rows in table column order
     * @throws IllegalArgumentException for an unknown node, a non-finite value or an invalid code
     */
    public double[][] sampleInterventional(int n, Map<String, Double> intervention, java.util.SplittableRandom rnd) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        double[] fixed = new double[order.size()];
        boolean[] isFixed = new boolean[order.size()];
        for (Map.Entry<String, Double> e : intervention.entrySet()) {
            int k = order.indexOf(requireNode(e.getKey()));
            double v = e.getValue();
            List<String> lv = levelNames.get(orderCols[k]);
            if (!Double.isFinite(v) || (!lv.isEmpty() && (v != Math.rint(v) || v < 0 || v >= lv.size()))) {
                throw new IllegalArgumentException("do(" + e.getKey() + " = " + v + "): "
                        + (lv.isEmpty() ? "value must be finite" : "value must be a level code in [0, " + lv.size() + ")"));
            }
            fixed[k] = v;
            isFixed[k] = true;
        }
        double[][] out = new double[n][columns.size()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < order.size(); k++) {
                Mechanism m = mechanisms.get(order.get(k));
                double u = rnd.nextDouble();
                out[i][orderCols[k]] = isFixed[k] ? fixed[k] : m.value(out[i], m.noiseAt(u));
            }
        }
        return out;
    }

    /**
     * The mean of a node under an intervention, {@code E[target | do(X = x)]}, by sampling.
     *
     * @param target       a node
     * @param intervention node to value
     * @param n            samples
     * @param seed         random seed
     * @return the mean (for a categorical target: the mean code)
     */
    public double interventionalMean(String target, Map<String, Double> intervention, int n, long seed) {
        int col = column(target);
        double s = 0;
        for (double[] r : sampleInterventional(n, intervention, new java.util.SplittableRandom(seed))) {
            s += r[col];
        }
        return s / n;
    }

    /**
     * Arrow strength of each edge into a node (after Janzing et al., "Quantifying causal
     * influences", 2013, and DoWhy-gcm's {@code arrow_strength}): how much the node changes when
     * the edge is cut — the parent fed with an independent draw from its own distribution, the
     * other parents and the node's noise kept. For a continuous node the strength is
     * {@code E[(Y - Y')^2] / 2} (for {@code Y = b X + N}: {@code b^2 Var(X)}, the variance the arrow
     * carries); for a categorical one {@code P(Y != Y')}.
     *
     * @param target a node
     * @param n      samples, at least 2
     * @param seed   random seed
     * @return parent to strength, strongest first
     */
    public Map<String, Double> arrowStrength(String target, int n, long seed) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2, got " + n);
        }
        Mechanism m = mechanism(target);
        int col = column(target);
        boolean cat = !levelNames.get(col).isEmpty();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[][] rows = sample(n, rnd);
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            noise[i] = m.noise(rows[i], rnd.nextDouble());
        }
        List<String> parents = new ArrayList<>();
        for (DefaultEdge e : graph.incomingEdgesOf(target)) {
            parents.add(graph.getEdgeSource(e));
        }
        Collections.sort(parents);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String p : parents) {
            int pc = column(p);
            double acc = 0;
            for (int i = 0; i < n; i++) {
                double[] cut = rows[i].clone();
                cut[pc] = rows[rnd.nextInt(n)][pc];
                double y = m.value(rows[i], noise[i]);
                double y2 = m.value(cut, noise[i]);
                acc += cat ? (y != y2 ? 1 : 0) : 0.5 * (y - y2) * (y - y2);
            }
            out.put(p, acc / n);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
    /**
     * How well one node's mechanism fits a table.
     *
     * @param node      the node
     * @param mechanism {@code root} (empirical distribution), {@code linear} or {@code table}
     *                  (conditional probability table)
     * @param parents   number of parents
     * @param r2        continuous node with parents: {@code 1 - SSE / SST} of the prediction; NaN otherwise
     * @param accuracy  categorical node: share of rows whose most probable level (given the
     *                  parents) is the observed one; NaN otherwise
     * @param logLoss   categorical node: mean {@code -log p(observed level | parents)}; NaN otherwise
     */
    public record NodeFit(String node, String mechanism, int parents, double r2, double accuracy, double logLoss) {
    }

    /**
     * A goodness-of-fit report of every mechanism on a table — the training data, or held-out rows
     * to check the model before trusting its attributions.
     *
     * @param data a table with the model's columns (same names, same level coding)
     * @return one entry per node, in topological order
     */
    public List<NodeFit> goodnessOfFit(DataTable data) {
        if (!data.names().equals(columns)) {
            throw new IllegalArgumentException("table columns " + data.names() + " differ from the model's " + columns);
        }
        List<NodeFit> out = new ArrayList<>();
        double[] row = new double[columns.size()];
        for (String v : order) {
            Mechanism m = mechanisms.get(v);
            int col = column(v);
            int np = graph.inDegreeOf(v);
            if (m instanceof Mechanism.Root) {
                out.add(new NodeFit(v, "root", 0, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            if (m instanceof Mechanism.Linear l) {
                double mean = 0;
                for (int i = 0; i < data.rows(); i++) {
                    mean += data.get(i, col);
                }
                mean /= data.rows();
                double sse = 0;
                double sst = 0;
                for (int i = 0; i < data.rows(); i++) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = data.get(i, j);
                    }
                    double e = row[col] - l.predict(row);
                    sse += e * e;
                    sst += (row[col] - mean) * (row[col] - mean);
                }
                out.add(new NodeFit(v, "linear", np, sst > 0 ? 1 - sse / sst : Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            Mechanism.Table t = (Mechanism.Table) m;
            int hit = 0;
            double loss = 0;
            for (int i = 0; i < data.rows(); i++) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = data.get(i, j);
                }
                double[] c = t.cdf(row);
                int best = 0;
                double bestP = -1;
                for (int k = 0; k < c.length; k++) {
                    double pk = c[k] - (k == 0 ? 0 : c[k - 1]);
                    if (pk > bestP) {
                        bestP = pk;
                        best = k;
                    }
                }
                int x = (int) row[col];
                hit += best == x ? 1 : 0;
                loss -= Math.log(Math.max(1e-300, c[x] - (x == 0 ? 0 : c[x - 1])));
            }
            out.add(new NodeFit(v, "table", np, Double.NaN, (double) hit / data.rows(), loss / data.rows()));
        }
        return out;
    }
}
