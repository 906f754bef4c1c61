package org.fabai.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.cnn.EngineKind;

/**
 * {@code spark-submit} entry point of batch wafer-map classification, with the options of {@code
 * fabai adc classify}:
 *
 * <pre>
 * spark-submit --class org.fabai.spark.AdcClassifyJob fabai-spark-VERSION-job.jar \
 *     --model s3a://lake/models/cnn.fabai [--engine onnx|java] [--out s3a://lake/predictions/] [--json]
 *     [--limit 50] MAPS...
 * </pre>
 *
 * MAPS are Parquet files or directories of wafer maps ({@link SparkAdc}: {@code wafer_id}, {@code
 * lot_id}, {@code rows}, {@code cols}, {@code codes}); die tables as {@code fabai inspect --dies} writes
 * them ({@link SparkDieTables}: CSV when the path ends in {@code .csv} or {@code .csv.gz}, else Parquet
 * with a die table's columns); or local NPZ files (read on the driver, to try the
 * job on a file at hand). {@code --out} writes every prediction
 * (Parquet, or CSV with the probabilities joined by {@code ;} when the path ends in {@code .csv});
 * standard output gets the count per label and the first {@code --limit} predictions (text, or one
 * JSON object with {@code --json}). Exit status 0, or 2 for bad usage, 3 for bad input (model or
 * maps).
 */
public final class AdcClassifyJob {

    private AdcClassifyJob() {
    }

    /** The parsed command line. */
    record Args(String model, EngineKind engine, List<String> maps, String out, boolean json, int limit) {

