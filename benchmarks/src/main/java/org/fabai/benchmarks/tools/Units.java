package org.fabai.benchmarks.tools;

import java.util.Locale;

/**
 * Converts JMH score units to seconds per operation so that results of any mode and unit
 * compare: {@code ns/op}, {@code us/op}, {@code ms/op}, {@code s/op}, {@code min/op} (average,
 * sample and single-shot time) and {@code ops/ns} ... {@code ops/min} (throughput).
 *
 * <p>Stateless and thread-safe.
 */
public final class Units {

    private Units() {
    }

    /**
     * @param score a score
     * @param unit  its unit
     * @return the score in seconds per operation
     * @throws IllegalArgumentException for another unit
     */
    public static double secondsPerOp(double score, String unit) {
        String u = unit.trim().toLowerCase(Locale.ROOT);
        if (u.endsWith("/op")) {
            return score * seconds(u.substring(0, u.length() - 3), unit);
        }
        if (u.startsWith("ops/")) {
            return seconds(u.substring(4), unit) / score;
        }
        throw new IllegalArgumentException("unit must be TIME/op or ops/TIME, got '" + unit + "'");
    }

    /**
     * Formats seconds per operation in a unit that keeps 1 to 4 integer digits.
     *
     * @param seconds seconds per operation
     * @return e.g. {@code "12.345 us/op"}
     */
    public static String format(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "NaN";
        }
        double a = Math.abs(seconds);
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.3f s/op", seconds);
        }
        if (a >= 1e-3) {
            return String.format(Locale.ROOT, "%.3f ms/op", seconds * 1e3);
        }
        if (a >= 1e-6) {
            return String.format(Locale.ROOT, "%.3f us/op", seconds * 1e6);
        }
        return String.format(Locale.ROOT, "%.3f ns/op", seconds * 1e9);
    }

    private static double seconds(String t, String unit) {
        switch (t) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            case "min": return 60;
            default: throw new IllegalArgumentException("unknown time unit '" + t + "' in '" + unit + "'");
        }
    }
}
