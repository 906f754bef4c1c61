package org.fabai.adc.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fabai.adc.engine.EngineBase;
import org.fabai.adc.engine.EngineProvider;

/**
 * A plain-Java interpreter of the ONNX operator subset fabai's exporter writes (Conv, MaxPool,
 * Relu, Sigmoid, Tanh, Flatten, Gemm, Add, Softmax, Identity), over a parsed {@link OnnxGraph}.
 * It is the executable statement of the semantics the GPU engine implements with cuDNN and
 * cuBLAS, and a dependency-free fallback; it is not fast.
 *
 * <p>Thread-safe: each call works on its own buffers; the graph is immutable. Holds no native
 * memory; {@link #close()} only marks it closed.
 */
public final class OnnxJavaEngine extends EngineBase {

    /** Operators this engine (and the GPU engine) supports. */
    public static final Set<String> OPS = Set.of("Conv", "MaxPool", "Relu", "Sigmoid", "Tanh", "Flatten", "Gemm",
            "Add", "Softmax", "Identity");

    private final OnnxGraph graph;
    private final OnnxModelSpec spec;
    private final String output;

    private record Value(float[] data, int[] shape) {
    }

    /**
     * @param graph a parsed model in NCHW layout whose operators are all in {@link #OPS}
     * @param spec  what the model takes and gives (layout must be NCHW)
     * @throws IllegalArgumentException for an unsupported operator or layout
     */
    public OnnxJavaEngine(OnnxGraph graph, OnnxModelSpec spec) {
        super("java-cpu", spec.inputSize(), spec.encoding().channels(), spec.classNames().size());
        this.graph = graph;
        this.spec = spec;
        if (spec.layout() != OnnxModelSpec.Layout.NCHW) {
            throw new IllegalArgumentException("the Java engine runs NCHW models only, spec declares " + spec.layout());
        }
        for (OnnxGraph.Node n : graph.nodes()) {
            if (!OPS.contains(n.op())) {
                throw new IllegalArgumentException("node '" + n.name() + "': operator " + n.op()
                        + " is not supported; supported: " + OPS);
            }
        }
        this.output = spec.outputName() != null ? spec.outputName() : graph.outputNames().get(0);
    }

    @Override
    public boolean hasEmbedding() {
        return graph.outputNames().contains(OnnxExporter.EMBEDDING);
    }

