package org.fabai.adc.model.cnn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.algorithm;
import static org.bytedeco.dnnl.global.dnnl.prop_kind;
import static org.fabai.adc.model.cnn.OneDnn.desc;

import java.util.Collections;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J max-pooling helper that calls oneDNN directly on DL4J's NCHW arrays, without the layout
 * reorders libnd4j's {@code maxpool2d_bp} makes on every call. DL4J 1.0.0-M2.1 uses a pooling
 * helper for backprop only (its forward pass always runs libnd4j's {@code maxpool2d}), so on a
 * plain DL4J layer backprop runs oneDNN's forward pass again for the argmax workspace, then the
 * backward pass. {@link OneDnnSubsamplingLayer} also sends its forward pass here, and backprop then
 * uses the workspace of that forward pass, provided it pooled the very same input array in the
 * same workspace generation (the same training iteration) and nothing was pooled since. Max
 * pooling, float, NCHW, dilation 1; anything else goes to DL4J's own oneDNN helper.
 *
 * <p>Not thread-safe, like the DL4J layer that owns it.
 */
final class OneDnnPoolHelper implements SubsamplingHelper {

    private static final int MAX_PLANS = 4;

    private final MKLDNNSubsamplingHelper fallback = new MKLDNNSubsamplingHelper(DataType.FLOAT);
    private final Map<Geometry, Plan> plans = OneDnn.lru(MAX_PLANS);
    private stream strm;
    /** The last forward pass's input, when its argmax is still in its plan's workspace. */
    private LastForward last;
    private long reused;

    /** @return how many input shapes this helper holds primitives for (0: every call went to the fallback) */
    int cachedPlans() {
        return plans.size();
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    /** @return how many backprop calls used the forward pass's argmax instead of pooling again */
    long reusedForwards() {
        return reused;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
            PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        INDArray out = pooled(input, training, kernel, strides, pad, poolingType, convolutionMode, dilation, format,
                workspaceMgr);
        return out != null ? out : fallback.activate(input, training, kernel, strides, pad, poolingType,
                convolutionMode, dilation, format, workspaceMgr);
    }

    /**
     * The forward pass on oneDNN; a training pass keeps its argmax for backprop.
     *
     * @return the pooled output, or null when this helper does not support the call
     */
    INDArray pooled(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad, PoolingType poolingType,
            ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = Geometry.of(input, kernel, strides, pad, poolingType, convolutionMode, dilation, format);
        if (g == null) {
            return null;
        }
        INDArray in = OneDnn.dense(input);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, g.n, g.c, g.oh, g.ow);
        Plan p = plan(g);
        forward(p, in, out);
        last = training ? LastForward.of(input, out, p) : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel, int[] strides,
            int[] pad, PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        Geometry g = Geometry.of(input, kernel, strides, pad, poolingType, convolutionMode, dilation, format);
        if (g == null) {
            return fallback.backpropGradient(input, epsilon, kernel, strides, pad, poolingType, convolutionMode,
                    dilation, format, workspaceMgr);
        }
        Plan p = plan(g);
        if (last != null && last.matches(input, p)) {
            reused++;
        } else {
            INDArray scratch = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, g.n, g.c,
                    g.oh, g.ow);
            forward(p, OneDnn.dense(input), scratch);
        }
        last = null;
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, g.n, g.c, g.h, g.w);
        p.diffDst.set_data_handle(OneDnn.address(OneDnn.dense(epsilon)));
        p.diffSrc.set_data_handle(OneDnn.address(eps));
        p.bwd.execute(strm, p.bArgs);
        strm._wait();
        return new Pair<>(new DefaultGradient(), eps);
    }

    /** Pools {@code in} into {@code out}, leaving the argmax in the plan's workspace. */
    private void forward(Plan p, INDArray in, INDArray out) {
        last = null;
        p.src.set_data_handle(OneDnn.address(in));
        p.dst.set_data_handle(OneDnn.address(out));
        p.fwd.execute(strm, p.fArgs);
        strm._wait();
    }

    private Plan plan(Geometry g) {
        if (strm == null) {
            strm = OneDnn.newStream();
        }
        return plans.computeIfAbsent(g, Plan::new);
    }

    /**
     * A training forward pass whose argmax the plan's workspace holds: valid for the same input
     * array while the workspace holding the output is in the same generation (the same training
     * iteration); outputs outside workspaces never qualify.
     */
    private record LastForward(INDArray input, Plan plan, MemoryWorkspace workspace, long generation) {

        static LastForward of(INDArray input, INDArray output, Plan plan) {
            MemoryWorkspace ws = output.isAttached() ? output.data().getParentWorkspace() : null;
            return ws == null ? null : new LastForward(input, plan, ws, ws.getGenerationId());
        }

        boolean matches(INDArray in, Plan p) {
            return in == input && p == plan && workspace.getGenerationId() == generation && workspace.isScopeActive();
        }
    }

    /** Shapes and padding of one pooling call. */
    private record Geometry(long n, long c, long h, long w, long kh, long kw, long oh, long ow, long sh, long sw,
            long pt, long pl, long pb, long pr) {

        /** @return the geometry of a call, or null when this helper does not support it */
        static Geometry of(INDArray input, int[] kernel, int[] strides, int[] pad, PoolingType type,
                ConvolutionMode mode, int[] dilation, CNN2DFormat format) {
            OneDnn.Window win = type != PoolingType.MAX ? null
                    : OneDnn.window(input, kernel, strides, pad, mode, dilation, format);
            if (win == null) {
                return null;
            }
            return new Geometry(input.size(0), input.size(1), input.size(2), input.size(3), kernel[0], kernel[1],
                    win.oh(), win.ow(), strides[0], strides[1], win.pt(), win.pl(), win.pb(), win.pr());
        }
    }

    /** The forward (training) and backward primitives of one geometry, and the argmax workspace between them. */
    private static final class Plan implements AutoCloseable {
        final pooling_forward fwd;
        final pooling_backward bwd;
        final memory src;
        final memory dst;
        final memory workspace;
        final memory diffDst;
        final memory diffSrc;
        final IntMemoryMap fArgs = new IntMemoryMap();
        final IntMemoryMap bArgs = new IntMemoryMap();

        Plan(Geometry g) {
            memory.desc in = desc(memory.format_tag.nchw, g.n, g.c, g.h, g.w);
            memory.desc out = desc(memory.format_tag.nchw, g.n, g.c, g.oh, g.ow);
            long[] s = {g.sh, g.sw};
            long[] k = {g.kh, g.kw};
            long[] pl = {g.pt, g.pl};
            long[] pr = {g.pb, g.pr};
            pooling_forward.primitive_desc fpd = new pooling_forward.primitive_desc(new pooling_forward.desc(
                    prop_kind.forward_training, algorithm.pooling_max, in, out, s, k, pl, pr), OneDnn.engine());
            pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(new pooling_backward.desc(
                    algorithm.pooling_max, in, out, s, k, pl, pr), OneDnn.engine(), fpd);
            fwd = new pooling_forward(fpd);
            bwd = new pooling_backward(bpd);
            src = new memory(in, OneDnn.engine(), new Pointer());
            dst = new memory(out, OneDnn.engine(), new Pointer());
            diffSrc = new memory(in, OneDnn.engine(), new Pointer());
            diffDst = new memory(out, OneDnn.engine(), new Pointer());
            workspace = new memory(fpd.workspace_desc(), OneDnn.engine());
            fArgs.put(DNNL_ARG_SRC, src).put(DNNL_ARG_DST, dst).put(DNNL_ARG_WORKSPACE, workspace);
            bArgs.put(DNNL_ARG_DIFF_DST, diffDst).put(DNNL_ARG_DIFF_SRC, diffSrc).put(DNNL_ARG_WORKSPACE, workspace);
        }

        @Override
        public void close() {
            OneDnn.close(fArgs, bArgs, fwd, bwd, src, dst, workspace, diffDst, diffSrc);
        }
    }
}
