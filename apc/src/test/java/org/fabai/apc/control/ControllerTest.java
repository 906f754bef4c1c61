package org.fabai.apc.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;

import org.fabai.apc.estimator.DoubleEwmaConfig;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.junit.jupiter.api.Test;

class ControllerTest {

    private static Controller ewma(ControllerConfig cfg, double lambda) {
        return new Controller(cfg, new EwmaEstimator(new EwmaConfig(lambda, 2, 0)));
    }

    @Test
    void boundsAreReportedAndTheEstimatorDoesNotWindUp() {
        // plant y = alpha + 2u; target 10; input bounded to [0, 6]
        Controller c = ewma(ControllerConfig.of(10, 0, 6, 2), 0.5);
        double alpha = 0;
        for (int t = 0; t < 5; t++) {
            Recommendation r = c.recommend();
            c.update(r.input(), alpha + 2 * r.input());
        }
        assertEquals(5, c.recommend().input(), 1e-9); // within bounds before the upset
        // upset: alpha drops to -10 so the wish is u = 10, far beyond the bound, for 200 runs
        alpha = -10;
        Recommendation first = c.recommend();
        c.update(first.input(), alpha + 2 * first.input());
        for (int t = 0; t < 200; t++) {
            Recommendation r = c.recommend();
            assertEquals(6, r.input(), 0);
            assertEquals(Set.of(Clip.UPPER_BOUND), r.clips());
            assertTrue(r.rawInput() > 6);
            c.update(r.input(), alpha + 2 * r.input());
        }
        // the intercept estimate is the true offset, not a wound-up integrator
        assertEquals(-10, c.estimator().predictedOffset(), 1e-9);
        // upset over: the first recommendation after one measurement is already on target
        alpha = 0;
        Recommendation r = c.recommend();
        c.update(r.input(), alpha + 2 * r.input());
        int runsToTarget = 0;
        double y;
        do {
            r = c.recommend();
            y = alpha + 2 * r.input();
            c.update(r.input(), y);
            runsToTarget++;
        } while (Math.abs(y - 10) > 0.1 && runsToTarget < 100);
        assertTrue(runsToTarget <= 8, "recovers within a few runs of the EWMA, took " + runsToTarget);
    }

    @Test
    void rateLimitAndLowerBound() {
        Controller c = ewma(ControllerConfig.of(10, -1, 100, 0).withMaxStep(1.5), 1.0);
        c.update(0, -20); // offset -20: wants u = 15
        Recommendation r1 = c.recommend();
        assertEquals(1.5, r1.input(), 1e-12);
        assertEquals(Set.of(Clip.RATE_LIMIT), r1.clips());
        assertEquals(3.0, c.recommend().input(), 1e-12);
        Controller low = ewma(ControllerConfig.of(10, -1, 100, 0), 1.0);
        low.update(0, 40); // wants u = -15
        Recommendation r2 = low.recommend();
        assertEquals(-1, r2.input());
        assertEquals(Set.of(Clip.LOWER_BOUND), r2.clips());
    }

    @Test
    void deadbandHoldsThePreviousInput() {
        Controller c = ewma(ControllerConfig.of(10, -100, 100, 5).withDeadband(0.5), 1.0);
        c.update(5, 10.3); // predicted at u=5 is 10.3: within 0.5
        Recommendation r = c.recommend();
        assertTrue(r.deadbandHeld());
        assertEquals(5, r.input());
        c.update(5, 11); // now 1.0 off
        Recommendation r2 = c.recommend();
        assertFalse(r2.deadbandHeld());
        assertEquals(4.5, r2.input(), 1e-12);
    }

