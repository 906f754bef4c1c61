package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small model's file carries its fitted parameters ({@link LearnerParams}): loading reads them
 * instead of re-fitting, predicts exactly as the saved model, and falls back to the re-fit when
 * the parameters are missing, damaged or do not reproduce the stored probe rows.
 */
class StoredParametersTest {

    static List<SyntheticWafer> train;
    static double[][] trainX;
    static double[][] testX;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        WaferMapGenerator g = new WaferMapGenerator();
        train = g.balanced(24, 301);
        trainX = FeatureClassifier.extractParallel(WaferMapGenerator.maps(train));
        testX = FeatureClassifier.extractParallel(WaferMapGenerator.maps(g.balanced(6, 302)));
    }

    private static FeatureClassifierConfig config(FeatureClassifierConfig.Algorithm a) {
        FeatureClassifierConfig c = FeatureClassifierConfig.realDataDefaults(5);
        return a == FeatureClassifierConfig.Algorithm.VOTING ? c : c.voter(a);
    }

    private static void assertSamePredictions(FeatureClassifier a, FeatureClassifier b, String what) {
        for (double[] x : testX) {
            assertArrayEquals(a.probabilities(x), b.probabilities(x), 1e-12, what);
        }
    }

    @Test
    void everyLearnerLoadsFromItsParametersWithoutRefitting() throws Exception {
        for (FeatureClassifierConfig.Algorithm a : FeatureClassifierConfig.Algorithm.values()) {
            Path f = dir.resolve(a + ".fabai");
            try (FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train), config(a))) {
                m.save(f);
                ModelFile raw = ModelFile.read(f);
                assertTrue(raw.sectionNames().contains(FeatureClassifierFile.PARAMS), a + ": no stored parameters");
                FeatureClassifierFile.Loaded back = FeatureClassifierFile.loadTracked(raw, f.toString());
                try (FeatureClassifier loaded = back.classifier()) {
                    assertFalse(back.refitted(), a + " was re-fitted");
                    assertSamePredictions(m, loaded, a.toString());
                    // a model read from its parameters saves them again: the next load needs no re-fit either
                    Path again = dir.resolve(a + "-again.fabai");
                    loaded.save(again);
                    FeatureClassifierFile.Loaded twice = FeatureClassifierFile.loadTracked(ModelFile.read(again), again.toString());
                    try (FeatureClassifier t = twice.classifier()) {
                        assertFalse(twice.refitted(), a + " re-saved was re-fitted");
                        assertSamePredictions(m, t, a + " re-saved");
                    }
                }
            }
        }
    }

    @Test
    void twoClassBoostingAndLogisticHaveNoParametersAndAreRefitted() throws Exception {
        List<double[]> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        List<String> labels = WaferMapGenerator.labels(train);
        for (int i = 0; i < trainX.length; i++) {
            if (labels.get(i).equals("Center") || labels.get(i).equals("Edge-Ring")) {
                x.add(trainX[i]);
                y.add(labels.get(i));
            }
        }
        for (FeatureClassifierConfig.Algorithm a : List.of(FeatureClassifierConfig.Algorithm.GRADIENT_BOOSTING,
                FeatureClassifierConfig.Algorithm.LOGISTIC)) {
            Path f = dir.resolve("binary-" + a + ".fabai");
            try (FeatureClassifier m = FeatureClassifier.fitFeatures(x.toArray(new double[0][]), y, config(a))) {
                m.save(f);
                ModelFile raw = ModelFile.read(f);
                assertFalse(raw.sectionNames().contains(FeatureClassifierFile.PARAMS), a + ": binary model has parameters");
                FeatureClassifierFile.Loaded back = FeatureClassifierFile.loadTracked(raw, f.toString());
                try (FeatureClassifier loaded = back.classifier()) {
                    assertTrue(back.refitted());
                    assertSamePredictions(m, loaded, "binary " + a);
                }
            }
        }
    }

    @Test
    void damagedParametersFallBackToTheRefit() throws Exception {
        Path f = dir.resolve("vote.fabai");
        try (FeatureClassifier m = FeatureClassifier.fitFeatures(trainX, WaferMapGenerator.labels(train),
                config(FeatureClassifierConfig.Algorithm.VOTING))) {
            m.save(f);
            ModelFile orig = ModelFile.read(f);
            byte[] params = orig.section(FeatureClassifierFile.PARAMS);
            // 1. the last intercept with an exponent bit flipped: the parameters no longer reproduce the probe rows
            byte[] changed = params.clone();
            changed[changed.length - 8] ^= 0x40;
            // 2. cut short; 3. an unknown learner tag
            byte[] cut = java.util.Arrays.copyOf(params, params.length / 2);
            byte[] tag = params.clone();
            tag[0] = 42;
            for (byte[] bad : List.of(changed, cut, tag)) {
                Path g = dir.resolve("bad.fabai");
                rewrite(orig, FeatureClassifierFile.PARAMS, bad, g);
                FeatureClassifierFile.Loaded back = FeatureClassifierFile.loadTracked(ModelFile.read(g), g.toString());
                try (FeatureClassifier loaded = back.classifier()) {
                    assertTrue(back.refitted(), "damaged parameters must not be used");
                    assertSamePredictions(m, loaded, "after the re-fit");
                }
            }
        }
    }

    @Test
    void malformedParametersAreRejectedByTheDecoder() {
        assertThrows(IllegalArgumentException.class, () -> LearnerParams.decode(new byte[] {LearnerParams.FOREST, 0, 0, 0, 9,
            0x7f, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> LearnerParams.decode(new byte[] {LearnerParams.LOGISTIC, 0, 0, 0, 2,
            0, 0, 0, 3, 0}));
        assertThrows(IllegalArgumentException.class, () -> LearnerParams.decode(new byte[] {7}));
    }

    private static void rewrite(ModelFile orig, String section, byte[] content, Path to) throws Exception {
        Map<String, byte[]> sec = new LinkedHashMap<>();
        for (String s : orig.sectionNames()) {
            sec.put(s, s.equals(section) ? content : orig.section(s));
        }
        Map<String, String> h = new LinkedHashMap<>(orig.header());
        h.remove(ModelFile.KEY_KIND);
        h.remove(ModelFile.KEY_VERSION);
        new ModelFile(FeatureClassifier.KIND, FeatureClassifier.FORMAT_VERSION, h, sec).write(to);
    }
}
