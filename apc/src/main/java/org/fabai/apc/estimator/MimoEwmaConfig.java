package org.fabai.apc.estimator;

import java.util.Arrays;

/**
 * Configuration of {@link MimoEwma}: {@code p} outputs, {@code n} inputs, model {@code y = a + B u}.
 * Arrays are copied on construction and on access. Immutable, thread-safe.
 *
 * @param lambda           EWMA weight matrix Λ, p×p (usually diagonal with entries in (0, 1])
 * @param gain             gain matrix B, p×n
 * @param initialIntercept starting intercept a, length p
 * @param lower            lower bound of each input, length n
 * @param upper            upper bound of each input, length n
 * @param moveWeight       weight ρ &ge; 0 of {@code ρ‖u − u_prev‖²} added to the least-squares target
 *                         (needed when n &gt; p; a tiny value otherwise only breaks ties)
 */
public record MimoEwmaConfig(double[][] lambda, double[][] gain, double[] initialIntercept,
                             double[] lower, double[] upper, double moveWeight) {
    /** Validates shapes, finiteness and bounds. */
    public MimoEwmaConfig {
        if (gain == null || gain.length == 0 || gain[0].length == 0) {
            throw new IllegalArgumentException("gain must be a non-empty p x n matrix");
        }
        int p = gain.length;
        int n = gain[0].length;
        lambda = copy("lambda", lambda, p, p);
        gain = copy("gain", gain, p, n);
        for (int i = 0; i < p; i++) {
            if (!(lambda[i][i] > 0 && lambda[i][i] <= 1)) {
                throw new IllegalArgumentException("lambda[" + i + "][" + i + "] must be in (0, 1], got " + lambda[i][i]);
            }
        }
        initialIntercept = vector("initialIntercept", initialIntercept, p);
        lower = vector("lower", lower, n);
        upper = vector("upper", upper, n);
        for (int j = 0; j < n; j++) {
            if (!(lower[j] < upper[j])) {
                throw new IllegalArgumentException("lower[" + j + "] must be < upper[" + j + "], got "
                        + lower[j] + " >= " + upper[j]);
            }
        }
        if (!(moveWeight >= 0) || !Double.isFinite(moveWeight)) {
            throw new IllegalArgumentException("moveWeight must be finite and >= 0, got " + moveWeight);
        }
        if (n > p && moveWeight == 0) {
            throw new IllegalArgumentException("moveWeight must be > 0 when there are more inputs (" + n
                    + ") than outputs (" + p + "), got 0");
        }
    }

    private static double[][] copy(String name, double[][] m, int rows, int cols) {
        if (m == null || m.length != rows) {
            throw new IllegalArgumentException(name + " must have " + rows + " rows, got " + (m == null ? "null" : m.length));
        }
        double[][] c = new double[rows][];
        for (int i = 0; i < rows; i++) {
            if (m[i] == null || m[i].length != cols) {
                throw new IllegalArgumentException(name + " row " + i + " must have " + cols + " columns");
            }
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] must be finite, got " + m[i][j]);
                }
            }
            c[i] = m[i].clone();
        }
        return c;
    }

    private static double[] vector(String name, double[] v, int len) {
        if (v == null || v.length != len) {
            throw new IllegalArgumentException(name + " must have length " + len + ", got " + (v == null ? "null" : v.length));
        }
        for (int i = 0; i < len; i++) {
            if (Double.isNaN(v[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be NaN");
            }
        }
        return v.clone();
    }

    /** @return number of outputs p */
    public int outputs() {
        return gain.length;
    }

    /** @return number of inputs n */
    public int inputs() {
        return gain[0].length;
    }

    @Override
    public double[][] lambda() {
        return copy("lambda", lambda, lambda.length, lambda.length);
    }

    @Override
    public double[][] gain() {
        return copy("gain", gain, gain.length, gain[0].length);
    }

    @Override
    public double[] initialIntercept() {
        return initialIntercept.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimoEwmaConfig c && Arrays.deepEquals(lambda, c.lambda) && Arrays.deepEquals(gain, c.gain)
                && Arrays.equals(initialIntercept, c.initialIntercept) && Arrays.equals(lower, c.lower)
                && Arrays.equals(upper, c.upper) && moveWeight == c.moveWeight;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(gain) * 31 + Arrays.hashCode(initialIntercept);
    }

    @Override
    public String toString() {
        return "MimoEwmaConfig[p=" + outputs() + ", n=" + inputs() + ", lambda=" + Arrays.deepToString(lambda)
                + ", gain=" + Arrays.deepToString(gain) + "]";
    }
}
