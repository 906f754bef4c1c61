package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnClassifierTest {

    static final CnnConfig FAST = new CnnConfig(32, CnnConfig.Architecture.COMPACT, 1, 3, 32, 3e-3, 1e-4, true, true,
            3, 0.2, 0.05, 0, false, 1, 7);

    static TestMaps.Data train;
    static TestMaps.Data test;
    static CnnClassifier model;

    @BeforeAll
    static void trainOnce() {
        train = TestMaps.balanced(60, 32, 1);
        test = TestMaps.balanced(20, 32, 2);
        model = CnnClassifier.train(train.maps(), train.labels(), FAST);
    }

    static double accuracy(CnnClassifier m, TestMaps.Data d) {
        List<Prediction> ps = m.predictBatch(d.maps());
        int ok = 0;
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).bestClass().equals(d.labels().get(i))) {
                ok++;
            }
        }
        return (double) ok / ps.size();
    }

    @Test
    void learnsTheFixtureClasses() {
        assertEquals(TestMaps.CLASSES, model.classNames());
        double acc = accuracy(model, test);
        assertTrue(acc >= 0.9, "held-out accuracy " + acc);
        assertTrue(model.provenance().facts().containsKey("metric.validation.macroF1"), model.provenance().toString());
        assertEquals("180", model.provenance().get("data.maps").orElseThrow());
        assertEquals(CnnClassifier.PRODUCER, model.provenance().producer());
        assertTrue(model.provenance().get("metric.train.backend").orElse("").contains("oneDNN"),
                "trained on oneDNN: " + model.provenance());
    }

    @Test
    void acceptsMapsOfAnySize() {
        WaferMap big = TestMaps.draw(Set.of("Edge-Ring"), 57, new java.util.Random(3));
        Prediction p = model.predict(big);
        assertEquals(3, p.probabilities().length);
        assertEquals("Edge-Ring", p.bestClass());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        TestMaps.Data small = TestMaps.balanced(10, 32, 5);
        CnnConfig cfg = FAST.withEpochs(1);
        float[] a = CnnClassifier.train(small.maps(), small.labels(), cfg).network().params().toFloatVector();
        float[] b = CnnClassifier.train(small.maps(), small.labels(), cfg).network().params().toFloatVector();
        float[] c = CnnClassifier.train(small.maps(), small.labels(), cfg.withSeed(8)).network().params().toFloatVector();
        assertArrayEquals(a, b, "same seed must give identical weights");
        assertFalse(java.util.Arrays.equals(a, c), "another seed must give other weights");
    }

    @Test
    void earlyStoppingHoldsOutWholeLotsWhenMapsNameThem() {
        TestMaps.Data small = TestMaps.balanced(10, 32, 9);
        CnnConfig cfg = FAST.withEpochs(1);
        List<WaferMap> named = new java.util.ArrayList<>();
        for (int i = 0; i < small.maps().size(); i++) {
            named.add(small.maps().get(i).withIds(String.format(java.util.Locale.ROOT, "LOT%02d", i / 5), "w" + i));
        }
        CnnClassifier byLots = CnnClassifier.train(named, small.labels(), cfg);
        assertEquals("lots", byLots.provenance().get("validation.split").orElseThrow());
        // 30 maps in six lots of 5, 20 % held out: 6 maps round up to whole lots, two of them
        assertEquals("10", byLots.provenance().get("metric.validation.maps").orElseThrow());
        CnnClassifier byMaps = CnnClassifier.train(small.maps(), small.labels(), cfg);
        assertEquals("maps", byMaps.provenance().get("validation.split").orElseThrow());
        assertEquals("6", byMaps.provenance().get("metric.validation.maps").orElseThrow());
    }

    @Test
    void unknownRejectFollowsTheCalibratedThreshold() {
        double t = model.unknownThreshold().threshold();
        assertTrue(t > 0 && t < 1, "threshold " + t);
        List<Prediction> ps = model.predictBatch(test.maps());
        for (Prediction p : ps) {
            assertEquals(p.confidence() < t, p.isUnknown(), p.toString());
        }
    }

    @Test
    void saveLoadRoundTripKeepsOutputsAndProvenance(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cnn.fabai");
        model.save(f);
        CnnClassifier back = CnnClassifier.load(f);
        assertEquals(model.classNames(), back.classNames());
        assertEquals(model.config(), back.config());
        assertEquals(model.unknownThreshold(), back.unknownThreshold());
        assertEquals(0.05, back.unknownThreshold().targetRejectRate());
        assertEquals(model.provenance(), back.provenance());
        float[][] p0 = model.probabilities(test.maps().subList(0, 5));
        float[][] p1 = back.probabilities(test.maps().subList(0, 5));
        for (int i = 0; i < p0.length; i++) {
            assertArrayEquals(p0[i], p1[i], 1e-6f);
        }
        assertArrayEquals(model.toOnnx(), back.toOnnx());
    }

    @Test
    void loadRejectsForeignFiles(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.fabai");
        Files.writeString(junk, "not a model");
        assertEquals(ModelFileException.Reason.NOT_A_MODEL_FILE,
                assertThrows(ModelFileException.class, () -> CnnClassifier.load(junk)).reason());
        Path wrong = dir.resolve("wrong.fabai");
        new ModelFile("feature-classifier", 1, java.util.Map.of(), java.util.Map.of()).write(wrong);
        assertEquals(ModelFileException.Reason.WRONG_KIND,
                assertThrows(ModelFileException.class, () -> CnnClassifier.load(wrong)).reason());
        Path noOnnx = dir.resolve("no-onnx.fabai");
        ModelFile good = ModelFile.read(saved(dir));
        java.util.Map<String, byte[]> secs = new java.util.LinkedHashMap<>();
        secs.put(CnnClassifier.SECTION_DL4J, good.section(CnnClassifier.SECTION_DL4J));
        new ModelFile(CnnClassifier.KIND, 1, good.header(), secs).write(noOnnx);
        ModelFileException e = assertThrows(ModelFileException.class, () -> CnnClassifier.load(noOnnx));
        assertTrue(e.getMessage().contains(CnnClassifier.SECTION_ONNX), e.getMessage());
    }

    static Path saved(Path dir) throws java.io.IOException {
        Path f = dir.resolve("saved.fabai");
        model.save(f);
        return f;
    }

    @Test
    void similarWaferSearchFindsTheSameClass() {
        EmbeddingIndex idx = EmbeddingIndex.build(model, test.maps(), test.labels());
        WaferMap q = TestMaps.draw(Set.of("Scratch"), 32, new java.util.Random(11));
        List<EmbeddingIndex.Neighbor> nn = idx.nearest(q, 5);
        assertEquals(5, nn.size());
        long same = nn.stream().filter(n -> n.id().equals("Scratch")).count();
        assertTrue(same >= 4, "neighbours " + nn);
        assertTrue(nn.get(0).similarity() >= nn.get(4).similarity());
    }

    @Test
    void configValidationNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FAST.withInputSize(20));
        assertEquals("inputSize must be in [26, 96], got 20", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FAST.withLearningRate(1.7));
        assertEquals("learningRate must be in (0, 1], got 1.7", e.getMessage());
        assertEquals(FAST, CnnConfig.parse(FAST.describe()));
        e = assertThrows(IllegalArgumentException.class, () -> FAST.withWidth(5));
        assertEquals("width must be in [1, 4], got 5", e.getMessage());
        CnnConfig wide = FAST.withWidth(2);
        assertEquals(wide, CnnConfig.parse(wide.describe()));
        // model files written before the width existed load as width 1
        assertEquals(FAST, CnnConfig.parse(FAST.describe().replace("width=1;", "")));
        CnnConfig mixed = CnnConfig.mixedTypeDefaults(42);
        assertEquals(CnnConfig.defaults(42).withWidth(2).withEpochs(40).withPatience(40), mixed);
    }

    @Test
    void widthMultipliesTheConvolutionChannels() {
        CnnConfig residual = FAST.withArchitecture(CnnConfig.Architecture.RESIDUAL);
        var narrow = CnnNetworks.build(residual, 9, false, null);
        var wide = CnnNetworks.build(residual.withWidth(2), 9, false, null);
        assertEquals(16, narrow.getLayer("conv1").getParam("W").size(0));
        assertEquals(32, wide.getLayer("conv1").getParam("W").size(0));
        assertEquals(128, wide.getLayer("conv3").getParam("W").size(0));
        assertEquals(64, wide.getLayer(CnnNetworks.EMBEDDING).getParam("W").size(1), "the embedding stays 64 wide");
        narrow.close();
        wide.close();
    }

    @Test
    void trainRejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> CnnClassifier.train(train.maps().subList(0, 3), train.labels().subList(0, 2), FAST));
        assertThrows(IllegalArgumentException.class,
                () -> CnnClassifier.train(train.maps().subList(0, 2), List.of("a", "a"), FAST));
    }

    @Test
    void cnnFamilyFitsForLearningCurves() {
        TestMaps.Data small = TestMaps.balanced(10, 32, 6);
        CnnFamily fam = new CnnFamily(FAST.withEpochs(1));
        assertEquals("cnn-compact", fam.name());
        try (var m = fam.fit(org.fabai.adc.eval.LabelledMaps.of(small.maps(), small.labels()), 3)) {
            assertEquals(TestMaps.CLASSES, m.classNames());
            assertEquals(3, ((CnnClassifier) m).config().seed());
        }
    }

    @Test
    void otherSeedsDiffer() {
        assertNotEquals(FAST, FAST.withSeed(99));
    }
}
