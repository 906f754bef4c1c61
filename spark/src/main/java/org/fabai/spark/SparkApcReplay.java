package org.fabai.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.apc.sim.Replay;
import org.fabai.apc.thread.Context;
import scala.Tuple2;

/**
 * What-if replay of recorded runs ({@link Replay}, {@code fabai apc replay}) on Apache Spark: the
 * runs are grouped by control-thread context, each context is replayed on one executor through a
 * fresh controller in sequence order, exactly as the single-JVM {@link Replay#replay} does, and the
 * steps come back in input order. Contexts are independent, so a fleet's history of runs spreads over
 * the cluster; one context's runs must fit in one task's memory.
 *
 * <p>Runs are a DataFrame with columns {@code run_id}, {@code input}, {@code output} and optionally
 * {@code context} (a {@link Context} key such as {@code tool=T1;product=P1}; missing or empty: the
 * single default thread) and {@code sequence} (run order within a context; missing: input order);
 * names are case-insensitive, values may be text (CSV) or numbers (Parquet). The checks of {@link
 * Replay#readCsv} are made: a missing column, an empty run id, a non-finite or non-numeric input or
 * output, a non-integer sequence, a malformed context and a run id twice in a context throw an
 * {@link IllegalArgumentException} naming the run.
 *
 * <p>Stateless; thread-safe as far as the SparkSession is.
 */
public final class SparkApcReplay {

    private SparkApcReplay() {
    }

    /**
     * The controller to replay through, with the options and defaults of {@code fabai apc replay}.
     * Serializable: it travels to the executors, which build their controllers from it.
     *
     * @param controller estimator spec, e.g. {@code ewma:lambda=0.3}
     * @param target     target output
     * @param gain       model gain b (non-zero)
     * @param intercept  nominal intercept a
     * @param lower      lower input bound
     * @param upper      upper input bound
     * @param maxStep    rate limit on the input per run ({@code Infinity}: none)
     */
    public record Settings(String controller, double target, double gain, double intercept, double lower, double upper,
                           double maxStep) implements Serializable {

        /** Validates by building one controller factory (the spec, the bounds, the gain). */
        public Settings {
            Objects.requireNonNull(controller, "controller");
            if (gain == 0 || !Double.isFinite(gain)) {
                throw new IllegalArgumentException("gain must be finite and non-zero, got " + gain);
            }
            factory(controller, target, gain, intercept, lower, upper, maxStep);
        }

        /** @return the CLI's defaults: {@code ewma:lambda=0.3}, target 50, gain -0.8, intercept 130, bounds 20..180, no rate limit */
        public static Settings defaults() {
            return new Settings("ewma:lambda=0.3", 50, -0.8, 130, 20, 180, Double.POSITIVE_INFINITY);
        }

        /** @return a fresh-controller factory, one controller per context */
        public Supplier<Controller> factory() {
            return factory(controller, target, gain, intercept, lower, upper, maxStep);
        }

        private static Supplier<Controller> factory(String spec, double target, double gain, double intercept, double lo,
                                                    double hi, double maxStep) {
            // the nominal input is where the model meets the target, as in `fabai apc`
            ControllerConfig c = ControllerConfig.of(target, lo, hi, (target - intercept) / gain);
            return ControllerSpec.factory(spec, Double.isInfinite(maxStep) ? c : c.withMaxStep(maxStep), gain, intercept);
        }
    }

    /**
     * A replay on Spark.
     *
     * @param steps     one row per run, in input order: {@code run_id, context, sequence, input, output,
     *                  recommended, predicted_at_used, what_if_output, clipped, fallback, status}
     *                  (the columns of {@link Replay.Report#toCsv()}); lazily computed
     * @param target    the controller target
     */
    public record Result(Dataset<Row> steps, double target) {

