package org.fabai.benchmarks.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.benchmarks.PeerOf;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.fabai.spark.SparkAdc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch ADC on Spark ({@code AdcClassifyJob}'s path: Parquet maps read, {@link SparkAdc#classify} with one ONNX
 * Runtime session per executor JVM, predictions collected) on local[2], beside the single JVM ({@code fabai adc
 * classify --engine onnx}'s path: the NPZ read, {@code CnnClassifier.predictBatch} on ONNX Runtime) on the same
 * {@code maps} 32x32 maps and the same small CNN (compact, test-time augmentation on: eight forwards per map).
 * Both sides read their file in every operation and use the machine's two cores (Spark: two tasks of one ONNX
 * thread; the single JVM: one ONNX session of its default threads). The model is trained in setup (a few
 * seconds); its weights do not matter for speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false"})
public class SparkAdcBench {

    /** Maps per operation. */
    @Param("256")
    public int maps;

    private SparkSession spark;
    private Path dir;
    private Path npz;
    private String parquet;
    private String modelName;
    private byte[] model;
    private CnnClassifier loaded;
    private CnnClassifier cli;

    /**
     * Trains the CNN, writes the maps as NPZ (the CLI's input) and as Parquet maps in two files (the job's), opens
     * the CLI's ONNX classifier and the local[2] session.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, ModelFileException {
        dir = Files.createTempDirectory("fabai-spark-adc-bench");
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(32));
        List<SyntheticWafer> train = gen.balanced(8, 1);
        CnnConfig cfg = new CnnConfig(32, CnnConfig.Architecture.COMPACT, 1, 2, 16, 3e-3, 1e-4, false, true, 3, 0.2, 0.05,
                0, true, 1, 7);
        Path modelFile = dir.resolve("cnn.fabai");
        try (CnnClassifier c = CnnClassifier.train(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train), cfg)) {
            c.save(modelFile);
        }
        modelName = modelFile.toString();
        model = Files.readAllBytes(modelFile);
        List<WaferMap> raw = WaferMapGenerator.maps(gen.balanced((maps + 8) / 9, 2)).subList(0, maps);
        List<WaferMap> named = new ArrayList<>(maps);
        for (int i = 0; i < raw.size(); i++) {
            named.add(raw.get(i).withIds("L" + (i / 25), "W" + i));
        }
        npz = dir.resolve("maps.npz");
        // the NPZ reader names a map by its index in the file: the ids stay out of it, as in WM-811K files
        List<WaferMap> bare = new ArrayList<>(maps);
        for (WaferMap m : raw) {
            bare.add(m.withIds("", ""));
        }
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(bare, List.of(), List.of()), npz, true);
        spark = LocalSpark.get();
        parquet = dir.resolve("maps.parquet").toString();
        SparkAdc.mapsFrame(spark, named).repartition(2).write().parquet(parquet);
        loaded = CnnClassifier.load(modelFile);
        cli = loaded.withEngine(EngineKind.ONNX);
    }

    /** Closes the classifier, stops Spark, deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cli.close();
        loaded.close();
        spark.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The Spark job's path on local[2].
     *
     * @return the predictions, one row per map
     */
    @Benchmark
    public List<Row> sparkClassify() throws ModelFileException {
        return SparkAdc.classify(spark.read().parquet(parquet), model, modelName, EngineKind.ONNX).collectAsList();
    }

    /**
     * The CLI's path in one JVM.
     *
     * @return the predictions, one per map
     */
    @Benchmark
    @PeerOf(value = "sparkClassify", name = "one JVM: fabai adc classify --engine onnx (NPZ read + CnnClassifier.predictBatch)")
    public List<?> singleJvmClassify() throws IOException, FormatException {
        return cli.predictBatch(WaferMapArrays.readNpz(npz).maps());
    }
}
