package org.fabai.rca.commonality;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the tool commonality screen.
 *
 * Immutable and thread-safe.
 *
 * @param outcome        kind of outcome: continuous (yield, a metrology value) or binary (1 = fail, 0 = pass)
 * @param badIsHigh      for a continuous outcome, whether high values are bad (defect counts) or
 *                       low values (yield); ignored for binary outcomes, where 1 is bad
 * @param level          compare tools, or tool chambers
 * @param minCount       tools (chambers) with fewer wafers at a step are left out of its test, at least 1
 * @param window         time-window length for stratification (wafers are compared only with wafers
 *                       started in the same window), or null for none
 * @param sparseExpected a binary step table with an expected cell count below this is "sparse" and
 *                       tested with Fisher's exact test, at least 0
 */
public record CommonalityConfig(OutcomeKind outcome, boolean badIsHigh, Level level, int minCount,
                                Duration window, double sparseExpected) {

    /** Kind of outcome. Immutable and thread-safe. */
    public enum OutcomeKind {
        /** a continuous value: Kruskal-Wallis across tools */
        CONTINUOUS,
        /** pass (0) / fail (1): G-test across tools, Fisher's exact when sparse */
        BINARY
    }

    /** What is compared at each step. Immutable and thread-safe. */
    public enum Level {
        /** the tool id */
        TOOL,
        /** the tool and chamber ({@code tool/chamber}) */
        CHAMBER
    }

    /** Validates the configuration. */
    public CommonalityConfig {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(level, "level");
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        if (window != null && (window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (!(sparseExpected >= 0) || Double.isInfinite(sparseExpected)) {
            throw new IllegalArgumentException("sparseExpected must be finite and >= 0, got " + sparseExpected);
        }
    }

    /**
     * @param badIsHigh whether high outcome values are bad
     * @return chamber-level screen of a continuous outcome, at least 5 wafers per chamber, no
     *         stratification, sparse threshold 5
     */
    public static CommonalityConfig continuous(boolean badIsHigh) {
        return new CommonalityConfig(OutcomeKind.CONTINUOUS, badIsHigh, Level.CHAMBER, 5, null, 5);
    }

    /** @return chamber-level screen of a pass/fail outcome, at least 5 wafers per chamber */
    public static CommonalityConfig binary() {
        return new CommonalityConfig(OutcomeKind.BINARY, true, Level.CHAMBER, 5, null, 5);
    }

    /**
     * @param w the window length
     * @return a copy stratified by time windows of that length
     */
    public CommonalityConfig withWindow(Duration w) {
        return new CommonalityConfig(outcome, badIsHigh, level, minCount, w, sparseExpected);
    }

    /**
     * @param l the level
     * @return a copy comparing at that level
     */
    public CommonalityConfig withLevel(Level l) {
        return new CommonalityConfig(outcome, badIsHigh, l, minCount, window, sparseExpected);
    }
}
