package org.fabai.benchmarks.adc;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * adc's small-model path: engineered feature extraction ({@link WaferFeatureExtractor}, OpenCV
 * natives) of one 64x64 map, of a batch of 256 generated maps on one thread and on all processors
 * ({@link FeatureClassifier#extractParallel}), a random-forest prediction of one map, and the class
 * probabilities of the real-data soft vote for one feature vector.
 *
 * <p>The single map is the one the Python peer {@code peers/features_skimage.py} builds (its own
 * seeded generator, so the random dies differ, the shapes do not): a disc of dies 64 across with
 * 5 % random failing dies, a failing blob of radius 6 centred at row 20, column 40, and a 1-die-wide
 * scratch from (45, 10) to (30, 50). The extractor caches per-grid constants, so repeated calls on
 * one grid measure the per-map work, as the peer does.
 *
 * <p>Eight warm-up iterations: on a loaded 2-core machine the extraction was still getting faster
 * after three (JIT compilation competes with other processes for the cores).
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-Xms512m", "-Xmx1g",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class FeatureBench {

    /** Grid side of every map here. */
    public static final int SIDE = 64;
    /** Maps in the parallel batch. */
    public static final int BATCH = 256;

    WaferMap map64;
    List<WaferMap> batch;
    WaferFeatureExtractor extractor;
    FeatureClassifier classifier;

    /** Creates the benchmark (JMH calls it). */
    public FeatureBench() {
    }

    /**
     * The peer's test map: disc, 5 % random failures, blob and scratch (see the class comment).
     *
     * @param seed seed of the random failing dies
     * @return the 64x64 map
     */
    public static WaferMap blobAndScratch(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        boolean[][] fail = new boolean[SIDE][SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                fail[r][c] = rnd.nextDouble() < 0.05 || (r - 20) * (r - 20) + (c - 40) * (c - 40) <= 36;
            }
        }
        for (int i = 0; i < 200; i++) {
            double t = i / 199.0;
            fail[(int) Math.round(45 - 15 * t)][(int) Math.round(10 + 40 * t)] = true;
        }
        double centre = (SIDE - 1) / 2.0;
        double r2 = (SIDE / 2.0) * (SIDE / 2.0);
        WaferMap.Builder b = WaferMap.builder(SIDE, SIDE).lotId("BENCH").waferId("blob-scratch-" + seed);
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                if ((r - centre) * (r - centre) + (c - centre) * (c - centre) <= r2) {
                    b.state(r, c, fail[r][c] ? DieState.FAIL : DieState.GOOD);
                }
            }
        }
        return b.build();
    }

    /**
     * Builds the map, a batch of generated 64x64 maps of all nine classes, and a random forest
     * (default configuration: 200 trees) trained on 20 generated maps per class.
     */
    @Setup
    public void setUp() {
        map64 = blobAndScratch(64);
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(SIDE));
        batch = WaferMapGenerator.maps(gen.balanced(BATCH / 9 + 1, 256)).subList(0, BATCH);
        extractor = new WaferFeatureExtractor();
        List<SyntheticWafer> train = gen.balanced(20, 20);
        classifier = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train),
                FeatureClassifierConfig.defaults().withSeed(20));
    }

    /** Frees the native buffers. */
    @TearDown
    public void tearDown() {
        extractor.close();
        classifier.close();
    }

    /** @return the feature vector of the 64x64 blob-and-scratch map */
    @Benchmark
    public double[] extract64() {
        return extractor.extract(map64);
    }

    /** @return the feature vectors of 256 generated 64x64 maps by one reused extractor, on this thread */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double[][] extractAll256() {
        return extractor.extractAll(batch);
    }

    /**
     * @return the feature vectors of the same 256 maps by {@link FeatureClassifier#extractParallel}
     *         (new extractors and threads per call, one per processor)
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double[][] extractParallel256() {
        return FeatureClassifier.extractParallel(batch);
    }

    /** @return the random forest's prediction for the 64x64 map (features included) */
    @Benchmark
    public Prediction predict64() {
        return classifier.predict(map64);
    }

    /**
     * The soft vote of the real-data recipe ({@link FeatureClassifierConfig#realDataDefaults}: forest,
     * boosting, SVM and logistic regression) fitted on 20 generated maps per class, and the feature
     * vector of the 64x64 map. A state of its own, so that the other benchmarks do not pay its fit.
     */
    @State(Scope.Benchmark)
    public static class Vote {
        FeatureClassifier vote;
        FeatureClassifier loaded;
        double[] features;

        /** Creates the state (JMH calls it). */
        public Vote() {
        }

        /** Fits the vote and extracts the map's features once. */
        @Setup
        public void setUp() {
            WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(SIDE));
            List<SyntheticWafer> train = gen.balanced(20, 20);
            vote = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train),
                    FeatureClassifierConfig.realDataDefaults(20));
            try {
                java.nio.file.Path f = java.nio.file.Files.createTempFile("fabai-bench-vote", ".fabai");
                vote.save(f);
                loaded = FeatureClassifier.load(f);
                java.nio.file.Files.delete(f);
            } catch (java.io.IOException | org.fabai.adc.model.ModelFileException e) {
                throw new IllegalStateException("saving and loading the vote failed", e);
            }
            try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
                features = x.extract(blobAndScratch(64));
            }
        }

        /** Frees the native buffers. */
        @TearDown
        public void tearDown() {
            vote.close();
            loaded.close();
        }
    }

    /**
     * @param v the fitted vote
     * @return the vote's class probabilities for the 64x64 map's feature vector (the four learners and
     *         their mean; feature extraction is {@link #extract64})
     */
    @Benchmark
    public double[] voteProbabilities64(Vote v) {
        return v.vote.probabilities(v.features);
    }

    /**
     * @param v the fitted vote
     * @return the same vote's probabilities after a save and load: the model read from its stored
     *         parameters (fabai's tree walk, kernel expansion and softmax instead of Smile's objects;
     *         beside {@link #voteProbabilities64}, the ratio says what a loaded model costs per map)
     */
    @Benchmark
    public double[] voteProbabilities64Loaded(Vote v) {
        return v.loaded.probabilities(v.features);
    }
}
