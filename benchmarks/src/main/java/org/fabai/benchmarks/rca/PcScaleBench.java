package org.fabai.benchmarks.rca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.FisherZTest;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.synth.RandomDag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PC-stable (Fisher-Z, alpha 0.01, one thread) on the real Sachs data (7466 x 11, normal scores,
 * as fabai recommends for it) and on seeded random linear-Gaussian DAGs of 50 and 200 variables
 * (2,000 rows, expected degree 2). The Sachs benchmark needs {@code shared/data/sachs} above the
 * working directory (the repository layout); elsewhere its setup fails with a message saying so.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx1g"})
public class PcScaleBench {

    /** Creates the benchmark (JMH calls it). */
    public PcScaleBench() {
    }

    /** The Sachs table. */
    @State(Scope.Benchmark)
    public static class Sachs {
        DataTable data;

        /** Creates the state (JMH calls it). */
        public Sachs() {
        }

        /**
         * Reads the Sachs data.
         *
         * @throws Exception when the data is missing or unreadable
         */
        @Setup
        public void setUp() throws Exception {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path f = p.resolve("shared/data/sachs/sachs.2005.continuous.txt");
                if (Files.isRegularFile(f)) {
                    data = DataTable.read(f, '\t', List.of()).normalScores();
                    return;
                }
            }
            throw new IllegalStateException("shared/data/sachs/sachs.2005.continuous.txt not found above "
                    + Path.of("").toAbsolutePath() + "; run bin/bench from the repository with ../shared beside it");
        }
    }

    /** A random DAG's data. */
    @State(Scope.Benchmark)
    public static class Graph50 {
        DataTable data;

        /** Creates the state (JMH calls it). */
        public Graph50() {
        }

        /** Draws the data. */
        @Setup
        public void setUp() {
            data = RandomDag.linearGaussian(50, 2.0, 2000, 50).data();
        }
    }

    /** A random DAG's data. */
    @State(Scope.Benchmark)
    public static class Graph200 {
        DataTable data;

        /** Creates the state (JMH calls it). */
        public Graph200() {
        }

        /** Draws the data. */
        @Setup
        public void setUp() {
            data = RandomDag.linearGaussian(200, 2.0, 2000, 200).data();
        }
    }

    private static Cpdag pc(DataTable d) {
        return new Pc(new PcConfig(0.01, -1, 1, PcConfig.ColliderRule.MAX_P)).search(new FisherZTest(d), Knowledge.none());
    }

    /**
     * @param s the data
     * @return the CPDAG on the real Sachs data
     */
    @Benchmark
    public Cpdag pcSachs(Sachs s) {
        return pc(s.data);
    }

    /**
     * @param s the data
     * @return the CPDAG on 50 variables
     */
    @Benchmark
    public Cpdag pc50Variables(Graph50 s) {
        return pc(s.data);
    }

    /**
     * @param s the data
     * @return the CPDAG on 200 variables
     */
    @Benchmark
    public Cpdag pc200Variables(Graph200 s) {
        return pc(s.data);
    }
}
