package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.engine.EngineProvider;
import org.fabai.adc.engine.Engines;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.OnnxExporter;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.factory.Nd4j;

/** Every CPU engine gives Deeplearning4j's outputs within 1e-4 on random inputs. */
class EngineEquivalenceTest {

    static ComputationGraph randomNet(CnnConfig cfg, int k, boolean multi) {
        ComputationGraph net = CnnNetworks.build(cfg, k, multi, null);
        // non-zero biases and larger weights, so that a layout error cannot hide behind zeros
        Nd4j.getRandom().setSeed(cfg.seed() + 1);
        net.setParams(Nd4j.rand(net.params().shape()).subi(0.5).muli(0.2));
        return net;
    }

    static float[] randomBatch(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"COMPACT,64,false,1", "RESIDUAL,40,false,1", "COMPACT,26,true,1", "RESIDUAL,37,true,2"})
    void onnxRuntimeMatchesDl4j(CnnConfig.Architecture arch, int size, boolean multi, int width) {
        CnnConfig cfg = CnnConfig.defaults(3).withArchitecture(arch).withInputSize(size).withWidth(width);
        int k = 9;
        ComputationGraph net = randomNet(cfg, k, multi);
        byte[] onnx = OnnxExporter.export(net, size, 3, CnnNetworks.EMBEDDING, Map.of("fabai.test", "yes"));
        OnnxModelSpec spec = new OnnxModelSpec(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"), size,
                WaferEncoding.ONE_HOT, OnnxModelSpec.Layout.NCHW, OnnxExporter.OUTPUT, OnnxModelSpec.Activation.NONE);
        try (InferenceEngine ref = new Dl4jEngine(net, size, k);
             InferenceEngine ort = OnnxRuntimeEngine.open(onnx, spec,
                     OnnxRuntimeEngine.Options.defaults().withIntraOpThreads(1));
             InferenceEngine java = new OnnxJavaEngine(OnnxGraph.parse(onnx), spec)) {
            assertTrue(ort.hasEmbedding());
            assertTrue(java.hasEmbedding());
            for (int n : new int[] {1, 8}) {
                float[] x = randomBatch(n, size, 100 + n);
                float[][] want = ref.forward(x, n);
                assertClose(want, ort.forward(x, n), 1e-4, "onnxruntime outputs, batch " + n);
                assertClose(want, java.forward(x, n), 1e-4, "java outputs, batch " + n);
                float[][] emb = ref.embed(x, n);
                assertClose(emb, ort.embed(x, n), 1e-4, "onnxruntime embedding, batch " + n);
                assertClose(emb, java.embed(x, n), 1e-4, "java embedding, batch " + n);
            }
        }
    }

    @Test
    void theCpuEnginesAreFoundThroughTheServiceLoaderAndClosedOnce() {
        CnnConfig cfg = CnnConfig.defaults(3).withInputSize(26);
        ComputationGraph net = randomNet(cfg, 4, false);
        byte[] onnx = OnnxExporter.export(net, 26, 3, CnnNetworks.EMBEDDING, Map.of());
        OnnxModelSpec spec = new OnnxModelSpec(List.of("a", "b", "c", "d"), 26, WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NCHW, OnnxExporter.OUTPUT, OnnxModelSpec.Activation.NONE);
        assertEquals(List.of("onnx", "java"), Engines.providers().stream().map(EngineProvider::kind).toList());
        float[] x = randomBatch(2, 26, 7);
        try (InferenceEngine ref = new Dl4jEngine(net, 26, 4)) {
            for (String kind : new String[] {"onnx", "JAVA"}) {
                InferenceEngine e = Engines.open(kind, onnx, spec);
                assertEquals(4, e.outputs());
                assertEquals(26, e.inputSize());
                assertClose(ref.forward(x, 2), e.forward(x, 2), 1e-4, kind + " through the ServiceLoader");
                e.close();
                e.close();
                IllegalStateException closed = assertThrows(IllegalStateException.class, () -> e.forward(x, 2));
                assertTrue(closed.getMessage().endsWith("engine is closed"), closed.getMessage());
            }
        }
        // no provider of that kind here: the message names the module that brings the GPU engine
        IllegalStateException gpu = assertThrows(IllegalStateException.class, () -> Engines.provider("gpu"));
        assertTrue(gpu.getMessage().contains("fabai-adc-gpu"), gpu.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"COMPACT", "RESIDUAL"})
    void trainedClassifierGivesTheSameAnswersOnEveryCpuEngine(CnnConfig.Architecture arch) {
        TestMaps.Data d = TestMaps.balanced(8, 32, 4);
        CnnConfig cfg = CnnClassifierTest.FAST.withEpochs(1).withArchitecture(arch);
        try (CnnClassifier dl4j = CnnClassifier.train(d.maps(), d.labels(), cfg);
             CnnClassifier ort = dl4j.withEngine(EngineKind.ONNX);
             CnnClassifier java = dl4j.withEngine(EngineKind.JAVA)) {
            assertEquals("dl4j", dl4j.engineName());
            assertEquals("onnxruntime-cpu", ort.engineName());
            assertClose(dl4j.probabilities(d.maps()), ort.probabilities(d.maps()), 1e-4, "probabilities");
            assertClose(dl4j.embed(d.maps()), ort.embed(d.maps()), 1e-4, "embeddings");
            assertClose(dl4j.probabilities(d.maps()), java.probabilities(d.maps()), 1e-4, "java probabilities");
            for (int i = 0; i < d.maps().size(); i++) {
                assertEquals(dl4j.predict(d.maps().get(i)).bestClass(), ort.predict(d.maps().get(i)).bestClass());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "5"})
    void enginesRejectMisSizedBatches(int n) {
        CnnConfig cfg = CnnConfig.defaults(1).withInputSize(26);
        ComputationGraph net = randomNet(cfg, 3, false);
        try (InferenceEngine ref = new Dl4jEngine(net, 26, 3)) {
            assertThrows(IllegalArgumentException.class, () -> ref.forward(new float[3 * 26 * 26 * 4], n));
        }
    }

    static void assertClose(float[][] a, float[][] b, double tol, String what) {
        assertEquals(a.length, b.length, what + ": rows");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i].length, b[i].length, what + ": row " + i + " width");
            for (int j = 0; j < a[i].length; j++) {
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
            }
        }
        assertTrue(worst <= tol, what + ": max |difference| " + worst + " > " + tol);
        org.slf4j.LoggerFactory.getLogger(EngineEquivalenceTest.class).info("{}: max |difference| {}", what, worst);
    }
}