        static Args parse(String[] a) {
            String model = null;
            EngineKind engine = EngineKind.ONNX;
            List<String> maps = new ArrayList<>();
            String out = null;
            boolean json = false;
            int limit = 50;
            for (int i = 0; i < a.length; i++) {
                switch (a[i]) {
                    case "--model" -> model = JobMain.value(a, ++i);
                    case "--engine" -> engine = EngineKind.parse(JobMain.value(a, ++i));
                    case "--out" -> out = JobMain.value(a, ++i);
                    case "--json" -> json = true;
                    case "--limit" -> limit = Integer.parseInt(JobMain.value(a, ++i));
                    default -> {
                        if (a[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + a[i] + "'");
                        }
                        maps.add(a[i]);
                    }
                }
            }
            if (model == null || maps.isEmpty()) {
                throw new IllegalArgumentException("--model and at least one MAPS path are required");
            }
            if (engine != EngineKind.ONNX && engine != EngineKind.JAVA) {
                throw new IllegalArgumentException("--engine on Spark must be onnx or java (executors carry no"
                        + " Deeplearning4j or GPU engine), got " + engine.name().toLowerCase(Locale.ROOT));
            }
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit);
            }
            return new Args(model, engine, List.copyOf(maps), out, json, limit);
        }

    }

    /**
     * @param args the options above
     */
    public static void main(String[] args) {
        JobMain.run(args, "adc classify", "AdcClassifyJob --model MODEL.fabai [--engine onnx|java] [--out PATH] [--json]"
                + " [--limit N] MAPS...",
                Args::parse, AdcClassifyJob::run);
    }

    /**
     * The maps of a local NPZ file (WM-811K layout, as {@code fabai adc classify} reads it), read on
     * the driver: for trying the job on a file at hand; a fleet's maps come as Parquet. The maps keep
     * the reader's wafer ids (their index in the file, as the CLI shows them); a map without one is
     * named {@code FILE#INDEX}.
     */
    private static Dataset<Row> npz(SparkSession spark, String path) {
        java.nio.file.Path f = java.nio.file.Path.of(path);
        List<org.fabai.core.wafer.WaferMap> maps = new ArrayList<>();
        try {
            List<org.fabai.core.wafer.WaferMap> in = org.fabai.core.io.npy.WaferMapArrays.readNpz(f).maps();
            for (int i = 0; i < in.size(); i++) {
                org.fabai.core.wafer.WaferMap m = in.get(i);
                boolean named = m.waferId() != null && !m.waferId().isBlank();
                maps.add(named ? m : m.withIds(m.lotId(), f.getFileName() + "#" + i));
            }
        } catch (java.io.IOException | org.fabai.core.io.FormatException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        return SparkAdc.mapsFrame(spark, maps);
    }

    /**
     * The maps of one MAPS argument: a local NPZ; a die table (CSV, or Parquet with the die table's
     * columns); or Parquet maps.
     */
    private static Dataset<Row> maps(SparkSession spark, String p) {
        if (p.toLowerCase(Locale.ROOT).endsWith(".npz")) {
            return npz(spark, p);
        }
        if (SparkDieTables.isCsv(p)) {
            return SparkDieTables.maps(SparkDieTables.read(spark, p));
        }
        Dataset<Row> d = JobErrors.unwrapped(() -> spark.read().parquet(p));
        if (SparkDieTables.isDieTable(d)) {
            return SparkDieTables.maps(d);
        }
        java.util.Set<String> cols = SparkCommonality.columns(d).keySet();
        if (!cols.contains("codes")) {
            throw new IllegalArgumentException(p + ": neither wafer maps (wafer_id, rows, cols, codes) nor a die table ("
                    + String.join(", ", SparkDieTables.REQUIRED) + "); found " + List.of(d.columns()));
        }
        return d;
    }

    /**
     * Runs the job on a session and prints the result.
     *
     * @return 0, or 3 for bad input
     */
    static int run(SparkSession spark, Args a, PrintStream out, PrintStream err) {
        long t0 = System.nanoTime();
        Dataset<Row> pred;
        Map<String, Long> counts = new TreeMap<>();
        List<Row> first;
        try {
            Dataset<Row> maps = null;
            for (String p : a.maps()) {
                Dataset<Row> d = maps(spark, p);
                maps = maps == null ? d : maps.unionByName(d, true);
            }
            pred = SparkAdc.classify(maps, SparkAdc.readModel(spark, a.model()), a.model(), a.engine()).cache();
            Dataset<Row> p = pred;
            for (Row r : JobErrors.unwrapped(() -> p.groupBy("label").count().collectAsList())) {
                counts.put(r.getString(0), r.getLong(1));
            }
            first = a.limit() == 0 ? p.collectAsList() : p.limit(a.limit()).collectAsList();
            if (a.out() != null) {
                if (a.out().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    p.withColumn("probabilities", org.apache.spark.sql.functions.concat_ws(";",
                            org.apache.spark.sql.functions.col("probabilities").cast("array<string>")))
                            .write().option("header", "true").csv(a.out());
                } else {
                    p.write().parquet(a.out());
                }
            }
        } catch (ModelFileException | IllegalArgumentException e) {
            err.println("fabai-spark adc classify: " + e.getMessage());
            return 3;
        }
        long n = counts.values().stream().mapToLong(Long::longValue).sum();
        err.printf(Locale.ROOT, "fabai-spark adc classify: %,d maps in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        if (a.json()) {
            StringBuilder sb = new StringBuilder("{\"schema\": \"fabai/spark-adc-classify\", \"version\": 1, \"model\": ")
                    .append(JsonText.quote(a.model())).append(", \"maps\": ").append(n).append(", \"labels\": {");
            int k = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                sb.append(k++ == 0 ? "" : ", ").append(JsonText.quote(e.getKey())).append(": ").append(e.getValue());
            }
            sb.append("}, \"predictions\": [");
            for (int i = 0; i < first.size(); i++) {
                Row r = first.get(i);
                sb.append(i == 0 ? "" : ", ").append("{\"waferId\": ").append(JsonText.quote(r.getString(0)))
                        .append(", \"lotId\": ").append(JsonText.quote(r.getString(1)))
                        .append(", \"label\": ").append(JsonText.quote(r.getString(2)))
                        .append(", \"bestClass\": ").append(JsonText.quote(r.getString(3)))
                        .append(", \"confidence\": ").append(JsonText.num(r.getDouble(4)));
                if (!r.isNullAt(6)) {
                    sb.append(", \"file\": ").append(JsonText.quote(r.getString(6)));
                }
                sb.append('}');
            }
            out.println(sb.append("]}"));
        } else {
            out.printf(Locale.ROOT, "%d maps%n", n);
            counts.forEach((l, c) -> out.printf(Locale.ROOT, "  %-16s %,d%n", l, c));
            // maps from die tables name their source file (two files may hold the same lot and wafer ids)
            boolean files = first.stream().anyMatch(r -> !r.isNullAt(6) && !r.getString(6).isEmpty());
            out.printf(Locale.ROOT, "%-12s %-12s %-16s %-16s %10s%s%n", "lot", "wafer", "label", "best class", "confidence",
                    files ? "  file" : "");
            for (Row r : first) {
                out.printf(Locale.ROOT, "%-12s %-12s %-16s %-16s %10.4f%s%n",
                        r.isNullAt(1) || r.getString(1).isEmpty() ? "-" : r.getString(1),
                        r.getString(0), r.getString(2), r.getString(3), r.getDouble(4),
                        files ? "  " + (r.isNullAt(6) ? "-" : r.getString(6)) : "");
            }
        }
        out.flush();
        return 0;
    }
}
