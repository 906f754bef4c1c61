package org.fabai.rca.scm;

import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;

/**
 * Monte Carlo Shapley values from random permutations and their reverses (antithetic sampling):
 * for each of {@code permutations} uniformly random orders of the {@code m} players, the marginal
 * contribution of each player is taken along the order and along its reverse. The one sampler of
 * {@link AnomalyAttribution} and {@link DistributionChange}. Stateless and thread-safe.
 */
final class ShapleySampler {

    private ShapleySampler() {
    }

    /**
     * @param m            players, at most 63 (a coalition is a bit mask)
     * @param permutations random permutations, at least 1 (each used forwards and backwards)
     * @param rnd          source of the permutations
     * @param value        value of a coalition given as a bit mask of players
     * @return the estimated Shapley value of each player
     */
    static double[] antithetic(int m, int permutations, SplittableRandom rnd, LongToDoubleFunction value) {
        if (m < 0 || m > 63) {
            throw new IllegalArgumentException("players must be in [0, 63], got " + m);
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        }
        double[] phi = new double[m];
        int[] perm = new int[m];
        for (int p = 0; p < permutations; p++) {
            for (int i = 0; i < m; i++) {
                perm[i] = i;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int dir = 0; dir < 2; dir++) {
                long mask = 0;
                double prev = value.applyAsDouble(0L);
                for (int step = 0; step < m; step++) {
                    int node = dir == 0 ? perm[step] : perm[m - 1 - step];
                    mask |= 1L << node;
                    double cur = value.applyAsDouble(mask);
                    phi[node] += cur - prev;
                    prev = cur;
                }
            }
        }
        for (int i = 0; i < m; i++) {
            phi[i] /= 2.0 * permutations;
        }
        return phi;
    }
}
