package org.fabai.benchmarks.adc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.Dl4jBackend;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compact wafer-map CNN of issue 7 (64x64 one-hot input, conv3x3x16, pool, conv3x3x32, pool,
 * dense 64, 9 outputs): inference at batch 1 and 256 on ONNX Runtime (fabai's serving engine,
 * the network exported by fabai's own exporter) and on Deeplearning4j (the reference), and one
 * training epoch on Deeplearning4j (2048 maps, mini-batches of 64, Adam, as the PyTorch peer
 * {@code benchmarks/peers/cnn_torch.py} does). The inputs are encoded once in setup, as the peer's
 * tensors are: the figures are the engines' forward (or training) time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=4G",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CnnBench {

    private static final int N = 64;
    private static final int EPOCH_MAPS = 2048;
    private static final int TRAIN_BATCH = 64;

    private CnnClassifier model;
    private InferenceEngine onnx;
    private InferenceEngine dl4j;
    private float[] batch1;
    private float[] batch256;
    private ComputationGraph trainNet;
    private Dl4jBackend.Training training;
    private List<DataSet> epoch;

    /** Trains a small model (its weights do not matter for speed), opens both engines, encodes the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(N));
        List<SyntheticWafer> small = gen.balanced(10, 3);
        model = CnnClassifier.train(WaferMapGenerator.maps(small), WaferMapGenerator.labels(small),
                CnnConfig.defaults(3).withArchitecture(CnnConfig.Architecture.COMPACT).withInputSize(N)
                        .withEpochs(1).withAugment(false));
        onnx = model.openEngine(EngineKind.ONNX);
        dl4j = model.openEngine(EngineKind.DL4J);
        List<WaferMap> maps = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        DefectPattern[] classes = DefectPattern.values();
        for (int i = 0; i < EPOCH_MAPS; i++) {
            maps.add(gen.generate(classes[i % classes.length], WaferMapGenerator.mix(11, i)).map());
            labels.add(i % classes.length);
        }
        batch1 = WaferEncoding.ONE_HOT.encode(maps.subList(0, 1), N);
        batch256 = WaferEncoding.ONE_HOT.encode(maps.subList(0, 256), N);
        float[] all = WaferEncoding.ONE_HOT.encode(maps, N);
        int per = 3 * N * N;
        epoch = new ArrayList<>();
        for (int b = 0; b < EPOCH_MAPS / TRAIN_BATCH; b++) {
            float[] x = new float[TRAIN_BATCH * per];
            System.arraycopy(all, b * TRAIN_BATCH * per, x, 0, x.length);
            float[] y = new float[TRAIN_BATCH * classes.length];
            for (int i = 0; i < TRAIN_BATCH; i++) {
                y[i * classes.length + labels.get(b * TRAIN_BATCH + i)] = 1f;
            }
            epoch.add(new DataSet(Nd4j.create(x, new long[] {TRAIN_BATCH, 3, N, N}),
                    Nd4j.create(y, new long[] {TRAIN_BATCH, classes.length})));
        }
        trainNet = model.network().clone();
        Dl4jBackend.accelerate(trainNet);
    }

    /** Releases the engines and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (training != null) {
            training.close();
        }
        onnx.close();
        dl4j.close();
        model.close();
    }

    /** @return class probabilities of one map, ONNX Runtime */
    @Benchmark
    public float[][] inferOnnxBatch1() {
        return onnx.forward(batch1, 1);
    }

    /** @return class probabilities of 256 maps, ONNX Runtime */
    @Benchmark
    public float[][] inferOnnxBatch256() {
        return onnx.forward(batch256, 256);
    }

    /** @return class probabilities of one map, Deeplearning4j */
    @Benchmark
    public float[][] inferDl4jBatch1() {
        return dl4j.forward(batch1, 1);
    }

    /** @return class probabilities of 256 maps, Deeplearning4j */
    @Benchmark
    public float[][] inferDl4jBatch256() {
        return dl4j.forward(batch256, 256);
    }

    /** @return the score after one epoch (2048 maps, 32 mini-batches of 64) on Deeplearning4j */
    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public double trainEpochDl4j() {
        if (training == null) {
            // as CnnTrainer trains; opened here, in the first (warm-up) call, so that the inference
            // benchmarks' trials never run inside a training session (it sets ND4J's BLAS threads)
            training = Dl4jBackend.trainingSession(trainNet);
        }
        for (DataSet mini : epoch) {
            trainNet.fit(mini);
        }
        return trainNet.score();
    }
}