        /**
         * Runs the steps' job once and summarises them.
         *
         * @return {runs, MSE of the recorded outputs about the target, MSE of the what-if outputs}
         */
        public double[] summary() {
            Row r = steps.agg(count(lit(1)),
                    org.apache.spark.sql.functions.avg(col("output").minus(target).multiply(col("output").minus(target))),
                    org.apache.spark.sql.functions.avg(col("what_if_output").minus(target)
                            .multiply(col("what_if_output").minus(target)))).first();
            long n = r.getLong(0);
            return new double[] {n, n == 0 ? Double.NaN : r.getDouble(1), n == 0 ? Double.NaN : r.getDouble(2)};
        }
    }

    /** The schema of {@link Result#steps()}. */
    public static final StructType STEPS = new StructType(new StructField[] {
        DataTypes.createStructField("run_id", DataTypes.StringType, false),
        DataTypes.createStructField("context", DataTypes.StringType, false),
        DataTypes.createStructField("sequence", DataTypes.LongType, false),
        DataTypes.createStructField("input", DataTypes.DoubleType, false),
        DataTypes.createStructField("output", DataTypes.DoubleType, false),
        DataTypes.createStructField("recommended", DataTypes.DoubleType, false),
        DataTypes.createStructField("predicted_at_used", DataTypes.DoubleType, false),
        DataTypes.createStructField("what_if_output", DataTypes.DoubleType, false),
        DataTypes.createStructField("clipped", DataTypes.StringType, false),
        DataTypes.createStructField("fallback", DataTypes.BooleanType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false)});

    /**
     * Replays recorded runs, each context through a fresh controller.
     *
     * @param runs     the recorded runs (see the class comment)
     * @param settings the controller
     * @return the steps (a lazy DataFrame in input order) and the target
     * @throws IllegalArgumentException on a missing column or bad values (see the class comment);
     *                                  problems found on the executors surface when the steps are computed,
     *                                  wrapped in Spark's exception
     */
    public static Result replay(Dataset<Row> runs, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Dataset<Row> r = normalize(runs);
        check(r);
        JavaRDD<Row> ordered = r.javaRDD()
                .mapToPair(x -> new Tuple2<>(x.getString(1), x))
                .groupByKey()
                .flatMap(g -> replayContext(g._2(), settings).iterator());
        Dataset<Row> steps = runs.sparkSession().createDataFrame(ordered, STEPS_WITH_INDEX).orderBy("_ix").drop("_ix");
        return new Result(steps, settings.target());
    }

    private static final StructType STEPS_WITH_INDEX = STEPS.add("_ix", DataTypes.LongType, false);

