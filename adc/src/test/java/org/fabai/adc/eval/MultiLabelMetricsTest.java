package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.junit.jupiter.api.Test;

class MultiLabelMetricsTest {

    @Test
    void scoresByHand() {
        List<String> l = List.of("A", "B");
        int[][] t = {{1, 0}, {1, 1}, {0, 1}, {0, 0}};
        int[][] p = {{1, 0}, {1, 0}, {1, 1}, {0, 0}};
        MultiLabelMetrics m = MultiLabelMetrics.of(l, t, p);
        // A: TP 2, FP 1, FN 0 -> P 2/3, R 1, F1 0.8; B: TP 1, FP 0, FN 1 -> P 1, R 0.5, F1 2/3
        assertEquals(0.8, m.f1("A"), 1e-12);
        assertEquals(2.0 / 3, m.f1("B"), 1e-12);
        assertEquals((0.8 + 2.0 / 3) / 2, m.macroF1(), 1e-12);
        assertEquals(0.5, m.exactMatchRatio(), 1e-12);
        assertEquals(2.0 / 8, m.hammingLoss(), 1e-12);
        assertTrue(m.report().contains("exact match 0.5000"));
        assertEquals(m.f1("A"), MultiLabelMetrics.ofProbabilities(l, t,
                new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.7, 0.8}, {0.2, 0.3}}, 0.5).f1("A"), 1e-12);
    }

    @Test
    void perfectOnGeneratorTruth() {
        List<SyntheticWafer> ws = new WaferMapGenerator().mixedWm38(1, 4);
        int[][] t = new int[ws.size()][];
        for (int i = 0; i < t.length; i++) {
            t[i] = ws.get(i).multiHot();
        }
        List<String> names = DefectPattern.mixedWm38Types().stream().map(DefectPattern::label).toList();
        MultiLabelMetrics m = MultiLabelMetrics.of(names, t, t);
        assertEquals(1.0, m.macroF1(), 0.0);
        assertEquals(1.0, m.exactMatchRatio(), 0.0);
    }

    @Test
    void badShapesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> MultiLabelMetrics.of(List.of("A"), new int[][] {{2}}, new int[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> MultiLabelMetrics.of(List.of("A"), new int[][] {{1, 0}}, new int[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> MultiLabelMetrics.ofProbabilities(List.of("A"), new int[][] {{1}},
                new double[][] {{Double.NaN}}, 0.5));
    }
}
