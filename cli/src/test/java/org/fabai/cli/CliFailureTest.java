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

    private static String[] run(boolean debug, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Fabai.commandLine(debug);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void hugeRunAndSeedCountsAreRefusedInOneLine() {
        String[] r = run(false, "apc", "simulate", "--runs", "2000000000");
        assertEquals("2", r[0]);
        assertEquals("fabai simulate: --runs must be in [1, 10000000], got 2000000000", r[2].strip());
        String[] s = run(false, "apc", "simulate", "--seeds", "0");
        assertEquals("2", s[0]);
        assertTrue(s[2].contains("--seeds must be in [1, 10000], got 0"), s[2]);
    }

    @Test
    void debugAddsTheStackTrace() {
        String[] plain = run(false, "apc", "simulate", "--runs", "-1");
        assertEquals(1, plain[2].strip().lines().count(), plain[2]);
        String[] debug = run(true, "apc", "simulate", "--runs", "-1");
        assertEquals("2", debug[0]);
        assertTrue(debug[2].lines().count() > 3, debug[2]);
        assertTrue(debug[2].contains("at org.fabai.cli.ApcCommand"), debug[2]);
    }
}
