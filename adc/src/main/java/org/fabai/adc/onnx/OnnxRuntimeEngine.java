package org.fabai.adc.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fabai.adc.engine.EngineBase;
import org.fabai.adc.engine.EngineProvider;
import org.fabai.core.io.FormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime on the CPU: the default engine for serving. Runs fabai's exported networks and any
 * ONNX model trained elsewhere whose {@link OnnxModelSpec} is declared beside it.
 *
 * <p>Session options ({@link Options}): intra-op threads (parallelism inside one operator; default
 * {@code min(4, cores)}), inter-op threads (1: operators run sequentially), the CPU memory arena
 * (on by default: ORT keeps freed activation buffers in a pool and reuses them, so memory grows
 * to the largest batch seen and stays there; switch it off to return memory after each run),
 * memory-pattern planning (on: allocations planned once per input shape) and the graph
 * optimisation level (all).
 *
 * <p>Thread-safe: {@link #forward(float[], int)} may be called from several threads at once (an
 * ONNX Runtime session is safe for concurrent runs). {@link #close()} must not race with running
 * calls.
 */
public final class OnnxRuntimeEngine extends EngineBase {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeEngine.class);

    /**
     * Session options. Immutable and thread-safe.
     *
     * @param intraOpThreads threads inside one operator, in [1, 256]
     * @param interOpThreads threads across operators, in [1, 256]
     * @param cpuArena       use ONNX Runtime's CPU memory arena
     * @param memoryPattern  plan allocations per input shape
     */
    public record Options(int intraOpThreads, int interOpThreads, boolean cpuArena, boolean memoryPattern) {

        /** Validates. */
        public Options {
            if (intraOpThreads < 1 || intraOpThreads > 256) {
                throw new IllegalArgumentException("intraOpThreads must be in [1, 256], got " + intraOpThreads);
            }
            if (interOpThreads < 1 || interOpThreads > 256) {
                throw new IllegalArgumentException("interOpThreads must be in [1, 256], got " + interOpThreads);
            }
        }

        /** @return {@code min(4, cores)} intra-op threads, 1 inter-op thread, arena and memory pattern on */
        public static Options defaults() {
            return new Options(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 1, true, true);
        }

        /**
         * @param n intra-op threads
         * @return a copy with another intra-op thread count
         */
        public Options withIntraOpThreads(int n) {
            return new Options(n, interOpThreads, cpuArena, memoryPattern);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxModelSpec spec;
    private final String inputName;
    private final String outputName;
    private final boolean embedding;

    private OnnxRuntimeEngine(OrtEnvironment env, OrtSession session, OnnxModelSpec spec) throws OrtException {
        super("onnxruntime-cpu", spec.inputSize(), spec.encoding().channels(), spec.classNames().size());
        this.env = env;
        this.session = session;
        this.spec = spec;
        Map<String, NodeInfo> ins = session.getInputInfo();
        if (ins.size() != 1) {
            throw new IllegalArgumentException("model must have exactly one input, has " + ins.keySet());
        }
        this.inputName = ins.keySet().iterator().next();
        long[] shape = ((TensorInfo) ins.get(inputName).getInfo()).getShape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("model input '" + inputName + "' must have rank 4, has shape "
                    + java.util.Arrays.toString(shape));
        }
        int c = spec.encoding().channels();
        long[] want = spec.layout() == OnnxModelSpec.Layout.NCHW
                ? new long[] {-1, c, spec.inputSize(), spec.inputSize()}
                : new long[] {-1, spec.inputSize(), spec.inputSize(), c};
        for (int i = 1; i < 4; i++) {
            if (shape[i] > 0 && shape[i] != want[i]) {
                throw new IllegalArgumentException("model input '" + inputName + "' has shape "
                        + java.util.Arrays.toString(shape) + " but the spec declares " + spec.layout() + " "
                        + java.util.Arrays.toString(want) + " (encoding " + spec.encoding() + ", inputSize "
                        + spec.inputSize() + ")");
            }
        }
        Map<String, NodeInfo> outs = session.getOutputInfo();
        this.outputName = spec.outputName() != null ? spec.outputName() : outs.keySet().iterator().next();
        NodeInfo oi = outs.get(outputName);
        if (oi == null) {
            throw new IllegalArgumentException("model has no output '" + outputName + "'; outputs: " + outs.keySet());
        }
        long[] oshape = ((TensorInfo) oi.getInfo()).getShape();
        long width = 1;
        for (int i = 1; i < oshape.length; i++) {
            width *= oshape[i];
        }
        if (oshape.length >= 2 && width > 0 && width != spec.classNames().size()) {
            throw new IllegalArgumentException("model output '" + outputName + "' has " + width
                    + " values per map but the spec declares " + spec.classNames().size() + " classes");
        }
        this.embedding = outs.containsKey(OnnxExporter.EMBEDDING);
    }

    /**
     * Opens a model file with the spec in its sidecar ({@link OnnxModelSpec#sidecarOf(Path)}) and
     * default options.
     *
     * @param onnxFile the model
     * @return the engine
     * @throws IOException     if a file cannot be read
     * @throws FormatException if the sidecar is malformed
     */
    public static OnnxRuntimeEngine open(Path onnxFile) throws IOException, FormatException {
        Path side = OnnxModelSpec.sidecarOf(onnxFile);
        if (!Files.exists(side)) {
            throw new FormatException(onnxFile.toString(), "sidecar", "missing " + side
                    + " declaring classes, inputSize and encoding");
        }
        return open(Files.readAllBytes(onnxFile), OnnxModelSpec.readSidecar(side), Options.defaults());
    }

    /**
     * Opens a model held in memory.
     *
     * @param model   the ONNX model bytes
     * @param spec    what the model takes and gives
     * @param options session options
     * @return the engine
     * @throws IllegalArgumentException if the model does not match the spec
     * @throws IllegalStateException    if ONNX Runtime cannot load it
     */
    public static OnnxRuntimeEngine open(byte[] model, OnnxModelSpec spec, Options options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(options.interOpThreads());
            so.setCPUArenaAllocator(options.cpuArena());
            so.setMemoryPatternOptimization(options.memoryPattern());
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(model, so);
            try {
                OnnxRuntimeEngine e = new OnnxRuntimeEngine(env, session, spec);
                LOG.debug("ONNX Runtime session: input {}, output {}, {}", e.inputName, e.outputName, options);
                return e;
            } catch (RuntimeException | OrtException ex) {
                session.close();
                throw ex;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    /** @return the model's spec */
    public OnnxModelSpec spec() {
        return spec;
    }

    @Override
    public boolean hasEmbedding() {
        return embedding;
    }

    @Override
    public float[][] forward(float[] batch, int n) {
        float[][] out = run(batch, n, outputName);
        switch (spec.activation()) {
            case SOFTMAX -> {
                for (float[] row : out) {
                    softmax(row);
                }
            }
            case SIGMOID -> {
                for (float[] row : out) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = (float) (1 / (1 + Math.exp(-row[i])));
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    @Override
    public float[][] embed(float[] batch, int n) {
        if (!embedding) {
            return super.embed(batch, n);
        }
        return run(batch, n, OnnxExporter.EMBEDDING);
    }

    private float[][] run(float[] batch, int n, String output) {
        checkCall(batch, n);
        int s = spec.inputSize();
        int c = channels();
        float[] x = spec.layout() == OnnxModelSpec.Layout.NCHW ? batch : toNhwc(batch, n, c, s);
        long[] shape = spec.layout() == OnnxModelSpec.Layout.NCHW ? new long[] {n, c, s, s} : new long[] {n, s, s, c};
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = session.run(Map.of(inputName, t), Set.of(output))) {
            OnnxValue v = r.get(0);
            FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
            int total = fb.remaining();
            if (total % n != 0) {
                throw new IllegalStateException("output '" + output + "' has " + total + " values for " + n + " maps");
            }
            int w = total / n;
            float[][] out = new float[n][w];
            for (float[] row : out) {
                fb.get(row);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    private static float[] toNhwc(float[] b, int n, int c, int s) {
        float[] o = new float[b.length];
        int plane = s * s;
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    o[base + p * c + ch] = b[base + ch * plane + p];
                }
            }
        }
        return o;
    }

    private static void softmax(float[] row) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) Math.exp(row[i] - max);
            sum += row[i];
        }
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (row[i] / sum);
        }
    }

    /** @return the names of the model's outputs */
    public List<String> outputNames() {
        try {
            return new ArrayList<>(session.getOutputNames());
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void release() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing ONNX Runtime session: {}", e.getMessage());
        }
    }

    /**
     * The {@code onnx} engine as a service ({@link org.fabai.adc.engine.Engines}): ONNX Runtime on
     * the CPU with {@link Options#defaults()}.
     */
    public static final class Provider extends EngineProvider.Of {

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
            super("onnx", (onnx, spec) -> OnnxRuntimeEngine.open(onnx, spec, Options.defaults()));
        }
    }
}
