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