    @Override
    public float[][] forward(float[] batch, int n) {
        float[][] out = run(batch, n, output);
        if (spec.activation() == OnnxModelSpec.Activation.SOFTMAX) {
            for (float[] row : out) {
                softmaxRow(row, 0, row.length);
            }
        } else if (spec.activation() == OnnxModelSpec.Activation.SIGMOID) {
            for (float[] row : out) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (1 / (1 + Math.exp(-row[i])));
                }
            }
        }
        return out;
    }

    @Override
    public float[][] embed(float[] batch, int n) {
        if (!hasEmbedding()) {
            return super.embed(batch, n);
        }
        return run(batch, n, OnnxExporter.EMBEDDING);
    }

    private float[][] run(float[] batch, int n, String want) {
        checkCall(batch, n);
        Map<String, Value> env = new HashMap<>();
        int s = spec.inputSize();
        env.put(graph.inputName(), new Value(batch, new int[] {n, channels(), s, s}));
        for (OnnxGraph.Node node : graph.nodes()) {
            Value y = apply(node, env);
            env.put(node.outputs().get(0), y);
            if (node.outputs().get(0).equals(want)) {
                break;
            }
        }
        Value v = env.get(want);
        if (v == null) {
            throw new IllegalStateException("graph produced no tensor '" + want + "'");
        }
        int w = v.data.length / n;
        float[][] out = new float[n][w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v.data, i * w, out[i], 0, w);
        }
        return out;
    }

    private Value in(Map<String, Value> env, OnnxGraph.Node node, int i) {
        String name = node.inputs().get(i);
        Value v = env.get(name);
        if (v != null) {
            return v;
        }
        OnnxGraph.Tensor t = graph.initializers().get(name);
        if (t == null) {
            throw new IllegalStateException("node '" + node.name() + "': input '" + name + "' is not computed yet");
        }
        int[] shape = new int[t.dims().length];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = (int) t.dims()[k];
        }
        return new Value(t.data(), shape);
    }

    private Value apply(OnnxGraph.Node node, Map<String, Value> env) {
        Value x = in(env, node, 0);
        switch (node.op()) {
            case "Identity":
                return x;
            case "Relu": {
                float[] o = x.data.clone();
                for (int i = 0; i < o.length; i++) {
                    o[i] = Math.max(0f, o[i]);
                }
                return new Value(o, x.shape);
            }
            case "Sigmoid": {
                float[] o = new float[x.data.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = (float) (1 / (1 + Math.exp(-x.data[i])));
                }
                return new Value(o, x.shape);
            }
            case "Tanh": {
                float[] o = new float[x.data.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = (float) Math.tanh(x.data[i]);
                }
                return new Value(o, x.shape);
            }
            case "Add": {
                Value b = in(env, node, 1);
                if (b.data.length != x.data.length) {
                    throw new IllegalStateException("node '" + node.name() + "': Add of unequal shapes (no broadcasting)");
                }
                float[] o = new float[x.data.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = x.data[i] + b.data[i];
                }
                return new Value(o, x.shape);
            }
            case "Flatten": {
                int axis = (int) node.intAttr("axis", 1);
                int outer = 1;
                for (int i = 0; i < axis; i++) {
                    outer *= x.shape[i];
                }
                return new Value(x.data, new int[] {outer, x.data.length / outer});
            }
            case "Softmax": {
                int rows = x.shape[0];
                int w = x.data.length / rows;
                float[] o = x.data.clone();
                for (int r = 0; r < rows; r++) {
                    softmaxRow(o, r * w, w);
                }
                return new Value(o, x.shape);
            }
            case "Gemm":
                return gemm(node, x, in(env, node, 1), node.inputs().size() > 2 ? in(env, node, 2) : null);
            case "Conv":
                return conv(node, x, in(env, node, 1), node.inputs().size() > 2 ? in(env, node, 2) : null);
            case "MaxPool":
                return maxPool(node, x);
            default:
                throw new IllegalStateException("unsupported operator " + node.op());
        }
    }

    private static void softmaxRow(float[] a, int off, int w) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < w; i++) {
            max = Math.max(max, a[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < w; i++) {
            a[off + i] = (float) Math.exp(a[off + i] - max);
            sum += a[off + i];
        }
        for (int i = 0; i < w; i++) {
            a[off + i] = (float) (a[off + i] / sum);
        }
    }

    private static Value gemm(OnnxGraph.Node node, Value a, Value b, Value c) {
        if (node.intAttr("transA", 0) != 0) {
            throw new IllegalStateException("node '" + node.name() + "': Gemm transA=1 is not supported");
        }
        float alpha = node.floats().getOrDefault("alpha", 1f);
        float beta = node.floats().getOrDefault("beta", 1f);
        boolean tb = node.intAttr("transB", 0) != 0;
        int m = a.shape[0];
        int k = a.shape[1];
        int n = tb ? b.shape[0] : b.shape[1];
        int kb = tb ? b.shape[1] : b.shape[0];
        if (kb != k) {
            throw new IllegalStateException("node '" + node.name() + "': Gemm inner dimensions " + k + " and " + kb);
        }
        float[] o = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.data[i * k + p] * (tb ? b.data[j * k + p] : b.data[p * n + j]);
                }
                double bias = c == null ? 0 : c.data.length == n ? c.data[j] : c.data.length == 1 ? c.data[0] : c.data[i * n + j];
                o[i * n + j] = (float) (alpha * s + beta * bias);
            }
        }
        return new Value(o, new int[] {m, n});
    }

    private static Value conv(OnnxGraph.Node node, Value x, Value w, Value b) {
        if (node.intAttr("group", 1) != 1) {
            throw new IllegalStateException("node '" + node.name() + "': grouped convolution is not supported");
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int h = x.shape[2];
        int wd = x.shape[3];
        int m = w.shape[0];
        int kh = w.shape[2];
        int kw = w.shape[3];
        long[] st = node.intsAttr("strides", new long[] {1, 1});
        long[] pd = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] dl = node.intsAttr("dilations", new long[] {1, 1});
        int oh = (int) ((h + pd[0] + pd[2] - dl[0] * (kh - 1) - 1) / st[0] + 1);
        int ow = (int) ((wd + pd[1] + pd[3] - dl[1] * (kw - 1) - 1) / st[1] + 1);
        float[] o = new float[n * m * oh * ow];
        for (int bi = 0; bi < n; bi++) {
            for (int f = 0; f < m; f++) {
                float bias = b == null ? 0f : b.data[f];
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double s = bias;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                int iy = (int) (y * st[0] - pd[0] + i * dl[0]);
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int j = 0; j < kw; j++) {
                                    int ix = (int) (xx * st[1] - pd[1] + j * dl[1]);
                                    if (ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    s += x.data[((bi * c + ch) * h + iy) * wd + ix] * w.data[((f * c + ch) * kh + i) * kw + j];
                                }
                            }
                        }
                        o[((bi * m + f) * oh + y) * ow + xx] = (float) s;
                    }
                }
            }
        }
        return new Value(o, new int[] {n, m, oh, ow});
    }

    private static Value maxPool(OnnxGraph.Node node, Value x) {
        long[] k = node.intsAttr("kernel_shape", null);
        if (k == null) {
            throw new IllegalStateException("node '" + node.name() + "': MaxPool without kernel_shape");
        }
        long[] st = node.intsAttr("strides", new long[] {1, 1});
        long[] pd = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        if (node.intAttr("ceil_mode", 0) != 0) {
            throw new IllegalStateException("node '" + node.name() + "': MaxPool ceil_mode=1 is not supported");
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int h = x.shape[2];
        int w = x.shape[3];
        int oh = (int) ((h + pd[0] + pd[2] - k[0]) / st[0] + 1);
        int ow = (int) ((w + pd[1] + pd[3] - k[1]) / st[1] + 1);
        float[] o = new float[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float best = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < k[0]; i++) {
                        int iy = (int) (y * st[0] - pd[0] + i);
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = 0; j < k[1]; j++) {
                            int ix = (int) (xx * st[1] - pd[1] + j);
                            if (ix >= 0 && ix < w) {
                                best = Math.max(best, x.data[(p * h + iy) * w + ix]);
                            }
                        }
                    }
                    o[(p * oh + y) * ow + xx] = best;
                }
            }
        }
        return new Value(o, new int[] {n, c, oh, ow});
    }

    /** @return the operators of the graph, in order (for diagnostics) */
    public List<String> ops() {
        return graph.nodes().stream().map(OnnxGraph.Node::op).toList();
    }

    /** The {@code java} engine as a service ({@link org.fabai.adc.engine.Engines}). */
    public static final class Provider extends EngineProvider.Of {

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
            super("java", (onnx, spec) -> new OnnxJavaEngine(OnnxGraph.parse(onnx), spec));
        }
    }
}
