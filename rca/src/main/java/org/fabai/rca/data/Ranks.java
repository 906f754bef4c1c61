package org.fabai.rca.data;

import java.util.Arrays;

/** Rank helpers. Stateless and thread-safe. */
public final class Ranks {
    private Ranks() {
    }

    /**
     * Mid-ranks (1-based; tied values share their average rank).
     *
     * @param v values
     * @return ranks, same order as {@code v}
     */
    public static double[] midRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mid;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * The tie term {@code Σ (t³ - t)} over groups of tied values, used by rank tests' tie correction.
     *
     * @param v values
     * @return the tie term
     */
    public static double tieTerm(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double t = 0;
        int i = 0;
        while (i < s.length) {
            int j = i;
            while (j + 1 < s.length && s[j + 1] == s[i]) {
                j++;
            }
            double c = j - i + 1;
            t += c * c * c - c;
            i = j + 1;
        }
        return t;
    }
}
