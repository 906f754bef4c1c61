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
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
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
 * The tool commonality screen ({@link CommonalityScreen#run}) on 5,000 wafer histories of 40 steps,
 * each step run by one of 4 tools drawn uniformly — the sizes and distribution of the Python peer
 * {@code peers/commonality_scipy.py} (its own seeded generator, so the draws differ): continuous
 * outcome {@code y ~ N(0, 1) + 0.5} when step 7 ran on its tool 2; pass/fail outcome
 * {@code y > 1.0} (about 19 % fail).
 *
 * <ul>
 *   <li>{@code kruskalWallis5000x40}: {@link CommonalityConfig#continuous} (high is bad):
 *       Kruskal-Wallis per step, one-vs-rest culprit z-scores, Benjamini-Hochberg over steps and
 *       over (step, tool) pairs;</li>
 *   <li>{@code chiSquare5000x40}: {@link CommonalityConfig#binary()}: G-test per step (no table is
 *       sparse here, so no Fisher's exact test), culprits, Benjamini-Hochberg.</li>
 * </ul>
 * The timed call starts from the {@link WaferHistory} list and the wafer-to-outcome map (the API's
 * input), so it includes indexing outcomes and walking every history; the peers start from a
 * tools matrix or a DataFrame and do not rank culprits, so they do less work per call.
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx1g"})
public class CommonalityBench {

    /** Wafers. */
    public static final int WAFERS = 5000;
    /** Steps per wafer. */
    public static final int STEPS = 40;
    /** Tools per step. */
    public static final int TOOLS = 4;
    /** The step with the planted bad tool. */
    public static final int BAD_STEP = 7;
    /** The planted bad tool (index at {@link #BAD_STEP}). */
    public static final int BAD_TOOL = 2;

    List<WaferHistory> histories;
    Map<String, Double> continuous;
    Map<String, Double> passFail;
    CommonalityScreen kruskal;
    CommonalityScreen gTest;

    /** Creates the benchmark (JMH calls it). */
    public CommonalityBench() {
    }

    /**
     * Step id of step {@code s}.
     *
     * @param s step index
     * @return e.g. {@code S07}
     */
    public static String stepId(int s) {
        return String.format("S%02d", s);
    }

    /**
     * Tool id of tool {@code t} at step {@code s}.
     *
     * @param s step index
     * @param t tool index
     * @return e.g. {@code S07-T2}
     */
    public static String toolId(int s, int t) {
        return stepId(s) + "-T" + t;
    }

    /** Draws the histories and both outcomes (seed 5000). */
    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(5000);
        Step[] steps = new Step[STEPS];
        Tool[][] tools = new Tool[STEPS][TOOLS];
        for (int s = 0; s < STEPS; s++) {
            steps[s] = Step.of(stepId(s));
            for (int t = 0; t < TOOLS; t++) {
                tools[s][t] = Tool.of(toolId(s, t));
            }
        }
        histories = new ArrayList<>(WAFERS);
        continuous = new HashMap<>();
        passFail = new HashMap<>();
        for (int w = 0; w < WAFERS; w++) {
            String id = "W" + w;
            List<StepRun> runs = new ArrayList<>(STEPS);
            int bad = 0;
            for (int s = 0; s < STEPS; s++) {
                int t = rnd.nextInt(TOOLS);
                runs.add(new StepRun(steps[s], tools[s][t], null));
                if (s == BAD_STEP && t == BAD_TOOL) {
                    bad = 1;
                }
            }
            histories.add(new WaferHistory(id, "L" + (w / 25), runs));
            double y = gaussian(rnd) + 0.5 * bad;
            continuous.put(id, y);
            passFail.put(id, y > 1.0 ? 1.0 : 0.0);
        }
        kruskal = new CommonalityScreen(CommonalityConfig.continuous(true));
        gTest = new CommonalityScreen(CommonalityConfig.binary());
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** @return the screen of the continuous outcome */
    @Benchmark
    public CommonalityResult kruskalWallis5000x40() {
        return kruskal.run(histories, continuous);
    }

    /** @return the screen of the pass/fail outcome */
    @Benchmark
    public CommonalityResult chiSquare5000x40() {
        return gTest.run(histories, passFail);
    }
}
