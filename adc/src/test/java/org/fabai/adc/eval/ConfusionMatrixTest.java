package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTest {

    @TempDir
    Path dir;

    @Test
    void metricsByHand() throws Exception {
        List<String> cls = List.of("A", "B", "none");
        List<String> truth = List.of("A", "A", "A", "A", "B", "B", "none", "none", "none", "none");
        List<String> pred = List.of("A", "A", "B", "unknown", "B", "A", "none", "none", "none", "B");
        ConfusionMatrix cm = ConfusionMatrix.of(cls, truth, pred);
        // A: TP 2, FP 1 (a B), support 4 -> P 2/3, R 1/2, F1 4/7
        assertEquals(2.0 / 3, cm.precision("A"), 1e-12);
        assertEquals(0.5, cm.recall("A"), 1e-12);
        assertEquals(4.0 / 7, cm.f1("A"), 1e-12);
        // B: TP 1, FP 2, support 2 -> P 1/3, R 1/2, F1 0.4
        assertEquals(0.4, cm.f1("B"), 1e-12);
        // none: TP 3, FP 0, support 4 -> P 1, R 3/4, F1 6/7
        assertEquals(6.0 / 7, cm.f1("none"), 1e-12);
        assertEquals((4.0 / 7 + 0.4 + 6.0 / 7) / 3, cm.macroF1(), 1e-12);
        assertEquals((4.0 / 7 + 0.4) / 2, cm.macroF1Excluding(List.of("none")), 1e-12);
        assertEquals((0.5 + 0.5 + 0.75) / 3, cm.balancedAccuracy(), 1e-12);
        assertEquals(0.6, cm.accuracy(), 1e-12);
        assertEquals(0.1, cm.rejectRate(), 1e-12);
        assertEquals(1, cm.rejected("A"));
        assertTrue(cm.report("none").contains("macro-F1 without 'none'"));
        Path png = dir.resolve("cm.png");
        EvalCharts.writeConfusionPng(cm, "test", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 300 && img.getHeight() > 200);
    }

    @Test
    void unknownLabelsAreErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(List.of("A"), List.of("A", "Z"), List.of("A", "A")));
        assertTrue(e.getMessage().contains("true label 1 'Z'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("A"), List.of("A"), List.of()));
    }

    @Test
    void stratifiedSubsetsKeepClassSharesAndMinimumTwo() {
        String[] l = new String[1000];
        for (int i = 0; i < l.length; i++) {
            l[i] = i < 900 ? "none" : i < 990 ? "A" : "B";
        }
        int[] idx = LearningCurve.stratified(Arrays.asList(l), 50, 3);
        assertEquals(50, idx.length);
        Map<String, Integer> c = new HashMap<>();
        for (int i : idx) {
            c.merge(l[i], 1, Integer::sum);
        }
        assertEquals(2, c.get("B"));
        assertTrue(c.get("none") >= 43 && c.get("A") >= 4, c.toString());
        assertEquals(50, Arrays.stream(idx).distinct().count());
        assertEquals(Arrays.toString(idx), Arrays.toString(LearningCurve.stratified(Arrays.asList(l), 50, 3)));
    }

    @Test
    void configValidates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LearningCurve.Config(List.of(100, 50), 2, 1));
        assertTrue(e.getMessage().contains("ascending"));
        assertThrows(IllegalArgumentException.class, () -> new LearningCurve.Config(List.of(100), 0, 1));
    }
}
