package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fabai.adc.model.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiLabelTest {

    @Test
    void learnsMixedMapsAndRoundTrips(@TempDir Path dir) throws Exception {
        TestMaps.Multi train = TestMaps.mixed(240, 32, 21);
        TestMaps.Multi test = TestMaps.mixed(60, 32, 22);
        CnnConfig cfg = CnnClassifierTest.FAST.withEpochs(4).withPatience(4);
        try (CnnClassifier m = CnnClassifier.trainMultiLabel(train.maps(), train.labels(), TestMaps.CLASSES, cfg)) {
            assertTrue(m.multiLabel());
            assertEquals(3, m.labelThresholds().length);
            int exact = 0;
            int labelHits = 0;
            for (int i = 0; i < test.maps().size(); i++) {
                Set<String> got = m.predictLabels(test.maps().get(i));
                if (got.equals(test.labels().get(i))) {
                    exact++;
                }
                for (String l : TestMaps.CLASSES) {
                    if (got.contains(l) == test.labels().get(i).contains(l)) {
                        labelHits++;
                    }
                }
                Prediction p = m.predict(test.maps().get(i));
                assertEquals(got.isEmpty() ? CnnClassifier.NONE : String.join("+", got), p.label());
            }
            // tiny data and 4 epochs: far above chance (exact match 1/8, label accuracy 1/2), not converged;
            // the converged figures come from CnnMustShowRun
            double acc = exact / (double) test.maps().size();
            double labelAcc = labelHits / (3.0 * test.maps().size());
            assertTrue(acc >= 0.35, "exact-match " + acc);
            assertTrue(labelAcc >= 0.75, "per-label accuracy " + labelAcc);
            assertTrue(m.provenance().facts().containsKey("metric.validation.exactMatch"));

            Path f = dir.resolve("multi.fabai");
            m.save(f);
            try (CnnClassifier back = CnnClassifier.load(f);
                 CnnClassifier ort = back.withEngine(EngineKind.ONNX)) {
                assertTrue(back.multiLabel());
                assertArrayEquals(m.labelThresholds(), back.labelThresholds());
                List<Prediction> a = m.predictBatch(test.maps());
                List<Prediction> b = ort.predictBatch(test.maps());
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(a.get(i).label(), b.get(i).label());
                }
            }
        }
    }

    @Test
    void labelsMustBeKnown() {
        TestMaps.Multi d = TestMaps.mixed(10, 32, 1);
        List<Set<String>> bad = new java.util.ArrayList<>(d.labels());
        bad.set(3, Set.of("Donut"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnnClassifier.trainMultiLabel(d.maps(), bad, TestMaps.CLASSES, CnnClassifierTest.FAST));
        assertTrue(e.getMessage().contains("Donut"), e.getMessage());
    }
}
