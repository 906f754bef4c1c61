package org.fabai.apc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.estimator.DoubleEwmaConfig;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
import org.fabai.apc.estimator.HoltConfig;
import org.fabai.apc.estimator.HoltEstimator;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.estimator.KalmanConfig;
import org.fabai.apc.estimator.KalmanEstimator;
import org.fabai.apc.estimator.RlsConfig;
import org.fabai.apc.estimator.RlsEstimator;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ComparisonTest {

    private static final Logger LOG = LoggerFactory.getLogger(ComparisonTest.class);
    static final double T = 100;
    static final double B = 2;
    static final long[] SEEDS = {1, 2, 3, 4, 5};

    static Map<String, Supplier<Controller>> controllers() {
        ControllerConfig cfg = ControllerConfig.of(T, -1e6, 1e6, 40);
        Map<String, Supplier<Controller>> m = new LinkedHashMap<>();
        m.put("EWMA(0.3)", () -> new Controller(cfg, new EwmaEstimator(new EwmaConfig(0.3, B, 20))));
        m.put("dEWMA(0.3,0.05)", () -> new Controller(cfg, new DoubleEwmaEstimator(new DoubleEwmaConfig(0.3, 0.05, B, 20, 0))));
        m.put("Holt(0.3,0.05)", () -> new Controller(cfg, new HoltEstimator(new HoltConfig(0.3, 0.05, B, 20, 0))));
        m.put("Kalman(level)", () -> new Controller(cfg, new KalmanEstimator(new KalmanConfig(0.1, 0, 1, B, 20, 1))));
        m.put("Kalman(drift)", () -> new Controller(cfg, new KalmanEstimator(new KalmanConfig(0.05, 1e-4, 1, B, 20, 1))));
        m.put("RLS(0.98)", () -> new Controller(cfg, new RlsEstimator(RlsConfig.withDefaults(0.98, B, 20))));
        return m;
    }

    static SimulationConfig driftAndPm() {
        // plant: alpha = 20, true gain 2.2 (xi = 1.1), white noise 1, drift 0.02/run, PM shift +-3 every 250 runs
        PlantConfig p = new PlantConfig(20, 2.2, 1.0, 0, 0, 0.02, 250, 3.0, 0, 1);
        return new SimulationConfig(p, 2000, 50, T - 4, T + 4, 0.75);
    }

    @Test
    void driftPlusPmShiftTable() {
        ComparisonTable t = Simulator.compare(controllers(), driftAndPm(), SEEDS);
        LOG.info("drift 0.02/run + PM shift 3 every 250 runs, xi 1.1, seeds 1-5, 2000 runs:\n{}", t.format());
        ComparisonTable again = Simulator.compare(controllers(), driftAndPm(), SEEDS);
        assertEquals(t.format(), again.format(), "same seeds must give the same table");
        for (ComparisonTable.Row r : t.rows()) {
            assertEquals(0, r.diverged(), r.controller());
        }
        double ewmaOffset = t.row("EWMA(0.3)").meanOffset();
        // EWMA lags the drift by about delta/(lambda xi) = 0.02/0.33 = 0.061
        assertEquals(0.02 / (0.3 * 1.1), ewmaOffset, 0.03);
        assertTrue(Math.abs(t.row("dEWMA(0.3,0.05)").meanOffset()) < Math.abs(ewmaOffset) / 3, t.format());
        assertTrue(Math.abs(t.row("Holt(0.3,0.05)").meanOffset()) < Math.abs(ewmaOffset) / 3, t.format());
        assertTrue(Math.abs(t.row("Kalman(drift)").meanOffset()) < Math.abs(ewmaOffset) / 3, t.format());
        assertTrue(t.toCsv().startsWith("controller,mse"));
    }

    @Test
    void delayAndSamplingStillControlAndGiveFiniteMetrics() {
        PlantConfig p = new PlantConfig(20, 2.0, 1.0, 0, 0, 0.0, 0, 0, 2, 3);
        SimulationConfig cfg = new SimulationConfig(p, 3000, 100, T - 4, T + 4, 0.75);
        Map<String, Supplier<Controller>> m = controllers();
        ComparisonTable t = Simulator.compare(m, cfg, SEEDS);
        LOG.info("white noise, delay 2, every 3rd run measured:\n{}", t.format());
        for (ComparisonTable.Row r : t.rows()) {
            assertEquals(0, r.diverged(), r.controller());
            assertTrue(r.mse() < 2.0, r.controller() + " MSE " + r.mse());
            assertTrue(Math.abs(r.meanOffset()) < 0.1, r.controller() + " offset " + r.meanOffset());
        }
    }

    @Test
    void pmShiftSettlesFasterWithLargerLambda() {
        PlantConfig p = new PlantConfig(20, 2.0, 0.5, 0, 0, 0, 200, 5.0, 0, 1);
        SimulationConfig cfg = new SimulationConfig(p, 2000, 0, T - 4, T + 4, 0.5);
        ControllerConfig cc = ControllerConfig.of(T, -1e6, 1e6, 40);
        Map<String, Supplier<Controller>> m = new LinkedHashMap<>();
        m.put("EWMA(0.1)", () -> new Controller(cc, new EwmaEstimator(new EwmaConfig(0.1, B, 20))));
        m.put("EWMA(0.6)", () -> new Controller(cc, new EwmaEstimator(new EwmaConfig(0.6, B, 20))));
        ComparisonTable t = Simulator.compare(m, cfg, SEEDS);
        LOG.info("PM shifts of 5 every 200 runs:\n{}", t.format());
        assertTrue(t.row("EWMA(0.6)").settlingRuns() < t.row("EWMA(0.1)").settlingRuns(), t.format());
        assertFalse(Double.isNaN(t.row("EWMA(0.1)").settlingRuns()));
    }
}
