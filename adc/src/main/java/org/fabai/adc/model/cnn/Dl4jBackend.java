package org.fabai.adc.model.cnn;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Deeplearning4j 1.0.0-M2.1 train on oneDNN instead of its own im2col path. Two things
 * stand in the way in that release, and this class works around both:
 * <ol>
 *   <li><b>The native build.</b> The default {@code nd4j-native} build ({@code linux-x86_64})
 *       has no oneDNN; fabai ships only the {@code linux-x86_64-onednn} build (oneDNN linked in;
 *       it chooses its kernels for the CPU at run time, AVX2 and AVX-512 included), in the
 *       {@value #NATIVE_ARTIFACT} artifact, and selects it through JavaCPP's
 *       {@value #EXTENSION_PROPERTY} property before ND4J loads. Other JavaCPP libraries (OpenCV,
 *       OpenBLAS) have no such variant and load their default build.</li>
 *   <li><b>The layer helpers.</b> DL4J's oneDNN gate ({@code BaseMKLDNNHelper.mklDnnEnabled()})
 *       looks for a class ({@code org.nd4j.nativeblas.Nd4jCpu$Environment}) and a method
 *       ({@code isUseMKLDNN}) that this release no longer has, so it always answers no and every
 *       convolution runs as im2col + gemm + col2im op by op from Java (measured: im2col alone
 *       37% of a training epoch). {@link #accelerate(ComputationGraph)} installs helpers on the
 *       convolution and pooling layers of a graph: by default fabai's own
 *       ({@link OneDnnConvHelper}, {@link OneDnnPoolHelper}), which call oneDNN directly with
 *       primitives kept per layer, direct (not Winograd) kernels, no layout reorders for pooling
 *       and no gradient for the data; with {@code -D}{@value #DIRECT_PROPERTY}{@code =false}, or
 *       where {@code org.bytedeco:dnnl} does not load, DL4J's own {@link MKLDNNConvHelper} and
 *       {@link MKLDNNSubsamplingHelper}, which call libnd4j's {@code conv2d}/{@code conv2d_bp}
 *       and pooling ops, served by the oneDNN inside libnd4j.</li>
 * </ol>
 * Measured on 2 cores (benchmarks/RESULTS.md): one training epoch of the compact CNN, 2048 maps
 * of 64x64, 13.9 s on the im2col path, about 3 s with DL4J's helpers, about 0.9 s with fabai's;
 * gradients equal to the im2col path's within float rounding (tested).
 *
 * <p>Opt out with {@code -Dfabai.dl4j.onednn=false}; a user-set {@value #EXTENSION_PROPERTY} is
 * left alone. {@link #configure()} must run before anything loads ND4J; fabai's CNN classes call
 * it from their static initialisers. When the oneDNN build is not the one loaded,
 * {@link #accelerate(ComputationGraph)} does nothing and the graph trains on the default path.
 *
 * <p>Thread-safe.
 */
public final class Dl4jBackend {

    /** JavaCPP's system property naming the native build variant. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** fabai's switch: {@code false} keeps DL4J's default native build and layer paths. */
    public static final String ONEDNN_PROPERTY = "fabai.dl4j.onednn";
    /** fabai's switch: {@code false} installs DL4J's own oneDNN helpers instead of fabai's direct ones. */
    public static final String DIRECT_PROPERTY = "fabai.dl4j.direct";
    /** Threads ND4J's BLAS gets during a {@link #trainingSession training session} (default 1; 0: unchanged). */
    public static final String BLAS_THREADS_PROPERTY = "fabai.dl4j.trainingBlasThreads";
    /** The oneDNN release fabai's own helpers call (JavaCPP's {@code org.bytedeco:dnnl} presets). */
    public static final String DNNL_VERSION = "2.5.2";
    /** The artifact that carries the CNN's native libraries (fabai-adc does not). */
    public static final String NATIVE_ARTIFACT = "org.fabai:fabai-adc-native";
    /** The nd4j-native build variant fabai selects. */
    public static final String ONEDNN_EXTENSION = "-onednn";

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jBackend.class);
    private static final Object LOCK = new Object();
    private static boolean configured;
    private static boolean optedOut;
    private static Boolean onednnLoaded;
    private static Boolean directLoaded;

    private Dl4jBackend() {
    }

    /**
     * Selects the oneDNN build of nd4j-native, the one build fabai ships ({@value #NATIVE_ARTIFACT}),
     * unless the user has chosen a build. With {@value #ONEDNN_PROPERTY}{@code =false} the plain
     * build is kept when the user has put it on the class path; otherwise the oneDNN build still
     * loads and only fabai's oneDNN layer helpers stay off. Idempotent; effective only before
     * ND4J's native library loads.
     *
     * @throws IllegalStateException when no nd4j-native build for this platform is on the class
     *         path (fabai-adc leaves the natives to {@value #NATIVE_ARTIFACT}); the message names
     *         the artifact to add
     */
    public static void configure() {
        synchronized (LOCK) {
            if (configured) {
                return;
            }
            String chosen = System.getProperty(EXTENSION_PROPERTY);
            if (chosen != null) {
                configured = true;
                optedOut = !Boolean.parseBoolean(System.getProperty(ONEDNN_PROPERTY, "true"));
                LOG.debug("{} already set to '{}'; left alone", EXTENSION_PROPERTY, chosen);
                return;
            }
            ClassLoader cl = Dl4jBackend.class.getClassLoader();
            String platform = Loader.getPlatform();
            Builds builds = builds(cl, platform);
            if (!builds.onednn() && !builds.plain()) {
                throw new IllegalStateException(missingNatives(platform));
            }
            configured = true;
            if (!Boolean.parseBoolean(System.getProperty(ONEDNN_PROPERTY, "true"))) {
                optedOut = true;
                if (builds.plain()) {
                    LOG.info("{}=false: DL4J keeps its default native build and layer paths", ONEDNN_PROPERTY);
                    return;
                }
                LOG.info("{}=false: DL4J keeps its own layer paths (im2col) on the oneDNN build, the only one "
                        + "on the class path", ONEDNN_PROPERTY);
            } else if (!builds.onednn()) {
                LOG.info("no oneDNN build of nd4j-native on the class path ({} missing): DL4J trains on its "
                        + "im2col path, about 4x slower", onednnResource(platform));
                return;
            }
            String resource = onednnResource(platform);
            if (builds.packed()) {
                // fabai's shaded jar carries it xz-compressed: unpack beside the JNI library that links to it
                PackedNatives.unpackBeside(cl, resource, bindingsDir(platform, ONEDNN_EXTENSION)
                        + System.mapLibraryName("jnind4jcpu"));
            }
            System.setProperty(EXTENSION_PROPERTY, ONEDNN_EXTENSION);
        }
    }

    /** Which nd4j-native builds a class loader offers for a platform. */
    record Builds(boolean onednn, boolean packed, boolean plain) {
    }

    /**
     * @param cl       the class loader to look in
     * @param platform a JavaCPP platform, e.g. {@code linux-x86_64}
     * @return the nd4j-native builds found: the oneDNN one (as a plain or an xz-packed resource),
     *         the default one
     */
    static Builds builds(ClassLoader cl, String platform) {
        String onednn = onednnResource(platform);
        boolean raw = cl.getResource(onednn) != null;
        boolean packed = !raw && PackedNatives.isPacked(cl, onednn);
        boolean plain = cl.getResource(bindingsDir(platform, "") + System.mapLibraryName("jnind4jcpu")) != null;
        return new Builds(raw || packed, packed, plain);
    }

    /**
     * @param platform the JavaCPP platform
     * @return the message of the error raised when no nd4j-native build is on the class path
     */
    static String missingNatives(String platform) {
        return "fabai's CNN (Deeplearning4j) needs the native library of nd4j-native for " + platform
                + ", and none is on the class path. fabai-adc leaves it out (serving ONNX models needs none): add "
                + NATIVE_ARTIFACT + " (type pom) to your dependencies, or run the fabai CLI, which carries it. "
                + "It is built for linux-x86_64 only"
                + ("linux-x86_64".equals(platform) ? "." : "; on " + platform + " train elsewhere and serve the "
                        + "exported ONNX model (OnnxRuntimeEngine).");
    }

    private static String bindingsDir(String platform, String extension) {
        return "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + extension + "/";
    }

    private static String onednnResource(String platform) {
        return bindingsDir(platform, ONEDNN_EXTENSION) + System.mapLibraryName("nd4jcpu");
    }

    /**
     * @return whether the loaded nd4j-native build has oneDNN and fabai may use it (loads ND4J if
     *         it is not loaded); false when {@value #ONEDNN_PROPERTY} is {@code false}
     */
    public static boolean onednnAvailable() {
        configure();
        synchronized (LOCK) {
            if (optedOut) {
                return false;
            }
            if (onednnLoaded == null) {
                Nd4j.getBackend();   // loads the backend, which NativeOpsHolder needs
                String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
                onednnLoaded = info != null && info.contains("HAVE_ONEDNN");
                if (!onednnLoaded) {
                    LOG.warn("the loaded nd4j-native build has no oneDNN: DL4J trains on its im2col path, about 4x "
                            + "slower (was ND4J loaded before fabai could select its build? set -D{}={})",
                            EXTENSION_PROPERTY, ONEDNN_EXTENSION);
                }
            }
            return onednnLoaded;
        }
    }

    /**
     * Installs DL4J's oneDNN helpers on the convolution and pooling layers of a graph, if the
     * loaded native build has oneDNN. Call it after {@code init()}, restoring or cloning a graph
     * (those create the layers afresh, without helpers).
     *
     * @param net a graph
     * @return the number of layers given a helper (0 when oneDNN is not available)
     * @throws IllegalStateException when DL4J's layer classes do not have the expected field
     */
    public static int accelerate(ComputationGraph net) {
        if (!onednnAvailable()) {
            return 0;
        }
        boolean direct = directAvailable();
        List<String> inputs = net.getConfiguration().getNetworkInputs();
        Map<String, List<String>> feeds = net.getConfiguration().getVertexInputs();
        int done = 0;
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            Object helper;
            Field f;
            if (layer instanceof ConvolutionLayer) {
                f = helperField(ConvolutionLayer.class);
                String name = layer.conf().getLayer().getLayerName();
                // nothing uses the gradient of the data, so a convolution fed only by network inputs skips it
                List<String> from = feeds.getOrDefault(name, List.of());
                boolean fedByInputs = !from.isEmpty() && inputs.containsAll(from);
                helper = direct ? new OneDnnConvHelper(!fedByInputs,
                        ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer()).getActivationFn())
                        : new MKLDNNConvHelper(layer.getParam("W").dataType());
            } else if (layer instanceof SubsamplingLayer) {
                if (direct) {
                    if (!(layer instanceof OneDnnSubsamplingLayer)) {
                        replace(net, i, new OneDnnSubsamplingLayer(layer.conf(), net.getConfiguration().getDataType(),
                                new OneDnnPoolHelper()));
                    }
                    done++;
                    continue;
                }
                f = helperField(SubsamplingLayer.class);
                helper = new MKLDNNSubsamplingHelper(net.getConfiguration().getDataType());
            } else {
                continue;
            }
            try {
                f.set(layer, helper);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot set " + f + " on " + layer.getClass().getName(), e);
            }
            done++;
        }
        LOG.debug("{} helpers on {} layers", direct ? "fabai's direct oneDNN" : "DL4J's oneDNN", done);
        return done;
    }

    /**
     * Whether fabai's own helpers, which call oneDNN directly ({@code org.bytedeco:dnnl}), are in
     * use: unless {@value #DIRECT_PROPERTY} is {@code false} or that library does not load.
     *
     * @return true when {@link #accelerate(ComputationGraph)} installs fabai's helpers rather than DL4J's
     */
    public static boolean directAvailable() {
        synchronized (LOCK) {
            if (directLoaded == null) {
                if (!Boolean.parseBoolean(System.getProperty(DIRECT_PROPERTY, "true"))) {
                    LOG.info("{}=false: DL4J's own oneDNN helpers (libnd4j ops) serve the convolutions", DIRECT_PROPERTY);
                    directLoaded = false;
                } else {
                    try {
                        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                        directLoaded = true;
                    } catch (UnsatisfiedLinkError | RuntimeException e) {
                        LOG.warn("oneDNN (org.bytedeco:dnnl) does not load on {}: DL4J's own oneDNN helpers serve the "
                                + "convolutions, about 3x slower in training ({})", Loader.getPlatform(), e.toString());
                        directLoaded = false;
                    }
                }
            }
            return directLoaded;
        }
    }

    /**
     * Prepares a graph for a training run and undoes it on {@link Training#close()}. Two things,
     * both only with fabai's direct oneDNN helpers ({@link #directAvailable()}):
     * <ul>
     *   <li>the plain ReLU of its convolution and activation layers becomes {@link OneDnnRelu},
     *       whose backprop runs on oneDNN (libnd4j's {@code relu_bp} was about 6x slower than a
     *       copy of the same array). The original activation objects are put back on close, so
     *       saved models and exported graphs never see the swap;</li>
     *   <li>ND4J's BLAS (OpenBLAS, used by the dense layers) runs on one thread. Its worker
     *       threads wait for work spinning on {@code sched_yield} for a long while after each
     *       gemm, and on a 2-core machine the spinning thread took a core from oneDNN's OpenMP
     *       threads: a training step of the compact CNN took 34-40 ms (median) with 2 BLAS threads,
     *       26-27 ms with 1 (benchmarks/RESULTS.md). The previous thread count is restored on
     *       close. This setting is process-wide: ND4J work elsewhere in the JVM during a training
     *       run also gets one BLAS thread; {@code -D}{@value #BLAS_THREADS_PROPERTY}{@code =0}
     *       leaves BLAS alone, another value sets its threads for training.</li>
     * </ul>
     * Not for graphs trained by several threads at once.
     *
     * @param net a graph about to be trained
     * @return the session to close when training ends
     */
    public static Training trainingSession(ComputationGraph net) {
        List<Runnable> undo = new ArrayList<>();
        if (onednnAvailable() && directAvailable()) {
            int blasThreads = Integer.getInteger(BLAS_THREADS_PROPERTY, 1);
            Blas blas = Nd4j.factory().blas();
            int before = blas.getMaxThreads();
            if (blasThreads > 0 && blasThreads != before) {
                blas.setMaxThreads(blasThreads);
                undo.add(() -> blas.setMaxThreads(before));
            }
            for (Layer layer : net.getLayers()) {
                org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
                if (conf instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
                    swapRelu(c.getActivationFn(), c::setActivationFn, undo);
                } else if (conf instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a) {
                    swapRelu(a.getActivationFn(), a::setActivationFn, undo);
                }
            }
        }
        return new Training(undo);
    }

    /** Puts a {@link OneDnnRelu} in place of a plain ReLU, recording how to put it back. */
    private static void swapRelu(IActivation current, Consumer<IActivation> set, List<Runnable> undo) {
        if (new ActivationReLU().equals(current) && !(current instanceof OneDnnRelu)) {
            set.accept(new OneDnnRelu());
            undo.add(() -> set.accept(current));
        }
    }

    /** A graph prepared for training by {@link #trainingSession(ComputationGraph)}; closing it undoes that. */
    public static final class Training implements AutoCloseable {
        private final List<Runnable> undo;

        private Training(List<Runnable> undo) {
            this.undo = undo;
        }

        /** @return how many changes this session made (activations swapped, BLAS threads set) */
        public int changes() {
            return undo.size();
        }

        /** Puts the original activations back. Idempotent. */
        @Override
        public void close() {
            undo.forEach(Runnable::run);
            undo.clear();
        }
    }

    /** @return a one-line description of the DL4J native build in use, for logs and provenance */
    public static String describe() {
        if (!onednnAvailable()) {
            return "nd4j-native " + Loader.getPlatform() + " (im2col path)";
        }
        return "nd4j-native " + Loader.getPlatform() + ONEDNN_EXTENSION + (directAvailable()
                ? " + fabai's oneDNN " + DNNL_VERSION + " convolution and pooling helpers"
                : " + DL4J's oneDNN layer helpers");
    }

    /** Puts {@code replacement} in place of the graph's i-th layer, in its layer array and its vertex. */
    private static void replace(ComputationGraph net, int i, Layer replacement) {
        Layer old = net.getLayers()[i];
        String name = old.conf().getLayer().getLayerName();
        GraphVertex v = net.getVertex(name);
        if (!(v instanceof LayerVertex) || v.getLayer() != old) {
            throw new IllegalStateException("layer " + name + " is not the layer of vertex " + name);
        }
        replacement.setIndex(old.getIndex());
        replacement.setListeners(old.getListeners());
        replacement.setCacheMode(old.conf().getCacheMode());
        try {
            Field f = LayerVertex.class.getDeclaredField("layer");
            f.setAccessible(true);
            f.set(v, replacement);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s has no accessible field 'layer' (DL4J %s expected)", LayerVertex.class.getName(),
                    CnnClassifier.DL4J_VERSION), e);
        }
        net.getLayers()[i] = replacement;
    }

    /** The protected {@code helper} field of a DL4J layer class (looked up per call: graphs are built rarely). */
    private static Field helperField(Class<?> owner) {
        try {
            Field f = owner.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s has no accessible field 'helper' (DL4J %s expected)", owner.getName(),
                    CnnClassifier.DL4J_VERSION), e);
        }
    }
}
