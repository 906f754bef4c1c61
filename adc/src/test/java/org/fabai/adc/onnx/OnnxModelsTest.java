package org.fabai.adc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protobuf codec, hand-written models, external (non-fabai) models and their sidecars. */
class OnnxModelsTest {

    @Test
    void protobufRoundTrip() {
        ProtoWriter inner = new ProtoWriter().string(1, "héllo").varint(2, -5);
        ProtoWriter w = new ProtoWriter().varint(1, 300).float32(2, 1.5f).message(3, inner)
                .packedVarints(4, new long[] {1, 128, 1L << 40});
        ProtoReader r = new ProtoReader(w.toByteArray());
        assertTrue(r.next());
        assertEquals(1, r.field());
        assertEquals(300, r.varint());
        assertTrue(r.next());
        assertEquals(1.5f, r.float32());
        assertTrue(r.next());
        ProtoReader m = r.message();
        assertTrue(m.next());
        assertEquals("héllo", m.string());
        assertTrue(m.next());
        assertEquals(-5, m.varint());
        assertFalse(m.next());
        assertTrue(r.next());
        List<Long> vs = new ArrayList<>();
        r.varints(vs);
        assertEquals(List.of(1L, 128L, 1L << 40), vs);
        assertFalse(r.next());
    }

    @Test
    void truncatedProtobufIsATypedError() {
        byte[] b = new ProtoWriter().string(1, "abcdef").toByteArray();
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 2);
        ProtoReader r = new ProtoReader(cut);
        assertTrue(r.next());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::string);
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxGraph.parse(new byte[] {0x0a, 0x7f}));
    }

    /** A Keras-style model: NHWC one-hot input, flatten, dense to 3 logits. */
    static byte[] nhwcLogitsModel(int s, float[] w, float[] b) {
        OnnxModelWriter m = new OnnxModelWriter("keras-like");
        m.input("x", new long[] {-1, s, s, 3});
        m.initializer("W", new long[] {(long) s * s * 3, 3}, w);
        m.initializer("B", new long[] {3}, b);
        m.node("Flatten", "flat", new String[] {"x"}, "f", Map.of("axis", new long[] {1}));
        m.node("Gemm", "dense", new String[] {"f", "W", "B"}, "logits", Map.of("transB", new long[] {0}));
        m.output("logits", new long[] {-1, 3});
        return m.toByteArray();
    }

    @Test
    void externalNhwcModelWithSidecarRunsOnOnnxRuntime(@TempDir Path dir) throws Exception {
        int s = 8;
        Random r = new Random(3);
        float[] w = new float[s * s * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] b = {0.1f, -0.2f, 0.3f};
        Path file = dir.resolve("keras.onnx");
        Files.write(file, nhwcLogitsModel(s, w, b));
        OnnxModelSpec spec = new OnnxModelSpec(List.of("Center", "Donut", "none"), s, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NHWC, "logits", OnnxModelSpec.Activation.SOFTMAX);
        spec.writeSidecar(OnnxModelSpec.sidecarOf(file));
        assertEquals(spec, OnnxModelSpec.readSidecar(OnnxModelSpec.sidecarOf(file)));

        WaferMap map = WaferMap.fromCodes(new int[][] {
            {0, 0, 1, 1, 1, 1, 0, 0}, {0, 1, 1, 2, 1, 1, 1, 0}, {1, 1, 2, 2, 2, 1, 1, 1}, {1, 1, 1, 2, 1, 1, 2, 1},
            {1, 2, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 2, 1, 1}, {0, 1, 1, 1, 1, 1, 1, 0}, {0, 0, 1, 1, 2, 1, 0, 0}});
        float[] nchw = WaferEncoding.ONE_HOT.encode(List.of(map), s);
        // expected, computed by hand: NHWC flatten order is (h, w, c)
        double[] logits = new double[3];
        for (int j = 0; j < 3; j++) {
            double acc = b[j];
            for (int h = 0; h < s; h++) {
                for (int x = 0; x < s; x++) {
                    for (int c = 0; c < 3; c++) {
                        acc += nchw[(c * s + h) * s + x] * w[((h * s + x) * 3 + c) * 3 + j];
                    }
                }
            }
            logits[j] = acc;
        }
        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        try (OnnxRuntimeEngine e = OnnxRuntimeEngine.open(file)) {
            assertEquals(List.of("Center", "Donut", "none"), e.spec().classNames());
            assertFalse(e.hasEmbedding());
            float[] p = e.forward(nchw, 1)[0];
            for (int j = 0; j < 3; j++) {
                assertEquals(Math.exp(logits[j] - max) / sum, p[j], 1e-5, "class " + j);
            }
            assertThrows(UnsupportedOperationException.class, () -> e.embed(nchw, 1));
        }
    }

    @Test
    void sidecarMismatchAndMissingSidecarAreClearErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, nhwcLogitsModel(8, new float[8 * 8 * 3 * 3], new float[3]));
        FormatException missing = assertThrows(FormatException.class, () -> OnnxRuntimeEngine.open(file));
        assertTrue(missing.getMessage().contains("m.onnx.properties"), missing.getMessage());
        Files.writeString(OnnxModelSpec.sidecarOf(file), "classes=a,b,c\nencoding=one_hot\n");
        FormatException noSize = assertThrows(FormatException.class, () -> OnnxRuntimeEngine.open(file));
        assertTrue(noSize.getMessage().contains("inputSize"), noSize.getMessage());
        OnnxModelSpec wrongLayout = new OnnxModelSpec(List.of("a", "b", "c"), 8, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NCHW, null, OnnxModelSpec.Activation.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRuntimeEngine.open(Files.readAllBytes(file), wrongLayout, OnnxRuntimeEngine.Options.defaults()));
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
        OnnxModelSpec wrongClasses = new OnnxModelSpec(List.of("a", "b"), 8, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NHWC, null, OnnxModelSpec.Activation.NONE);
        e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRuntimeEngine.open(Files.readAllBytes(file), wrongClasses, OnnxRuntimeEngine.Options.defaults()));
        assertTrue(e.getMessage().contains("2 classes"), e.getMessage());
    }

    @Test
    void optionsValidate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxRuntimeEngine.Options(0, 1, true, true));
        assertEquals("intraOpThreads must be in [1, 256], got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WaferEncoding.parse("rgb"));
        assertEquals(WaferEncoding.ONE_HOT, WaferEncoding.parse("one-hot"));
    }

    /** The residual test model of the GPU module: conv, relu, pool, conv + skip, flatten, gemm, softmax. */
    static byte[] residualModel(int s, long seed) {
        Random r = new Random(seed);
        OnnxModelWriter w = new OnnxModelWriter("residual");
        w.input("input", new long[] {-1, 3, s, s});
        w.initializer("c1/W", new long[] {4, 3, 3, 3}, gauss(r, 4 * 3 * 9));
        w.initializer("c1/b", new long[] {4}, gauss(r, 4));
        w.initializer("c2/W", new long[] {4, 4, 3, 3}, gauss(r, 4 * 4 * 9));
        w.initializer("c2/b", new long[] {4}, gauss(r, 4));
        int flat = 4 * (s / 2) * (s / 2);
        w.initializer("d/W", new long[] {5, flat}, gauss(r, flat * 5));
        w.initializer("d/b", new long[] {5}, gauss(r, 5));
        Map<String, long[]> conv = Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1});
        w.node("Conv", "c1", new String[] {"input", "c1/W", "c1/b"}, "c1/y", conv);
        w.node("Relu", "r1", new String[] {"c1/y"}, "r1", Map.of());
        w.node("MaxPool", "p1", new String[] {"r1"}, "p1", Map.of("kernel_shape", new long[] {2, 2},
                "strides", new long[] {2, 2}));
        w.node("Conv", "c2", new String[] {"p1", "c2/W", "c2/b"}, "c2/y", conv);
        w.node("Add", "add", new String[] {"p1", "c2/y"}, "add", Map.of());
        w.node("Tanh", "t", new String[] {"add"}, "t", Map.of());
        w.node("Flatten", "f", new String[] {"t"}, "f", Map.of("axis", new long[] {1}));
        w.node("Gemm", "d", new String[] {"f", "d/W", "d/b"}, "d/y", Map.of("transB", new long[] {1}));
        w.node("Sigmoid", "sg", new String[] {"d/y"}, "probabilities", Map.of());
        w.output("probabilities", new long[] {-1, 5});
        return w.toByteArray();
    }

    static float[] gauss(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 0.3);
        }
        return a;
    }

    @Test
    void javaInterpreterMatchesOnnxRuntimeOnAHandWrittenGraph() {
        int s = 12;
        byte[] onnx = residualModel(s, 9);
        OnnxGraph g = OnnxGraph.parse(onnx);
        assertEquals(13, g.opset());
        assertArrayEquals(new long[] {-1, 3, s, s}, g.inputDims());
        OnnxModelSpec spec = new OnnxModelSpec(List.of("a", "b", "c", "d", "e"), s, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NCHW, "probabilities", OnnxModelSpec.Activation.NONE);
        try (OnnxJavaEngine java = new OnnxJavaEngine(g, spec);
             OnnxRuntimeEngine ort = OnnxRuntimeEngine.open(onnx, spec, OnnxRuntimeEngine.Options.defaults())) {
            for (int n : new int[] {1, 8}) {
                float[] x = gauss(new Random(n), n * 3 * s * s);
                float[][] a = java.forward(x, n);
                float[][] b = ort.forward(x, n);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(b[i], a[i], 1e-5f, "batch " + n + " row " + i);
                }
            }
        }
    }

    @Test
    void javaInterpreterRejectsUnsupportedOperators() {
        OnnxModelWriter w = new OnnxModelWriter("lrn");
        w.input("input", new long[] {-1, 3, 8, 8});
        w.node("LRN", "lrn", new String[] {"input"}, "y", Map.of("size", new long[] {3}));
        w.output("y", new long[] {-1, 3, 8, 8});
        OnnxModelSpec spec = new OnnxModelSpec(List.of("a"), 8, WaferEncoding.ONE_HOT, OnnxModelSpec.Layout.NCHW,
                "y", OnnxModelSpec.Activation.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxJavaEngine(OnnxGraph.parse(w.toByteArray()), spec));
        assertTrue(e.getMessage().contains("LRN"), e.getMessage());
    }
}
