package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.ensemble.EnsembleClassifier;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning from a pretrained network, test-time augmentation, label smoothing and the ensemble. */
class TransferAndEnsembleTest {

    @TempDir
    Path tmp;

    @Test
    void fineTuningStartsFromThePretrainedWeights() {
        TestMaps.Data pre = TestMaps.balanced(40, 32, 11);
        CnnClassifier base = CnnClassifier.train(pre.maps(), pre.labels(), CnnClassifierTest.FAST);
        TestMaps.Data few = TestMaps.balanced(6, 32, 12);
        // one epoch at a tiny learning rate: the weights stay next to the pretrained ones
        CnnConfig gentle = CnnClassifierTest.FAST.withEpochs(1).withLearningRate(1e-6);
        CnnClassifier tuned = CnnClassifier.fineTune(base, few.maps(), few.labels(), gentle);
        CnnClassifier scratch = CnnClassifier.train(few.maps(), few.labels(), gentle);
        float[] b = base.network().params().toFloatVector();
        float[] t = tuned.network().params().toFloatVector();
        float[] s = scratch.network().params().toFloatVector();
        assertTrue(distance(b, t) < 0.01 * distance(b, s), "fine-tuned weights moved " + distance(b, t)
                + " from the pretrained ones; a fresh network sits " + distance(b, s) + " away");
        TestMaps.Data test = TestMaps.balanced(15, 32, 13);
        assertTrue(CnnClassifierTest.accuracy(tuned, test) >= 0.85, "kept what pretraining learnt");
        assertTrue(tuned.provenance().facts().containsKey("pretrained.from"), tuned.provenance().toString());
        CnnConfig other = CnnClassifierTest.FAST.withInputSize(40);
        assertThrows(IllegalArgumentException.class, () -> CnnClassifier.fineTune(base, few.maps(), few.labels(), other));
    }

    @Test
    void testTimeAugmentationIsInvariantToRotationsAndFlips() {
        TestMaps.Data d = TestMaps.balanced(20, 32, 21);
        CnnClassifier m = CnnClassifier.train(d.maps(), d.labels(),
                CnnClassifierTest.FAST.withTestTimeAugment(true).withLabelSmoothing(0.1));
        WaferMap map = d.maps().get(5);
        float[] p = m.probabilities(List.of(map))[0];
        float[] r = m.probabilities(List.of(map.rotate(90).flipHorizontal()))[0];
        assertArrayEquals(p, r, 1e-5f, "the mean over the eight symmetries is the same for every symmetric view");
        assertTrue(m.config().describe().contains("labelSmoothing=0.1"));
        assertEquals(m.config(), CnnConfig.parse(m.config().describe()));
    }

    @Test
    void labelSmoothingKeepsTheNetworkLessSure() {
        TestMaps.Data d = TestMaps.balanced(30, 32, 31);
        CnnConfig cfg = CnnClassifierTest.FAST.withEpochs(6);
        double hard = meanTop(CnnClassifier.train(d.maps(), d.labels(), cfg), d);
        double smooth = meanTop(CnnClassifier.train(d.maps(), d.labels(), cfg.withLabelSmoothing(0.3)), d);
        assertTrue(smooth < hard, "mean top probability with smoothing " + smooth + ", without " + hard);
    }

    @Test
    void ensembleAveragesItsMembersAndRoundTrips() throws Exception {
        TestMaps.Data d = TestMaps.balanced(30, 32, 41);
        CnnClassifier cnn = CnnClassifier.train(d.maps(), d.labels(), CnnClassifierTest.FAST);
        FeatureClassifier small = FeatureClassifier.fit(d.maps(), d.labels(),
                FeatureClassifierConfig.defaults().withSeed(3));
        EnsembleClassifier e = new EnsembleClassifier(List.of(cnn, small), new double[] {1, 3},
                new double[] {cnn.unknownThreshold().threshold(), small.threshold().threshold()});
        TestMaps.Data test = TestMaps.balanced(5, 32, 42);
        List<Prediction> pe = e.predictBatch(test.maps());
        List<Prediction> pc = cnn.predictBatch(test.maps());
        List<Prediction> ps = small.predictBatch(test.maps());
        for (int i = 0; i < pe.size(); i++) {
            for (String c : e.classNames()) {
                double want = (pc.get(i).probability(c) + 3 * ps.get(i).probability(c)) / 4;
                assertEquals(want, pe.get(i).probability(c), 1e-6, "map " + i + " class " + c);
            }
        }
        Path f = tmp.resolve("ens.fabai");
        e.save(f);
        try (WaferMapClassifier back = WaferMapClassifier.load(f)) {
            assertTrue(back instanceof EnsembleClassifier);
            List<Prediction> pb = back.predictBatch(test.maps());
            for (int i = 0; i < pe.size(); i++) {
                assertArrayEquals(pe.get(i).probabilities(), pb.get(i).probabilities(), 1e-5);
                assertEquals(pe.get(i).label(), pb.get(i).label());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new EnsembleClassifier(List.of(cnn), new double[] {0},
                new double[] {0}));
        assertFalse(e.toString().isEmpty());
    }

    private static double meanTop(CnnClassifier m, TestMaps.Data d) {
        double s = 0;
        for (float[] p : m.probabilities(d.maps())) {
            float top = 0;
            for (float v : p) {
                top = Math.max(top, v);
            }
            s += top;
        }
        return s / d.maps().size();
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
