package org.fabai.apc.estimator;

import org.ejml.simple.SimpleMatrix;

/**
 * MIMO EWMA run-to-run controller for {@code y = a + B u} (e.g. two-input CMP, overlay):
 * {@code a_t = Λ (y_t − B u_t) + (I − Λ) a_{t−1}}; the next input minimises
 * {@code ‖T − a − B u‖² + ρ‖u − u_prev‖²} within the input bounds. For a square, well-conditioned
 * {@code B} with the solution inside the bounds this is the plain solve {@code u = B⁻¹(T − a)};
 * otherwise a bounded least-squares problem solved by cyclic coordinate descent (exact per
 * coordinate, convex, so it converges), started from the clipped unconstrained solution.
 *
 * <p>Not thread-safe.
 */
public final class MimoEwma {

    private final MimoEwmaConfig config;
    private final SimpleMatrix lambda;
    private final SimpleMatrix gainMatrix;
    private SimpleMatrix intercept;

    /**
     * @param config validated configuration
     */
    public MimoEwma(MimoEwmaConfig config) {
        this.config = config;
        this.lambda = new SimpleMatrix(config.lambda());
        this.gainMatrix = new SimpleMatrix(config.gain());
        this.intercept = column(config.initialIntercept());
    }

    private static SimpleMatrix column(double[] v) {
        SimpleMatrix m = new SimpleMatrix(v.length, 1);
        for (int i = 0; i < v.length; i++) {
            m.set(i, 0, v[i]);
        }
        return m;
    }

    private static double[] array(SimpleMatrix m) {
        double[] v = new double[m.getNumRows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, 0);
        }
        return v;
    }

    /** @return the configuration */
    public MimoEwmaConfig config() {
        return config;
    }

    /** @return a copy of the intercept estimate */
    public double[] intercept() {
        return array(intercept);
    }

    /**
     * Measurement update with the inputs actually used.
     *
     * @param input  inputs used, length n
     * @param output measured outputs, length p
     */
    public void update(double[] input, double[] output) {
        check("input", input, config.inputs());
        check("output", output, config.outputs());
        SimpleMatrix z = column(output).minus(gainMatrix.mult(column(input)));
        SimpleMatrix identity = SimpleMatrix.identity(config.outputs());
        intercept = lambda.mult(z).plus(identity.minus(lambda).mult(intercept));
    }

    private static void check(String name, double[] v, int len) {
        if (v == null || v.length != len) {
            throw new IllegalArgumentException(name + " must have length " + len + ", got " + (v == null ? "null" : v.length));
        }
        for (int i = 0; i < len; i++) {
            Estimator.requireFinite(name + "[" + i + "]", v[i]);
        }
    }

    /**
     * Recommended inputs for the next run.
     *
     * @param target   wanted outputs, length p
     * @param previous inputs of the previous run, length n (the anchor of the move penalty)
     * @return inputs within the bounds, length n
     */
    public double[] recommend(double[] target, double[] previous) {
        check("target", target, config.outputs());
        check("previous", previous, config.inputs());
        int n = config.inputs();
        double rho = config.moveWeight();
        SimpleMatrix r = column(target).minus(intercept);
        // normal equations of ‖r − B u‖² + ρ‖u − u0‖²: (BᵀB + ρI) u = Bᵀ r + ρ u0
        SimpleMatrix btb = gainMatrix.transpose().mult(gainMatrix).plus(SimpleMatrix.identity(n).scale(rho));
        SimpleMatrix rhs = gainMatrix.transpose().mult(r).plus(column(previous).scale(rho));
        double[] u = array(btb.solve(rhs));
        double[] lo = config.lower();
        double[] hi = config.upper();
        boolean inside = true;
        for (int j = 0; j < n; j++) {
            if (u[j] < lo[j] || u[j] > hi[j]) {
                inside = false;
                u[j] = Math.min(hi[j], Math.max(lo[j], u[j]));
            }
        }
        if (inside) {
            return u;
        }
        double[] g = new double[n];
        for (int sweep = 0; sweep < 500; sweep++) {
            double maxMove = 0;
            for (int j = 0; j < n; j++) {
                // gradient of 0.5 uᵀHu − cᵀu along j, H = btb, c = rhs
                double hu = 0;
                for (int k = 0; k < n; k++) {
                    hu += btb.get(j, k) * u[k];
                }
                g[j] = hu - rhs.get(j, 0);
                double next = Math.min(hi[j], Math.max(lo[j], u[j] - g[j] / btb.get(j, j)));
                maxMove = Math.max(maxMove, Math.abs(next - u[j]));
                u[j] = next;
            }
            if (maxMove < 1e-12) {
                break;
            }
        }
        return u;
    }

    /**
     * Largest modulus of the closed-loop characteristic roots of the unconstrained loop when the
     * plant's true gain matrix is {@code trueGain}. State {@code [a, u_prev]}; with
     * {@code M = (BᵀB + ρI)⁻¹}: {@code u = M(Bᵀ(T − a) + ρ u_prev)}, {@code a' = (I − Λ)a + Λ(B_true − B)u}
     * (+ constants). Stable iff the result is below 1. For a square B and {@code B_true = ξB} this is
     * {@code max |1 − λ_i ξ|}, the MIMO form of the SISO rule.
     *
     * @param trueGain true gain matrix, p×n
     * @return the spectral radius
     * @throws IllegalArgumentException when the shape differs or there are more inputs than outputs
     *                                  (the null-space input directions are then neutral, not decaying)
     */
    public double spectralRadius(double[][] trueGain) {
        int p = config.outputs();
        int n = config.inputs();
        if (n > p) {
            throw new IllegalArgumentException("stability of the MIMO loop is analysed for inputs (" + n
                    + ") <= outputs (" + p + ")");
        }
        SimpleMatrix bt = new SimpleMatrix(new MimoEwmaConfig(config.lambda(), trueGain, config.initialIntercept(),
                config.lower(), config.upper(), config.moveWeight()).gain());
        double rho = config.moveWeight();
        SimpleMatrix m = gainMatrix.transpose().mult(gainMatrix).plus(SimpleMatrix.identity(n).scale(rho)).invert();
        SimpleMatrix d = bt.minus(gainMatrix);
        SimpleMatrix ip = SimpleMatrix.identity(p);
        SimpleMatrix mbt = m.mult(gainMatrix.transpose());
        SimpleMatrix a11 = ip.minus(lambda).minus(lambda.mult(d).mult(mbt));
        SimpleMatrix a12 = lambda.mult(d).mult(m).scale(rho);
        SimpleMatrix a21 = mbt.scale(-1);
        SimpleMatrix a22 = m.scale(rho);
        SimpleMatrix a = new SimpleMatrix(p + n, p + n);
        a.insertIntoThis(0, 0, a11);
        a.insertIntoThis(0, p, a12);
        a.insertIntoThis(p, 0, a21);
        a.insertIntoThis(p, p, a22);
        var evd = a.eig();
        double radius = 0;
        for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
            radius = Math.max(radius, evd.getEigenvalue(i).getMagnitude());
        }
        return radius;
    }
}
