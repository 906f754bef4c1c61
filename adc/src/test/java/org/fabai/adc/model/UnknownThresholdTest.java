package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnknownThresholdTest {

    @Test
    void calibratesToTheStatedFalseRejectRate() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] conf = new double[2000];
        for (int i = 0; i < conf.length; i++) {
            conf[i] = 0.3 + 0.7 * Math.sqrt(rng.nextDouble());
        }
        UnknownThreshold t = UnknownThreshold.calibrate(conf, 0.05);
        assertEquals(0.05, t.achievedRejectRate(), 0.002);
        // on fresh maps from the same distribution the reject rate stays near 5%
        int rej = 0;
        for (int i = 0; i < 20000; i++) {
            if (t.rejects(0.3 + 0.7 * Math.sqrt(rng.nextDouble()))) {
                rej++;
            }
        }
        assertEquals(0.05, rej / 20000.0, 0.01);
        assertEquals(0, UnknownThreshold.calibrate(conf, 0).threshold());
    }

    @Test
    void appliesTheRule() {
        UnknownThreshold t = new UnknownThreshold(0.6, 0.05, 0.05, 100);
        Prediction p = t.apply(new double[] {0.5, 0.3, 0.2}, List.of("a", "b", "c"));
        assertTrue(p.isUnknown());
        assertEquals("a", p.bestClass());
        assertEquals("b", t.apply(new double[] {0.1, 0.8, 0.1}, List.of("a", "b", "c")).label());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> UnknownThreshold.calibrate(new double[0], 0.05));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnknownThreshold.calibrate(new double[] {0.5, Double.NaN}, 0.05));
        assertTrue(e.getMessage().contains("confidence 1 must be in [0, 1], got NaN"));
        assertThrows(IllegalArgumentException.class, () -> UnknownThreshold.calibrate(new double[] {0.5}, 1.0));
    }
}
