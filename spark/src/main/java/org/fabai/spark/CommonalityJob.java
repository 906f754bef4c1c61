package org.fabai.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.SkippedStep;
import org.fabai.rca.commonality.StepFinding;

/**
 * {@code spark-submit} entry point of the commonality screen, with the options of {@code fabai rca
 * commonality}:
 *
 * <pre>
 * spark-submit --class org.fabai.spark.CommonalityJob fabai-spark-VERSION-job.jar \
 *     --histories s3a://lake/histories/ --outcomes s3a://lake/outcomes.parquet [--outcome yield]
 *     [--binary] [--high-is-bad] [--window P1D] [--level tool|chamber] [--top 10] [--json] [--no-validate]
 * </pre>
 *
 * Paths ending in {@code .csv} are read as CSV with a header row, others as Parquet (files or
 * directories). Prints the ranking on standard output (text, or JSON with {@code --json}); the
 * exit status is 0, or 2 for bad usage, 3 for bad input data.
 */
public final class CommonalityJob {

    private CommonalityJob() {
    }

    /** The parsed command line. */
    record Args(String histories, String outcomes, String outcome, boolean binary, boolean highIsBad, Duration window,
                CommonalityConfig.Level level, int top, boolean json, boolean validate) {

        static Args parse(String[] a) {
            String h = null;
            String o = null;
            String name = "yield";
            boolean binary = false;
            boolean high = false;
            Duration window = null;
            CommonalityConfig.Level level = null;
            int top = 10;
            boolean json = false;
            boolean validate = true;
            for (int i = 0; i < a.length; i++) {
                switch (a[i]) {
                    case "--histories" -> h = JobMain.value(a, ++i);
                    case "--outcomes" -> o = JobMain.value(a, ++i);
                    case "--outcome" -> name = JobMain.value(a, ++i);
                    case "--binary" -> binary = true;
                    case "--high-is-bad" -> high = true;
                    case "--window" -> window = Duration.parse(JobMain.value(a, ++i));
                    case "--level" -> level = CommonalityConfig.Level.valueOf(JobMain.value(a, ++i).toUpperCase(Locale.ROOT));
                    case "--top" -> top = Integer.parseInt(JobMain.value(a, ++i));
                    case "--json" -> json = true;
                    case "--no-validate" -> validate = false;
                    default -> throw new IllegalArgumentException("unknown option '" + a[i] + "'");
                }
            }
            if (h == null || o == null) {
                throw new IllegalArgumentException("--histories and --outcomes are required");
            }
            if (top < 1) {
                throw new IllegalArgumentException("--top must be positive, got " + top);
            }
            return new Args(h, o, name, binary, high, window, level, top, json, validate);
        }


        CommonalityConfig config() {
            CommonalityConfig c = binary ? CommonalityConfig.binary() : CommonalityConfig.continuous(highIsBad);
            if (window != null) {
                c = c.withWindow(window);
            }
            if (level != null) {
                c = c.withLevel(level);
            }
            return c;
        }
    }

    /**
     * @param args the options above
     */
    public static void main(String[] args) {
        JobMain.run(args, "commonality", "CommonalityJob --histories PATH --outcomes PATH [--outcome NAME] [--binary]"
                + " [--high-is-bad] [--window ISO-DURATION] [--level tool|chamber] [--top N] [--json] [--no-validate]",
                Args::parse, CommonalityJob::run);
    }

    /**
     * Runs the job on a session and prints the result.
     *
     * @return 0, or 3 for bad input data
     */
    static int run(SparkSession spark, Args a, PrintStream out, PrintStream err) {
        SparkCommonality.Run run;
        try {
            Map<String, Double> y = SparkCommonality.outcomes(SparkCommonality.read(spark, a.outcomes()), a.outcome());
            run = SparkCommonality.run(SparkCommonality.read(spark, a.histories()), y, a.config(), a.validate());
        } catch (IllegalArgumentException e) {
            err.println("fabai-spark commonality: " + e.getMessage());
            return 3;
        }
        err.printf(Locale.ROOT, "fabai-spark commonality: %,d rows, %,d wafers (%,d without outcome), %d partitions in %.1f s%n",
                run.rows(), run.wafers(), run.wafersNoOutcome(), run.partitions(), run.seconds());
        List<StepFinding> ranked = run.result().ranked();
        if (a.json()) {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"schema\": \"fabai/spark-commonality\", \"version\": 1, \"wafers\": ").append(run.wafers())
                    .append(", \"outcome\": ").append(quote(a.outcome())).append(", \"steps\": [");
            for (int i = 0; i < ranked.size(); i++) {
                StepFinding s = ranked.get(i);
                sb.append(i == 0 ? "" : ", ").append("{\"step\": ").append(quote(s.step())).append(", \"test\": ")
                        .append(quote(s.test())).append(", \"statistic\": ").append(num(s.statistic()))
                        .append(", \"p\": ").append(num(s.p())).append(", \"q\": ").append(num(s.q()))
                        .append(", \"effect\": ").append(num(s.effectSize())).append(", \"culprit\": ")
                        .append(quote(s.culprit().tool())).append(", \"culpritQ\": ").append(num(s.culpritQ())).append('}');
            }
            List<String> skipped = new ArrayList<>();
            for (SkippedStep s : run.result().skipped()) {
                skipped.add(quote(s.toString()));
            }
            sb.append("], \"skipped\": [").append(String.join(", ", skipped)).append("]}");
            out.println(sb);
        } else {
            out.printf(Locale.ROOT, "%d wafers, outcome '%s'; %d steps tested, %d skipped%n", run.wafers(), a.outcome(),
                    ranked.size(), run.result().skipped().size());
            out.printf(Locale.ROOT, "%-12s %-14s %10s %10s %8s  %-16s %10s%n", "step", "test", "p", "q", "effect", "culprit",
                    "culprit q");
            for (StepFinding s : ranked.subList(0, Math.min(a.top(), ranked.size()))) {
                out.printf(Locale.ROOT, "%-12s %-14s %10.3g %10.3g %8.3f  %-16s %10.3g%n", s.step(), s.test(), s.p(), s.q(),
                        s.effectSize(), s.culprit().tool(), s.culpritQ());
            }
        }
        out.flush();
        return 0;
    }

    private static String num(double v) {
        return JsonText.num(v);
    }

    private static String quote(String s) {
        return JsonText.quote(s);
    }
}
