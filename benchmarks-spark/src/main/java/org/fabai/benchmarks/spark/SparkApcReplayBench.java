package org.fabai.benchmarks.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fabai.apc.sim.Replay;
import org.fabai.benchmarks.PeerOf;
import org.fabai.core.io.FormatException;
import org.fabai.spark.SparkApcReplay;
import org.fabai.spark.SparkCommonality;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * APC what-if replay on Spark ({@code ApcReplayJob}'s path: the runs CSV read, checked, grouped by control-thread
 * context, each context replayed through a fresh controller, the steps collected in input order) on local[2],
 * beside the single JVM ({@code fabai apc replay}'s path: {@code Replay.readCsv} and {@code Replay.replay}) on the
 * same file: {@code contexts} threads of {@code runsPerContext} runs each, interleaved, with the CLI's default
 * controller ({@code ewma:lambda=0.3}, target 50, gain -0.8).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false"})
public class SparkApcReplayBench {

    /** Control threads (contexts) in the file. */
    @Param("8")
    public int contexts;

    /** Runs per context. */
    @Param("500")
    public int runsPerContext;

    private SparkSession spark;
    private Path dir;
    private Path runs;
    private SparkApcReplay.Settings settings;

    /** Writes the runs (seeded, shuffled across contexts) and starts the local[2] session. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fabai-spark-apc-bench");
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>(contexts * runsPerContext + 1);
        for (int c = 0; c < contexts; c++) {
            double a = 128 + 2 * c;
            for (int i = 0; i < runsPerContext; i++) {
                double u = 100 + 5 * Math.sin(i) + rnd.nextGaussian();
                double y = a - 0.8 * u + 0.001 * i + rnd.nextGaussian();
                lines.add(String.format(Locale.ROOT, "R%d-%05d,tool=T%d;product=P%d,%d,%.6f,%.6f", c, i, c % 4, c / 4, i + 1,
                        u, y));
            }
        }
        Collections.shuffle(lines, new Random(3));
        lines.add(0, "run_id,context,sequence,input,output");
        runs = dir.resolve("runs.csv");
        Files.write(runs, lines);
        settings = SparkApcReplay.Settings.defaults();
        spark = LocalSpark.get();
    }

    /** Stops Spark, deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spark.stop();
        Files.deleteIfExists(runs);
        Files.deleteIfExists(dir);
    }

    /**
     * The Spark job's path on local[2].
     *
     * @return the steps, one row per run, in input order
     */
    @Benchmark
    public List<Row> sparkReplay() {
        return SparkApcReplay.replay(SparkCommonality.read(spark, runs.toString()), settings).steps().collectAsList();
    }

    /**
     * The CLI's path in one JVM.
     *
     * @return the steps, one per run, in input order
     */
    @Benchmark
    @PeerOf(value = "sparkReplay", name = "one JVM: fabai apc replay (Replay.readCsv + Replay.replay)")
    public List<?> singleJvmReplay() throws IOException, FormatException {
        return Replay.replay(Replay.readCsv(runs), settings.factory()).steps();
    }
}
