package org.fabai.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fabai.core.process.Tool;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityPartial;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.OutcomeIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commonality screen ({@link CommonalityScreen}) on Apache Spark: the same statistics as the
 * single-JVM {@link org.fabai.rca.commonality.StreamingCommonality}, computed as sufficient
 * statistics per partition and merged.
 *
 * <p>The outcome index (ranks or fail indicators per wafer, time strata) is built on the driver
 * from the outcomes, which are O(wafers); it is joined to the history rows (Spark broadcasts it
 * when small). Each partition then adds, for every (step, stratum, tool, chamber) cell, the count
 * and the sums of the scanned value, its square, the raw outcome and its square; the partitions'
 * cell maps are merged with a tree reduce, and the driver feeds the merged cells into a {@link
 * CommonalityPartial} and {@link CommonalityScreen#finish}es it. Counts are exact; sums may differ
 * from the single-JVM run in the last bits (floating-point addition in another order).
 *
 * <p>Histories are a DataFrame with columns {@code wafer_id}, {@code step}, {@code tool} (any
 * type, read as text) and optionally {@code chamber}, {@code lot_id}, {@code timestamp} (a
 * timestamp, or text Spark casts to one in the session's time zone); names are case-insensitive.
 * With validation on (the default of {@link #run(Dataset, Map, CommonalityConfig)}), the job
 * checks what the CSV reader checks (empty ids, a step twice for a wafer, two lots for a wafer,
 * a wafer partly timed), at the cost of two shuffles, and throws an {@link
 * IllegalArgumentException} naming the wafer.
 *
 * <p>Stateless; thread-safe as far as the SparkSession is.
 */
public final class SparkCommonality {

    private static final Logger LOG = LoggerFactory.getLogger(SparkCommonality.class);

    private SparkCommonality() {
    }

    /**
     * What a run found and read.
     *
     * @param result          the screen's result
     * @param rows            history rows
     * @param wafers          wafers in the histories with an outcome
     * @param wafersNoOutcome wafers in the histories without one
     * @param partitions      partitions the cells were summed over
     * @param seconds         wall time on the driver
     */
    public record Run(CommonalityResult result, long rows, long wafers, long wafersNoOutcome, int partitions,
                      double seconds) {
    }

    /** One cell's key; serializable to travel between executors and the driver. */
    record Cell(String step, int stratum, String tool, String chamber) implements Serializable {
    }

    /**
     * Reads histories or outcomes: Parquet (a file or a directory of part files), or CSV with a
     * header row when the path ends in {@code .csv} (columns as text).
     *
     * @param spark the session
     * @param path  the path (local, HDFS, S3, ... as the cluster reads it)
     * @return the DataFrame
     */
    public static Dataset<Row> read(SparkSession spark, String path) {
        Objects.requireNonNull(path, "path");
        if (path.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return spark.read().option("header", "true").csv(path);
        }
        return spark.read().parquet(path);
    }

    /**
     * Collects one named outcome to the driver (O(wafers)), with the checks of the CSV reader.
     *
     * @param outcomes a DataFrame with columns {@code wafer_id}, {@code name}, {@code value}
     * @param name     the outcome to pick
     * @return wafer id to value
     * @throws IllegalArgumentException on a missing column, an empty wafer id, a null or non-finite
     *                                  value, a wafer with the outcome twice, or no row of that name
     */
    public static Map<String, Double> outcomes(Dataset<Row> outcomes, String name) {
        Map<String, String> cols = columns(outcomes);
        for (String c : List.of("wafer_id", "name", "value")) {
            if (!cols.containsKey(c)) {
                throw new IllegalArgumentException("outcomes lack column '" + c + "' (need wafer_id, name, value); found "
                        + List.of(outcomes.columns()));
            }
        }
        Dataset<Row> o = outcomes.select(col(cols.get("wafer_id")).cast("string"), col(cols.get("name")).cast("string"),
                col(cols.get("value")).cast("double").as("value"), col(cols.get("value")).cast("string").as("raw"));
        Map<String, Double> out = new HashMap<>();
        for (Row r : o.where(col(o.columns()[1]).equalTo(name)).collectAsList()) {
            String w = r.isNullAt(0) ? "" : r.getString(0).strip();
            if (w.isEmpty()) {
                throw new IllegalArgumentException("outcome '" + name + "' with an empty wafer_id");
            }
            if (r.isNullAt(2) || !Double.isFinite(r.getDouble(2))) {
                throw new IllegalArgumentException("outcome '" + name + "' of wafer " + w + ": expected a finite number, found "
                        + (r.isNullAt(3) ? "null" : "'" + r.getString(3) + "'"));
            }
            if (out.put(w, r.getDouble(2)) != null) {
                throw new IllegalArgumentException("wafer " + w + " has outcome '" + name + "' twice");
            }
        }
        if (out.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Row r : o.select(o.columns()[1]).distinct().limit(20).collectAsList()) {
                names.add(r.getString(0));
            }
            throw new IllegalArgumentException("no outcome named '" + name + "'; names: " + names);
        }
        return out;
    }

    /** @return lower-case column name to the DataFrame's own name */
    static Map<String, String> columns(Dataset<Row> df) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : df.columns()) {
            if (m.put(c.toLowerCase(Locale.ROOT), c) != null) {
                throw new IllegalArgumentException("column '" + c + "' appears twice (names are case-insensitive)");
            }
        }
        return m;
    }

    /**
     * The histories with fabai's column names and types: {@code wafer_id}, {@code step},
     * {@code tool}, {@code chamber} ({@code ""} for none), {@code lot_id} ({@code ""} for none) as
     * text, {@code timestamp} as a timestamp (null for none).
     *
     * @param histories histories as read
     * @return the normalized DataFrame (lazy)
     * @throws IllegalArgumentException if a required column is missing or the timestamp column is
     *                                  neither a timestamp nor text
     */
    public static Dataset<Row> normalize(Dataset<Row> histories) {
        Map<String, String> cols = columns(histories);
        List<String> missing = new ArrayList<>();
        for (String c : List.of("wafer_id", "step", "tool")) {
            if (!cols.containsKey(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("histories lack column(s) " + missing + " (need wafer_id, step, tool;"
                    + " chamber, lot_id, timestamp optional); found " + List.of(histories.columns()));
        }
        Column time;
        if (cols.containsKey("timestamp")) {
            DataType t = histories.schema().apply(cols.get("timestamp")).dataType();
            if (t.equals(DataTypes.TimestampType) || t.equals(DataTypes.TimestampNTZType)) {
                time = col(cols.get("timestamp")).cast("timestamp");
            } else if (t.equals(DataTypes.StringType)) {
                time = org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.trim(col(cols.get("timestamp")))
                        .equalTo(""), lit(null)).otherwise(col(cols.get("timestamp"))).cast("timestamp");
            } else {
                throw new IllegalArgumentException("column 'timestamp' is " + t.simpleString()
                        + "; expected a timestamp or ISO-8601 text");
            }
        } else {
            time = lit(null).cast("timestamp");
        }
        return histories.select(
                col(cols.get("wafer_id")).cast("string").as("wafer_id"),
                col(cols.get("step")).cast("string").as("step"),
                col(cols.get("tool")).cast("string").as("tool"),
                cols.containsKey("chamber") ? coalesce(col(cols.get("chamber")).cast("string"), lit("")).as("chamber")
                        : lit("").as("chamber"),
                cols.containsKey("lot_id") ? coalesce(col(cols.get("lot_id")).cast("string"), lit("")).as("lot_id")
                        : lit("").as("lot_id"),
                time.as("timestamp"));
    }

    /**
     * Runs the screen with validation.
     *
     * @param histories histories (see the class comment)
     * @param outcome   wafer id to outcome (e.g. from {@link #outcomes})
     * @param config    the screen's configuration
     * @return the result and what was read
     */
    public static Run run(Dataset<Row> histories, Map<String, Double> outcome, CommonalityConfig config) {
        return run(histories, outcome, config, true);
    }

    /**
     * Runs the screen.
     *
     * @param histories histories (see the class comment)
     * @param outcome   wafer id to outcome
     * @param config    the screen's configuration
     * @param validate  whether to check the histories first (two extra shuffles)
     * @return the result and what was read
     * @throws IllegalArgumentException on bad histories or outcomes, naming the wafer
     */
    public static Run run(Dataset<Row> histories, Map<String, Double> outcome, CommonalityConfig config,
                          boolean validate) {
        long t0 = System.nanoTime();
        Objects.requireNonNull(outcome, "outcome");
        CommonalityScreen screen = new CommonalityScreen(config);
        SparkSession spark = histories.sparkSession();
        Dataset<Row> h = normalize(histories);
        if (validate) {
            validate(h);
        }
        Map<String, Instant> start = null;
        if (config.window() != null) {
            start = new HashMap<>();
            for (Row r : h.where(col("timestamp").isNotNull()).groupBy("wafer_id").agg(min("timestamp"))
                    .collectAsList()) {
                start.put(r.getString(0), instant(r.get(1)));
            }
        }
        OutcomeIndex idx = screen.index(outcome, start);
        List<Row> ixRows = new ArrayList<>(outcome.size());
        for (String w : outcome.keySet()) {
            double[] v = idx.values(w);
            ixRows.add(RowFactory.create(w, v[0], v[1], idx.stratum(w)));
        }
        StructType ixSchema = new StructType(new StructField[] {
            DataTypes.createStructField("wafer_id", DataTypes.StringType, false),
            DataTypes.createStructField("v", DataTypes.DoubleType, false),
            DataTypes.createStructField("y", DataTypes.DoubleType, false),
            DataTypes.createStructField("s", DataTypes.IntegerType, false)});
        Dataset<Row> ix = spark.createDataFrame(ixRows, ixSchema);
        Dataset<Row> joined = h.select("wafer_id", "step", "tool", "chamber").join(ix, "wafer_id");
        JavaRDD<Row> rdd = joined.javaRDD();
        int partitions = rdd.getNumPartitions();
        HashMap<Cell, double[]> cells = rdd.mapPartitions(SparkCommonality::partial).treeReduce(SparkCommonality::merge);
        CommonalityPartial p = screen.newPartial(idx);
        for (Map.Entry<Cell, double[]> e : cells.entrySet()) {
            Cell c = e.getKey();
            p.addCell(c.step(), c.stratum(), new Tool(c.tool(), c.chamber()), e.getValue());
        }
        // rows, wafers, and wafers with an outcome, in one job
        Dataset<Row> perWafer = h.groupBy("wafer_id").agg(count(lit(1)).as("n"));
        Dataset<Row> has = ix.select(col("wafer_id").as("w"), lit(1).as("has"));
        Row t = perWafer.join(has, perWafer.col("wafer_id").equalTo(has.col("w")), "left")
                .agg(count(lit(1)), org.apache.spark.sql.functions.sum("n"), count("has")).first();
        long all = t.getLong(0);
        long rows = t.isNullAt(1) ? 0 : t.getLong(1);
        long withOutcome = t.getLong(2);
        p.addWafers(withOutcome, all - withOutcome);
        CommonalityResult r = screen.finish(p);
        double sec = (System.nanoTime() - t0) / 1e9;
        LOG.info("spark commonality: {} rows, {} wafers ({} without outcome), {} cells from {} partitions in {} s", rows,
                withOutcome, all - withOutcome, cells.size(), partitions, String.format(Locale.ROOT, "%.1f", sec));
        return new Run(r, rows, withOutcome, all - withOutcome, partitions, sec);
    }

    /** One partition's sufficient statistics: cell to {n, Σv, Σv², Σy, Σy²}. */
    private static Iterator<HashMap<Cell, double[]>> partial(Iterator<Row> rows) {
        HashMap<Cell, double[]> m = new HashMap<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            // columns: wafer_id, step, tool, chamber, v, y, s
            Cell k = new Cell(r.getString(1), r.getInt(6), r.getString(2), r.getString(3));
            double[] c = m.computeIfAbsent(k, x -> new double[5]);
            double v = r.getDouble(4);
            double y = r.getDouble(5);
            c[0] += 1;
            c[1] += v;
            c[2] += v * v;
            c[3] += y;
            c[4] += y * y;
        }
        return Collections.singletonList(m).iterator();
    }

    /** Merges two partitions' statistics by adding (into the larger map). */
    private static HashMap<Cell, double[]> merge(HashMap<Cell, double[]> a, HashMap<Cell, double[]> b) {
        HashMap<Cell, double[]> big = a.size() >= b.size() ? a : b;
        HashMap<Cell, double[]> small = big == a ? b : a;
        for (Map.Entry<Cell, double[]> e : small.entrySet()) {
            double[] d = big.computeIfAbsent(e.getKey(), x -> new double[5]);
            for (int i = 0; i < 5; i++) {
                d[i] += e.getValue()[i];
            }
        }
        return big;
    }

    private static Instant instant(Object o) {
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("not a timestamp: " + o);
    }

    /** The checks the CSV reader makes, as Spark jobs; the first problem found is thrown. */
    private static void validate(Dataset<Row> h) {
        List<Row> bad = h.where(col("wafer_id").isNull().or(col("wafer_id").equalTo(""))
                .or(col("step").isNull()).or(col("step").equalTo("")).or(col("tool").isNull()).or(col("tool").equalTo("")))
                .limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row r = bad.get(0);
            throw new IllegalArgumentException("a history row has an empty wafer_id, step or tool: " + r.mkString(", "));
        }
        List<Row> twice = h.groupBy("wafer_id", "step").count().where(col("count").gt(1)).limit(1).collectAsList();
        if (!twice.isEmpty()) {
            Row r = twice.get(0);
            throw new IllegalArgumentException("wafer " + r.getString(0) + " has step '" + r.getString(1) + "' "
                    + r.getLong(2) + " times; expected each step at most once per wafer (model rework as its own step)");
        }
        List<Row> w = h.groupBy("wafer_id").agg(countDistinct("lot_id").as("lots"), count("timestamp").as("timed"),
                        count(lit(1)).as("n"))
                .where(col("lots").gt(1).or(col("timed").gt(0).and(col("timed").lt(col("n"))))).limit(1).collectAsList();
        if (!w.isEmpty()) {
            Row r = w.get(0);
            if (r.getLong(1) > 1) {
                throw new IllegalArgumentException("wafer " + r.getString(0) + " has " + r.getLong(1)
                        + " lot_ids; expected one lot per wafer");
            }
            throw new IllegalArgumentException("wafer " + r.getString(0) + " has timestamps on " + r.getLong(2) + " of its "
                    + r.getLong(3) + " rows; expected all or none of a wafer's rows timed");
        }
    }
}
