package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 18: {@code rca discover --method lagged-pc}, a time-aware discovery on rows in time order. */
class RcaLaggedDiscoverTest {

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
    void theLaggedEffectIsFoundAndDirectedByTime(@TempDir Path dir) throws Exception {
        // y(t) = 0.8 x(t-1) + noise: nothing at lag 0, so plain PC sees no edge
        Random r = new Random(5);
        StringBuilder b = new StringBuilder("x,y,w\n");
        double prev = 0;
        for (int t = 0; t < 2000; t++) {
            double x = r.nextGaussian();
            b.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", x, 0.8 * prev + r.nextGaussian(), r.nextGaussian()));
            prev = x;
        }
        Path table = dir.resolve("ts.csv");
        Files.writeString(table, b);
        String[] lagged = run("rca", "discover", table.toString(), "--method", "lagged-pc", "--lags", "1");
        assertEquals("0", lagged[0], lagged[2]);
        assertTrue(lagged[1].contains("lagged PC (lags 1..1 of 1 row(s), 1 recording(s)"), lagged[1]);
        assertTrue(lagged[1].contains("x --> y"), lagged[1]);
        assertTrue(lagged[1].contains(": 1 edges,"), lagged[1]);
        String[] plain = run("rca", "discover", table.toString());
        assertTrue(plain[1].contains(": 0 edges,"), plain[1]);
        String[] bad = run("rca", "discover", table.toString(), "--method", "lagged-pc", "--tiers", "x;y");
        assertEquals(String.valueOf(ExitCode.USAGE), bad[0]);
        assertTrue(bad[2].contains("takes its tiers from time"), bad[2]);
        assertEquals(String.valueOf(ExitCode.USAGE),
                run("rca", "discover", table.toString(), "--method", "lagged-pc", "--lags", "0")[0]);
    }
}
