package org.fabai.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --max-minutes} of the rca commands that run PC: {@code discover} and {@code explain} (through
 * {@link RcaPcOptions}), {@code rank} and {@code causrca} (on the graphs they discover themselves). The
 * search logs each level's estimate on stderr and refuses a level that would end past the limit
 * ({@link org.fabai.rca.discovery.Pc#withTimeLimit}). A picocli mixin; not thread-safe.
 */
final class RcaTimeLimit {

    @Option(names = "--max-minutes", defaultValue = "60", description = "causal discovery (in explain, rank and causrca: "
            + "of a graph they discover themselves): PC refuses, before it starts, a level of the search (or the collider "
            + "votes) whose tests would not end within this many minutes at the rate measured so far, and stops one that "
            + "runs past it; GES and BOSS stop when past it; progress is printed on stderr; 0: no limit "
            + "(default ${DEFAULT-VALUE})")
    double maxMinutes = 60;

    /**
     * @return the limit, null for none
     * @throws IllegalArgumentException when negative, infinite or not a number
     */
    Duration limit() {
        if (!(maxMinutes >= 0) || Double.isInfinite(maxMinutes)) {
            throw new IllegalArgumentException("--max-minutes must be >= 0 (0: no limit), got " + maxMinutes);
        }
        return maxMinutes == 0 ? null : Duration.ofNanos(Math.max(1, Math.round(maxMinutes * 60e9)));
    }
}
