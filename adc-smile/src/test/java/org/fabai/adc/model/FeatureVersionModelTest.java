package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small model extracts the feature version it was fitted on: files of feature version 1 keep
 * predicting maps exactly as before, new models use version 2 (maps of die blocks on their dies).
 */
class FeatureVersionModelTest {

    @TempDir
    Path dir;

    private static WaferMap blocks(WaferMap m, int k) {
        return m.resize(m.rows() * k, m.cols() * k, WaferMap.ResizeMode.NEAREST);
    }

    @Test
    void versionOneFilesKeepPredictingWithVersionOneFeatures() throws Exception {
        Path f = dir.resolve("v1.fabai");
        Files.write(f, GoldenModelFileTest.resource("small-RANDOM_FOREST.fabai"));
        WaferMap scratch = new WaferMapGenerator().generate(DefectPattern.SCRATCH, 11).map();
        WaferMap big = blocks(scratch, 2);
        try (FeatureClassifier m = FeatureClassifier.load(f);
             WaferFeatureExtractor v1 = new WaferFeatureExtractor(1)) {
            assertEquals(1, m.featureVersion());
            double[] want = m.probabilities(v1.extract(big));
            assertArrayEquals(want, m.predict(big).probabilities(), 0.0);
            assertArrayEquals(want, m.predictBatch(List.of(scratch, big)).get(1).probabilities(), 0.0);
            // saved again, it stays a version-1 model
            Path again = dir.resolve("again.fabai");
            m.save(again);
            assertEquals("1", ModelFile.read(again).header().get("features.version"));
            try (FeatureClassifier back = FeatureClassifier.load(again)) {
                assertEquals(1, back.featureVersion());
                assertArrayEquals(want, back.predict(big).probabilities(), 0.0);
            }
        }
    }

    @Test
    void newModelsUseTheCurrentVersionAndSeeBlocksAsDies() throws Exception {
        WaferMapGenerator g = new WaferMapGenerator();
        var train = g.balanced(20, 31);
        FeatureClassifierConfig c = FeatureClassifierConfig.defaults().withTrees(40);
        Path f = dir.resolve("v2.fabai");
        try (FeatureClassifier m = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train), c)) {
            assertEquals(WaferFeatureExtractor.FEATURE_VERSION, m.featureVersion());
            assertEquals(2, m.featureVersion());
            m.save(f);
            assertEquals("2", ModelFile.read(f).header().get("features.version"));
            for (DefectPattern p : DefectPattern.values()) {
                WaferMap map = g.generate(p, 500 + p.ordinal()).map();
                double[] onDies = m.predict(map).probabilities();
                assertArrayEquals(onDies, m.predict(blocks(map, 2)).probabilities(), 0.0, p.toString());
                assertArrayEquals(onDies, m.predict(blocks(map, 3)).probabilities(), 0.0, p.toString());
            }
        }
        try (FeatureClassifier back = FeatureClassifier.load(f)) {
            assertEquals(2, back.featureVersion());
        }
    }

    @Test
    void featureVersionsThisLibraryDoesNotExtractAreRefused() throws Exception {
        Path f = dir.resolve("v.fabai");
        Files.write(f, GoldenModelFileTest.resource("small-RANDOM_FOREST.fabai"));
        ModelFile orig = ModelFile.read(f);
        Map<String, byte[]> sec = new LinkedHashMap<>();
        for (String s : orig.sectionNames()) {
            sec.put(s, orig.section(s));
        }
        for (String v : List.of("0", "3")) {
            Map<String, String> h = new LinkedHashMap<>(orig.header());
            h.remove(ModelFile.KEY_KIND);
            h.remove(ModelFile.KEY_VERSION);
            h.put("features.version", v);
            Path bad = dir.resolve("bad" + v + ".fabai");
            new ModelFile(FeatureClassifier.KIND, FeatureClassifier.FORMAT_VERSION, h, sec).write(bad);
            ModelFileException e = assertThrows(ModelFileException.class, () -> FeatureClassifier.load(bad));
            assertEquals(ModelFileException.Reason.UNSUPPORTED_VERSION, e.reason());
            assertTrue(e.getMessage().contains("feature version " + v) && e.getMessage().contains("versions 1 to 2"),
                    e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }
    }
}
