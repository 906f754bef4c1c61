package org.fabai.rca.commonality;

/** Multiple-testing corrections. Stateless and thread-safe. */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /**
     * Benjamini-Hochberg adjusted p-values (q-values) controlling the false discovery rate.
     *
     * @param p p-values in [0, 1]
     * @return adjusted values, same order
     * @throws IllegalArgumentException if a p-value is NaN or outside [0, 1]
     */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " must be in [0, 1], got " + p[i]);
            }
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] q = new double[m];
        double min = 1.0;
        for (int k = m - 1; k >= 0; k--) {
            int i = order[k];
            min = Math.min(min, p[i] * m / (k + 1));
            q[i] = min;
        }
        return q;
    }
}
