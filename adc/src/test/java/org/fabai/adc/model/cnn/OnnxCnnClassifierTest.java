package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DL4J-free serving path gives the predictions of the full classifier on the same engine. */
class OnnxCnnClassifierTest {

    @TempDir
    Path dir;

    @Test
    void servesTheModelFileAsTheFullClassifierDoes() throws Exception {
        TestMaps.Data small = TestMaps.balanced(10, 32, 5);
        List<WaferMap> maps = new ArrayList<>(TestMaps.balanced(4, 32, 9).maps());
        Random rnd = new Random(4);
        maps.add(TestMaps.draw(Set.of("Edge-Ring"), 45, rnd));
        maps.add(TestMaps.draw(Set.of("Center"), 27, rnd));
        for (boolean tta : new boolean[] {false, true}) {
            CnnConfig cfg = CnnClassifierTest.FAST.withEpochs(1).withTestTimeAugment(tta);
            Path file = dir.resolve("cnn-" + tta + ".fabai");
            try (CnnClassifier trained = CnnClassifier.train(small.maps(), small.labels(), cfg)) {
                trained.save(file);
            }
            try (CnnClassifier full = CnnClassifier.load(file).withEngine(EngineKind.ONNX);
                 OnnxCnnClassifier lean = OnnxCnnClassifier.load(file)) {
                assertEquals(full.classNames(), lean.classNames());
                assertEquals(full.rejectThreshold(), lean.rejectThreshold());
                List<Prediction> a = full.predictBatch(maps);
                List<Prediction> b = lean.predictBatch(maps);
                for (int i = 0; i < maps.size(); i++) {
                    assertEquals(a.get(i).label(), b.get(i).label(), "map " + i + " tta " + tta);
                    assertEquals(a.get(i).bestClass(), b.get(i).bestClass());
                    assertArrayEquals(a.get(i).probabilities(), b.get(i).probabilities(), 1e-6, "map " + i);
                }
                // the plain-Java interpreter of the same ONNX section agrees too
                try (OnnxCnnClassifier java = OnnxCnnClassifier.open(Files.readAllBytes(file), file.toString(),
                        EngineKind.JAVA, OnnxRuntimeEngine.Options.defaults())) {
                    assertEquals(b.get(0).bestClass(), java.predict(maps.get(0)).bestClass());
                }
                Path copy = dir.resolve("copy-" + tta + ".fabai");
                lean.save(copy);
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy));
            }
        }
    }

    @Test
    void refusesAnotherKindAndTheDl4jEngineNamingThem() throws Exception {
        Path f = dir.resolve("other.fabai");
        new ModelFile("feature-classifier", 1, Map.of(), Map.of()).write(f);
        ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxCnnClassifier.load(f));
        assertTrue(e.getMessage().contains("feature-classifier") && e.getMessage().contains(f.toString()), e.getMessage());
        byte[] bytes = Files.readAllBytes(f);
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> OnnxCnnClassifier.open(bytes, "x", EngineKind.DL4J, OnnxRuntimeEngine.Options.defaults()));
        assertTrue(g.getMessage().contains("onnx or java"), g.getMessage());
    }
}
