package org.fabai.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.synth.RandomDag;

/**
 * PC on a wide mixed table shaped like causRCA's lathe table (88 variables, 44,600 rows, two
 * categorical): {@code RandomDag.mixed(VARS, DEGREE, ROWS, 2, 6, 7)}, the mixed-data LRT, α 0.01,
 * no depth cap, the CLI's default collider rule (max-p). Prints wall and process CPU time of the
 * test's set-up and of the search, the number of CI tests, and a hash of the graph's edge list (equal
 * hashes: the same graph).
 *
 * <p>Usage: {@code PcWide [VARS=88] [DEGREE=6] [ROWS=44600] [THREADS=cores] [RULE=MAX_P]}.
 */
public final class PcWide {

    private PcWide() {
    }

    /** @param args optional VARS DEGREE ROWS THREADS RULE */
    public static void main(String[] args) {
        int vars = args.length > 0 ? Integer.parseInt(args[0]) : 88;
        double degree = args.length > 1 ? Double.parseDouble(args[1]) : 6;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 44_600;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        PcConfig.ColliderRule rule = args.length > 4 ? PcConfig.ColliderRule.valueOf(args[4]) : PcConfig.ColliderRule.MAX_P;
        RandomDag g = RandomDag.mixed(vars, degree, rows, 2, 6, 7);
        long w0 = System.nanoTime();
        long c0 = cpu();
        MixedLinearTest t = new MixedLinearTest(g.data());
        long w1 = System.nanoTime();
        long c1 = cpu();
        Cpdag c = new Pc(new PcConfig(0.01, -1, threads, rule)).search(t, Knowledge.none());
        long w2 = System.nanoTime();
        long c2 = cpu();
        System.out.printf(Locale.ROOT, "PC %d vars x %d rows, degree %.1f, %s, %d threads: set-up %.1f s wall %.1f s cpu;"
                + " search %.1f s wall %.1f s cpu; %d tests; %d edges; edge-list hash %d%n", vars, rows, degree, rule, threads,
                (w1 - w0) / 1e9, (c1 - c0) / 1e9, (w2 - w1) / 1e9, (c2 - c1) / 1e9, c.testsRun(), c.edges().size(),
                c.edges().toString().hashCode());
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
