package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.synth.WaferMapGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveTest {

    @TempDir
    Path dir;

    @Test
    void curveRisesWithDataAndNamesAWinner() throws Exception {
        WaferMapGenerator g = new WaferMapGenerator();
        LabelledMaps pool = LabelledMaps.ofSynthetic(g.balanced(30, 1));
        LabelledMaps test = LabelledMaps.ofSynthetic(g.balanced(15, 2));
        FeatureModelFamily rf = new FeatureModelFamily("RF", FeatureClassifierConfig.defaults().withTrees(40));
        FeatureModelFamily svm = FeatureModelFamily.of(FeatureClassifierConfig.Algorithm.SVM);
        LearningCurve.Result r = LearningCurve.run(List.of(rf, svm), pool, test, new LearningCurve.Config(List.of(27, 90, 270), 2, 5));
        assertEquals(2 * 3 * 2, r.points().size());
        assertEquals(List.of("RF", "features+SVM"), r.families());
        assertTrue(r.mean("RF", 270) > r.mean("RF", 27), r.summary());
        assertTrue(r.mean("RF", 270) > 0.85, r.summary());
        assertTrue(r.std("RF", 27) >= 0);
        String w = r.winnerAt(270);
        assertTrue(w.equals("RF") || w.equals("features+SVM"));
        assertTrue(r.summary().contains("winner"));
        // same seeds, same numbers
        LearningCurve.Result again = LearningCurve.run(List.of(rf), pool, test, new LearningCurve.Config(List.of(27), 1, 5));
        assertEquals(r.points().get(0).macroF1(), again.points().get(0).macroF1(), 0.0);
        Path png = dir.resolve("curve.png");
        EvalCharts.writeLearningCurvePng(r, "test", png);
        assertTrue(ImageIO.read(png.toFile()).getWidth() == 900);
    }
}
