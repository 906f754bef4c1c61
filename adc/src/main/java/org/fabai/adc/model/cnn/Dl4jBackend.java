package org.fabai.adc.model.cnn;

import java.lang.reflect.Field;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Deeplearning4j 1.0.0-M2.1 train on oneDNN instead of its own im2col path. Two things
 * stand in the way in that release, and this class works around both:
 * <ol>
 *   <li><b>The native build.</b> The default {@code nd4j-native} build ({@code linux-x86_64})
 *       has no oneDNN; fabai also ships the {@code linux-x86_64-onednn} build (oneDNN linked in;
 *       it chooses its kernels for the CPU at run time, AVX2 and AVX-512 included) and selects it
 *       through JavaCPP's {@value #EXTENSION_PROPERTY} property before ND4J loads. Other JavaCPP
 *       libraries (OpenCV, OpenBLAS) have no such variant and load their default build.</li>
 *   <li><b>The layer helpers.</b> DL4J's oneDNN gate ({@code BaseMKLDNNHelper.mklDnnEnabled()})
 *       looks for a class ({@code org.nd4j.nativeblas.Nd4jCpu$Environment}) and a method
 *       ({@code isUseMKLDNN}) that this release no longer has, so it always answers no and every
 *       convolution runs as im2col + gemm + col2im op by op from Java (measured: im2col alone
 *       37% of a training epoch). {@link #accelerate(ComputationGraph)} installs DL4J's own
 *       {@link MKLDNNConvHelper} and {@link MKLDNNSubsamplingHelper} on the convolution and
 *       pooling layers of a graph, which then call libnd4j's {@code conv2d}/{@code conv2d_bp}
 *       and pooling ops, served by oneDNN.</li>
 * </ol>
 * Measured on 2 cores (benchmarks/RESULTS.md): one training epoch of the compact CNN, 2048 maps
 * of 64x64, from 13.9 s to about 3 s; outputs equal to the im2col path's within float rounding.
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
    /** The nd4j-native build variant fabai selects. */
    public static final String ONEDNN_EXTENSION = "-onednn";

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jBackend.class);
    private static final Object LOCK = new Object();
    private static boolean configured;
    private static boolean optedOut;
    private static Boolean onednnLoaded;

    private Dl4jBackend() {
    }

    /**
     * Selects the oneDNN build of nd4j-native when it is on the class path, the user has not
     * chosen a build and {@value #ONEDNN_PROPERTY} is not {@code false}. Idempotent; effective only
     * before ND4J's native library loads.
     */
    public static void configure() {
        synchronized (LOCK) {
            if (configured) {
                return;
            }
            configured = true;
            if (!Boolean.parseBoolean(System.getProperty(ONEDNN_PROPERTY, "true"))) {
                optedOut = true;
                LOG.info("{}=false: DL4J keeps its default native build and layer paths", ONEDNN_PROPERTY);
                return;
            }
            String chosen = System.getProperty(EXTENSION_PROPERTY);
            if (chosen != null) {
                LOG.debug("{} already set to '{}'; left alone", EXTENSION_PROPERTY, chosen);
                return;
            }
            String resource = "org/nd4j/linalg/cpu/nativecpu/bindings/" + Loader.getPlatform() + ONEDNN_EXTENSION
                    + "/" + System.mapLibraryName("nd4jcpu");
            if (Dl4jBackend.class.getClassLoader().getResource(resource) == null) {
                LOG.info("no oneDNN build of nd4j-native on the class path ({} missing): DL4J trains on its "
                        + "im2col path, about 4x slower", resource);
                return;
            }
            System.setProperty(EXTENSION_PROPERTY, ONEDNN_EXTENSION);
        }
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
        int done = 0;
        for (Layer layer : net.getLayers()) {
            Object helper;
            Field f;
            if (layer instanceof ConvolutionLayer) {
                f = helperField(ConvolutionLayer.class);
                helper = new MKLDNNConvHelper(layer.getParam("W").dataType());
            } else if (layer instanceof SubsamplingLayer) {
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
        LOG.debug("oneDNN helpers on {} layers", done);
        return done;
    }

    /** @return a one-line description of the DL4J native build in use, for logs and provenance */
    public static String describe() {
        return onednnAvailable() ? "nd4j-native " + Loader.getPlatform() + ONEDNN_EXTENSION + " + oneDNN layer helpers"
                : "nd4j-native " + Loader.getPlatform() + " (im2col path)";
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
