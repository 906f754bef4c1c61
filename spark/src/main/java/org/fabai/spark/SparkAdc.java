package org.fabai.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.model.cnn.OnnxCnnClassifier;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.core.wafer.WaferMap;

/**
 * Batch classification of wafer maps on Apache Spark with a CNN model file ({@code fabai adc train
 * --model cnn}), served by ONNX Runtime from the file's ONNX section (no Deeplearning4j on the
 * executors): the predictions of {@code fabai adc classify --engine onnx} on the same maps.
 *
 * <p>The model file's bytes are broadcast once; each executor JVM opens <em>one</em> ONNX Runtime
 * session per model (kept for the JVM's life, shared by its tasks, which ONNX Runtime allows) and
 * classifies its partitions in batches of up to {@value #BATCH} maps. The session runs one intra-op
 * thread, since Spark already runs one task per core.
 *
 * <p>Maps are a DataFrame with one row per wafer: {@code wafer_id} (text), optionally {@code
 * lot_id} (text), {@code rows} and {@code cols} (integers) and {@code codes} (binary: {@code
 * rows*cols} bytes, row-major, WM-811K codes 0 off, 1 good, 2 fail), optionally {@code file} (text: the
 * source file, carried to the predictions); names are case-insensitive.
 * {@link #mapsFrame} writes one from {@link WaferMap}s; {@link SparkDieTables#maps} rebuilds one from a
 * die table of {@code fabai inspect --dies}. A row with a null id, a non-positive size,
 * a {@code codes} of the wrong length or another code throws an {@link IllegalArgumentException}
 * naming the wafer.
 *
 * <p>Stateless apart from the per-JVM session cache; thread-safe as far as the SparkSession is.
 */
public final class SparkAdc {

    /** Maps per ONNX Runtime call. */
    public static final int BATCH = 256;

    /** The schema of a maps DataFrame ({@link #mapsFrame}). */
    public static final StructType MAPS = new StructType(new StructField[] {
        DataTypes.createStructField("wafer_id", DataTypes.StringType, false),
        DataTypes.createStructField("lot_id", DataTypes.StringType, true),
        DataTypes.createStructField("rows", DataTypes.IntegerType, false),
        DataTypes.createStructField("cols", DataTypes.IntegerType, false),
        DataTypes.createStructField("codes", DataTypes.BinaryType, false)});

    /** The schema of {@link #classify}'s result. */
    public static final StructType PREDICTIONS = new StructType(new StructField[] {
        DataTypes.createStructField("wafer_id", DataTypes.StringType, false),
        DataTypes.createStructField("lot_id", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.StringType, false),
        DataTypes.createStructField("best_class", DataTypes.StringType, false),
        DataTypes.createStructField("confidence", DataTypes.DoubleType, false),
        DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        DataTypes.createStructField("file", DataTypes.StringType, true)});

    /** Per executor JVM: model digest and engine to its open classifier. */
    private static final Map<String, OnnxCnnClassifier> SESSIONS = new ConcurrentHashMap<>();

    private SparkAdc() {
    }

    /**
     * A maps DataFrame of the given maps (ids from {@link WaferMap#waferId()} and {@link
     * WaferMap#lotId()}).
     *
     * @param spark the session
     * @param maps  the maps
     * @return the DataFrame, schema {@link #MAPS}
     */
    public static Dataset<Row> mapsFrame(SparkSession spark, List<WaferMap> maps) {
        List<Row> rows = new ArrayList<>(maps.size());
        for (WaferMap m : maps) {
            rows.add(RowFactory.create(m.waferId(), m.lotId(), m.rows(), m.cols(), m.codes()));
        }
        return spark.createDataFrame(rows, MAPS);
    }

    /**
     * Reads a model file through the cluster's file systems (local, HDFS, S3, ...) on the driver.
     *
     * @param spark the session
     * @param path  the model file
     * @return its bytes
     * @throws IllegalArgumentException when the path names no file
     */
    public static byte[] readModel(SparkSession spark, String path) {
        List<Row> r = JobErrors.unwrapped(() -> spark.read().format("binaryFile").load(path).select("content").collectAsList());
        if (r.size() != 1) {
            throw new IllegalArgumentException("model " + path + ": expected one file, found " + r.size());
        }
        return r.get(0).getAs(0);
    }

