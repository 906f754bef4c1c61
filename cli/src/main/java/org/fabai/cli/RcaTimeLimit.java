package org.fabai.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --max-minutes} for the rca commands that discover a graph on their own when none is given
 * ({@code explain}, {@code rank}, {@code causrca}): the same limit {@code rca discover} keeps. The
 * search logs each level's estimate on stderr and refuses a level that would end past the limit
 * ({@link org.fabai.rca.discovery.Pc#withTimeLimit}). A picocli mixin; not thread-safe.
 */
final class RcaTimeLimit {

    @Option(names = "--max-minutes", defaultValue = "60", description = "a graph discovered here (no --graph): refuse, "
            + "before it starts, a level of the PC search whose tests would not end within this many minutes at the rate "
            + "measured so far, and stop one that runs past it; estimates are printed on stderr; 0: no limit "
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
