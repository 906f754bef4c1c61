package org.fabai.benchmarks.calibration;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine, not fabai: fixed workloads that use no fabai code, measured in the same JMH run as
 * fabai's benchmarks so that the baseline guard ({@code bin/bench --smoke},
 * {@link org.fabai.benchmarks.tools.BaselineCheck}) can tell a slower machine from slower code.
 * A CI machine that runs everything four times slower than the one that recorded the baseline
 * (another CPU, a busy host, a throttled core) runs these four times slower too; fabai's ratios are
 * divided by theirs (their geometric mean) before they are judged.
 *
 * <ul>
 *   <li>{@code scalar}: 2<sup>20</sup> steps of a xorshift generator mixed into a floating-point
 *       accumulator (integer and FP pipelines, no memory traffic);</li>
 *   <li>{@code memory}: a sum over a 32 MiB {@code int[]} with a 16-int stride (one cache line per
 *       load: memory bandwidth and latency);</li>
 *   <li>{@code allocation}: 65,536 boxed keys into a {@code HashMap}, then sorting 65,536 doubles
 *       (allocation, GC, branchy code).</li>
 * </ul>
 * Each mirrors a kind of work fabai's hot paths do. Inputs are seeded; nothing here changes when
 * fabai changes, which is the point.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 1)
public class MachineBench {

    private int[] big;
    private double[] toSort;

    /** Fills the inputs from a fixed seed. */
    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(20261203L);
        big = new int[8 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = r.nextInt();
        }
        toSort = new double[1 << 16];
        for (int i = 0; i < toSort.length; i++) {
            toSort[i] = r.nextDouble();
        }
    }

    /** @return an accumulator of 2^20 xorshift and floating-point steps */
    @Benchmark
    public double scalar() {
        long x = 88172645463325252L;
        double acc = 0;
        for (int i = 0; i < (1 << 20); i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            acc = acc * 0.999999 + (x & 0xffff) * 1e-4;
        }
        return acc;
    }

    /** @return the sum of every 16th int of a 32 MiB array */
    @Benchmark
    public long memory() {
        long s = 0;
        int[] a = big;
        for (int i = 0; i < a.length; i += 16) {
            s += a[i];
        }
        return s;
    }

    /** @return a value depending on a filled map and a sorted copy */
    @Benchmark
    public double allocation() {
        Map<Integer, Double> m = new HashMap<>();
        for (int i = 0; i < toSort.length; i++) {
            m.put(i * 31, toSort[i]);
        }
        double[] copy = Arrays.copyOf(toSort, toSort.length);
        Arrays.sort(copy);
        return copy[copy.length / 2] + m.size();
    }
}