    /** One context's runs through one controller, in sequence order (input order among equal sequences). */
    private static List<Row> replayContext(Iterable<Row> rows, Settings settings) {
        List<Row> in = new ArrayList<>();
        rows.forEach(in::add);
        // Replay sorts stably by sequence; input order (the index) breaks ties as the file order does
        in.sort(Comparator.comparingLong((Row x) -> x.getLong(2)).thenComparingLong(x -> x.getLong(5)));
        List<Replay.Run> list = new ArrayList<>(in.size());
        for (Row x : in) {
            list.add(new Replay.Run(x.getString(0), x.getString(1), x.getLong(2), x.getDouble(3), x.getDouble(4)));
        }
        Replay.Report rep = Replay.replay(list, settings.factory());
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Replay.Step s = rep.steps().get(i);
            Replay.Run run = s.run();
            out.add(RowFactory.create(run.runId(), run.context(), run.sequence(), run.input(), run.output(), s.recommended(),
                    s.predictedAtUsed(), s.whatIfOutput(),
                    s.recommendation().clips().isEmpty() ? "" : s.recommendation().clips().toString().replace(",", ";"),
                    s.recommendation().fallback(), String.valueOf(s.status()), in.get(i).getLong(5)));
        }
        return out;
    }

    /**
     * Brings runs to {@code run_id, context, sequence, input, output, _ix}: context keys
     * normalized as {@link Context#key()} writes them, the default sequence numbered in input order
     * per context, {@code _ix} the input order.
     */
    static Dataset<Row> normalize(Dataset<Row> runs) {
        Map<String, String> cols = SparkCommonality.columns(runs);
        for (String c : List.of("run_id", "input", "output")) {
            if (!cols.containsKey(c)) {
                throw new IllegalArgumentException("runs lack column '" + c + "' (need run_id, input, output; optional"
                        + " context, sequence); found " + List.of(runs.columns()));
            }
        }
        Dataset<Row> d = runs.select(
                col(cols.get("run_id")).cast("string").as("run_id"),
                cols.containsKey("context") ? col(cols.get("context")).cast("string").as("context") : lit("").as("context"),
                cols.containsKey("sequence") ? col(cols.get("sequence")).cast("string").as("sequence_raw")
                        : lit(null).cast("string").as("sequence_raw"),
                col(cols.get("input")).cast("string").as("input_raw"),
                col(cols.get("output")).cast("string").as("output_raw"))
                .withColumn("_ix", monotonically_increasing_id());
        StructType typed = new StructType(new StructField[] {
            DataTypes.createStructField("run_id", DataTypes.StringType, false),
            DataTypes.createStructField("context", DataTypes.StringType, false),
            DataTypes.createStructField("sequence", DataTypes.LongType, true),
            DataTypes.createStructField("input", DataTypes.DoubleType, false),
            DataTypes.createStructField("output", DataTypes.DoubleType, false),
            DataTypes.createStructField("_ix", DataTypes.LongType, false)});
        Dataset<Row> t = runs.sparkSession().createDataFrame(d.javaRDD().map(SparkApcReplay::parse), typed);
        if (!cols.containsKey("sequence")) {
            t = t.withColumn("sequence", row_number().over(Window.partitionBy("context").orderBy("_ix")).cast("long"));
        }
        return t.select("run_id", "context", "sequence", "input", "output", "_ix");
    }

    /** Checks and types one run as {@link Replay#readCsv} does. */
    private static Row parse(Row r) {
        String id = r.isNullAt(0) ? "" : r.getString(0).trim();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a run has an empty run_id (input row " + r.getLong(5) + ")");
        }
        String ctx = r.isNullAt(1) ? "" : r.getString(1).trim();
        if (!ctx.isEmpty()) {
            try {
                ctx = Context.parse(ctx).key();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("run " + id + ", column context: " + e.getMessage(), e);
            }
        }
        Long seq = null;
        if (!r.isNullAt(2)) {
            String s = r.getString(2).trim();
            try {
                seq = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("run " + id + ", column sequence: not an integer: '" + s + "'", e);
            }
        }
        return RowFactory.create(id, ctx, seq, number(r, 3, id, "input"), number(r, 4, id, "output"), r.getLong(5));
    }

    private static double number(Row r, int i, String id, String col) {
        String s = r.isNullAt(i) ? "" : r.getString(i).trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("run " + id + ", column " + col + ": not a number: '" + s + "'", e);
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("run " + id + ", column " + col + ": value must be finite, got '" + s + "'");
        }
        return v;
    }

    /** A run id twice in one context (after Unicode NFC normalization, as the CSV reader compares). */
    private static void check(Dataset<Row> r) {
        List<Row> twice = JobErrors.unwrapped(() -> r.javaRDD()
                .mapToPair(x -> new Tuple2<>(x.getString(1) + "\u0000" + Normalizer.normalize(x.getString(0), Normalizer.Form.NFC), 1L))
                .reduceByKey(Long::sum)
                .filter(t -> t._2() > 1)
                .map(t -> RowFactory.create(t._1(), t._2()))
                .take(1));
        if (!twice.isEmpty()) {
            String[] k = twice.get(0).getString(0).split("\u0000", 2);
            throw new IllegalArgumentException(String.format(Locale.ROOT, "run_id '%s'%s is recorded %d times; a run is"
                    + " applied once (the live store reports the replay as DUPLICATE)", k[1],
                    k[0].isEmpty() ? "" : " of context " + k[0], twice.get(0).getLong(1)));
        }
    }
}
