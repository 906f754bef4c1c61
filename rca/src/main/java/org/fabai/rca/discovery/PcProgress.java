package org.fabai.rca.discovery;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of one {@link Pc} search: logs the number of tests and their rate every 10 s while a search runs, with what is left of
 * the current phase at that phase's own rate; past the time limit it makes every next test
 * throw {@link SearchTooLongException}. Package-private; thread-safe (the tests of a level call
 * {@link #checkDeadline()} from the search's pool).
 */
final class PcProgress implements AutoCloseable {

    /** Under {@link Pc}'s name: these are its messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Pc.class);

    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;
    private final AtomicLong tests;
    private final int variables;
    private final double maxSeconds;
    volatile String phase = "start";
    private volatile double phaseBound;
    private volatile long phaseTests;
    private volatile long phaseStart = System.nanoTime();
    private volatile boolean overrun;

    void startPhase(double bound) {
        phaseBound = bound;
        phaseTests = tests.get();
        phaseStart = System.nanoTime();
    }

    /** @return what is left of the phase at its own rate, in seconds (NaN before any test of it) */
    double phaseLeft() {
        long t = tests.get() - phaseTests;
        double el = (System.nanoTime() - phaseStart) / 1e9;
        return t <= 0 || el <= 0 ? Double.NaN : Math.max(0, phaseBound - t) / (t / el);
    }

    void checkDeadline() {
        if (!overrun && (System.nanoTime() - start) / 1e9 > maxSeconds) {
            overrun = true;
        }
        if (overrun) {
            throw new SearchTooLongException(String.format(Locale.ROOT, "PC on %d variables ran past its time limit "
                    + "of %s in %s (%,d tests so far; this level: %,d of up to %s tests, about %s more at its own "
                    + "rate); stopped. Cap the conditioning sets (--depth / PcConfig.maxDepth), use the SEPSETS "
                    + "collider rule, select fewer columns, or raise the limit (--max-minutes)", variables,
                    Pc.duration(maxSeconds), phase, tests.get(), tests.get() - phaseTests, Pc.count(phaseBound),
                    Pc.duration(phaseLeft())), phase, phaseBound, phaseLeft());
        }
    }

    PcProgress(AtomicLong tests, int variables, double maxSeconds) {
        this.tests = tests;
        this.variables = variables;
        this.maxSeconds = maxSeconds;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabai-pc-progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = {0, start};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long t = tests.get();
            double recent = (t - last[0]) * 1e9 / Math.max(1, now - last[1]);
            long inPhase = t - phaseTests;
            // what is left of the level at the rate of the last 10 s (tests get slower as the level goes on)
            double left = inPhase <= 0 || recent <= 0 ? Double.NaN : Math.max(0, phaseBound - inPhase) / recent;
            LOG.info("PC on {} variables: {}, {} tests, {} tests/s, {} s{}", variables, phase, t, Math.round(recent),
                    seconds(), Double.isNaN(left) ? "" : "; this level " + String.format(Locale.ROOT, "%,d", inPhase)
                            + " of up to " + Pc.count(phaseBound) + " tests, up to " + Pc.duration(left) + " left");
            last[0] = t;
            last[1] = now;
        }, 10, 10, TimeUnit.SECONDS);
    }

    long seconds() {
        return Math.round((System.nanoTime() - start) / 1e9);
    }

    double secondsExact() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
