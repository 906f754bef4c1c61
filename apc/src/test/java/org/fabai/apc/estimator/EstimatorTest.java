package org.fabai.apc.estimator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.fabai.apc.control.StabilityAnalysis;
import org.junit.jupiter.api.Test;

class EstimatorTest {

    @Test
    void kalmanSteadyGainEqualsEwmaLambdaOfQOverR() {
        for (double[] qr : new double[][] {{0.1, 1}, {1, 1}, {0.01, 4}, {5, 0.5}}) {
            double q = qr[0];
            double r = qr[1];
            KalmanEstimator k = new KalmanEstimator(new KalmanConfig(q, 0, r, 1, 0, 10));
            Random rnd = new Random(3);
            for (int i = 0; i < 500; i++) {
                k.update(0, rnd.nextGaussian());
            }
            double lambda = KalmanEstimator.equivalentEwmaLambda(q, r);
            assertEquals(lambda, k.lastLevelGain(), 1e-9, "q=" + q + " r=" + r);
            assertEquals(q / r, lambda * lambda / (1 - lambda), 1e-9);
            // and the steady filter is the EWMA: same estimates on the same data
            KalmanEstimator ks = new KalmanEstimator(new KalmanConfig(q, 0, r, 2, 1.5, 10)).steadyState();
            EwmaEstimator e = new EwmaEstimator(new EwmaConfig(lambda, 2, 1.5));
            for (int i = 0; i < 200; i++) {
                double u = rnd.nextGaussian();
                double y = 3 + 2 * u + rnd.nextGaussian();
                ks.update(u, y);
                e.update(u, y);
                assertEquals(e.predictedOffset(), ks.predictedOffset(), 1e-9);
            }
            // closed-loop root of the steady Kalman equals that of EWMA: 1 - lambda xi
            assertEquals(Math.abs(1 - lambda * 1.3), StabilityAnalysis.spectralRadius(ks, 1.3, 0), 1e-9);
        }
    }

    @Test
    void kalmanWithDriftTracksALinearDrift() {
        KalmanEstimator k = new KalmanEstimator(new KalmanConfig(0.01, 1e-6, 1, 1, 0, 10));
        Random rnd = new Random(5);
        double meanDrift = 0;
        for (int t = 0; t < 3000; t++) {
            k.update(0, 0.05 * t + rnd.nextGaussian());
            if (t >= 2000) {
                meanDrift += k.state()[1] / 1000;
            }
        }
        assertEquals(0.05, meanDrift, 0.005);
        assertEquals(0.05 * 3000, k.predictedOffset(), 0.5);
    }

    @Test
    void rlsRecoversAChangedGainAndIntercept() {
        RlsEstimator rls = new RlsEstimator(RlsConfig.withDefaults(0.95, 1, 0));
        Random rnd = new Random(9);
        for (int t = 0; t < 300; t++) {
            double u = -2 + 4 * rnd.nextDouble();
            rls.update(u, 1 + 2 * u + 0.1 * rnd.nextGaussian());
        }
        assertEquals(2, rls.estimatedGain(), 0.05);
        assertEquals(1, rls.intercept(), 0.05);
        for (int t = 0; t < 300; t++) {
            double u = -2 + 4 * rnd.nextDouble();
            rls.update(u, 0.5 + 3 * u + 0.1 * rnd.nextGaussian());
        }
        assertEquals(3, rls.estimatedGain(), 0.05);
        assertEquals(0.5, rls.intercept(), 0.05);
        assertEquals(3, rls.gain(), 0.05);
        assertThrows(IllegalArgumentException.class, () -> StabilityAnalysis.spectralRadius(rls, 1, 0));
    }

    @Test
    void rlsGainProjectionKeepsNominalSignAndRange() {
        RlsEstimator rls = new RlsEstimator(new RlsConfig(1, 2, 0, 100, 0.25, 4, 1e6));
        rls.restore(new double[] {0, -3, 1, 0, 1});
        assertEquals(0.5, rls.gain());
        rls.restore(new double[] {0, 0.01, 1, 0, 1});
        assertEquals(0.5, rls.gain());
        rls.restore(new double[] {0, 1.7, 1, 0, 1});
        assertEquals(1.7, rls.gain());
        rls.restore(new double[] {0, 100, 1, 0, 1});
        assertEquals(8, rls.gain());
        // data saying the gain is negative: the estimate stays projected at the lower end
        for (int t = 0; t < 200; t++) {
            double u = (t % 2 == 0) ? 1 : -1;
            rls.update(u, -2 * u);
        }
        assertEquals(0.5, rls.estimatedGain(), 1e-12);
    }

