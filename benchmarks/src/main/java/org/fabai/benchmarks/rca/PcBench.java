package org.fabai.benchmarks.rca;

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
 * PC causal discovery with the Fisher-Z test (alpha 0.01, no depth cap, original sepset collider
 * rule, one test thread) on a table of the Sachs data's size: 7,466 rows x 11 variables, drawn
 * from a seeded random linear-Gaussian DAG ({@link RandomDag}) with 17 expected edges (the Sachs
 * consensus graph has 17). The timed call builds the test (correlation matrix of the table) and
 * runs the search, as a user does.
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx512m"})
public class PcBench {

    /** Rows of the table (the Sachs data's 7,466 cells). */
    public static final int ROWS = 7466;
    /** Variables (the Sachs data's 11 proteins). */
    public static final int VARIABLES = 11;
    /** Expected edges of the random DAG. */
    public static final int EDGES = 17;

    DataTable data;
    RandomDag dag;
    Pc pc;

    /** Creates the benchmark (JMH calls it). */
    public PcBench() {
    }

    /** Draws the table from the seeded DAG. */
    @Setup
    public void setUp() {
        dag = RandomDag.linearGaussian(VARIABLES, 2.0 * EDGES / VARIABLES, ROWS, 7466);
        data = dag.data();
        pc = new Pc(new PcConfig(0.01, -1, 1, PcConfig.ColliderRule.SEPSETS));
    }

    /** @return the CPDAG PC finds on the 7466 x 11 table */
    @Benchmark
    public Cpdag pcFisherZ7466x11() {
        return pc.search(new FisherZTest(data), Knowledge.none());
    }
}
