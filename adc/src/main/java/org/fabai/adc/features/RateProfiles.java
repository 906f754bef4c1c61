package org.fabai.adc.features;

import java.util.Arrays;

/**
 * Fail rates per region (rings, sectors, angular bins) and the summaries the features take of them.
 * Package-private; stateless.
 */
final class RateProfiles {

    /** A region counts as covered from this fail rate on. */
    static final double COVERED_RATE = 0.3;

    private RateProfiles() {
    }

    /** @return per region the failing dies over its dies, {@code fallback} for a region without dies */
    static double[] rates(int[] f, int[] n, double fallback) {
        double[] r = new double[f.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = n[i] == 0 ? fallback : (double) f[i] / n[i];
        }
        return r;
    }

    /** @return a copy in descending order */
    static double[] sortedDesc(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    /** @return the share of regions whose rate is at least {@link #COVERED_RATE} */
    static double coverage(double[] rates) {
        int c = 0;
        for (double r : rates) {
            if (r >= COVERED_RATE) {
                c++;
            }
        }
        return (double) c / rates.length;
    }

    /** @return the longest circular run of covered regions, as a share of the regions */
    static double longestRun(double[] rates) {
        int best = 0;
        int run = 0;
        for (int j = 0; j < 2 * rates.length; j++) {
            if (rates[j % rates.length] >= COVERED_RATE) {
                run++;
                best = Math.max(best, Math.min(run, rates.length));
            } else {
                run = 0;
            }
        }
        return (double) best / rates.length;
    }
}
