package org.fabai.adc.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fabai.adc.engine.EngineProvider;
import org.fabai.adc.engine.Engines;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.OnnxModelWriter;
import org.fabai.adc.onnx.WaferEncoding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The GPU engine against fabai's plain-Java interpreter of the same ONNX graph. Without a CUDA
 * device only the "unavailable" path runs; the comparison is skipped with the reason.
 */
class CudnnEngineTest {

    static final int SIZE = 12;

    /** conv3x3x4 - relu - maxpool2 - conv3x3x4 + skip - relu - flatten - gemm 5 - softmax, random weights. */
    static byte[] model(long seed) {
        Random r = new Random(seed);
        OnnxModelWriter w = new OnnxModelWriter("gpu-test");
        w.input("input", new long[] {-1, 3, SIZE, SIZE});
        w.initializer("c1/W", new long[] {4, 3, 3, 3}, rand(r, 4 * 3 * 9));
        w.initializer("c1/b", new long[] {4}, rand(r, 4));
        w.initializer("c2/W", new long[] {4, 4, 3, 3}, rand(r, 4 * 4 * 9));
        w.initializer("c2/b", new long[] {4}, rand(r, 4));
        int flat = 4 * (SIZE / 2) * (SIZE / 2);
        w.initializer("d/W", new long[] {flat, 5}, rand(r, flat * 5));
        w.initializer("d/b", new long[] {5}, rand(r, 5));
        Map<String, long[]> conv = Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1},
                "strides", new long[] {1, 1});
        w.node("Conv", "c1", new String[] {"input", "c1/W", "c1/b"}, "c1/y", conv);
        w.node("Relu", "r1", new String[] {"c1/y"}, "r1", Map.of());
        w.node("MaxPool", "p1", new String[] {"r1"}, "p1", Map.of("kernel_shape", new long[] {2, 2},
                "strides", new long[] {2, 2}));
        w.node("Conv", "c2", new String[] {"p1", "c2/W", "c2/b"}, "c2/y", conv);
        w.node("Add", "add", new String[] {"p1", "c2/y"}, "add", Map.of());
        w.node("Relu", "r2", new String[] {"add"}, "r2", Map.of());
        w.node("Flatten", "f", new String[] {"r2"}, "f", Map.of("axis", new long[] {1}));
        w.node("Gemm", "d", new String[] {"f", "d/W", "d/b"}, "d/y", Map.of("transB", new long[] {0}));
        w.node("Softmax", "sm", new String[] {"d/y"}, "probabilities", Map.of("axis", new long[] {1}));
        w.output("probabilities", new long[] {-1, 5});
        w.metadata("fabai.classes", "a\nb\nc\nd\ne");
        w.metadata("fabai.inputSize", Integer.toString(SIZE));
        w.metadata("fabai.encoding", "one_hot");
        return w.toByteArray();
    }

    static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 0.3);
        }
        return a;
    }

    @Test
    void withoutCudaOpeningFailsWithTheReason() {
        Optional<String> why = CudnnEngine.unavailableReason();
        Assumptions.assumeTrue(why.isPresent(), "a CUDA device is present");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudnnEngine.open(model(1)));
        assertTrue(e.getMessage().startsWith("GPU engine unavailable: "), e.getMessage());
    }

    @Test
    void theGpuEngineIsAServiceTheClassifierFinds() {
        // CnnClassifier.openEngine(EngineKind.GPU) asks Engines for kind "gpu": this module's provider
        EngineProvider p = Engines.provider("gpu");
        assertTrue(p instanceof CudnnEngine.Provider, p.getClass().getName());
        assertEquals(CudnnEngine.unavailableReason(), p.unavailableReason());
    }

    @Test
    void gpuMatchesTheJavaInterpreter() {
        Optional<String> why = CudnnEngine.unavailableReason();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        byte[] onnx = model(2);
        OnnxModelSpec spec = new OnnxModelSpec(List.of("a", "b", "c", "d", "e"), SIZE, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NCHW, "probabilities", OnnxModelSpec.Activation.NONE);
        try (CudnnEngine gpu = CudnnEngine.open(onnx);
             OnnxJavaEngine java = new OnnxJavaEngine(OnnxGraph.parse(onnx), spec)) {
            for (int n : new int[] {1, 8}) {
                float[] x = rand(new Random(n), n * 3 * SIZE * SIZE);
                float[][] a = gpu.forward(x, n);
                float[][] b = java.forward(x, n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 5; j++) {
                        assertEquals(b[i][j], a[i][j], 1e-4, "batch " + n + " row " + i + " col " + j);
                    }
                }
            }
        }
    }
}
