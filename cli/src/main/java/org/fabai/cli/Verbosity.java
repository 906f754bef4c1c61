package org.fabai.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * How much the command says on stderr besides its results: {@code -q/--quiet} (errors only),
 * default (stage and epoch lines), {@code -v/--verbose} (also the native libraries' start-up
 * logging). Results always go to stdout, progress always to stderr, so {@code --json > out.json}
 * stays clean. Not thread-safe; one command runs at a time.
 */
public final class Verbosity {

    /** How much goes to stderr. */
    public enum Level {
        /** Errors only. */
        QUIET,
        /** fabai's own progress: stages, epochs, learning-curve points (the default). */
        NORMAL,
        /** Everything, including ND4J's, JavaCPP's and ONNX Runtime's start-up logging. */
        VERBOSE
    }

    private static final String FABAI_LOG = "org.slf4j.simpleLogger.log.org.fabai";
    private static final String DEFAULT_LOG = "org.slf4j.simpleLogger.defaultLogLevel";
    private static volatile Level level = Level.NORMAL;

    private Verbosity() {
    }

    /** @return the current level */
    public static Level level() {
        return level;
    }

    /**
     * Sets the level and the SLF4J simple logger's levels. The logger reads them once, when the
     * first logger is made: {@link Fabai#main} calls this before anything logs; later calls change
     * the stage lines only.
     *
     * @param l the level
     */
    public static void set(Level l) {
        level = l;
        switch (l) {
            case QUIET -> {
                System.setProperty(FABAI_LOG, "warn");
                System.setProperty(DEFAULT_LOG, "warn");
            }
            case VERBOSE -> {
                System.setProperty(FABAI_LOG, "debug");
                System.setProperty(DEFAULT_LOG, "info");
            }
            default -> {
                System.clearProperty(FABAI_LOG);
                System.clearProperty(DEFAULT_LOG);
            }
        }
    }

    /**
     * The level asked for on a command line, looked up before picocli parses it (so that the
     * logging is configured before any class logs).
     *
     * @param args the arguments
     * @return the level the last of -q/--quiet, -v/--verbose/--debug asks for; NORMAL when none is there
     */
    static Level scan(String... args) {
        Level l = Level.NORMAL;
        for (String a : args) {
            if ("--".equals(a)) {
                break;
            }
            if ("-q".equals(a) || "--quiet".equals(a)) {
                l = Level.QUIET;
            } else if ("-v".equals(a) || "--verbose".equals(a) || "--debug".equals(a)) {
                l = Level.VERBOSE;
            }
        }
        return l;
    }

    /**
     * Stage lines on stderr with the elapsed time, silent under {@code --quiet}.
     *
     * @param err where to write (the command's stderr)
     * @return a new stage log, its clock started
     */
    static Stages stages(PrintWriter err) {
        return new Stages(err, level != Level.QUIET);
    }

    /** Stage lines of one command run. Not thread-safe. */
    static final class Stages {
        private final PrintWriter err;
        private final boolean on;
        private final long t0 = System.nanoTime();

        Stages(PrintWriter err, boolean on) {
            this.err = err;
            this.on = on;
        }

        /**
         * Prints {@code [  12.3s] message}.
         *
         * @param fmt  format (Locale.ROOT)
         * @param args its arguments
         */
        void say(String fmt, Object... args) {
            if (on) {
                err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(Locale.ROOT, fmt, args));
                err.flush();
            }
        }
    }
}
