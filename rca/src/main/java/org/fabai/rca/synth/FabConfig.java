package org.fabai.rca.synth;

import java.util.Objects;

/**
 * Configuration of the synthetic fab.
 *
 * Immutable and thread-safe.
 *
 * @param steps              process steps in the (linear) route, at least 2
 * @param toolsPerStep       tools per step, at least 1
 * @param chambersPerTool    chambers per tool, at least 1
 * @param lots               lots released (one every 4 hours), at least 2
 * @param wafersPerLot       wafers per lot, at least 1
 * @param metrologyEvery     a metrology value is measured after every this many steps (the last
 *                           window may be shorter), at least 1
 * @param chamberSpread      standard deviation of the benign per-chamber offsets, in units of the
 *                           metrology noise, at least 0
 * @param faultShift         shift the bad chamber adds to its metrology value once bad, in units of
 *                           the metrology noise, at least 0 (0: no fault)
 * @param faultStartFraction when the chamber goes bad, as a fraction of the release span, in [0, 1)
 * @param routing            how tools are assigned
 * @param seed               random seed
 */
public record FabConfig(int steps, int toolsPerStep, int chambersPerTool, int lots, int wafersPerLot,
                        int metrologyEvery, double chamberSpread, double faultShift, double faultStartFraction,
                        Routing routing, long seed) {

    /** How lots are routed to tools. Immutable and thread-safe. */
    public enum Routing {
        /** each lot picks a tool at random at every step, each wafer a chamber */
        RANDOM,
        /**
         * as RANDOM, but the step before the bad step (after it when the bad step is first) is
         * dedicated: a wafer uses the tool and chamber with the same index there as at the bad
         * step, so the two cannot be told apart from the data
         */
        CONFOUNDED
    }

    /** Validates the configuration. */
    public FabConfig {
        Objects.requireNonNull(routing, "routing");
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2, got " + steps);
        }
        if (toolsPerStep < 1 || chambersPerTool < 1) {
            throw new IllegalArgumentException("toolsPerStep and chambersPerTool must be >= 1, got "
                    + toolsPerStep + " and " + chambersPerTool);
        }
        if (toolsPerStep * chambersPerTool < 2) {
            throw new IllegalArgumentException("a step needs at least 2 tool chambers, got " + toolsPerStep * chambersPerTool);
        }
        if (lots < 2 || wafersPerLot < 1) {
            throw new IllegalArgumentException("lots must be >= 2 and wafersPerLot >= 1, got " + lots + " and " + wafersPerLot);
        }
        if (metrologyEvery < 1) {
            throw new IllegalArgumentException("metrologyEvery must be >= 1, got " + metrologyEvery);
        }
        if (!(chamberSpread >= 0) || Double.isInfinite(chamberSpread)) {
            throw new IllegalArgumentException("chamberSpread must be finite and >= 0, got " + chamberSpread);
        }
        if (!(faultShift >= 0) || Double.isInfinite(faultShift)) {
            throw new IllegalArgumentException("faultShift must be finite and >= 0, got " + faultShift);
        }
        if (!(faultStartFraction >= 0 && faultStartFraction < 1)) {
            throw new IllegalArgumentException("faultStartFraction must be in [0, 1), got " + faultStartFraction);
        }
    }

    /**
     * A small default fab: 12 steps, 3 tools x 2 chambers, 100 lots of 25 wafers, metrology every
     * 3 steps, chamber spread 0.2, fault shift 3.0 from half of the span on, random routing.
     *
     * @param seed random seed
     * @return the configuration
     */
    public static FabConfig defaults(long seed) {
        return new FabConfig(12, 3, 2, 100, 25, 3, 0.2, 3.0, 0.5, Routing.RANDOM, seed);
    }

    /**
     * @param shift the fault shift
     * @return a copy with that shift
     */
    public FabConfig withFaultShift(double shift) {
        return new FabConfig(steps, toolsPerStep, chambersPerTool, lots, wafersPerLot, metrologyEvery, chamberSpread,
                shift, faultStartFraction, routing, seed);
    }

    /**
     * @param n number of lots
     * @return a copy with that many lots
     */
    public FabConfig withLots(int n) {
        return new FabConfig(steps, toolsPerStep, chambersPerTool, n, wafersPerLot, metrologyEvery, chamberSpread,
                faultShift, faultStartFraction, routing, seed);
    }

    /**
     * @param r the routing
     * @return a copy with that routing
     */
    public FabConfig withRouting(Routing r) {
        return new FabConfig(steps, toolsPerStep, chambersPerTool, lots, wafersPerLot, metrologyEvery, chamberSpread,
                faultShift, faultStartFraction, r, seed);
    }

    /**
     * @param s the seed
     * @return a copy with that seed
     */
    public FabConfig withSeed(long s) {
        return new FabConfig(steps, toolsPerStep, chambersPerTool, lots, wafersPerLot, metrologyEvery, chamberSpread,
                faultShift, faultStartFraction, routing, s);
    }
}
