package org.fabai.adc.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import smile.base.cart.DecisionNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.classification.DecisionTree;
import smile.classification.LogisticRegression;
import smile.classification.PlattScaling;
import smile.classification.SVM;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;
import smile.regression.RegressionTree;

/**
 * A fitted {@link Learner}'s parameters as plain numbers — tree splits and leaf values, support
 * vectors and weights, regression coefficients — so that a model file loads without re-fitting
 * (section {@code fitted.params} of {@link FeatureClassifierFile}; no Java serialization). The
 * decoded learners predict with fabai's own code (trees walked over flat arrays, the boosted sum
 * and softmax, the kernel expansion, the linear softmax) in the same arithmetic order as Smile's,
 * and a load still compares their probabilities with the stored probe rows before trusting them.
 *
 * <p>Encoding (big-endian, {@link DataOutputStream}): a learner is a tag byte and its body.
 * Forest ({@value #FOREST}): {@code k}, tree count, then each tree in pre-order (split node: byte 1,
 * feature int, threshold double — a row goes left when its value is {@code <=} the threshold —
 * then the left and right subtrees; leaf: byte 0 and {@code k} class probabilities). Boosting
 * ({@value #BOOSTING}): {@code k}, rounds, shrinkage, then {@code k} x rounds regression trees in
 * pre-order (leaf: byte 0 and one output). SVM ({@value #SVM}): {@code k}, Gaussian sigma, then per
 * class the support-vector count and dimension, the vectors, their weights, the intercept and the
 * Platt scaling's alpha and beta. Logistic ({@value #LOGISTIC}): rows ({@code k - 1}) and columns
 * (features + 1, the intercept last), then the coefficients. Vote ({@value #VOTE}): {@code k}, member
 * count, then the members. Stateless.
 */
final class LearnerParams {

    static final byte FOREST = 1;
    static final byte BOOSTING = 2;
    static final byte SVM = 3;
    static final byte LOGISTIC = 4;
    static final byte VOTE = 5;

    /** Bound on any count read from a file (trees, nodes, vectors), against corrupt input. */
    private static final int MAX_COUNT = 50_000_000;

    private LearnerParams() {
    }

