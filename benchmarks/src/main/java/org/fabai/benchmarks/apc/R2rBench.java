package org.fabai.benchmarks.apc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.control.UpdateOutcome;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.thread.Context;
import org.fabai.apc.thread.ControlThreads;
import org.fabai.apc.thread.InMemoryThreadStateStore;
import org.fabai.apc.thread.JdbcThreadStateStore;
import org.fabai.apc.thread.Measurement;
import org.fabai.apc.thread.Seeding;
import org.fabai.apc.thread.ThreadPolicy;
import org.fabai.apc.thread.UpdateResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Run-to-run control: an EWMA controller (lambda 0.3, gain 2, target 10, bounds only) on a plant
 * {@code y = 3 + 2u + e}, {@code e ~ N(0, 0.5^2)} (seeded, 4,096 pre-drawn values used in turn).
 *
 * <ul>
 *   <li>{@code controllerUpdate}: a bare {@link Controller}: {@code recommend()} then
 *       {@code update(u, y)} — the arithmetic alone;</li>
 *   <li>{@code updateInMemory}: {@link ControlThreads} on an {@link InMemoryThreadStateStore}, one
 *       context: {@code recommend} then {@code update} (two commits: the recommendation's input and the
 *       measurement, with exactly-once ledger);</li>
 *   <li>{@code updateInMemory100Contexts}: the same over 100 contexts in turn (tool x product); the
 *       score is per recommend + update pair;</li>
 *   <li>{@code updateSqlite}: {@link JdbcThreadStateStore#sqlite} on a temp file (WAL,
 *       {@code synchronous=FULL}: every commit is durable), one {@code update} per transaction;</li>
 *   <li>{@code updateSqliteBatch100}: {@link ControlThreads#updateBatch} of 100 measurements (one per
 *       context) in one transaction; the score is per measurement.</li>
 * </ul>
 * Every thread exists and has been used before measuring (steady state, warm cache). Run ids and
 * sequence numbers increase from call to call, so every update is applied, none is a duplicate.
 * The durable figures depend on the disk's fsync latency.
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx512m"})
public class R2rBench {

    /** Contexts of the multi-context benchmarks. */
    public static final int CONTEXTS = 100;
    private static final int NOISE = 4096;

    static final ControllerConfig CONFIG = ControllerConfig.of(10, -100, 100, 1);
    static final EwmaConfig EWMA = new EwmaConfig(0.3, 2, 0);

    double[] noise;
    int next;
    long seq;
    Controller controller;
    ControlThreads memory;
    ControlThreads sqlite;
    JdbcThreadStateStore sqliteStore;
    Path dir;
    Context one;
    Context[] contexts;

    /** Creates the benchmark (JMH calls it). */
    public R2rBench() {
    }

    /** Draws the noise, opens both stores (SQLite in a new temp directory) and creates every thread. */
    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(2024);
        noise = new double[NOISE];
        for (int i = 0; i < NOISE; i++) {
            noise[i] = 0.5 * gaussian(rnd);
        }
        ThreadPolicy policy = new ThreadPolicy(CONFIG, new EwmaEstimator(EWMA), Seeding.NOMINAL);
        controller = new Controller(CONFIG, new EwmaEstimator(EWMA));
        memory = new ControlThreads(policy, new InMemoryThreadStateStore());
        try {
            dir = Files.createTempDirectory("fabai-r2r-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the SQLite store", e);
        }
        sqliteStore = JdbcThreadStateStore.sqlite(dir.resolve("threads.db"));
        sqlite = new ControlThreads(policy, sqliteStore);
        one = Context.of("tool", "ETCH01", "product", "P0");
        contexts = new Context[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            contexts[i] = Context.of("tool", "ETCH" + (i / 10), "product", "P" + (i % 10));
        }
        updateInMemory();
        updateInMemory100Contexts();
        updateSqlite();
        updateSqliteBatch100();
    }

    /** Closes the SQLite store and deletes its directory. */
    @TearDown
    public void tearDown() {
        sqliteStore.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private double plant(double u) {
        double e = noise[next];
        next = (next + 1) & (NOISE - 1);
        return 3 + 2 * u + e;
    }

    /** @return the outcome of one recommend + update of a bare EWMA controller */
    @Benchmark
    public UpdateOutcome controllerUpdate() {
        double u = controller.recommend().input();
        return controller.update(u, plant(u));
    }

    /** @return the result of one recommend + update of a control thread in memory */
    @Benchmark
    public UpdateResult updateInMemory() {
        Recommendation r = memory.recommend(one);
        long s = ++seq;
        return memory.update(one, new Measurement("run-" + s, s, r.input(), plant(r.input())));
    }

    /** @return the last result of recommend + update on each of 100 threads in memory */
    @Benchmark
    @OperationsPerInvocation(CONTEXTS)
    public UpdateResult updateInMemory100Contexts() {
        UpdateResult last = null;
        for (Context c : contexts) {
            Recommendation r = memory.recommend(c);
            long s = ++seq;
            last = memory.update(c, new Measurement("run-" + s, s, r.input(), plant(r.input())));
        }
        return last;
    }

    /** @return the result of one durable update (one SQLite transaction) */
    @Benchmark
    public UpdateResult updateSqlite() {
        long s = ++seq;
        double u = 3.5 + 0.01 * (s & 7);
        return sqlite.update(one, new Measurement("run-" + s, s, u, plant(u)));
    }

    /** @return the results of 100 durable updates, one per thread, in one SQLite transaction */
    @Benchmark
    @OperationsPerInvocation(CONTEXTS)
    public List<UpdateResult> updateSqliteBatch100() {
        List<Map.Entry<Context, Measurement>> batch = new ArrayList<>(CONTEXTS);
        for (Context c : contexts) {
            long s = ++seq;
            double u = 3.5 + 0.01 * (s & 7);
            batch.add(Map.entry(c, new Measurement("run-" + s, s, u, plant(u))));
        }
        return sqlite.updateBatch(batch);
    }
}
