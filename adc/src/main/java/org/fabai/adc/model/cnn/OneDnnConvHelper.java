package org.fabai.adc.model.cnn;

import java.util.Collections;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.fabai.adc.model.cnn.OneDnn.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.algorithm;
import static org.bytedeco.dnnl.global.dnnl.prop_kind;

/**
 * A DL4J convolution helper that calls oneDNN directly (JavaCPP's {@code org.bytedeco:dnnl}
 * presets) instead of going through libnd4j's {@code conv2d}/{@code conv2d_bp} ops. What it
 * does that libnd4j's path does not (each measured in benchmarks/RESULTS.md):
 * <ul>
 *   <li>keeps its primitives and the blocked-layout buffers they need for the life of the layer
 *       (per input shape), where libnd4j creates them on every call;</li>
 *   <li>uses direct convolution kernels, where libnd4j asks for {@code convolution_auto} and gets
 *       Winograd on a 3-channel first layer;</li>
 *   <li>skips the input gradient of a layer fed by the network input ({@code inputGradient =
 *       false}): nothing uses the gradient of the data, and on the first layer it was a third of
 *       libnd4j's convolution time;</li>
 *   <li>fuses a plain ReLU into the convolution (a oneDNN post-op) and makes the layer's separate
 *       activation pass a no-op. {@link #preOutput} then returns the rectified output, which DL4J's
 *       ReLU backprop reads the same way (relu(z) &gt; 0 exactly where z &gt; 0); only a caller
 *       of the layer's {@code preOutput} who wants the values below zero would see a difference;</li>
 *   <li>serves backprop's recomputation of the forward pass (DL4J 1.0.0-M2.1 computes it again
 *       unless a cache mode is set) from the forward pass, under the conditions of
 *       {@code LastForward}.</li>
 * </ul>
 * Supported: float data, NCHW, dilation 1, any kernel and stride, Same padding and Truncate
 * padding that uses every input row and column; anything else goes to DL4J's own oneDNN helper.
 * Results equal DL4J's im2col path within float rounding (tested).
 *
 * <p>Not thread-safe, like the DL4J layer that owns it. Native memory, outside JavaCPP's
 * {@code maxbytes} accounting: blocked copies of one batch's input and output (and, once the shape
 * has been trained on, of its gradients) for at most {@value #MAX_PLANS} input shapes, released
 * when the least recently used shape is evicted or the helper is garbage collected. At batch 64 the
 * compact network's two convolutions hold about 30 MB for the forward pass and 34 MB more once
 * trained on; it scales with the batch.
 */
final class OneDnnConvHelper implements ConvolutionHelper {

    private static final int MAX_PLANS = 4;

    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    private final MKLDNNConvHelper fallback;
    private final boolean inputGradient;
    private final boolean fusedRelu;
    /** Whether DL4J leaves this helper's output as it is (fused ReLU, identity): then it can be reused. */
    private final boolean outputIsFinal;
    private LastForward last;
    private long reused;
    private final Map<Geometry, Plan> plans = OneDnn.lru(MAX_PLANS);
    private stream strm;

    /**
     * @param inputGradient whether backprop must compute the gradient with respect to the layer's
     *                      input; {@code false} only for a layer fed by the network's input
     * @param activation    the layer's activation: a plain ReLU is fused into the convolution
     */
    OneDnnConvHelper(boolean inputGradient, IActivation activation) {
        this.fallback = new MKLDNNConvHelper(DataType.FLOAT);
        this.inputGradient = inputGradient;
        this.fusedRelu = PLAIN_RELU.equals(activation);
        this.outputIsFinal = fusedRelu || activation instanceof ActivationIdentity;
    }

    /** @return how many times backprop's recomputation of the forward pass was served from the forward pass */
    long reusedForwards() {
        return reused;
    }

    /** @return whether this helper fuses the layer's ReLU into the convolution */
    boolean fusesRelu() {
        return fusedRelu;
    }

    /** @return whether this helper skips the input gradient */
    boolean skipsInputGradient() {
        return !inputGradient;
    }

    /** @return how many input shapes this helper holds primitives for (0: every call went to the fallback) */
    int cachedPlans() {
        return plans.size();
    }

