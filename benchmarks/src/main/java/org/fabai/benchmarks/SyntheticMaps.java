package org.fabai.benchmarks;

import java.util.SplittableRandom;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * Seeded synthetic wafer maps for benchmarks: a disc of dies in a square grid, OFF outside, with a
 * given fraction of failing dies scattered at random. The same arguments give the same map.
 *
 * <p>Stateless and thread-safe.
 */
public final class SyntheticMaps {

    private SyntheticMaps() {
    }

    /**
     * A square {@code n x n} map whose dies fill the inscribed disc.
     *
     * @param n            side in cells, at least 1
     * @param failFraction probability that a die fails, in [0, 1]
     * @param seed         random seed
     * @return the map
     */
    public static WaferMap disc(int n, double failFraction, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(failFraction >= 0 && failFraction <= 1)) {
            throw new IllegalArgumentException("failFraction must be in [0, 1], got " + failFraction);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        WaferMap.Builder b = WaferMap.builder(n, n).lotId("BENCH").waferId(Long.toString(seed));
        double c = (n - 1) / 2.0;
        double r2 = (n / 2.0) * (n / 2.0);
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                double dr = r - c;
                double dc = col - c;
                if (dr * dr + dc * dc <= r2) {
                    b.state(r, col, rnd.nextDouble() < failFraction ? DieState.FAIL : DieState.GOOD);
                }
            }
        }
        return b.build();
    }
}
