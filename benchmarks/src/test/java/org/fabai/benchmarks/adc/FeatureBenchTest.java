package org.fabai.benchmarks.adc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.adc.model.Prediction;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/** The adc benchmarks compute what they claim. */
class FeatureBenchTest {

    @Test
    void blobAndScratchMapHasTheShapesThePeerDraws() {
        WaferMap m = FeatureBench.blobAndScratch(64);
        assertEquals(m, FeatureBench.blobAndScratch(64));
        assertEquals(64, m.rows());
        assertEquals(DieState.OFF, m.state(0, 0));
        assertEquals(DieState.FAIL, m.state(20, 40), "blob centre");
        assertEquals(DieState.FAIL, m.state(25, 40), "blob edge, radius 5");
        assertEquals(DieState.FAIL, m.state(45, 10), "scratch start");
        assertEquals(DieState.FAIL, m.state(30, 50), "scratch end");
        // 5 % random + blob (113 dies) + scratch (about 41 dies) among about 3,200 dies
        assertTrue(m.failRatio() > 0.08 && m.failRatio() < 0.12, "fail ratio " + m.failRatio());
    }

    @Test
    void benchmarksExtractAndPredict() {
        FeatureBench b = new FeatureBench();
        b.setUp();
        try {
            double[] x = b.extract64();
            assertEquals(WaferFeatureExtractor.dimension(), x.length);
            for (double v : x) {
                assertTrue(Double.isFinite(v));
            }
            double[][] all = b.extractParallel256();
            assertEquals(FeatureBench.BATCH, all.length);
            assertArrayEquals(b.extractor.extract(b.batch.get(17)), all[17], 1e-12,
                    "parallel extraction gives the single-map vector");
            double[][] serial = b.extractAll256();
            for (int i = 0; i < FeatureBench.BATCH; i++) {
                assertArrayEquals(all[i], serial[i], 1e-12, "map " + i);
            }
            Prediction p = b.predict64();
            assertEquals(b.classifier.classNames().size(), p.probabilities().length);
            assertTrue(b.classifier.classNames().contains(p.bestClass()), p.toString());
        } finally {
            b.tearDown();
        }
    }
}
