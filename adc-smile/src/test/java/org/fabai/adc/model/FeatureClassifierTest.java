package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureClassifierTest {

    static List<SyntheticWafer> train;
    static List<SyntheticWafer> test;
    static double[][] trainX;
    static double[][] testX;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        WaferMapGenerator g = new WaferMapGenerator();
        train = g.balanced(40, 101);
        test = g.balanced(25, 202);
        trainX = FeatureClassifier.extractParallel(WaferMapGenerator.maps(train));
        testX = FeatureClassifier.extractParallel(WaferMapGenerator.maps(test));
    }

    private static ConfusionMatrix evaluate(FeatureClassifier m) {
        List<String> pred = new ArrayList<>();
        for (double[] x : testX) {
            pred.add(m.predictFeatures(x).bestClass());
        }
        return ConfusionMatrix.of(DefectPattern.wm811kLabels(), WaferMapGenerator.labels(test), pred);
    }

    private static FeatureClassifierConfig small(FeatureClassifierConfig.Algorithm a) {
        FeatureClassifierConfig c = FeatureClassifierConfig.defaults().withAlgorithm(a);
        return a == FeatureClassifierConfig.Algorithm.SVM ? c : c.withTrees(a == FeatureClassifierConfig.Algorithm.RANDOM_FOREST ? 60 : 40);
    }

    @Test
    void everyLearnerClassifiesHeldOutMaps() {
        for (FeatureClassifierConfig.Algorithm a : FeatureClassifierConfig.Algorithm.values()) {
            try (FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), small(a))) {
                ConfusionMatrix cm = evaluate(m);
                // 288 training maps only: still far above chance (1/9)
                assertTrue(cm.macroF1() > 0.85, a + " macro-F1 " + cm.macroF1() + "\n" + cm.report("none"));
                double[] p = m.probabilities(testX[0]);
                assertEquals(9, p.length);
                assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-6);
            }
        }
    }

    @Test
    void predictsMapsAndCalibratesTheRejectRule() {
        FeatureClassifierConfig c = small(FeatureClassifierConfig.Algorithm.RANDOM_FOREST).withFalseRejectRate(0.1);
        try (FeatureClassifier m = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train), c)) {
            assertEquals(DefectPattern.wm811kLabels().stream().sorted().toList(), m.classNames());
            assertEquals(0.1, m.threshold().targetRejectRate());
            assertTrue(m.threshold().achievedRejectRate() <= 0.1 + 1e-9);
            assertTrue(m.threshold().threshold() > 0.2, "threshold " + m.threshold());
            assertEquals(72, m.threshold().calibrationSize());
            List<Prediction> ps = m.predictBatch(WaferMapGenerator.maps(test));
            long rejected = ps.stream().filter(Prediction::isUnknown).count();
            assertTrue(rejected > 0 && rejected < 0.35 * ps.size(), "rejected " + rejected);
            Prediction p = m.predict(test.get(0).map());
            assertEquals(ps.get(0), p);
            assertTrue(m.provenance().facts().containsKey("validation.macroF1"));
            assertEquals("26..64", m.provenance().get("data.cols").orElseThrow());
            // a pattern-free map of pure noise at 50%: far from every class it was trained on
            assertTrue(m.provenanceValue("validation.macroF1") > 0.8);
        }
    }

    @Test
    void saveLoadReproducesPredictionsAndRecordsProvenance() throws Exception {
        for (FeatureClassifierConfig.Algorithm a : FeatureClassifierConfig.Algorithm.values()) {
            Path f = dir.resolve(a + ".fabai");
            try (FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), small(a));
                 FeatureClassifier back = loaded(m, f)) {
                for (double[] x : testX) {
                    assertArrayEquals(m.probabilities(x), back.probabilities(x), 1e-12, a.toString());
                }
                assertEquals(m.threshold(), back.threshold());
                assertEquals(m.config(), back.config());
                assertEquals(m.provenance(), back.provenance());
                ModelFile raw = ModelFile.read(f);
                assertEquals("3.1.1", raw.header().get("library.smile"));
                assertEquals(Integer.toString(WaferFeatureExtractor.FEATURE_VERSION), raw.header().get("features.version"));
                assertEquals(a.name(), raw.header().get("config.algorithm"));
            }
        }
    }

    private static FeatureClassifier loaded(FeatureClassifier m, Path f) throws Exception {
        m.save(f);
        return FeatureClassifier.load(f);
    }

    @Test
    void fitIsDeterministicForASeed() {
        FeatureClassifierConfig c = small(FeatureClassifierConfig.Algorithm.RANDOM_FOREST);
        try (FeatureClassifier a = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), c);
             FeatureClassifier b = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), c);
             FeatureClassifier other = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), c.withSeed(99))) {
            boolean differs = false;
            for (double[] x : testX) {
                assertArrayEquals(a.probabilities(x), b.probabilities(x), 0.0);
                differs |= !java.util.Arrays.equals(a.probabilities(x), other.probabilities(x));
            }
            assertTrue(differs, "another seed gives another forest");
        }
    }

    @Test
    void damagedOrForeignFilesGiveTypedErrors() throws Exception {
        Path f = dir.resolve("m.fabai");
        try (FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train),
                small(FeatureClassifierConfig.Algorithm.RANDOM_FOREST))) {
            m.save(f);
        }
        byte[] good = Files.readAllBytes(f);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(f, bad);
        assertEquals(ModelFileException.Reason.CORRUPT, assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f)).reason());
        Files.write(f, java.util.Arrays.copyOf(good, 100));
        assertEquals(ModelFileException.Reason.CORRUPT, assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f)).reason());
        Files.writeString(f, "PK\u0003\u0004 not a model");
        assertEquals(ModelFileException.Reason.NOT_A_MODEL_FILE, assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f)).reason());
        new ModelFile("cnn", 1, java.util.Map.of(), java.util.Map.of()).write(f);
        ModelFileException e = assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f));
        assertEquals(ModelFileException.Reason.WRONG_KIND, e.reason());
        assertTrue(e.getMessage().contains("'cnn'"), e.getMessage());
        // a valid container whose stored probabilities do not match the re-fit model
        ModelFile orig = ModelFile.parse(good, "m");
        java.util.Map<String, byte[]> sec = new java.util.LinkedHashMap<>();
        for (String s : orig.sectionNames()) {
            sec.put(s, orig.section(s));
        }
        byte[] probe = sec.get("probe.p");
        probe[3] ^= 0x40;
        sec.put("probe.p", probe);
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(orig.header());
        h.remove(ModelFile.KEY_KIND);
        h.remove(ModelFile.KEY_VERSION);
        new ModelFile(FeatureClassifier.KIND, 1, h, sec).write(f);
        e = assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f));
        assertEquals(ModelFileException.Reason.INVALID_CONTENT, e.reason());
        assertTrue(e.getMessage().contains("did not reproduce"), e.getMessage());
        h.put("features.version", "99");
        new ModelFile(FeatureClassifier.KIND, 1, h, sec).write(f);
        assertEquals(ModelFileException.Reason.UNSUPPORTED_VERSION, assertThrows(ModelFileException.class, () -> FeatureClassifier.load(f)).reason());
    }

    @Test
    void badInputIsRejected() {
        List<String> labels = WaferMapGenerator.labels(train);
        double[][] x = trainX.clone();
        x[5] = x[5].clone();
        x[5][3] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureClassifier.fitFeatures(x, labels, FeatureClassifierConfig.defaults()));
        assertTrue(e.getMessage().contains("feature row 5 'neighbour_fail_excess' is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureClassifier.fitFeatures(new double[][] {trainX[0], trainX[1]},
                List.of("a", "a"), FeatureClassifierConfig.defaults()));
        e = assertThrows(IllegalArgumentException.class, () -> new FeatureClassifierConfig(FeatureClassifierConfig.Algorithm.SVM,
                100, 10, 100, 1, 1.7, 1, 1, 1, true, 2000, 0.2, 0.02, 1));
        assertEquals("shrinkage must be in (0, 1], got 1.7", e.getMessage());
        FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, labels, small(FeatureClassifierConfig.Algorithm.RANDOM_FOREST));
        assertThrows(IllegalArgumentException.class, () -> m.probabilities(new double[3]));
        m.predict(train.get(0).map());
        m.close();
        WaferMap any = train.get(0).map();
        assertThrows(IllegalStateException.class, () -> m.predict(any));
    }

    @Test
    void similarWafersAreOfTheSameClass() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            ids.add("W" + i);
        }
        SimilarWaferIndex index = SimilarWaferIndex.fromFeatures(trainX, ids, WaferMapGenerator.labels(train));
        int agree = 0;
        int total = 0;
        for (int i = 0; i < test.size(); i++) {
            List<SimilarWaferIndex.Neighbour> nn = index.nearest(testX[i], 5);
            assertEquals(5, nn.size());
            for (int j = 1; j < nn.size(); j++) {
                assertTrue(nn.get(j).distance() >= nn.get(j - 1).distance());
            }
            for (SimilarWaferIndex.Neighbour n : nn) {
                total++;
                if (n.label().equals(test.get(i).label())) {
                    agree++;
                }
            }
        }
        assertTrue(agree > 0.75 * total, "neighbours share the class: " + agree + "/" + total);
        // a map's nearest neighbour in its own index is itself, at distance 0
        SimilarWaferIndex.Neighbour self = index.nearest(train.get(7).map(), 1).get(0);
        assertEquals(7, self.index());
        assertEquals(0.0, self.distance(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> index.nearest(testX[0], 0));
    }

    @Test
    void validationHoldsOutWholeLotsAndKeepsEveryClassInTraining() {
        // 40 lots of 5 maps, classes 0-2 mixed; class 3 lives in lot L07 only
        int n = 200;
        int[] y = new int[n];
        String[] lots = new String[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            lots[i] = String.format(java.util.Locale.ROOT, "L%02d", i / 5);
            y[i] = i / 5 == 7 ? 3 : r.nextInt(3);
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        assertTrue(ValidationSplit.byLots(y, 4, lots, 0.2, 1L, tr, va));
        assertEquals(n, tr.size() + va.size());
        java.util.Set<String> trainLots = new java.util.HashSet<>();
        tr.forEach(i -> trainLots.add(lots[i]));
        for (int i : va) {
            assertTrue(!trainLots.contains(lots[i]), "lot " + lots[i] + " is on both sides");
        }
        assertTrue(va.size() >= 40 && va.size() < 45, "held out " + va.size() + " of 200 (target 20 %)");
        assertTrue(tr.stream().anyMatch(i -> y[i] == 3), "the one-lot class must keep its training maps");
        // fewer than 5 lots: no lot split (the caller splits by map)
        String[] few = new String[n];
        for (int i = 0; i < n; i++) {
            few[i] = "L" + (i % 4);
        }
        assertTrue(!ValidationSplit.byLots(y, 4, few, 0.2, 1L, new ArrayList<>(),
                new ArrayList<>()));
    }

    @Test
    void generatedMapsTrainButOnlyLabelledMapsValidate() {
        // 3 labelled maps per class (27), the test set's generator draw as 225 generated maps
        List<Integer> pick = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<String> trainLabels = WaferMapGenerator.labels(train);
        for (int i = 0; i < trainLabels.size(); i++) {
            if (seen.merge(trainLabels.get(i), 1, Integer::sum) <= 3) {
                pick.add(i);
            }
        }
        double[][] fewX = new double[pick.size()][];
        List<String> fewY = new ArrayList<>();
        List<String> lots = new ArrayList<>();
        for (int i = 0; i < fewX.length; i++) {
            fewX[i] = trainX[pick.get(i)];
            fewY.add(trainLabels.get(pick.get(i)));
            lots.add("");
        }
        WaferMapGenerator g = new WaferMapGenerator();
        List<SyntheticWafer> gen = g.balanced(25, 303);
        double[][] genX = FeatureClassifier.extractParallel(WaferMapGenerator.maps(gen));
        FeatureClassifierConfig c = small(FeatureClassifierConfig.Algorithm.RANDOM_FOREST);
        try (FeatureClassifier alone = FeatureClassifier.fitFeatures(fewX, fewY, lots, c);
             FeatureClassifier both = FeatureClassifier.fitFeaturesWithGenerated(fewX, fewY, lots, genX,
                     WaferMapGenerator.labels(gen), c)) {
            assertEquals(27 + 225, (int) both.provenanceValue("training.size"));
            assertEquals(225, (int) both.provenanceValue("training.generated"));
            // the held-out part comes from the 27 labelled maps alone (one per class at a fifth)
            assertEquals(alone.provenanceValue("validation.size"), both.provenanceValue("validation.size"));
            assertTrue(both.provenanceValue("validation.size") <= 9, "" + both.provenanceValue("validation.size"));
            assertTrue(alone.provenance().get("training.generated").isEmpty());
            double f1Alone = evaluate(alone).macroF1();
            double f1Both = evaluate(both).macroF1();
            assertTrue(f1Both > f1Alone + 0.03, "27 labels: " + f1Alone + ", with 225 generated maps: " + f1Both);
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureClassifier.fitFeaturesWithGenerated(new double[0][],
                List.of(), List.of(), genX, WaferMapGenerator.labels(gen), c));
        assertThrows(IllegalArgumentException.class, () -> FeatureClassifier.fitFeaturesWithGenerated(fewX, fewY, lots,
                genX, List.of("none"), c));
        assertThrows(IllegalArgumentException.class, () -> FeatureClassifier.fitWithGenerated(List.of(), List.of(),
                WaferMapGenerator.maps(gen), WaferMapGenerator.labels(gen), c));
    }
}
