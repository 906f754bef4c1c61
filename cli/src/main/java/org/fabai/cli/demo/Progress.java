package org.fabai.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints one line per stage and step on the terminal, with elapsed time. Not thread-safe. */
final class Progress {

    private final PrintWriter out;
    private final int stages;
    private final long t0 = System.nanoTime();
    private long stageStart;
    private int stage;

    Progress(PrintWriter out, int stages) {
        this.out = out;
        this.stages = stages;
    }

    void stage(String name) {
        stage++;
        stageStart = System.nanoTime();
        out.printf(Locale.ROOT, "[%d/%d] %s%n", stage, stages, name);
        out.flush();
    }

    void step(String fmt, Object... args) {
        out.printf(Locale.ROOT, "      %-62s %6.1fs%n", String.format(Locale.ROOT, fmt, args), secs(stageStart));
        out.flush();
    }

    void figure(String key, String value) {
        out.printf(Locale.ROOT, "      %s = %s%n", key, value);
        out.flush();
    }

    void done() {
        out.printf(Locale.ROOT, "      stage done in %.1fs (total %.1fs)%n", secs(stageStart), secs(t0));
        out.flush();
    }

    double total() {
        return secs(t0);
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
