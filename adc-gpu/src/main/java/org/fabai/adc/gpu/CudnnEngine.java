package org.fabai.adc.gpu;

import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cudart.cudaDeviceSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;
import static org.bytedeco.cuda.global.cudnn.CUDNN_ACTIVATION_RELU;
import static org.bytedeco.cuda.global.cudnn.CUDNN_ACTIVATION_SIGMOID;
import static org.bytedeco.cuda.global.cudnn.CUDNN_ACTIVATION_TANH;
import static org.bytedeco.cuda.global.cudnn.CUDNN_CROSS_CORRELATION;
import static org.bytedeco.cuda.global.cudnn.CUDNN_DATA_FLOAT;
import static org.bytedeco.cuda.global.cudnn.CUDNN_NOT_PROPAGATE_NAN;
import static org.bytedeco.cuda.global.cudnn.CUDNN_POOLING_MAX;
import static org.bytedeco.cuda.global.cudnn.CUDNN_SOFTMAX_ACCURATE;
import static org.bytedeco.cuda.global.cudnn.CUDNN_SOFTMAX_MODE_INSTANCE;
import static org.bytedeco.cuda.global.cudnn.CUDNN_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_NCHW;
import static org.bytedeco.cuda.global.cudnn.cudnnActivationForward;
import static org.bytedeco.cuda.global.cudnn.cudnnAddTensor;
import static org.bytedeco.cuda.global.cudnn.cudnnConvolutionForward;
import static org.bytedeco.cuda.global.cudnn.cudnnCreate;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateConvolutionDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateFilterDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreatePoolingDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroy;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyConvolutionDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyFilterDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyPoolingDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnGetConvolutionForwardAlgorithm_v7;
import static org.bytedeco.cuda.global.cudnn.cudnnGetConvolutionForwardWorkspaceSize;
import static org.bytedeco.cuda.global.cudnn.cudnnGetErrorString;
import static org.bytedeco.cuda.global.cudnn.cudnnGetVersion;
import static org.bytedeco.cuda.global.cudnn.cudnnPoolingForward;
import static org.bytedeco.cuda.global.cudnn.cudnnSetActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetConvolution2dDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetFilter4dDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetPooling2dDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetTensor4dDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSoftmaxForward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudnn.cudnnActivationStruct;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.fabai.adc.engine.EngineBase;
import org.fabai.adc.engine.EngineProvider;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.WaferEncoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU inference with cuDNN (convolution, pooling, activations, softmax) and cuBLAS (dense
 * layers) through JavaCPP's CUDA presets, running the same weights as the CPU engines, read
 * from the exported ONNX model by fabai's own parser ({@link OnnxGraph}; no ONNX Runtime, no
 * Deeplearning4j). Supports the operator subset of {@link OnnxJavaEngine#OPS} in NCHW layout,
 * with symmetric padding.
 *
 * <p>Native memory: the weights live on the device for the engine's lifetime; per batch size an
 * execution plan holds the cuDNN descriptors, one device buffer per intermediate tensor, the
 * convolution workspace and a pinned host staging buffer for input and output. Plans are kept
 * for every batch size seen (so memory grows with the largest batch); {@link #close()} frees all.
 * The CUDA libraries are those of the machine (CUDA 13 runtime, cuBLAS, cuDNN 9): point the
 * loader at them with {@code LD_LIBRARY_PATH}.
 *
 * <p>Thread-safe: calls are serialised on the engine (one CUDA context and stream). Use one
 * engine per GPU.
 */
// cuDNN 9 marks its descriptor ("legacy") API deprecated in favour of the graph API, but ships and
// supports it; the suppression is scoped to this class, -Werror stays on for everything else.
@SuppressWarnings("deprecation")
public final class CudnnEngine extends EngineBase {

    private static final Logger LOG = LoggerFactory.getLogger(CudnnEngine.class);

    private final OnnxGraph graph;
    private final OnnxModelSpec spec;
    private final String output;
    private final cudnnContext cudnn = new cudnnContext();
    private final cublasContext cublas = new cublasContext();
    private final Map<String, Pointer> weights = new HashMap<>();
    private final Map<String, long[]> weightDims = new HashMap<>();
    private final Map<Integer, Plan> plans = new HashMap<>();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);

    /**
     * Why the GPU engine cannot run here, if it cannot: the CUDA presets' native libraries do not
     * load (no CUDA 13 runtime, cuBLAS or cuDNN found) or no CUDA device is present.
     *
     * @return empty when a device is usable, else the reason
     */
    public static Optional<String> unavailableReason() {
        Optional<String> runtime = RuntimeLoad.FAILURE;
        if (runtime.isPresent()) {
            return runtime;
        }
        int[] count = new int[1];
        int rc = cudaGetDeviceCount(count);
        if (rc != cudaSuccess || count[0] < 1) {
            return Optional.of("no CUDA device (cudaGetDeviceCount returned " + rc + ", count " + count[0] + ")");
        }
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.cuda.global.cudnn.class);
            org.bytedeco.javacpp.Loader.load(org.bytedeco.cuda.global.cublas.class);
        } catch (Throwable t) {
            return Optional.of("cuDNN or cuBLAS not loadable (" + t.getMessage() + ")");
        }
        return Optional.empty();
    }

    /**
     * The CUDA runtime's load, tried once per JVM: a failed class initialisation is only explained
     * the first time (later attempts see {@code NoClassDefFoundError: Could not initialize class}),
     * so the first reason is the one kept and reported.
     */
    private static final class RuntimeLoad {
        static final Optional<String> FAILURE = load();

        private RuntimeLoad() {
        }

        private static Optional<String> load() {
            try {
                org.bytedeco.javacpp.Loader.load(org.bytedeco.cuda.global.cudart.class);
                return Optional.empty();
            } catch (Throwable t) {
                return Optional.of("CUDA runtime not loadable (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "); install CUDA 13 or point LD_LIBRARY_PATH at its libraries");
            }
        }
    }

    /**
     * Opens a fabai-exported model, reading class names, input size and encoding from its
     * metadata ({@code fabai.classes}, {@code fabai.inputSize}, {@code fabai.encoding}).
     *
     * @param onnx the model bytes
     * @return the engine
     * @throws IllegalStateException    when no usable CUDA device is present (with the reason)
     * @throws IllegalArgumentException when the model lacks fabai metadata or uses an unsupported operator
     */
    public static CudnnEngine open(byte[] onnx) {
        OnnxGraph g = OnnxGraph.parse(onnx);
        Map<String, String> md = g.metadata();
        String classes = md.get("fabai.classes");
        String size = md.get("fabai.inputSize");
        if (classes == null || size == null) {
            throw new IllegalArgumentException("model lacks fabai.classes / fabai.inputSize metadata; "
                    + "use open(bytes, spec) for models exported elsewhere");
        }
        OnnxModelSpec spec = new OnnxModelSpec(List.of(classes.split("\n")), Integer.parseInt(size),
                WaferEncoding.parse(md.getOrDefault("fabai.encoding", "one_hot")), OnnxModelSpec.Layout.NCHW,
                g.outputNames().get(0), OnnxModelSpec.Activation.NONE);
        return open(g, spec);
    }

    /**
     * Opens a parsed model with an explicit spec.
     *
     * @param graph the model
     * @param spec  what it takes and gives (NCHW only)
     * @return the engine
     * @throws IllegalStateException when no usable CUDA device is present
     */
    public static CudnnEngine open(OnnxGraph graph, OnnxModelSpec spec) {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException("GPU engine unavailable: " + why.get());
        }
        return new CudnnEngine(graph, spec);
    }

    private CudnnEngine(OnnxGraph graph, OnnxModelSpec spec) {
        super("cudnn-gpu", spec.inputSize(), spec.encoding().channels(), spec.classNames().size());
        if (spec.layout() != OnnxModelSpec.Layout.NCHW) {
            throw new IllegalArgumentException("the GPU engine runs NCHW models only, spec declares " + spec.layout());
        }
        for (OnnxGraph.Node n : graph.nodes()) {
            if (!OnnxJavaEngine.OPS.contains(n.op())) {
                throw new IllegalArgumentException("node '" + n.name() + "': operator " + n.op()
                        + " is not supported by the GPU engine; supported: " + OnnxJavaEngine.OPS);
            }
        }
        this.graph = graph;
        this.spec = spec;
        this.output = spec.outputName() != null ? spec.outputName() : graph.outputNames().get(0);
        checkDnn(cudnnCreate(cudnn), "cudnnCreate");
        checkBlas(cublasCreate_v2(cublas), "cublasCreate");
        for (OnnxGraph.Tensor t : graph.initializers().values()) {
            Pointer p = deviceAlloc((long) t.data().length * 4);
            FloatPointer host = new FloatPointer(t.data());
            checkRt(cudaMemcpy(p, host, (long) t.data().length * 4, cudaMemcpyHostToDevice), "upload " + t.name());
            host.close();
            weights.put(t.name(), p);
            weightDims.put(t.name(), t.dims());
        }
        int[] rt = new int[1];
        cudaRuntimeGetVersion(rt);
        LOG.info("GPU engine: CUDA runtime {}, cuDNN {}, {} weight tensors on the device", rt[0], cudnnGetVersion(),
                weights.size());
    }

    @Override
    public synchronized float[][] forward(float[] batch, int n) {
        checkCall(batch, n);
        Plan plan = plans.computeIfAbsent(n, this::plan);
        plan.hostIn.put(batch, 0, batch.length);
        checkRt(cudaMemcpy(plan.values.get(graph.inputName()).ptr, plan.hostIn, (long) batch.length * 4,
                cudaMemcpyHostToDevice), "input upload");
        for (Runnable step : plan.steps) {
            step.run();
        }
        DevTensor out = plan.values.get(output);
        long count = out.count();
        checkRt(cudaMemcpy(plan.hostOut, out.ptr, count * 4, cudaMemcpyDeviceToHost), "output download");
        checkRt(cudaDeviceSynchronize(), "synchronize");
        int w = (int) (count / n);
        float[][] res = new float[n][w];
        for (int i = 0; i < n; i++) {
            plan.hostOut.position((long) i * w).get(res[i], 0, w);
        }
        plan.hostOut.position(0);
        return res;
    }

    private record DevTensor(Pointer ptr, int[] shape) {
        long count() {
            long c = 1;
            for (int d : shape) {
                c *= d;
            }
            return c;
        }
    }

    /** Everything one batch size needs: descriptors, buffers and the sequence of calls. */
    private final class Plan {
        final Map<String, DevTensor> values = new HashMap<>();
        final List<Runnable> steps = new ArrayList<>();
        final List<Runnable> release = new ArrayList<>();
        FloatPointer hostIn;
        FloatPointer hostOut;

        void free() {
            for (int i = release.size() - 1; i >= 0; i--) {
                try {
                    release.get(i).run();
                } catch (RuntimeException e) {
                    LOG.warn("releasing GPU resource: {}", e.getMessage());
                }
            }
        }
    }

    private Plan plan(int n) {
        Plan p = new Plan();
        int s = spec.inputSize();
        int c = channels();
        p.values.put(graph.inputName(), new DevTensor(planAlloc(p, (long) n * c * s * s * 4), new int[] {n, c, s, s}));
        for (OnnxGraph.Node node : graph.nodes()) {
            DevTensor y = step(p, node, n);
            p.values.put(node.outputs().get(0), y);
        }
        p.hostIn = pinned(p, (long) n * c * s * s);
        p.hostOut = pinned(p, p.values.get(output).count());
        LOG.debug("GPU plan for batch {}: {} steps", n, p.steps.size());
        return p;
    }

    private DevTensor input(Plan p, OnnxGraph.Node node, int i) {
        DevTensor t = p.values.get(node.inputs().get(i));
        if (t == null) {
            throw new IllegalStateException("node '" + node.name() + "': input '" + node.inputs().get(i) + "' not computed");
        }
        return t;
    }

    private DevTensor step(Plan p, OnnxGraph.Node node, int n) {
        String op = node.op();
        switch (op) {
            case "Identity":
                return input(p, node, 0);
            case "Flatten": {
                DevTensor x = input(p, node, 0);
                int axis = (int) node.intAttr("axis", 1);
                int outer = 1;
                for (int i = 0; i < axis; i++) {
                    outer *= x.shape[i];
                }
                return new DevTensor(x.ptr, new int[] {outer, (int) (x.count() / outer)});
            }
            case "Relu":
            case "Sigmoid":
            case "Tanh": {
                DevTensor x = input(p, node, 0);
                DevTensor y = new DevTensor(planAlloc(p, x.count() * 4), x.shape);
                cudnnTensorStruct d = tensorDesc(p, x.shape);
                cudnnActivationStruct a = new cudnnActivationStruct();
                checkDnn(cudnnCreateActivationDescriptor(a), "create activation");
                p.release.add(() -> cudnnDestroyActivationDescriptor(a));
                int mode = op.equals("Relu") ? CUDNN_ACTIVATION_RELU : op.equals("Sigmoid") ? CUDNN_ACTIVATION_SIGMOID
                        : CUDNN_ACTIVATION_TANH;
                checkDnn(cudnnSetActivationDescriptor(a, mode, CUDNN_NOT_PROPAGATE_NAN, 0.0), "set activation");
                p.steps.add(() -> checkDnn(cudnnActivationForward(cudnn, a, one, d, x.ptr, zero, d, y.ptr), op));
                return y;
            }
            case "Add": {
                DevTensor a = input(p, node, 0);
                DevTensor b = input(p, node, 1);
                if (a.count() != b.count()) {
                    throw new IllegalArgumentException("node '" + node.name() + "': Add of unequal shapes");
                }
                DevTensor y = new DevTensor(planAlloc(p, a.count() * 4), a.shape);
                cudnnTensorStruct d = tensorDesc(p, a.shape);
                p.steps.add(() -> {
                    checkRt(cudaMemcpy(y.ptr, a.ptr, a.count() * 4, cudaMemcpyDeviceToDevice), "Add copy");
                    checkDnn(cudnnAddTensor(cudnn, one, d, b.ptr, one, d, y.ptr), "Add");
                });
                return y;
            }
            case "Softmax": {
                DevTensor x = input(p, node, 0);
                if (x.shape.length != 2 || node.intAttr("axis", -1) != 1 && node.intAttr("axis", -1) != -1) {
                    throw new IllegalArgumentException("node '" + node.name() + "': Softmax over axis 1 of a matrix only");
                }
                DevTensor y = new DevTensor(planAlloc(p, x.count() * 4), x.shape);
                cudnnTensorStruct d = tensorDesc(p, x.shape);
                p.steps.add(() -> checkDnn(cudnnSoftmaxForward(cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE,
                        one, d, x.ptr, zero, d, y.ptr), "Softmax"));
                return y;
            }
            case "MaxPool": {
                DevTensor x = input(p, node, 0);
                long[] k = node.intsAttr("kernel_shape", null);
                long[] st = node.intsAttr("strides", new long[] {1, 1});
                long[] pd = symmetricPads(node);
                int oh = (int) ((x.shape[2] + 2 * pd[0] - k[0]) / st[0] + 1);
                int ow = (int) ((x.shape[3] + 2 * pd[1] - k[1]) / st[1] + 1);
                int[] ys = {x.shape[0], x.shape[1], oh, ow};
                DevTensor y = new DevTensor(planAlloc(p, (long) ys[0] * ys[1] * oh * ow * 4), ys);
                cudnnTensorStruct xd = tensorDesc(p, x.shape);
                cudnnTensorStruct yd = tensorDesc(p, ys);
                cudnnPoolingStruct pool = new cudnnPoolingStruct();
                checkDnn(cudnnCreatePoolingDescriptor(pool), "create pooling");
                p.release.add(() -> cudnnDestroyPoolingDescriptor(pool));
                checkDnn(cudnnSetPooling2dDescriptor(pool, CUDNN_POOLING_MAX, CUDNN_NOT_PROPAGATE_NAN, (int) k[0], (int) k[1],
                        (int) pd[0], (int) pd[1], (int) st[0], (int) st[1]), "set pooling");
                p.steps.add(() -> checkDnn(cudnnPoolingForward(cudnn, pool, one, xd, x.ptr, zero, yd, y.ptr), "MaxPool"));
                return y;
            }
            case "Conv":
                return conv(p, node);
            case "Gemm":
                return gemm(p, node, n);
            default:
                throw new IllegalArgumentException("unsupported operator " + op);
        }
    }

    private DevTensor conv(Plan p, OnnxGraph.Node node) {
        DevTensor x = input(p, node, 0);
        String wn = node.inputs().get(1);
        long[] wd = weightDims.get(wn);
        if (wd == null || wd.length != 4) {
            throw new IllegalArgumentException("node '" + node.name() + "': Conv weights must be a 4-D initializer");
        }
        if (node.intAttr("group", 1) != 1) {
            throw new IllegalArgumentException("node '" + node.name() + "': grouped convolution is not supported");
        }
        long[] st = node.intsAttr("strides", new long[] {1, 1});
        long[] dl = node.intsAttr("dilations", new long[] {1, 1});
        long[] pd = symmetricPads(node);
        int m = (int) wd[0];
        int oh = (int) ((x.shape[2] + 2 * pd[0] - dl[0] * (wd[2] - 1) - 1) / st[0] + 1);
        int ow = (int) ((x.shape[3] + 2 * pd[1] - dl[1] * (wd[3] - 1) - 1) / st[1] + 1);
        int[] ys = {x.shape[0], m, oh, ow};
        DevTensor y = new DevTensor(planAlloc(p, (long) ys[0] * m * oh * ow * 4), ys);
        cudnnTensorStruct xd = tensorDesc(p, x.shape);
        cudnnTensorStruct yd = tensorDesc(p, ys);
        cudnnFilterStruct fd = new cudnnFilterStruct();
        checkDnn(cudnnCreateFilterDescriptor(fd), "create filter");
        p.release.add(() -> cudnnDestroyFilterDescriptor(fd));
        checkDnn(cudnnSetFilter4dDescriptor(fd, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, m, (int) wd[1], (int) wd[2], (int) wd[3]),
                "set filter");
        cudnnConvolutionStruct cd = new cudnnConvolutionStruct();
        checkDnn(cudnnCreateConvolutionDescriptor(cd), "create convolution");
        p.release.add(() -> cudnnDestroyConvolutionDescriptor(cd));
        checkDnn(cudnnSetConvolution2dDescriptor(cd, (int) pd[0], (int) pd[1], (int) st[0], (int) st[1], (int) dl[0],
                (int) dl[1], CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "set convolution");
        cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(8);
        int[] found = new int[1];
        checkDnn(cudnnGetConvolutionForwardAlgorithm_v7(cudnn, xd, fd, cd, yd, 8, found, perf), "choose algorithm");
        int algo = -1;
        for (int i = 0; i < found[0]; i++) {
            if (perf.position(i).status() == CUDNN_STATUS_SUCCESS) {
                algo = perf.algo();
                break;
            }
        }
        perf.position(0);
        if (algo < 0) {
            throw new IllegalStateException("node '" + node.name() + "': cuDNN found no convolution algorithm");
        }
        SizeTPointer wsBytes = new SizeTPointer(1);
        checkDnn(cudnnGetConvolutionForwardWorkspaceSize(cudnn, xd, fd, cd, yd, algo, wsBytes), "workspace size");
        long ws = wsBytes.get();
        Pointer work = ws > 0 ? planAlloc(p, ws) : null;
        Pointer w = weights.get(wn);
        Pointer bias = node.inputs().size() > 2 ? weights.get(node.inputs().get(2)) : null;
        cudnnTensorStruct bd = bias == null ? null : tensorDesc(p, new int[] {1, m, 1, 1});
        final int a = algo;
        p.steps.add(() -> {
            checkDnn(cudnnConvolutionForward(cudnn, one, xd, x.ptr, fd, w, cd, a, work, ws, zero, yd, y.ptr), "Conv");
            if (bias != null) {
                checkDnn(cudnnAddTensor(cudnn, one, bd, bias, one, yd, y.ptr), "Conv bias");
            }
        });
        return y;
    }

    private DevTensor gemm(Plan p, OnnxGraph.Node node, int n) {
        DevTensor x = input(p, node, 0);
        if (node.intAttr("transA", 0) != 0) {
            throw new IllegalArgumentException("node '" + node.name() + "': Gemm transA=1 is not supported");
        }
        boolean tb = node.intAttr("transB", 0) != 0;
        String wn = node.inputs().get(1);
        long[] wd = weightDims.get(wn);
        if (wd == null || wd.length != 2) {
            throw new IllegalArgumentException("node '" + node.name() + "': Gemm B must be a 2-D initializer");
        }
        int k = (int) (tb ? wd[1] : wd[0]);
        int out = (int) (tb ? wd[0] : wd[1]);
        int rows = x.shape[0];
        if (x.count() != (long) rows * k) {
            throw new IllegalArgumentException("node '" + node.name() + "': Gemm input has " + x.count() / rows
                    + " columns, B needs " + k);
        }
        float alpha = node.floats().getOrDefault("alpha", 1f);
        float beta = node.floats().getOrDefault("beta", 1f);
        FloatPointer alphaP = new FloatPointer(alpha);
        DevTensor y = new DevTensor(planAlloc(p, (long) rows * out * 4), new int[] {rows, out});
        Pointer bias = node.inputs().size() > 2 ? weights.get(node.inputs().get(2)) : null;
        if (bias != null && weightDims.get(node.inputs().get(2)).length != 1) {
            throw new IllegalArgumentException("node '" + node.name() + "': Gemm C must be a 1-D bias");
        }
        cudnnTensorStruct bd = bias == null ? null : tensorDesc(p, new int[] {1, out, 1, 1});
        cudnnTensorStruct yd = bias == null ? null : tensorDesc(p, new int[] {rows, out, 1, 1});
        FloatPointer betaP = new FloatPointer(beta);
        FloatPointer wPtr = new FloatPointer(weights.get(wn));
        FloatPointer xPtr = new FloatPointer(x.ptr);
        FloatPointer yPtr = new FloatPointer(y.ptr);
        // row-major Y[rows,out] = X[rows,k] B[k,out] is column-major Y^T = B^T X^T
        p.steps.add(() -> {
            if (bias != null) {
                checkDnn(cudnnAddTensor(cudnn, betaP, bd, bias, zero, yd, y.ptr), "Gemm bias");
            }
            checkBlas(cublasSgemm_v2(cublas, tb ? CUBLAS_OP_T : CUBLAS_OP_N, CUBLAS_OP_N, out, rows, k, alphaP,
                    wPtr, tb ? k : out, xPtr, k, bias != null ? one : zero, yPtr, out), "Gemm");
        });
        return y;
    }

    private static long[] symmetricPads(OnnxGraph.Node node) {
        long[] pd = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        if (pd[0] != pd[2] || pd[1] != pd[3]) {
            throw new IllegalArgumentException("node '" + node.name() + "': asymmetric pads " + java.util.Arrays.toString(pd)
                    + " are not supported by cuDNN");
        }
        return new long[] {pd[0], pd[1]};
    }

    private cudnnTensorStruct tensorDesc(Plan p, int[] shape) {
        int[] s4 = new int[] {1, 1, 1, 1};
        System.arraycopy(shape, 0, s4, 0, Math.min(4, shape.length));
        cudnnTensorStruct d = new cudnnTensorStruct();
        checkDnn(cudnnCreateTensorDescriptor(d), "create tensor");
        p.release.add(() -> cudnnDestroyTensorDescriptor(d));
        checkDnn(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, s4[0], s4[1], s4[2], s4[3]),
                "set tensor " + java.util.Arrays.toString(shape));
        return d;
    }

    private Pointer planAlloc(Plan p, long bytes) {
        Pointer ptr = deviceAlloc(bytes);
        p.release.add(() -> cudaFree(ptr));
        return ptr;
    }

    private FloatPointer pinned(Plan p, long floats) {
        Pointer host = new Pointer();
        checkRt(cudaMallocHost(host, floats * 4), "pinned host buffer of " + floats * 4 + " bytes");
        p.release.add(() -> cudaFreeHost(host));
        return new FloatPointer(host).capacity(floats).limit(floats);
    }

    private static Pointer deviceAlloc(long bytes) {
        Pointer p = new Pointer();
        checkRt(cudaMalloc(p, Math.max(4, bytes)), "cudaMalloc of " + bytes + " bytes");
        return p;
    }

    private static void checkRt(int rc, String what) {
        if (rc != cudaSuccess) {
            throw new IllegalStateException(what + " failed: CUDA error " + rc + " (" + cudaGetErrorString(rc).getString() + ")");
        }
    }

    private static void checkDnn(int rc, String what) {
        if (rc != CUDNN_STATUS_SUCCESS) {
            throw new IllegalStateException(what + " failed: cuDNN status " + rc + " (" + cudnnGetErrorString(rc).getString() + ")");
        }
    }

    private static void checkBlas(int rc, String what) {
        if (rc != CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(what + " failed: cuBLAS status " + rc);
        }
    }

    @Override
    protected synchronized void release() {
        for (Plan p : plans.values()) {
            p.free();
        }
        plans.clear();
        for (Pointer w : weights.values()) {
            cudaFree(w);
        }
        weights.clear();
        cublasDestroy_v2(cublas);
        cudnnDestroy(cudnn);
        one.close();
        zero.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CudnnEngine[%d nodes, input %dx%d, %d outputs]", graph.nodes().size(),
                spec.inputSize(), spec.inputSize(), outputs());
    }

    /**
     * The {@code gpu} engine as a service ({@link org.fabai.adc.engine.Engines}), listed in this
     * module's {@code META-INF/services}: what {@code CnnClassifier.openEngine(EngineKind.GPU)} opens.
     */
    public static final class Provider extends EngineProvider.Of {

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
            super("gpu", (onnx, spec) -> CudnnEngine.open(OnnxGraph.parse(onnx), spec));
        }

        @Override
        public Optional<String> unavailableReason() {
            return CudnnEngine.unavailableReason();
        }
    }
}
