package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MillisClockTest {

    @Test
    void neverAheadOfTheSystemClockAndCatchesUp() throws InterruptedException {
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < 100_000; i++) {
            long t = MillisClock.millis();
            long sys = System.currentTimeMillis();
            assertTrue(t <= sys, "clock " + t + " ahead of System.currentTimeMillis() " + sys);
            assertTrue(t >= prev, "clock went back from " + prev + " to " + t);
            prev = t;
        }
        // it follows the system clock: within a few seconds it reaches a time read now plus 50 ms
        long target = System.currentTimeMillis() + 50;
        long deadline = System.nanoTime() + 10_000_000_000L;
        long t = MillisClock.millis();
        while (t < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
            t = MillisClock.millis();
        }
        assertTrue(t >= target, "clock stuck at " + t + ", expected >= " + target);
    }
}