    @Test
    void rlsCovarianceDoesNotWindUpUnderConstantInput() {
        RlsEstimator rls = new RlsEstimator(new RlsConfig(0.9, 1, 0, 1, 0.1, 10, 1000));
        for (int t = 0; t < 10_000; t++) {
            rls.update(1, 2);
        }
        double[] s = rls.state();
        assertTrue(s[2] + s[4] <= 1000 + 1e-6, "trace capped, got " + (s[2] + s[4]));
        assertTrue(Double.isFinite(rls.gain()));
    }

    @Test
    void holtTimeUpdateAdvancesByDrift() {
        HoltEstimator d = new HoltEstimator(new HoltConfig(0.5, 0.5, 1, 10, 0.2));
        assertEquals(10.2, d.predictedOffset(), 1e-12);
        d.timeUpdate();
        assertEquals(10.4, d.predictedOffset(), 1e-12);
    }

    @Test
    void doubleEwmaTimeUpdateIsTheUpdateWithThePredictionAsMeasurement() {
        DoubleEwmaEstimator d = new DoubleEwmaEstimator(new DoubleEwmaConfig(0.5, 0.2, 1, 10, 0.4));
        assertEquals(10.4, d.predictedOffset(), 1e-12);
        DoubleEwmaEstimator measured = d.copy();
        measured.update(0, d.predictedOffset());
        d.timeUpdate();
        assertArrayEquals(measured.state(), d.state(), 1e-12);
        // the level moves by the drift per run lambda1 * D = 0.2, the drift term stays
        assertEquals(10.2, d.intercept(), 1e-12);
        assertEquals(0.4, d.drift(), 1e-12);
        assertEquals(0.2, d.driftPerRun(), 1e-12);
    }

    @Test
    void doubleEwmaUpdateIsButlerStefani() {
        DoubleEwmaEstimator d = new DoubleEwmaEstimator(new DoubleEwmaConfig(0.2, 0.05, 2, 1, 0.5));
        d.update(3, 10); // z = 10 - 2*3 = 4
        // a = 0.2*4 + 0.8*1 = 1.6; D = 0.05*(4 - 1) + 0.95*0.5 = 0.625
        assertEquals(1.6, d.intercept(), 1e-12);
        assertEquals(0.625, d.drift(), 1e-12);
        assertEquals(2.225, d.predictedOffset(), 1e-12);
    }

    @Test
    void holtStateMigratesWithTheSamePredictionAndDriftPerRun() {
        DoubleEwmaEstimator d = new DoubleEwmaEstimator(new DoubleEwmaConfig(0.25, 0.05, 2, 0, 0));
        d.restore(d.fromHolt(10, 0.1));
        assertEquals(10.1, d.predictedOffset(), 1e-12);
        assertEquals(0.1, d.driftPerRun(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> d.fromHolt(Double.NaN, 0));
    }

    @Test
    void stateRoundTripsAndFreshResets() {
        Estimator[] all = {
            new EwmaEstimator(new EwmaConfig(0.3, 2, 1)),
            new DoubleEwmaEstimator(new DoubleEwmaConfig(0.3, 0.1, 2, 1, 0)),
            new HoltEstimator(new HoltConfig(0.3, 0.1, 2, 1, 0)),
            new KalmanEstimator(new KalmanConfig(0.1, 0.01, 1, 2, 1, 5)),
            new KalmanEstimator(new KalmanConfig(0.1, 0, 1, 2, 1, 5)),
            new RlsEstimator(RlsConfig.withDefaults(0.98, 2, 1)),
        };
        for (Estimator e : all) {
            e.update(1, 7);
            e.update(2, 5);
            Estimator c = e.fresh();
            c.restore(e.state());
            assertArrayEquals(e.state(), c.state());
            c.update(1, 1);
            e.update(1, 1);
            assertArrayEquals(e.state(), c.state(), 0);
            assertEquals(e.state().length, e.stateLength(), e.kind());
            double[] w = new double[e.stateLength() + 2];
            e.writeState(w, 1);
            assertArrayEquals(e.state(), java.util.Arrays.copyOfRange(w, 1, w.length - 1), 0, e.kind());
            assertEquals(0, w[0]);
            assertEquals(0, w[w.length - 1]);
            assertThrows(IllegalArgumentException.class, () -> c.restore(new double[7]));
            assertThrows(IllegalArgumentException.class, () -> c.update(Double.NaN, 1));
            c.resetLevel(4);
            assertEquals(4, c.predictedOffset(), 1e-12, e.kind());
        }
    }

    @Test
    void configsRejectOutOfRangeWithClearMessages() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new EwmaConfig(1.7, 1, 0));
        assertEquals("lambda must be in (0, 1], got 1.7", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EwmaConfig(0.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DoubleEwmaConfig(0.5, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new HoltConfig(0.5, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new KalmanConfig(0, 0, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RlsConfig(1.2, 1, 0, 1, 0.5, 2, 1));
    }

    @Test
    void mimoSquareSolvesAndConverges() {
        double[][] b = {{2, 0.5}, {0.3, 1.5}};
        MimoEwma m = new MimoEwma(new MimoEwmaConfig(new double[][] {{0.4, 0}, {0, 0.4}}, b, new double[] {0, 0},
                new double[] {-100, -100}, new double[] {100, 100}, 1e-9));
        double[] target = {10, 5};
        double[] alpha = {3, -2};
        double[] u = {0, 0};
        Random rnd = new Random(1);
        double[] last = new double[2];
        for (int t = 0; t < 200; t++) {
            u = m.recommend(target, u);
            double[] y = {alpha[0] + b[0][0] * u[0] + b[0][1] * u[1] + 0.01 * rnd.nextGaussian(),
                alpha[1] + b[1][0] * u[0] + b[1][1] * u[1] + 0.01 * rnd.nextGaussian()};
            m.update(u, y);
            last = y;
        }
        assertEquals(10, last[0], 0.1);
        assertEquals(5, last[1], 0.1);
        assertArrayEquals(alpha, m.intercept(), 0.05);
    }

    @Test
    void mimoNonSquareBoundedLeastSquares() {
        // three outputs, two inputs: least squares; the second input is bounded at 1
        double[][] b = {{1, 0}, {0, 1}, {1, 1}};
        double[][] lam = {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
        MimoEwma m = new MimoEwma(new MimoEwmaConfig(lam, b, new double[3], new double[] {-10, -10},
                new double[] {10, 1}, 1e-9));
        double[] u = m.recommend(new double[] {2, 3, 5}, new double[2]);
        // unconstrained LS gives (2, 3); with u2 <= 1 the optimum is u1 = (2 + 5 - 1)/2 = 3, u2 = 1
        assertEquals(3, u[0], 1e-6);
        assertEquals(1, u[1], 1e-9);
        double[] free = new MimoEwma(new MimoEwmaConfig(lam, b, new double[3], new double[] {-10, -10},
                new double[] {10, 10}, 1e-9)).recommend(new double[] {2, 3, 5}, new double[2]);
        assertArrayEquals(new double[] {2, 3}, free, 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new MimoEwmaConfig(new double[][] {{0.5}},
                new double[][] {{1, 1}}, new double[1], new double[2], new double[] {1, 1}, 0));
    }

    private static double[][] scale(double[][] m, double k) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] *= k;
            }
        }
        return r;
    }