    @Test
    void outliersAreHeldFlaggedAndPersistentShiftsAccepted() {
        Controller c = ewma(ControllerConfig.of(10, -100, 100, 5).withOutlierRejection(4, Double.NaN), 0.3);
        Random rnd = new Random(4);
        for (int t = 0; t < 50; t++) {
            Recommendation r = c.recommend();
            assertEquals(UpdateOutcome.Status.ACCEPTED, c.update(r.input(), 2 * r.input() + rnd.nextGaussian()).status());
        }
        double before = c.estimator().predictedOffset();
        Recommendation r = c.recommend();
        UpdateOutcome o = c.update(r.input(), 2 * r.input() + 50);
        assertEquals(UpdateOutcome.Status.OUTLIER_HELD, o.status());
        assertFalse(o.applied());
        assertTrue(o.sigma() > 0.5 && o.sigma() < 2, "estimated sigma " + o.sigma());
        assertEquals(before, c.estimator().predictedOffset(), 0);
        assertTrue(o.message().contains("held"));
        // a real shift: after outlierPersistence (3) rejections the next one is accepted
        UpdateOutcome.Status last = null;
        for (int t = 0; t < 3; t++) {
            r = c.recommend();
            last = c.update(r.input(), 2 * r.input() + 50).status();
        }
        assertEquals(UpdateOutcome.Status.SHIFT_ACCEPTED, last);
        assertTrue(c.estimator().predictedOffset() > before + 10);
    }

    @Test
    void fallbackToNominalUntilFirstMeasurementThenSeeded() {
        Controller c = Controller.unseeded(ControllerConfig.of(10, -100, 100, 3), new EwmaEstimator(new EwmaConfig(0.3, 2, 0)));
        Recommendation r = c.recommend();
        assertTrue(r.fallback());
        assertEquals(3, r.input());
        c.update(3, 4); // offset = 4 - 6 = -2
        assertTrue(c.valid());
        assertEquals(-2, c.estimator().predictedOffset(), 1e-12);
        assertEquals(6, c.recommend().input(), 1e-12);
        c.invalidate();
        assertTrue(c.recommend().fallback());
    }

    @Test
    void missingMetrologyMakesATimeUpdate() {
        Controller c = new Controller(ControllerConfig.of(0, -100, 100, 0),
                new DoubleEwmaEstimator(new DoubleEwmaConfig(0.5, 0.5, 1, 0, 1)));
        double before = c.estimator().predictedOffset();
        c.missing();
        // the level moves by the drift per run, lambda1 * D = 0.5
        assertEquals(before + 0.5, c.estimator().predictedOffset(), 1e-12);
    }

    @Test
    void stateRoundTrip() {
        Controller c = ewma(ControllerConfig.of(10, -100, 100, 5).withOutlierRejection(3, Double.NaN), 0.3);
        for (int t = 0; t < 20; t++) {
            Recommendation r = c.recommend();
            c.update(r.input(), 2 * r.input() + t % 3);
        }
        Controller d = ewma(ControllerConfig.of(10, -100, 100, 5).withOutlierRejection(3, Double.NaN), 0.3);
        d.restore(c.state());
        double[] w = new double[c.stateLength()];
        c.writeState(w);
        assertArrayEquals(c.state(), w, 0);
        assertThrows(IllegalArgumentException.class, () -> c.writeState(new double[c.stateLength() + 1]));
        assertEquals(c.recommend(), d.recommend());
        assertThrows(IllegalArgumentException.class, () -> d.restore(new double[2]));
    }

    @Test
    void stabilityReportFlagsNearEdgeAndUnstable() {
        StabilityReport rep = StabilityAnalysis.analyze(new EwmaEstimator(new EwmaConfig(0.5, 2, 0)),
                new double[] {1, 3.95, 4.2}, new int[] {0}, 0.05);
        assertTrue(rep.points().get(0).stable());
        assertFalse(rep.points().get(0).nearEdge());
        assertTrue(rep.points().get(1).stable());
        assertTrue(rep.points().get(1).nearEdge());
        assertFalse(rep.points().get(2).stable());
        assertFalse(rep.allStable());
        assertTrue(rep.format().contains("UNSTABLE"));
    }

    @Test
    void configRejectsBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControllerConfig.of(1, 5, 2, 3));
        assertTrue(e.getMessage().contains("lowerBound"));
        assertThrows(IllegalArgumentException.class, () -> ControllerConfig.of(1, 0, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ControllerConfig.of(Double.NaN, 0, 2, 1));
    }
}