    /** @return how many of those hold backward primitives too (made on the first backprop of a shape) */
    int cachedBackwardPlans() {
        return (int) plans.values().stream().filter(p -> p.backward != null).count();
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    /**
     * Applies the activation; a no-op for a fused ReLU, which {@link #preOutput} already applied
     * (from oneDNN output, or from DL4J's fallback, whose output this helper then rectifies).
     */
    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return fusedRelu && PLAIN_RELU.equals(afn) ? z : afn.getActivation(z, training);
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides,
            int[] pad, ConvolutionLayer.AlgoMode mode, ConvolutionLayer.FwdAlgo fwdAlgo,
            ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = Geometry.of(input, weights, bias != null, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null) {
            last = null;
            INDArray z = fallback.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo,
                    convolutionMode, dilation, format, workspaceMgr);
            return fusedRelu && z != null ? PLAIN_RELU.getActivation(z, true) : z;
        }
        if (last != null && last.matches(input, weights, bias)) {
            reused++;
            return last.output;
        }
        Plan p = plan(g);
        INDArray in = OneDnn.dense(input);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, g.n, g.o, g.oh, g.ow);
        p.fSrc.bind(in);
        p.fW.bind(OneDnn.dense(weights));
        if (g.bias) {
            p.fBias.set_data_handle(OneDnn.address(OneDnn.dense(bias)));
        }
        p.fDst.bind(out);
        p.fSrc.load(strm);
        p.fW.load(strm);
        p.fwd.execute(strm, p.fArgs);
        p.fDst.store(strm);
        strm._wait();
        last = outputIsFinal ? LastForward.of(input, weights, bias, out) : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation afn,
            ConvolutionLayer.AlgoMode mode, ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
            ConvolutionLayer.BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode, int[] dilation,
            CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        boolean withBias = bias != null && biasGradView != null;
        Geometry g = Geometry.of(input, weights, withBias, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null) {
            return fallback.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format,
                    workspaceMgr);
        }
        Backward p = plan(g).backward();
        INDArray dz = OneDnn.dense(delta);
        INDArray dw = OneDnn.isDense(weightGradView) ? weightGradView
                : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, weights.shape());
        p.wSrc.bind(OneDnn.dense(input));
        p.wDiffDst.bind(dz);
        p.wDiffW.bind(dw);
        INDArray db = !withBias || OneDnn.isDense(biasGradView) ? biasGradView
                : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, g.o);
        if (withBias) {
            p.wDiffBias.set_data_handle(OneDnn.address(db));
        }
        p.wSrc.load(strm);
        p.wDiffDst.load(strm);
        p.bww.execute(strm, p.wArgs);
        p.wDiffW.store(strm);
        INDArray eps = null;
        if (inputGradient) {
            eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, g.n, g.c, g.h, g.w);
            p.dW.bind(OneDnn.dense(weights));
            p.dDiffDst.bind(dz);
            p.dDiffSrc.bind(eps);
            p.dW.load(strm);
            if (p.dDiffDst != p.wDiffDst) {
                p.dDiffDst.load(strm);
            }
            p.bwd.execute(strm, p.dArgs);
            p.dDiffSrc.store(strm);
        }
        strm._wait();
        if (dw != weightGradView) {
            weightGradView.assign(dw);
        }
        if (db != biasGradView) {
            biasGradView.assign(db.reshape(biasGradView.shape()));
        }
        Gradient grad = new DefaultGradient();
        if (withBias) {
            grad.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        grad.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(grad, eps);
    }

    private Plan plan(Geometry g) {
        if (strm == null) {
            strm = OneDnn.newStream();
        }
        Plan p = plans.get(g);
        if (p == null) {
            p = new Plan(g, inputGradient, fusedRelu);
            plans.put(g, p);
        }
        return p;
    }

    /**
     * The last forward pass, which DL4J 1.0.0-M2.1 asks for again in backprop (its
     * {@code ConvolutionLayer.backpropGradient} recomputes the pre-activation unless a cache mode is
     * set). It is handed back only for the very input array, with weights and bias equal to the
     * ones it was computed with, while the workspace holding it is still in the same generation
     * (the same training iteration); arrays outside workspaces are never reused.
     */
    private record LastForward(INDArray input, INDArray output, MemoryWorkspace workspace, long generation,
            float[] weights, float[] bias) {

        static LastForward of(INDArray input, INDArray weights, INDArray bias, INDArray output) {
            MemoryWorkspace ws = output.isAttached() ? output.data().getParentWorkspace() : null;
            return ws == null ? null : new LastForward(input, output, ws, ws.getGenerationId(),
                    weights.dup().data().asFloat(), bias == null ? null : bias.dup().data().asFloat());
        }

        boolean matches(INDArray in, INDArray w, INDArray b) {
            return in == input && workspace.getGenerationId() == generation && workspace.isScopeActive()
                    && java.util.Arrays.equals(weights, w.dup().data().asFloat())
                    && (b == null ? bias == null : bias != null && java.util.Arrays.equals(bias, b.dup().data().asFloat()));
        }
    }

    /** Shapes and padding of one convolution call. */
    private record Geometry(long n, long c, long h, long w, long o, long kh, long kw, long oh, long ow, long sh,
            long sw, long pt, long pl, long pb, long pr, boolean bias) {

        /** @return the geometry of a call, or null when this helper does not support it */
        static Geometry of(INDArray input, INDArray weights, boolean bias, int[] kernel, int[] strides, int[] pad,
                ConvolutionMode mode, int[] dilation, CNN2DFormat format) {
            OneDnn.Window win = weights.dataType() != DataType.FLOAT ? null
                    : OneDnn.window(input, kernel, strides, pad, mode, dilation, format);
            if (win == null) {
                return null;
            }
            return new Geometry(input.size(0), input.size(1), input.size(2), input.size(3), weights.size(0), kernel[0],
                    kernel[1], win.oh(), win.ow(), strides[0], strides[1], win.pt(), win.pl(), win.pb(), win.pr(), bias);
        }

        memory.desc src() {
            return desc(memory.format_tag.nchw, n, c, h, w);
        }

        memory.desc srcAny() {
            return desc(memory.format_tag.any, n, c, h, w);
        }

        memory.desc weights() {
            return desc(memory.format_tag.oihw, o, c, kh, kw);
        }

        memory.desc weightsAny() {
            return desc(memory.format_tag.any, o, c, kh, kw);
        }

        memory.desc dst() {
            return desc(memory.format_tag.nchw, n, o, oh, ow);
        }

        memory.desc dstAny() {
            return desc(memory.format_tag.any, n, o, oh, ow);
        }

        memory.desc biasDesc() {
            return desc(memory.format_tag.x, o);
        }

        long[] strides() {
            return new long[] {sh, sw};
        }

        long[] padLeft() {
            return new long[] {pt, pl};
        }

        long[] padRight() {
            return new long[] {pb, pr};
        }
    }

    /**
     * The primitives of one geometry, with their buffers: the forward pass's made with the plan,
     * the backward passes' on the first backprop (inference never allocates them).
     */
    private static final class Plan implements AutoCloseable {
        final Geometry g;
        final boolean inputGradient;
        final primitive_attr attr;
        final convolution_forward.primitive_desc fpd;
        final primitive fwd;
        final OneDnn.Port fSrc;
        final OneDnn.Port fW;
        final OneDnn.Port fDst;
        final memory fBias;
        final IntMemoryMap fArgs = new IntMemoryMap();
        private Backward backward;

        Plan(Geometry g, boolean inputGradient, boolean relu) {
            this.g = g;
            this.inputGradient = inputGradient;
            attr = new primitive_attr();
            if (relu) {
                post_ops ops = new post_ops();
                ops.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
                attr.set_post_ops(ops);
                ops.close();
            }
            fpd = new convolution_forward.primitive_desc(g.bias
                    ? new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, g.srcAny(),
                            g.weightsAny(), g.biasDesc(), g.dstAny(), g.strides(), g.padLeft(), g.padRight())
                    : new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct, g.srcAny(),
                            g.weightsAny(), g.dstAny(), g.strides(), g.padLeft(), g.padRight()), attr, OneDnn.engine());
            fwd = new convolution_forward(fpd);
            fSrc = new OneDnn.Port(g.src(), fpd.src_desc(), true, false);
            fW = new OneDnn.Port(g.weights(), fpd.weights_desc(), true, false);
            fDst = new OneDnn.Port(g.dst(), fpd.dst_desc(), false, true);
            fBias = g.bias ? new memory(g.biasDesc(), OneDnn.engine(), new Pointer()) : null;
            fArgs.put(DNNL_ARG_SRC, fSrc.mem()).put(DNNL_ARG_WEIGHTS, fW.mem()).put(DNNL_ARG_DST, fDst.mem());
            if (g.bias) {
                fArgs.put(DNNL_ARG_BIAS, fBias);
            }
        }

        /** @return the backward primitives, made on first use */
        Backward backward() {
            if (backward == null) {
                backward = new Backward(this);
            }
            return backward;
        }

        @Override
        public void close() {
            OneDnn.close(backward, attr, fArgs, fwd, fBias, fSrc, fW, fDst, fpd);
        }
    }

    /** The weight-gradient and (unless skipped) input-gradient primitives of a plan, with their buffers. */
    private static final class Backward implements AutoCloseable {
        final primitive bww;
        final OneDnn.Port wSrc;
        final OneDnn.Port wDiffDst;
        final OneDnn.Port wDiffW;
        final memory wDiffBias;
        final IntMemoryMap wArgs = new IntMemoryMap();
        final primitive bwd;
        final OneDnn.Port dW;
        final OneDnn.Port dDiffDst;
        final OneDnn.Port dDiffSrc;
        final IntMemoryMap dArgs = new IntMemoryMap();

        Backward(Plan p) {
            Geometry g = p.g;
            convolution_backward_weights.primitive_desc wpd = new convolution_backward_weights.primitive_desc(g.bias
                    ? new convolution_backward_weights.desc(algorithm.convolution_direct, g.srcAny(), g.weightsAny(),
                            g.biasDesc(), g.dstAny(), g.strides(), g.padLeft(), g.padRight())
                    : new convolution_backward_weights.desc(algorithm.convolution_direct, g.srcAny(), g.weightsAny(),
                            g.dstAny(), g.strides(), g.padLeft(), g.padRight()), OneDnn.engine(), p.fpd);
            bww = new convolution_backward_weights(wpd);
            wSrc = new OneDnn.Port(g.src(), wpd.src_desc(), true, false);
            wDiffDst = new OneDnn.Port(g.dst(), wpd.diff_dst_desc(), true, false);
            wDiffW = new OneDnn.Port(g.weights(), wpd.diff_weights_desc(), false, true);
            wDiffBias = g.bias ? new memory(g.biasDesc(), OneDnn.engine(), new Pointer()) : null;
            wArgs.put(DNNL_ARG_SRC, wSrc.mem()).put(DNNL_ARG_DIFF_DST, wDiffDst.mem())
                    .put(DNNL_ARG_DIFF_WEIGHTS, wDiffW.mem());
            if (g.bias) {
                wArgs.put(DNNL_ARG_DIFF_BIAS, wDiffBias);
            }
            if (p.inputGradient) {
                convolution_backward_data.primitive_desc dpd = new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(algorithm.convolution_direct, g.srcAny(), g.weightsAny(),
                                g.dstAny(), g.strides(), g.padLeft(), g.padRight()), OneDnn.engine(), p.fpd);
                bwd = new convolution_backward_data(dpd);
                dW = new OneDnn.Port(g.weights(), dpd.weights_desc(), true, false);
                dDiffDst = dpd.diff_dst_desc().equals(wDiffDst.mem().get_desc()) ? wDiffDst
                        : new OneDnn.Port(g.dst(), dpd.diff_dst_desc(), true, false);
                dDiffSrc = new OneDnn.Port(g.src(), dpd.diff_src_desc(), false, true);
                dArgs.put(DNNL_ARG_WEIGHTS, dW.mem()).put(DNNL_ARG_DIFF_DST, dDiffDst.mem())
                        .put(DNNL_ARG_DIFF_SRC, dDiffSrc.mem());
            } else {
                bwd = null;
                dW = null;
                dDiffDst = null;
                dDiffSrc = null;
            }
        }

        @Override
        public void close() {
            OneDnn.close(wArgs, dArgs, bww, bwd, wDiffBias, wSrc, wDiffW, dW, dDiffDst == wDiffDst ? null : dDiffDst,
                    dDiffSrc, wDiffDst);
        }
    }
}
