package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/**
 * The small model on the shared real WM-811K sample (2,107 maps of 1,007 lots), scored only on lots
 * it never saw. Logistic regression is the cheapest of the vote's learners; the full vote's figures
 * are in {@code adc/REAL-DATA.md}.
 */
class RealMapsCrossValidationTest {

    @Test
    void theSmallModelLearnsRealMapsAndCalibratesOnHeldOutLots() throws Exception {
        Path file = List.of(Path.of("../../shared/data/wm811k/wm811k-sample.npz"),
                Path.of("../shared/data/wm811k/wm811k-sample.npz")).stream().filter(Files::isRegularFile)
                .findFirst().orElse(null);
        assumeTrue(file != null, "the shared real sample ../shared/data/wm811k/wm811k-sample.npz is absent");
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(file);
        List<String> labels = new ArrayList<>();
        List<String> lots = new ArrayList<>();
        for (int i = 0; i < d.maps().size(); i++) {
            labels.add(d.labels().get(i).get(0));
            lots.add(d.maps().get(i).lotId());
        }
        LabelledMaps data = LabelledMaps.of(d.maps(), labels);
        FeatureClassifierConfig logistic = FeatureClassifierConfig.defaults()
                .withAlgorithm(FeatureClassifierConfig.Algorithm.LOGISTIC).withSeed(1);
        CrossValidation.Result r = CrossValidation.run(new FeatureModelFamily("logistic", logistic), data, lots,
                new CrossValidation.Config(3, 1));
        // 5-fold CV gives 0.84 (REAL-DATA.md); three folds train on a third fewer maps. Chance is 0.11,
        // always-'none' 0.03.
        assertTrue(r.meanMacroF1() > 0.75, r.summary());
        for (CrossValidation.Fold f : r.folds()) {
            assertTrue(f.rejectRate() < 0.15, "fold " + f.fold() + " rejects " + f.rejectRate() + " of new lots");
        }
        // a model fitted on maps with lot ids calibrates its threshold on held-out lots
        try (FeatureClassifier m = FeatureClassifier.fit(d.maps().subList(0, 600), labels.subList(0, 600), logistic)) {
            assertEquals("lots", m.provenance().get("validation.split").orElseThrow());
        }
        List<WaferMap> noLots = new ArrayList<>();
        for (WaferMap m : d.maps().subList(0, 600)) {
            noLots.add(m.withIds(null, null));
        }
        try (FeatureClassifier m = FeatureClassifier.fit(noLots, labels.subList(0, 600), logistic)) {
            assertEquals("maps", m.provenance().get("validation.split").orElseThrow());
        }
    }
}