    /**
     * Classifies every map. The model file is parsed on the driver first, so a bad file fails here,
     * before any task runs.
     *
     * @param maps   maps (see the class comment)
     * @param model  the CNN model file's bytes
     * @param source the model's name, for messages
     * @param engine {@link EngineKind#ONNX} (ONNX Runtime) or {@link EngineKind#JAVA}
     * @return a lazy DataFrame of predictions (schema {@link #PREDICTIONS}), in the maps' order
     * @throws ModelFileException       when the model file is not a valid CNN model
     * @throws IllegalArgumentException on a missing column, or another engine kind
     */
    public static Dataset<Row> classify(Dataset<Row> maps, byte[] model, String source, EngineKind engine)
            throws ModelFileException {
        Objects.requireNonNull(model, "model");
        // fail on the driver on a bad file: open it once here (and keep it: local mode shares this JVM)
        String key = ModelFile.sha256Hex(model) + "/" + engine;
        session(key, model, source, engine);
        Map<String, String> cols = SparkCommonality.columns(maps);
        for (String c : List.of("wafer_id", "rows", "cols", "codes")) {
            if (!cols.containsKey(c)) {
                throw new IllegalArgumentException("maps lack column '" + c + "' (need wafer_id, rows, cols, codes;"
                        + " lot_id optional); found " + List.of(maps.columns()));
            }
        }
        Dataset<Row> m = maps.select(col(cols.get("wafer_id")).cast("string"),
                cols.containsKey("lot_id") ? col(cols.get("lot_id")).cast("string") : lit(null).cast("string"),
                col(cols.get("rows")).cast("int"), col(cols.get("cols")).cast("int"), col(cols.get("codes")).cast("binary"),
                cols.containsKey("file") ? col(cols.get("file")).cast("string") : lit(null).cast("string"));
        SparkSession spark = maps.sparkSession();
        Broadcast<byte[]> bytes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        JavaRDD<Row> out = m.javaRDD().mapPartitions(rows -> classifyPartition(rows, key, bytes, source, engine));
        return spark.createDataFrame(out, PREDICTIONS);
    }

    private static OnnxCnnClassifier session(String key, byte[] model, String source, EngineKind engine)
            throws ModelFileException {
        OnnxCnnClassifier c = SESSIONS.get(key);
        if (c != null) {
            return c;
        }
        synchronized (SESSIONS) {
            c = SESSIONS.get(key);
            if (c == null) {
                c = OnnxCnnClassifier.open(model, source, engine,
                        OnnxRuntimeEngine.Options.defaults().withIntraOpThreads(1));
                SESSIONS.put(key, c);
            }
            return c;
        }
    }

    private static Iterator<Row> classifyPartition(Iterator<Row> rows, String key, Broadcast<byte[]> model, String source,
                                                   EngineKind engine) throws ModelFileException {
        OnnxCnnClassifier c = session(key, model.value(), source, engine);
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                ready.clear();
                next = 0;
                List<WaferMap> batch = new ArrayList<>(BATCH);
                List<Row> ids = new ArrayList<>(BATCH);
                while (batch.size() < BATCH && rows.hasNext()) {
                    Row r = rows.next();
                    batch.add(map(r));
                    ids.add(r);
                }
                if (batch.isEmpty()) {
                    return false;
                }
                List<Prediction> p = c.predictBatch(batch);
                for (int i = 0; i < p.size(); i++) {
                    Prediction x = p.get(i);
                    ready.add(RowFactory.create(ids.get(i).getString(0), ids.get(i).getString(1), x.label(), x.bestClass(),
                            x.confidence(), x.probabilities(), ids.get(i).getString(5)));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    /**
     * One row of a normalized maps DataFrame as a map.
     *
     * @param r {@code wafer_id, lot_id, rows, cols, codes}
     * @return the map, with its ids
     * @throws IllegalArgumentException naming the wafer when a value is missing or out of range
     */
    static WaferMap map(Row r) {
        String id = r.isNullAt(0) ? "" : r.getString(0).strip();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a wafer map has an empty wafer_id");
        }
        if (r.isNullAt(2) || r.isNullAt(3) || r.getInt(2) < 1 || r.getInt(3) < 1) {
            throw new IllegalArgumentException("wafer " + id + ": rows and cols must be positive integers, got "
                    + r.get(2) + " x " + r.get(3));
        }
        if (r.isNullAt(4)) {
            throw new IllegalArgumentException("wafer " + id + ": codes is null");
        }
        byte[] codes = r.getAs(4);
        try {
            WaferMap m = WaferMap.fromCodes(r.getInt(2), r.getInt(3), codes);
            return m.withIds(r.isNullAt(1) ? "" : r.getString(1), id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wafer " + id + ": " + e.getMessage(), e);
        }
    }
}