    /** Runs the MIMO loop on a plant with the given true gain; returns the largest |error| of the last 100 runs. */
    private static double mimoTailError(MimoEwma m, double[][] bt, int runs) {
        double[] u = {0, 0};
        double[] target = {10, 5};
        Random rnd = new Random(2);
        double worst = 0;
        for (int t = 0; t < runs; t++) {
            u = m.recommend(target, u);
            double[] y = {1 + bt[0][0] * u[0] + bt[0][1] * u[1] + 0.1 * rnd.nextGaussian(),
                -1 + bt[1][0] * u[0] + bt[1][1] * u[1] + 0.1 * rnd.nextGaussian()};
            m.update(u, y);
            if (t >= runs - 100) {
                worst = Math.max(worst, Math.max(Math.abs(y[0] - target[0]), Math.abs(y[1] - target[1])));
            }
        }
        return worst;
    }

    @Test
    void mimoStabilityRootsAgreeWithSimulation() {
        double[][] b = {{2, 0.5}, {0.3, 1.5}};
        double[][] lam = {{0.5, 0}, {0, 0.5}};
        MimoEwmaConfig cfg = new MimoEwmaConfig(lam, b, new double[2], new double[] {-1e9, -1e9}, new double[] {1e9, 1e9}, 1e-9);
        // B_true = xi B: roots 1 - 0.5 xi, stable iff xi < 4
        assertEquals(Math.abs(1 - 0.5 * 3.8), new MimoEwma(cfg).spectralRadius(scale(b, 3.8)), 1e-6);
        assertTrue(new MimoEwma(cfg).spectralRadius(scale(b, 4.2)) > 1);
        assertTrue(mimoTailError(new MimoEwma(cfg), scale(b, 3.8), 2000) < 5, "xi = 3.8 stays bounded");
        assertTrue(mimoTailError(new MimoEwma(cfg), scale(b, 4.2), 2000) > 1e3, "xi = 4.2 diverges");
        // a mismatch in the coupling only
        double[][] coupled = {{2, 1.5}, {0.3, 1.5}};
        double r = new MimoEwma(cfg).spectralRadius(coupled);
        assertEquals(r < 1, mimoTailError(new MimoEwma(cfg), coupled, 2000) < 5, "roots and simulation agree, radius " + r);
    }
}
