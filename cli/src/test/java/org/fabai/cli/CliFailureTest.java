package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 15: every CLI failure is one line plus an exit code ({@code --debug} adds the stack
 * trace); {@code --runs 2000000000} used to run the JVM out of memory.
 */
class CliFailureTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Fabai.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void hugeRunAndSeedCountsAreRefusedInOneLine() {
        String[] r = run("apc", "simulate", "--runs", "2000000000");
        assertEquals(String.valueOf(ExitCode.USAGE), r[0]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].startsWith("fabai simulate: --runs must be in [1, 10000000], got 2000000000"), r[2]);
        String[] s = run("apc", "simulate", "--seeds", "0");
        assertEquals(String.valueOf(ExitCode.USAGE), s[0]);
        assertTrue(s[2].contains("--seeds must be in [1, 10000], got 0"), s[2]);
    }

    /** A table of {@code cols} columns, all one common factor plus noise: every pair dependent. */
    private static java.nio.file.Path dense(java.nio.file.Path dir, int cols, int rows) throws java.io.IOException {
        java.util.Random r = new java.util.Random(7);
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < cols; j++) {
            b.append(j == 0 ? "" : ",").append("c").append(j);
        }
        b.append('\n');
        for (int i = 0; i < rows; i++) {
            double f = r.nextGaussian();
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.4f", f + r.nextGaussian()));
            }
            b.append('\n');
        }
        java.nio.file.Path p = dir.resolve("dense.csv");
        java.nio.file.Files.writeString(p, b);
        return p;
    }

    @Test
    void discoverRefusesTooManyColumnsBeforeReadingThemIntoATest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // before: 20,000 columns ran past 240 s with no cap or warning
        java.nio.file.Path t = dense(dir, 6, 50);
        String[] r = run("rca", "discover", t.toString(), "--max-columns", "5");
        assertEquals(String.valueOf(ExitCode.USAGE), r[0], r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].contains("the table has 6 (non-constant) columns, more than --max-columns 5: PC's first level "
                + "alone tests all 15 pairs"), r[2]);
        assertEquals("0", run("rca", "discover", t.toString(), "--max-columns", "6")[0]);
        assertEquals(500, RcaPcOptions.MAX_COLUMNS);
    }

    @Test
    void discoverRefusesALevelThatWouldRunPastTheTimeLimit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // before: the causRCA lathe table (88 variables) ran 37 min and more with no estimate. On a
        // table where every pair stays dependent the levels grow without end: the search either
        // refuses a level whose estimate does not fit, or stops at the limit inside one
        java.nio.file.Path t = dense(dir, 40, 2000);
        long t0 = System.nanoTime();
        String[] r = run("rca", "discover", t.toString(), "--max-minutes", "0.02");
        double wall = (System.nanoTime() - t0) / 1e9;
        assertEquals(String.valueOf(ExitCode.FAILURE), r[0], r[2]);
        String last = r[2].strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("fabai discover: PC on 40 variables (would run past its time limit of 1 s: depth \\d+ needs up "
                + "to [0-9,.e+]+ independence tests|ran past its time limit of 1 s in depth \\d+).*"), r[2]);
        assertTrue(wall < 30, wall + " s");
    }

    @Test
    void explainRankAndCausrcaKeepATimeLimitOnTheGraphTheyDiscover(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path t = dense(dir, 40, 2000);
        String[][] calls = {
            {"rca", "explain", t.toString(), "--target", "c1", "--max-minutes", "0.000001"},
            {"rca", "rank", t.toString(), "--reference", t.toString(), "--max-minutes", "0.000001"},
        };
        for (String[] args : calls) {
            long t0 = System.nanoTime();
            String[] r = run(args);
            double wall = (System.nanoTime() - t0) / 1e9;
            assertEquals(String.valueOf(ExitCode.FAILURE), r[0], args[1] + ": " + r[2]);
            String last = r[2].strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("fabai " + args[1] + ": PC on 40 variables") && last.contains("time limit")
                    && last.contains("--max-minutes"), r[2]);
            assertTrue(wall < 30, wall + " s");
        }
        String[] neg = run("rca", "rank", t.toString(), "--reference", t.toString(), "--max-minutes", "-1");
        assertEquals(String.valueOf(ExitCode.USAGE), neg[0], neg[2]);
        assertTrue(neg[2].contains("--max-minutes"), neg[2]);
        java.util.Optional<java.nio.file.Path> data = InspectCommandTest.sharedData();
        if (data.isPresent() && java.nio.file.Files.isDirectory(data.get().resolve("causrca/exp_coolant"))) {
            java.nio.file.Path c = data.get().resolve("causrca");
            String[] r = run("rca", "causrca", c.resolve("exp_coolant").toString(), "--reference",
                    c.resolve("real_op").toString(), "--max-minutes", "0.000001");
            assertEquals(String.valueOf(ExitCode.FAILURE), r[0], r[2]);
            assertTrue(r[2].contains("time limit"), r[2]);
        }
    }

    @Test
    void debugAddsTheStackTrace() {
        String[] plain = run("apc", "simulate", "--runs", "-1");
        assertEquals(1, plain[2].strip().lines().count(), plain[2]);
        String[] debug = run("apc", "simulate", "--runs", "-1", "--debug");
        assertEquals(String.valueOf(ExitCode.USAGE), debug[0]);
        assertTrue(debug[2].lines().count() > 3, debug[2]);
        assertTrue(debug[2].contains("at org.fabai.cli.ApcCommand"), debug[2]);
    }
}
