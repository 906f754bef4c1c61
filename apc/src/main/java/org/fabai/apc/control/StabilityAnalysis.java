package org.fabai.apc.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ejml.data.Complex_F64;
import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.fabai.apc.estimator.Estimator;
import org.fabai.apc.estimator.KalmanEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed-loop stability of a linear run-to-run controller from its characteristic roots.
 *
 * <p>The loop analysed is the noise-free, unconstrained one: plant {@code y = ξ b u}, target 0,
 * control {@code u = −offset/b}, metrology delay d (the measurement of run t is applied at run
 * t + d with its own input, see {@link Controller}). Its state is the estimator's dynamic state plus
 * the d pending (u, y) pairs; one run is a linear map of that state. The map's matrix is obtained
 * exactly by applying one run to each unit vector, and the loop is stable iff every eigenvalue
 * (characteristic root) lies strictly inside the unit circle. This works for any linear estimator
 * without a hand-derived polynomial; for EWMA at d = 0 the single root is {@code 1 − λξ}.
 * A Kalman estimator is analysed at its steady-state gain. RLS is nonlinear and rejected.
 *
 * <p>Stateless and thread-safe.
 */
public final class StabilityAnalysis {

    private static final Logger LOG = LoggerFactory.getLogger(StabilityAnalysis.class);

    private StabilityAnalysis() {
    }

    /**
     * The closed-loop characteristic roots.
     *
     * @param estimator a linear estimator (its configuration matters, not its current estimate)
     * @param xi        gain ratio ξ, finite
     * @param delay     metrology delay d &ge; 0
     * @return the roots
     */
    public static List<Complex_F64> roots(Estimator estimator, double xi, int delay) {
        SimpleMatrix a = closedLoopMatrix(estimator, xi, delay);
        SimpleEVD<SimpleMatrix> evd = a.eig();
        List<Complex_F64> roots = new ArrayList<>();
        for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
            roots.add(evd.getEigenvalue(i));
        }
        return roots;
    }

    /**
     * The largest modulus of the closed-loop roots.
     *
     * @param estimator a linear estimator
     * @param xi        gain ratio ξ
     * @param delay     metrology delay d &ge; 0
     * @return the spectral radius
     */
    public static double spectralRadius(Estimator estimator, double xi, int delay) {
        return roots(estimator, xi, delay).stream().mapToDouble(Complex_F64::getMagnitude).max().orElse(0);
    }

    /**
     * Stability over a grid of ξ and d; logs a warning for every point near the edge or unstable.
     *
     * @param estimator a linear estimator
     * @param xis       gain ratios to check
     * @param delays    delays to check
     * @param margin    a stable point with radius &gt; 1 − margin is flagged near the edge, in [0, 1)
     * @return the report
     */
    public static StabilityReport analyze(Estimator estimator, double[] xis, int[] delays, double margin) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be in [0, 1), got " + margin);
        }
        List<StabilityPoint> points = new ArrayList<>();
        for (int d : delays) {
            for (double xi : xis) {
                double radius = spectralRadius(estimator, xi, d);
                boolean stable = radius < 1 - 1e-9;
                boolean near = stable && radius > 1 - margin;
                if (!stable) {
                    LOG.warn("{}: closed loop UNSTABLE at xi={} delay={} (spectral radius {})", estimator.kind(), xi, d, radius);
                } else if (near) {
                    LOG.warn("{}: closed loop near the stability edge at xi={} delay={} (spectral radius {})",
                            estimator.kind(), xi, d, radius);
                }
                points.add(new StabilityPoint(xi, d, radius, stable, near));
            }
        }
        return new StabilityReport(estimator.toString(), margin, points);
    }

    /**
     * The one-run transition matrix of the closed loop, state {@code [estimate, u_1, y_1, ..., u_d, y_d]}.
     *
     * @param estimator a linear estimator
     * @param xi        gain ratio ξ
     * @param delay     metrology delay d &ge; 0
     * @return the square matrix
     */
    public static SimpleMatrix closedLoopMatrix(Estimator estimator, double xi, int delay) {
        if (!estimator.isLinear()) {
            throw new IllegalArgumentException("stability analysis needs a linear estimator; " + estimator.kind()
                    + " is nonlinear (analyse the EWMA it approximates instead)");
        }
        if (!Double.isFinite(xi)) {
            throw new IllegalArgumentException("xi must be finite, got " + xi);
        }
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        Estimator base = estimator instanceof KalmanEstimator k ? k.steadyState() : estimator.copy();
        int k = base.dynamicDimension();
        int n = k + 2 * delay;
        double[] bookkeeping = base.state();
        SimpleMatrix a = new SimpleMatrix(n, n);
        for (int col = 0; col < n; col++) {
            double[] x = new double[n];
            x[col] = 1;
            double[] next = step(base, bookkeeping, k, delay, x, xi);
            for (int row = 0; row < n; row++) {
                a.set(row, col, next[row]);
            }
        }
        return a;
    }

    private static double[] step(Estimator base, double[] bookkeeping, int k, int delay, double[] x, double xi) {
        Estimator e = base.copy();
        double[] s = bookkeeping.clone();
        System.arraycopy(x, 0, s, 0, k);
        e.restore(s);
        double b = e.gain();
        double u = -e.predictedOffset() / b;
        double y = xi * b * u;
        ArrayDeque<double[]> queue = new ArrayDeque<>();
        for (int i = 0; i < delay; i++) {
            queue.addLast(new double[] {x[k + 2 * i], x[k + 2 * i + 1]});
        }
        queue.addLast(new double[] {u, y});
        double[] measured = queue.removeFirst();
        e.update(measured[0], measured[1]);
        double[] out = new double[k + 2 * delay];
        System.arraycopy(e.state(), 0, out, 0, k);
        int i = k;
        for (double[] pair : queue) {
            out[i++] = pair[0];
            out[i++] = pair[1];
        }
        if (i != out.length) {
            throw new IllegalStateException("internal: queue length " + queue.size() + " for delay " + delay
                    + " state " + Arrays.toString(out));
        }
        return out;
    }
}
