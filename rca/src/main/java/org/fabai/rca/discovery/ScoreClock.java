package org.fabai.rca.discovery;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time limit and progress of a score-based search ({@link Ges}, {@link Boss}): ticked once per
 * local score computed, it logs the phase and the number of local scores every 10 s and, past the
 * limit, throws {@link SearchTooLongException} from the next tick. Not thread-safe (one search).
 */
final class ScoreClock {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreClock.class);
    private static final long EVERY_NANOS = 10_000_000_000L;

    private final String method;
    private final int variables;
    private final double maxSeconds;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private long scores;
    /** What the search is doing, for messages. */
    String phase = "search";

    /**
     * @param method     the search's name, e.g. "GES"
     * @param variables  number of variables
     * @param maxSeconds the limit in seconds (infinite: none)
     */
    ScoreClock(String method, int variables, double maxSeconds) {
        this.method = method;
        this.variables = variables;
        this.maxSeconds = maxSeconds;
    }

    /** @return seconds of a limit given as a duration: infinite for null or zero */
    static double seconds(java.time.Duration limit) {
        if (limit != null && limit.isNegative()) {
            throw new IllegalArgumentException("time limit must be >= 0, got " + limit);
        }
        return limit == null || limit.isZero() ? Double.POSITIVE_INFINITY : limit.toNanos() / 1e9;
    }

    /** One more local score: logs every 10 s; throws once past the limit. */
    void tick() {
        scores++;
        long now = System.nanoTime();
        double elapsed = (now - start) / 1e9;
        if (elapsed > maxSeconds) {
            throw new SearchTooLongException(String.format(Locale.ROOT, "%s on %d variables ran past its time limit of %s "
                    + "in the %s (%,d local scores so far); stopped. Select fewer columns, or raise the limit (--max-minutes)",
                    method, variables, Pc.duration(maxSeconds), phase, scores), phase, Double.NaN, Double.NaN);
        }
        if (now - lastLog >= EVERY_NANOS) {
            lastLog = now;
            LOG.info("{} on {} variables: {}, {} local scores, {}", method, variables, phase,
                    String.format(Locale.ROOT, "%,d", scores), Pc.duration(elapsed));
        }
    }
}
