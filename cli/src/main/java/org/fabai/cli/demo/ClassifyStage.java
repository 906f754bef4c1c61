package org.fabai.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.LearningCurve;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.core.wafer.WaferMap;

/**
 * Stage 2: defect classification. The small model (features + random forest) trained on three of
 * every four maps and evaluated on the fourth; a CNN (DL4J, served by ONNX Runtime) on the same
 * split; a learning curve of the families. Stateless.
 */
final class ClassifyStage {

    /**
     * What stage 2 produced.
     *
     * @param small      the small model (kept open: the join stage classifies the fab's maps with it)
     * @param config     its configuration
     * @param trainSize  training maps
     * @param testMaps   held-out maps
     * @param testLabels their true classes
     * @param preds      the small model's predictions on them
     * @param cm         its confusion matrix
     * @param cnnCm      the CNN's confusion matrix, null when the CNN was skipped
     * @param cnnFiles   the CNN's model and ONNX files (empty when skipped)
     * @param curve      the learning curve
     * @param largest    the largest training size of the curve
     */
    record Result(FeatureClassifier small, FeatureClassifierConfig config, int trainSize, List<WaferMap> testMaps,
                  List<String> testLabels, List<Prediction> preds, ConfusionMatrix cm, ConfusionMatrix cnnCm,
                  List<Path> cnnFiles, LearningCurve.Result curve, int largest) {

        /** @return the learning curve's winner at the largest size */
        String winner() {
            return curve.winnerAt(largest);
        }
    }

    private ClassifyStage() {
    }

    static Result run(DemoConfig cfg, List<SyntheticWafer> wafers, List<String> classes, Path files, Progress progress)
            throws IOException {
        List<WaferMap> trainMaps = new ArrayList<>();
        List<String> trainLabels = new ArrayList<>();
        List<WaferMap> testMaps = new ArrayList<>();
        List<String> testLabels = new ArrayList<>();
        for (int i = 0; i < wafers.size(); i++) {
            boolean test = i % 4 == 3;
            (test ? testMaps : trainMaps).add(wafers.get(i).map());
            (test ? testLabels : trainLabels).add(wafers.get(i).label());
        }
        FeatureClassifierConfig fcc = FeatureClassifierConfig.defaults().withSeed(cfg.seed());
        FeatureClassifier small = FeatureClassifier.fit(trainMaps, trainLabels, fcc);
        progress.step("trained %s on %d maps (%d features)", fcc.algorithm(), trainMaps.size(), small.featureNames().size());
        List<Prediction> preds = small.predictBatch(testMaps);
        ConfusionMatrix cm = ConfusionMatrix.ofPredictions(classes, testLabels, preds);
        progress.step("classified %d held-out maps", testMaps.size());
        ConfusionMatrix cnnCm = null;
        List<Path> cnnFiles = new ArrayList<>();
        CnnConfig cnnCfg = CnnConfig.defaults(cfg.seed()).withEpochs(Math.max(1, cfg.cnnEpochs()))
                .withInputSize(cfg.cnnInputSize());
        if (cfg.cnnEpochs() > 0) {
            long t0 = System.nanoTime();
            try (CnnClassifier cnn = CnnClassifier.train(trainMaps, trainLabels, cnnCfg);
                 CnnClassifier served = cnn.withEngine(EngineKind.ONNX)) {
                double secs = (System.nanoTime() - t0) / 1e9;
                progress.step("trained CNN (%d epochs, %dx%d) in %.1fs; serving with %s", cfg.cnnEpochs(),
                        cfg.cnnInputSize(), cfg.cnnInputSize(), secs, served.engineName());
                cnnCm = ConfusionMatrix.ofPredictions(classes, testLabels, served.predictBatch(testMaps));
                cnnFiles.add(files.resolve("cnn.fabai"));
                cnnFiles.add(files.resolve("cnn.onnx"));
                cnn.save(cnnFiles.get(0));
                cnn.exportOnnx(cnnFiles.get(1));
            }
        }
        LabelledMaps pool = LabelledMaps.of(trainMaps, trainLabels);
        LabelledMaps test = LabelledMaps.of(testMaps, testLabels);
        List<ModelFamily> families = new ArrayList<>();
        families.add(new FeatureModelFamily("random forest", fcc.withTrees(100)));
        families.add(new FeatureModelFamily("SVM", fcc.withAlgorithm(FeatureClassifierConfig.Algorithm.SVM)));
        if (cfg.cnnEpochs() > 0) {
            families.add(new CnnFamily(cnnCfg));
        }
        List<Integer> sizes = new ArrayList<>();
        for (int s : cfg.curveSizes()) {
            if (s <= trainMaps.size()) {
                sizes.add(s);
            }
        }
        LearningCurve.Result curve = LearningCurve.run(families, pool, test,
                new LearningCurve.Config(sizes, cfg.curveRepeats(), cfg.seed()));
        progress.step("learning curve: %d families x %d sizes x %d repeats", families.size(), sizes.size(), cfg.curveRepeats());
        return new Result(small, fcc, trainMaps.size(), testMaps, testLabels, preds, cm, cnnCm, cnnFiles, curve,
                sizes.get(sizes.size() - 1));
    }
}
