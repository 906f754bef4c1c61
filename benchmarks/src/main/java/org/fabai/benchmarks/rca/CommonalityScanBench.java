package org.fabai.benchmarks.rca;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityPartial;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.OutcomeIndex;
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
 * The commonality scan at fab scale: 100,000 wafers x 500 steps x 10 tools (50 million step runs),
 * a continuous outcome, tool 3 at step 250 planted bad. Histories are streamed through one
 * partition's sufficient statistics ({@link CommonalityPartial}), the way a Spark job would feed a
 * partition, so the 50 million step runs are never all in memory: each operation generates the
 * histories (seeded, allocation included in the figure), adds them, and finishes the screen
 * (Kruskal-Wallis per step, Benjamini-Hochberg, post-hoc culprits).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class CommonalityScanBench {

    static final int WAFERS = 100_000;
    static final int STEPS = 500;
    static final int TOOLS = 10;
    static final int BAD_STEP = 250;
    static final int BAD_TOOL = 3;

    CommonalityScreen screen;
    OutcomeIndex index;
    Step[] steps;
    Tool[][] tools;
    String[] ids;
    long[] seeds;

    /** Creates the benchmark (JMH calls it). */
    public CommonalityScanBench() {
    }

    /** Builds the outcome index (yield per wafer, lower on the bad tool) and the step/tool vocabulary. */
    @Setup
    public void setUp() {
        screen = new CommonalityScreen(CommonalityConfig.continuous(false));
        steps = new Step[STEPS];
        tools = new Tool[STEPS][TOOLS];
        for (int s = 0; s < STEPS; s++) {
            steps[s] = Step.of(String.format("S%03d", s));
            for (int t = 0; t < TOOLS; t++) {
                tools[s][t] = Tool.of(String.format("S%03dT%d", s, t));
            }
        }
        ids = new String[WAFERS];
        seeds = new long[WAFERS];
        Map<String, Double> yield = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(100_000);
        for (int w = 0; w < WAFERS; w++) {
            ids[w] = "W" + w;
            seeds[w] = rnd.nextLong();
            int badTool = toolAt(seeds[w], BAD_STEP);
            yield.put(ids[w], 0.9 + 0.02 * rnd.nextGaussian() - (badTool == BAD_TOOL ? 0.01 : 0));
        }
        index = screen.index(yield, Map.of());
    }

    static int toolAt(long waferSeed, int step) {
        long z = waferSeed + 0x9E3779B97F4A7C15L * (step + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) Long.remainderUnsigned(z ^ (z >>> 31), TOOLS);
    }

    /** @return the screen's result; the planted step and tool rank first */
    @Benchmark
    public CommonalityResult scan100kWafers500Steps10Tools() {
        CommonalityPartial part = screen.newPartial(index);
        List<StepRun> runs = new ArrayList<>(STEPS);
        for (int w = 0; w < WAFERS; w++) {
            runs.clear();
            for (int s = 0; s < STEPS; s++) {
                runs.add(new StepRun(steps[s], tools[s][toolAt(seeds[w], s)], null));
            }
            part.add(new WaferHistory(ids[w], "", runs));
        }
        return screen.finish(part);
    }
}
