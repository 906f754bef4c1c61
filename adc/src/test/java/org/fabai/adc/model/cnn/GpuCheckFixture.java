package org.fabai.adc.model.cnn;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes what {@code benchmarks/gpu/check.sh} carries to the GPU machine: a CNN trained here,
 * exported to ONNX with its sidecar, 64 encoded generator maps and DL4J's outputs for them.
 * Runs only with {@code -Dfabai.gpu.fixture=<dir>}; with {@code -Dfabai.gpu.model=<file>} it
 * exports an already trained model instead of training a small one.
 */
@EnabledIfSystemProperty(named = "fabai.gpu.fixture", matches = ".+")
class GpuCheckFixture {

    @Test
    void writeFixture() throws Exception {
        Path dir = Path.of(System.getProperty("fabai.gpu.fixture"));
        Files.createDirectories(dir);
        String modelFile = System.getProperty("fabai.gpu.model", "");
        WaferMapGenerator gen = new WaferMapGenerator();
        CnnClassifier model;
        if (!modelFile.isEmpty()) {
            model = CnnClassifier.load(Path.of(modelFile));
        } else {
            List<SyntheticWafer> train = gen.balanced(40, 7);
            model = CnnClassifier.train(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train),
                    CnnConfig.defaults(7).withEpochs(2));
        }
        try (model) {
            model.exportOnnx(dir.resolve("model.onnx"));
            List<WaferMap> maps = WaferMapGenerator.maps(gen.balanced(8, 99)).subList(0, 64);
            int s = model.config().inputSize();
            float[] x = WaferEncoding.ONE_HOT.encode(maps, s);
            float[][] y;
            try (InferenceEngine ref = model.openEngine(EngineKind.DL4J)) {
                y = ref.forward(x, maps.size());
            }
            write(dir.resolve("inputs.bin"), maps.size(), 3 * s * s, x);
            float[] flat = new float[y.length * y[0].length];
            for (int i = 0; i < y.length; i++) {
                System.arraycopy(y[i], 0, flat, i * y[0].length, y[0].length);
            }
            write(dir.resolve("expected.bin"), y.length, y[0].length, flat);
        }
    }

    /** Big-endian: int rows, int cols, then rows*cols floats. */
    static void write(Path f, int rows, int cols, float[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(f)))) {
            out.writeInt(rows);
            out.writeInt(cols);
            for (float v : data) {
                out.writeFloat(v);
            }
        }
    }
}