    /**
     * @param learner a fitted learner
     * @return its parameters, or empty when one of its parts cannot be written as numbers here (a
     *         binary boosting or logistic model, a Smile build whose internals differ): the model
     *         file then carries only what a re-fit needs
     */
    static Optional<byte[]> encode(Learner learner) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(learner, out);
        } catch (IOException | ReflectiveOperationException | UnsupportedOperationException | ClassCastException e) {
            return Optional.empty();
        }
        return Optional.of(bytes.toByteArray());
    }

    /**
     * @param bytes what {@link #encode} wrote
     * @return the learner those parameters describe
     * @throws IllegalArgumentException when the bytes are malformed
     */
    static Learner decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Learner l = read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the learner's parameters");
            }
            return l;
        } catch (EOFException e) {
            throw new IllegalArgumentException("the learner's parameters end early", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ writing

    private static void write(Learner learner, DataOutputStream out) throws IOException, ReflectiveOperationException {
        if (learner instanceof Learner.Forest f) {
            out.writeByte(FOREST);
            out.writeInt(f.k());
            out.writeInt(f.trees().length);
            for (DecisionTree t : f.trees()) {
                writeNode(t.root(), f.k(), out);
            }
        } else if (learner instanceof Learner.Boosting b) {
            RegressionTree[][] forest = (RegressionTree[][]) field(b.model(), "forest");
            if (forest == null || forest.length != b.k()) {
                throw new UnsupportedOperationException("binary boosting");
            }
            out.writeByte(BOOSTING);
            out.writeInt(b.k());
            out.writeInt(forest[0].length);
            out.writeDouble((Double) field(b.model(), "shrinkage"));
            for (RegressionTree[] perClass : forest) {
                if (perClass.length != forest[0].length) {
                    throw new UnsupportedOperationException("ragged boosting forest");
                }
                for (RegressionTree t : perClass) {
                    writeNode(t.root(), 1, out);
                }
            }
        } else if (learner instanceof Learner.Svm s) {
            out.writeByte(SVM);
            out.writeInt(s.machines().length);
            out.writeDouble(((GaussianKernel) s.machines()[0].kernel()).scale());
            for (int c = 0; c < s.machines().length; c++) {
                SVM<double[]> m = s.machines()[c];
                double[][] v = m.vectors();
                out.writeInt(v.length);
                out.writeInt(v.length == 0 ? 0 : v[0].length);
                for (double[] row : v) {
                    writeDoubles(row, out);
                }
                writeDoubles(m.weights(), out);
                out.writeDouble(m.intercept());
                out.writeDouble((Double) field(s.platt()[c], "alpha"));
                out.writeDouble((Double) field(s.platt()[c], "beta"));
            }
        } else if (learner instanceof Learner.Logistic l) {
            if (!(l.model() instanceof LogisticRegression.Multinomial m)) {
                throw new UnsupportedOperationException("binomial logistic regression");
            }
            double[][] w = m.coefficients();
            out.writeByte(LOGISTIC);
            out.writeInt(w.length);
            out.writeInt(w[0].length);
            for (double[] row : w) {
                writeDoubles(row, out);
            }
        } else if (learner instanceof Learner.Vote v) {
            out.writeByte(VOTE);
            out.writeInt(v.k());
            out.writeInt(v.members().size());
            for (Learner m : v.members()) {
                write(m, out);
            }
        } else if (learner instanceof StoredForest f) {
            out.writeByte(FOREST);
            out.writeInt(f.k());
            out.writeInt(f.trees().length);
            for (FlatTree t : f.trees()) {
                t.write(0, out);
            }
        } else if (learner instanceof StoredBoosting b) {
            out.writeByte(BOOSTING);
            out.writeInt(b.k());
            out.writeInt(b.forest()[0].length);
            out.writeDouble(b.shrinkage());
            for (FlatTree[] perClass : b.forest()) {
                for (FlatTree t : perClass) {
                    t.write(0, out);
                }
            }
        } else if (learner instanceof StoredLogistic l) {
            out.writeByte(LOGISTIC);
            out.writeInt(l.w().length);
            out.writeInt(l.w()[0].length);
            for (double[] row : l.w()) {
                writeDoubles(row, out);
            }
        } else {
            throw new UnsupportedOperationException("learner " + learner.getClass());
        }
    }

    private static void writeNode(Node node, int width, DataOutputStream out) throws IOException, ReflectiveOperationException {
        if (node instanceof OrdinalNode o) {
            out.writeByte(1);
            out.writeInt(o.feature());
            out.writeDouble((Double) field(o, "value"));
            writeNode(o.trueChild(), width, out);
            writeNode(o.falseChild(), width, out);
        } else if (node instanceof DecisionNode d) {
            out.writeByte(0);
            writeDoubles(DecisionNode.posteriori(d.count(), new double[width]), out);
        } else if (node instanceof RegressionNode r) {
            out.writeByte(0);
            out.writeDouble(r.output());
        } else {
            throw new UnsupportedOperationException("tree node " + node.getClass().getName());
        }
    }

    private static void writeDoubles(double[] a, DataOutputStream out) throws IOException {
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(o.getClass().getName() + "." + name);
    }

    // ------------------------------------------------------------------ reading

    private static Learner read(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case FOREST -> {
                int k = count(in, "classes");
                FlatTree[] trees = new FlatTree[count(in, "trees")];
                for (int t = 0; t < trees.length; t++) {
                    trees[t] = FlatTree.read(in, k);
                }
                return new StoredForest(trees, k);
            }
            case BOOSTING -> {
                int k = count(in, "classes");
                int rounds = count(in, "rounds");
                double shrinkage = in.readDouble();
                FlatTree[][] forest = new FlatTree[k][rounds];
                for (int c = 0; c < k; c++) {
                    for (int t = 0; t < rounds; t++) {
                        forest[c][t] = FlatTree.read(in, 1);
                    }
                }
                return new StoredBoosting(forest, shrinkage, k);
            }
            case SVM -> {
                int k = count(in, "classes");
                GaussianKernel kernel = new GaussianKernel(in.readDouble());
                @SuppressWarnings({"unchecked", "rawtypes"})
                SVM<double[]>[] machines = new SVM[k];
                PlattScaling[] platt = new PlattScaling[k];
                for (int c = 0; c < k; c++) {
                    int n = count(in, "support vectors");
                    int d = count(in, "dimensions");
                    double[][] v = new double[n][];
                    for (int i = 0; i < n; i++) {
                        v[i] = readDoubles(in, d);
                    }
                    machines[c] = new SVM<>(kernel, v, readDoubles(in, n), in.readDouble());
                    platt[c] = new PlattScaling(in.readDouble(), in.readDouble());
                }
                return new Learner.Svm(machines, platt);
            }
            case LOGISTIC -> {
                int rows = count(in, "coefficient rows");
                int cols = count(in, "coefficient columns");
                double[][] w = new double[rows][];
                for (int i = 0; i < rows; i++) {
                    w[i] = readDoubles(in, cols);
                }
                return new StoredLogistic(w);
            }
            case VOTE -> {
                int k = count(in, "classes");
                int m = count(in, "members");
                List<Learner> members = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    members.add(read(in));
                }
                return new Learner.Vote(members, k);
            }
            default -> throw new IllegalArgumentException("unknown learner tag " + tag);
        }
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException(what + " count " + n + " outside [0, " + MAX_COUNT + "]");
        }
        return n;
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        if ((long) n * Double.BYTES > in.available()) {
            throw new IllegalArgumentException(n + " numbers announced, " + in.available() + " bytes left");
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    // ------------------------------------------------------------------ stored learners

    /**
     * One tree over flat arrays: node {@code i} is a leaf when {@code feature[i] < 0}, else a row
     * goes to {@code left[i]} when its value of {@code feature[i]} is at most {@code threshold[i]}.
     *
     * @param feature   split feature per node, -1 for a leaf
     * @param threshold split value per node
     * @param left      left child per node
     * @param right     right child per node
     * @param leaf      per node, the leaf's values (class probabilities, or one output), null for a split
     */
    record FlatTree(int[] feature, double[] threshold, int[] left, int[] right, double[][] leaf) {

        double[] predict(double[] z) {
            int i = 0;
            while (feature[i] >= 0) {
                i = z[feature[i]] <= threshold[i] ? left[i] : right[i];
            }
            return leaf[i];
        }

        /** Writes the subtree under node {@code i} in the pre-order encoding. */
        void write(int i, DataOutputStream out) throws IOException {
            if (feature[i] < 0) {
                out.writeByte(0);
                writeDoubles(leaf[i], out);
            } else {
                out.writeByte(1);
                out.writeInt(feature[i]);
                out.writeDouble(threshold[i]);
                write(left[i], out);
                write(right[i], out);
            }
        }

        static FlatTree read(DataInputStream in, int width) throws IOException {
            List<int[]> splits = new ArrayList<>();
            List<Double> thresholds = new ArrayList<>();
            List<double[]> leaves = new ArrayList<>();
            readNode(in, width, splits, thresholds, leaves, 0);
            int n = splits.size();
            int[] f = new int[n];
            int[] l = new int[n];
            int[] r = new int[n];
            double[] t = new double[n];
            double[][] v = new double[n][];
            for (int i = 0; i < n; i++) {
                f[i] = splits.get(i)[0];
                l[i] = splits.get(i)[1];
                r[i] = splits.get(i)[2];
                t[i] = thresholds.get(i);
                v[i] = leaves.get(i);
            }
            return new FlatTree(f, t, l, r, v);
        }

        private static int readNode(DataInputStream in, int width, List<int[]> splits, List<Double> thresholds,
                                    List<double[]> leaves, int depth) throws IOException {
            if (depth > 10_000 || splits.size() >= MAX_COUNT) {
                throw new IllegalArgumentException("tree deeper than 10000 or larger than " + MAX_COUNT + " nodes");
            }
            int me = splits.size();
            byte kind = in.readByte();
            if (kind == 0) {
                splits.add(new int[] {-1, -1, -1});
                thresholds.add(0.0);
                leaves.add(readDoubles(in, width));
                return me;
            }
            if (kind != 1) {
                throw new IllegalArgumentException("unknown tree node kind " + kind);
            }
            int feature = in.readInt();
            if (feature < 0) {
                throw new IllegalArgumentException("negative split feature " + feature);
            }
            int[] node = {feature, -1, -1};
            splits.add(node);
            thresholds.add(in.readDouble());
            leaves.add(null);
            node[1] = readNode(in, width, splits, thresholds, leaves, depth + 1);
            node[2] = readNode(in, width, splits, thresholds, leaves, depth + 1);
            return me;
        }
    }

    /** A forest read from a model file: the trees' class probabilities averaged, as {@link Learner.Forest}. */
    record StoredForest(FlatTree[] trees, int k) implements Learner {
        @Override
        public double[] proba(double[] z) {
            double[] p = new double[k];
            for (FlatTree t : trees) {
                double[] q = t.predict(z);
                for (int c = 0; c < k; c++) {
                    p[c] += q[c];
                }
            }
            for (int c = 0; c < k; c++) {
                p[c] /= trees.length;
            }
            return p;
        }
    }

    /** Multi-class boosting read from a model file: per class the shrunk sum of its trees, then a softmax. */
    record StoredBoosting(FlatTree[][] forest, double shrinkage, int k) implements Learner {
        @Override
        public double[] proba(double[] z) {
            double[] p = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (FlatTree t : forest[c]) {
                    p[c] += shrinkage * t.predict(z)[0];
                }
                if (p[c] > max) {
                    max = p[c];
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[c] = Math.exp(p[c] - max);
                sum += p[c];
            }
            for (int c = 0; c < k; c++) {
                p[c] /= sum;
            }
            return p;
        }
    }

    /**
     * Multinomial logistic regression read from a model file: class {@code c < k - 1} scores
     * {@code w[c][d] + sum_j z[j] w[c][j]}, the last class 0, then a softmax.
     *
     * @param w coefficients, (k - 1) x (features + 1), intercept last
     */
    record StoredLogistic(double[][] w) implements Learner {
        @Override
        public double[] proba(double[] z) {
            double[] p = new double[w.length + 1];
            for (int c = 0; c < w.length; c++) {
                double s = w[c][z.length];
                for (int j = 0; j < z.length; j++) {
                    s += z[j] * w[c][j];
                }
                p[c] = s;
            }
            MathEx.softmax(p);
            return p;
        }
    }
}
