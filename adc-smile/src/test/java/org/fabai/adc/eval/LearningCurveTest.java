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

    @Test
    void overtakeSizeAndWinnerFromHandMadePoints() {
        LearningCurve.Config cfg = new LearningCurve.Config(List.of(50, 500, 5000), 2, 1);
        List<LearningCurve.Point> pts = new java.util.ArrayList<>();
        double[][] small = {{0.80, 0.82}, {0.90, 0.90}, {0.92, 0.92}};
        double[][] big = {{0.60, 0.62}, {0.85, 0.95}, {0.97, 0.99}};
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 2; r++) {
                pts.add(new LearningCurve.Point("small", cfg.sizes().get(i), r, r, small[i][r], 0));
                pts.add(new LearningCurve.Point("big", cfg.sizes().get(i), r, r, big[i][r], 0));
            }
        }
        LearningCurve.Result r = new LearningCurve.Result(pts, cfg);
        assertEquals("small", r.winnerAt(50));
        assertEquals("small", r.winnerAt(500), "0.90 > 0.90 is false: the first family keeps it");
        assertEquals("big", r.winnerAt(5000));
        assertEquals(5000, r.overtakeSize("big", "small").getAsInt());
        assertTrue(r.overtakeSize("small", "big").isEmpty());
        assertEquals(0.81, r.mean("small", 50), 1e-12);
        assertEquals(Math.sqrt(0.005), r.std("big", 500), 1e-12);
        assertTrue(r.summary().contains("big overtakes small from n=5000"), r.summary());
    }

    @Test
    void featureCacheExtractsEachPoolMapOnce() {
        LabelledMaps pool = LabelledMaps.ofSynthetic(new WaferMapGenerator().balanced(3, 9));
        int[] calls = {0};
        java.util.function.Function<List<org.fabai.core.wafer.WaferMap>, double[][]> f = maps -> {
            calls[0] += maps.size();
            double[][] out = new double[maps.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new double[] {maps.get(i).failRatio()};
            }
            return out;
        };
        LabelledMaps a = pool.subset(new int[] {0, 1, 2, 3});
        LabelledMaps b = pool.subset(new int[] {2, 3, 4, 5});
        a.features(f);
        double[][] fb = b.features(f);
        assertEquals(6, calls[0], "maps 2 and 3 come from the cache");
        assertEquals(pool.maps().get(4).failRatio(), fb[2][0], 0.0);
        pool.features(f);
        assertEquals(27, calls[0]);
    }
}
