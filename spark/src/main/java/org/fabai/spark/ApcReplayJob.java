package org.fabai.spark;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-submit} entry point of the APC what-if replay, with the options and defaults of
 * {@code fabai apc replay}:
 *
 * <pre>
 * spark-submit --class org.fabai.spark.ApcReplayJob fabai-spark-VERSION-job.jar \
 *     --runs s3a://lake/apc/runs/ [-c ewma:lambda=0.3] [--target 50] [--gain -0.8] [--intercept 130]
 *     [--bounds 20,180] [--max-step X] [--show 20] [--json] [--out s3a://lake/apc/replay/]
 * </pre>
 *
 * Runs are read as CSV with a header when the path ends in {@code .csv}, else as Parquet ({@link
 * SparkApcReplay} for the columns). {@code --out} writes every step (Parquet, or CSV when the path
 * ends in {@code .csv}). Standard output gets the first {@code --show} steps and the summary (text),
 * or one JSON object with the summary and, without {@code --out}, every step ({@code --json}).
 * Exit status 0, or 2 for bad usage, 3 for bad input data.
 */
public final class ApcReplayJob {

    private ApcReplayJob() {
    }

    /** The parsed command line. */
    record Args(String runs, SparkApcReplay.Settings settings, int show, boolean json, String out) {

        static Args parse(String[] a) {
            String runs = null;
            SparkApcReplay.Settings d = SparkApcReplay.Settings.defaults();
            String controller = d.controller();
            double target = d.target();
            double gain = d.gain();
            double intercept = d.intercept();
            double lo = d.lower();
            double hi = d.upper();
            double maxStep = d.maxStep();
            int show = 20;
            boolean json = false;
            String out = null;
            for (int i = 0; i < a.length; i++) {
                switch (a[i]) {
                    case "--runs" -> runs = JobMain.value(a, ++i);
                    case "-c", "--controller" -> controller = JobMain.value(a, ++i);
                    case "--target" -> target = Double.parseDouble(JobMain.value(a, ++i));
                    case "--gain" -> gain = Double.parseDouble(JobMain.value(a, ++i));
                    case "--intercept" -> intercept = Double.parseDouble(JobMain.value(a, ++i));
                    case "--bounds" -> {
                        String[] b = JobMain.value(a, ++i).split(",");
                        if (b.length != 2) {
                            throw new IllegalArgumentException("--bounds needs lo,hi, got '" + a[i] + "'");
                        }
                        lo = Double.parseDouble(b[0].trim());
                        hi = Double.parseDouble(b[1].trim());
                    }
                    case "--max-step" -> maxStep = Double.parseDouble(JobMain.value(a, ++i));
                    case "--show" -> show = Integer.parseInt(JobMain.value(a, ++i));
                    case "--json" -> json = true;
                    case "--out" -> out = JobMain.value(a, ++i);
                    default -> throw new IllegalArgumentException("unknown option '" + a[i] + "'");
                }
            }
            if (runs == null) {
                throw new IllegalArgumentException("--runs is required");
            }
            if (show < 0) {
                throw new IllegalArgumentException("--show must be 0 or positive, got " + show);
            }
            return new Args(runs, new SparkApcReplay.Settings(controller, target, gain, intercept, lo, hi, maxStep), show,
                    json, out);
        }

    }

    /**
     * @param args the options above
     */
    public static void main(String[] args) {
        JobMain.run(args, "apc replay", "ApcReplayJob --runs PATH [-c SPEC] [--target T] [--gain B] [--intercept A]"
                + " [--bounds LO,HI] [--max-step X] [--show N] [--json] [--out PATH]",
                Args::parse, ApcReplayJob::run);
    }

    /**
     * Runs the job on a session and prints the result.
     *
     * @return 0, or 3 for bad input data
     */
    static int run(SparkSession spark, Args a, PrintStream out, PrintStream err) {
        long t0 = System.nanoTime();
        SparkApcReplay.Result r;
        double[] sum;
        List<Row> shown;
        try {
            r = SparkApcReplay.replay(SparkCommonality.read(spark, a.runs()), a.settings());
            Dataset<Row> steps = r.steps().cache();
            SparkApcReplay.Result res = new SparkApcReplay.Result(steps, r.target());
            sum = JobErrors.unwrapped(res::summary);
            boolean all = a.json() && a.out() == null;
            shown = all ? steps.collectAsList() : steps.limit(a.show()).collectAsList();
            if (a.out() != null) {
                if (a.out().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    steps.write().option("header", "true").csv(a.out());
                } else {
                    steps.write().parquet(a.out());
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("fabai-spark apc replay: " + e.getMessage());
            return 3;
        }
        err.printf(Locale.ROOT, "fabai-spark apc replay: %,d runs in %.1f s%n", (long) sum[0], (System.nanoTime() - t0) / 1e9);
        if (a.json()) {
            StringBuilder sb = new StringBuilder("{\"schema\": \"fabai/spark-apc-replay\", \"version\": 1, \"runsFile\": ")
                    .append(JsonText.quote(a.runs())).append(", \"controller\": ").append(JsonText.quote(a.settings().controller()))
                    .append(", \"target\": ").append(JsonText.num(r.target())).append(", \"runs\": ").append((long) sum[0])
                    .append(", \"actualMse\": ").append(JsonText.num(sum[1])).append(", \"whatIfMse\": ")
                    .append(JsonText.num(sum[2]));
            if (a.out() == null) {
                sb.append(", \"steps\": [");
                for (int i = 0; i < shown.size(); i++) {
                    Row s = shown.get(i);
                    sb.append(i == 0 ? "" : ", ").append("{\"runId\": ").append(JsonText.quote(s.getString(0)))
                            .append(", \"context\": ").append(JsonText.quote(s.getString(1)))
                            .append(", \"sequence\": ").append(s.getLong(2))
                            .append(", \"input\": ").append(JsonText.num(s.getDouble(3)))
                            .append(", \"output\": ").append(JsonText.num(s.getDouble(4)))
                            .append(", \"recommended\": ").append(JsonText.num(s.getDouble(5)))
                            .append(", \"predictedAtUsed\": ").append(JsonText.num(s.getDouble(6)))
                            .append(", \"whatIfOutput\": ").append(JsonText.num(s.getDouble(7)))
                            .append(", \"status\": ").append(JsonText.quote(s.getString(10))).append('}');
                }
                sb.append(']');
            }
            out.println(sb.append('}'));
        } else {
            if (a.show() > 0) {
                out.printf(Locale.ROOT, "%-14s %-24s %10s %12s %12s  %s%n", "run", "context", "input used", "recommended",
                        "what-if y", "status");
                for (Row s : shown) {
                    out.printf(Locale.ROOT, "%-14s %-24s %10.3f %12.3f %12.3f  %s%n", s.getString(0),
                            s.getString(1).isEmpty() ? "-" : s.getString(1), s.getDouble(3), s.getDouble(5), s.getDouble(7),
                            s.getString(10));
                }
            }
            out.printf(Locale.ROOT, "runs %d  actual MSE %.4f  what-if MSE %.4f (target %.3f)%n", (long) sum[0], sum[1], sum[2],
                    r.target());
        }
        out.flush();
        return 0;
    }
}
