package org.fabai.rca.discovery;

/**
 * Configuration of the PC search.
 *
 * @param alpha       significance level of the independence tests, in (0, 1)
 * @param maxDepth    largest conditioning set size; -1 for no cap
 * @param parallelism threads running independence tests, at least 1
 * @param colliders   how unshielded colliders are decided
 */
public record PcConfig(double alpha, int maxDepth, int parallelism, ColliderRule colliders) {

    /**
     * The default collider rule, {@link ColliderRule#MAX_P}, chosen on real data at alpha 0.01
     * (SHD against the accepted graph; benchmarks/RESULTS.md has the table): on Sachs it gives
     * SHD 22 with G² on the discrete data (SEPSETS, MAJORITY, CONSERVATIVE: 28), 23 with Fisher-z
     * on normal scores (others 25-26) and 31 with the mixed test (others 32-35), but 28 with
     * Fisher-z on the raw continuous data (SEPSETS 23); on the 25 causRCA coolant runs (reference
     * plus run rows, G²) it ties SEPSETS (mean SHD 5.40; MAJORITY 6.20, CONSERVATIVE 6.40). Best or
     * tied in four of five settings, and the lowest total.
     */
    public static final ColliderRule DEFAULT_COLLIDERS = ColliderRule.MAX_P;

    /** How an unshielded triple {@code a - c - b} is judged a collider. Immutable and thread-safe. */
    public enum ColliderRule {
        /** collider when c is not in the separating set found by the adjacency search (original PC) */
        SEPSETS,
        /**
         * collider when c is in less than half of all separating sets of a and b among subsets of
         * their adjacencies; non-collider when more than half; left unoriented at exactly half
         * (Colombo and Maathuis 2014, "majority rule")
         */
        MAJORITY,
        /**
         * collider only when c is in no separating set; non-collider only when in all; otherwise
         * left unoriented (conservative PC, Ramsey et al. 2006)
         */
        CONSERVATIVE,
        /**
         * collider when c is not in the separating set with the largest p-value among subsets of
         * the adjacencies of a and b; colliders are oriented strongest (largest p-value) first
         * (Ramsey's "PC-Max")
         */
        MAX_P
    }

    /** Validates the configuration. */
    public PcConfig {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (maxDepth < -1) {
            throw new IllegalArgumentException("maxDepth must be >= -1 (-1: no cap), got " + maxDepth);
        }
        java.util.Objects.requireNonNull(colliders, "colliders");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
    }

    /**
     * @param alpha significance level
     * @return a configuration with no depth cap, one thread per available processor and the
     *         default collider rule {@link #DEFAULT_COLLIDERS}
     */
    public static PcConfig of(double alpha) {
        return new PcConfig(alpha, -1, Runtime.getRuntime().availableProcessors(), DEFAULT_COLLIDERS);
    }
}
