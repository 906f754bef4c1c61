package org.fabai.apc.thread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A cheap wall clock in milliseconds for the in-memory commit path, where reading
 * {@link System#currentTimeMillis()} (about 20 ns on a virtual machine) would be a fifth of the cost
 * of a control-thread update.
 *
 * <p>While it is being read, a daemon thread ({@code fabai-apc-clock}) stores the current time every
 * millisecond and {@link #millis()} returns that value: a volatile read. The value is never ahead of
 * {@code System.currentTimeMillis()}; it lags it by up to a millisecond, more when the machine is so
 * loaded that the daemon is not scheduled in time. After about a second without reads the daemon
 * parks (no CPU used) and {@link #millis()} reads {@code System.currentTimeMillis()} again, waking
 * the daemon. Thread-safe.
 */
final class MillisClock {

    private static final long TICK_NS = 1_000_000L;
    private static final int IDLE_TICKS = 1_000;
    private static final VarHandle USED;

    static {
        try {
            USED = MethodHandles.lookup().findStaticVarHandle(MillisClock.class, "used", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The time stored by the daemon; valid while {@link #running}. */
    private static volatile long now;
    /** True while the daemon refreshes {@link #now}. */
    private static volatile boolean running;
    /** Set (opaque) by readers, cleared by the daemon each tick: whether anyone still reads (through USED). */
    private static boolean used;
    /** One reader at a time wakes or starts the daemon. */
    private static final AtomicBoolean WAKING = new AtomicBoolean();
    private static volatile Thread daemon;

    private MillisClock() {
    }

    /** @return the wall-clock time in ms since the epoch (see the class comment for its accuracy) */
    static long millis() {
        if (running) {
            if (!(boolean) USED.getOpaque()) {
                USED.setOpaque(true);
            }
            return now;
        }
        long t = System.currentTimeMillis();
        wake();
        return t;
    }

    private static void wake() {
        if (!WAKING.compareAndSet(false, true)) {
            return;
        }
        try {
            Thread d = daemon;
            if (d == null) {
                d = new Thread(MillisClock::tick, "fabai-apc-clock");
                d.setDaemon(true);
                d.setContextClassLoader(null); // keeps no application class loader alive
                daemon = d;
                d.start();
            } else {
                LockSupport.unpark(d);
            }
        } finally {
            WAKING.set(false);
        }
    }

    private static void tick() {
        int idle = 0;
        while (true) {
            now = System.currentTimeMillis();
            running = true;
            LockSupport.parkNanos(TICK_NS);
            if ((boolean) USED.getOpaque()) {
                USED.setOpaque(false);
                idle = 0;
            } else if (++idle >= IDLE_TICKS) {
                running = false;
                idle = 0;
                // readers now read System.currentTimeMillis() and unpark this thread; a wake-up
                // between the flag and the park is kept by the park permit
                LockSupport.park();
            }
        }
    }
}
