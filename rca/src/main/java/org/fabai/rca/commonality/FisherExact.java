package org.fabai.rca.commonality;

import org.apache.commons.math3.special.Gamma;

/** Fisher's exact test on a 2 x 2 table. Stateless and thread-safe. */
public final class FisherExact {
    private FisherExact() {
    }

    private static double logChoose(long n, long k) {
        return Gamma.logGamma(n + 1.0) - Gamma.logGamma(k + 1.0) - Gamma.logGamma(n - k + 1.0);
    }

    /** log P(top-left = a) under the hypergeometric null with fixed margins. */
    private static double logP(long a, long row1, long col1, long n) {
        return logChoose(col1, a) + logChoose(n - col1, row1 - a) - logChoose(n, row1);
    }

    /**
     * One-sided p-value for an excess in the top-left cell: table
     * {@code [[a, b], [c, d]]}, P(A >= a).
     *
     * @param a top-left
     * @param b top-right
     * @param c bottom-left
     * @param d bottom-right
     * @return the p-value
     */
    public static double greater(long a, long b, long c, long d) {
        check(a, b, c, d);
        long row1 = a + b;
        long col1 = a + c;
        long n = a + b + c + d;
        long hi = Math.min(row1, col1);
        double s = 0;
        for (long x = a; x <= hi; x++) {
            s += Math.exp(logP(x, row1, col1, n));
        }
        return Math.min(1.0, s);
    }

    /**
     * Two-sided p-value: the total probability of tables no more likely than the observed one.
     *
     * @param a top-left
     * @param b top-right
     * @param c bottom-left
     * @param d bottom-right
     * @return the p-value
     */
    public static double twoSided(long a, long b, long c, long d) {
        check(a, b, c, d);
        long row1 = a + b;
        long col1 = a + c;
        long n = a + b + c + d;
        long lo = Math.max(0, row1 + col1 - n);
        long hi = Math.min(row1, col1);
        double obs = logP(a, row1, col1, n);
        double s = 0;
        for (long x = lo; x <= hi; x++) {
            double lp = logP(x, row1, col1, n);
            if (lp <= obs + 1e-7) {
                s += Math.exp(lp);
            }
        }
        return Math.min(1.0, s);
    }

    private static void check(long a, long b, long c, long d) {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("2x2 table counts must be >= 0, got [[" + a + ", " + b + "], [" + c + ", " + d + "]]");
        }
    }
}
