package org.fabai.adc.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;
import smile.classification.GradientTreeBoost;
import smile.classification.PlattScaling;
import smile.classification.RandomForest;
import smile.classification.SVM;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.data.measure.NominalScale;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;

/**
 * The small-model wafer-map classifier: engineered features ({@link WaferFeatureExtractor}) and a
 * Smile learner (random forest by default; SVM, gradient boosting, logistic regression or a soft vote of all four as options), with an
 * unknown-reject threshold calibrated on held-out validation maps, and provenance.
 *
 * <h2>Fitting</h2>
 * {@link #fit} extracts features, holds out {@code validationFraction} of the maps — whole lots when
 * the maps carry lot ids ({@link WaferMap#lotId()}; maps of one lot are alike, so a threshold
 * calibrated on maps of the training lots would be too lenient on new lots), else of each class
 * (stratified), seeded — standardises features on the training part, fits the learner on the training part
 * (class-balanced when configured), then measures validation metrics and calibrates the
 * {@link UnknownThreshold} to the configured false-reject rate on the validation part. The kept
 * model is then re-fitted on every map, the validation part included (labels are scarce in a fab;
 * the threshold and the validation figures come from the held-out fit, so the reject rate on new
 * in-distribution maps tends to fall a little below the configured rate).
 *
 * <h2>Saving: format and why</h2>
 * {@link #save} writes a {@link ModelFile} of kind {@value #KIND}, content version
 * {@value #FORMAT_VERSION}. Smile's fitted models can only be persisted by Java serialization, which
 * fabai does not use (fragile across library versions, unsafe to read). Instead the file holds
 * what is needed to <em>re-fit the identical model deterministically</em>: the configuration and
 * seed, class and feature names, the feature version, the training feature matrix
 * (section {@code train.x}, little-endian doubles, rows x features) and labels ({@code train.y},
 * little-endian int32 class indices), plus the model's probabilities on up to 256 training rows
 * (section {@code probe.p}). {@link #load} re-fits and compares those probabilities (tolerance
 * 1e-9): if a different Smile version or platform fits another model, loading fails with
 * {@link ModelFileException.Reason#INVALID_CONTENT} instead of silently predicting differently.
 * The cost: loading takes as long as the fit of the training part (seconds for thousands of
 * maps), and the file grows with the training set (8 bytes per feature per map). Header keys
 * also record the library versions, the training-data summary (class counts, grid sizes),
 * validation metrics and the calibrated threshold.
 *
 * <p>Thread-safe for prediction (each thread uses its own native feature extractor); fitting
 * creates new instances. {@link #close()} frees the extractors' native buffers; the model cannot
 * predict maps after it (feature vectors still work).
 */
public final class FeatureClassifier implements WaferMapClassifier {

    /** Model kind in the {@link ModelFile} header. */
    public static final String KIND = "feature-classifier";
    /** Content version written by this class. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(FeatureClassifier.class);
    private static final int PROBES = 256;
    private static final double PROBE_TOLERANCE = 1e-9;

    private final FeatureClassifierConfig config;
    private final List<String> classNames;
    private final List<String> featureNames;
    private final Fitted fitted;
    private final double[][] trainX;
    private final int[] trainY;
    private final UnknownThreshold threshold;
    private final Map<String, String> provenance;
    private final List<WaferFeatureExtractor> extractors = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<WaferFeatureExtractor> local = ThreadLocal.withInitial(this::newExtractor);
    private volatile boolean closed;

    private FeatureClassifier(FeatureClassifierConfig config, List<String> classNames, List<String> featureNames,
                              Fitted fitted, double[][] trainX, int[] trainY, UnknownThreshold threshold,
                              Map<String, String> provenance) {
        this.config = config;
        this.classNames = List.copyOf(classNames);
        this.featureNames = List.copyOf(featureNames);
        this.fitted = fitted;
        this.trainX = trainX;
        this.trainY = trainY;
        this.threshold = threshold;
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    private WaferFeatureExtractor newExtractor() {
        if (closed) {
            throw new IllegalStateException("classifier is closed");
        }
        WaferFeatureExtractor x = new WaferFeatureExtractor();
        extractors.add(x);
        return x;
    }

    /**
     * Fits a classifier to labelled wafer maps.
     *
     * @param maps   wafer maps (any sizes)
     * @param labels their class names
     * @param config configuration
     * @return the fitted classifier
     * @throws IllegalArgumentException if the inputs are empty, of different lengths, or hold fewer than 2 classes
     */
    public static FeatureClassifier fit(List<WaferMap> maps, List<String> labels, FeatureClassifierConfig config) {
        if (maps.size() != labels.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, labels " + labels.size());
        }
        double[][] x = extractParallel(maps);
        Map<String, String> summary = new LinkedHashMap<>();
        double fr = 0;
        for (WaferMap m : maps) {
            fr += m.failRatio();
        }
        String[] ranges = org.fabai.core.wafer.MapSizing.sizeRanges(maps);
        summary.put("data.rows", ranges[0]);
        summary.put("data.cols", ranges[1]);
        summary.put("data.meanFailRatio", String.format(Locale.ROOT, "%.5f", fr / Math.max(1, maps.size())));
        String[] lots = new String[maps.size()];
        for (int i = 0; i < lots.length; i++) {
            lots[i] = maps.get(i).lotId();
        }
        return fitFeatures(x, labels, lots, config, summary);
    }

    /**
     * Fits a classifier to feature vectors already extracted with {@link WaferFeatureExtractor}
     * (of the current {@link WaferFeatureExtractor#FEATURE_VERSION}).
     *
     * @param features one vector per map, {@link WaferFeatureExtractor#dimension()} long, finite
     * @param labels   class names
     * @param config   configuration
     * @return the fitted classifier
     */
    public static FeatureClassifier fitFeatures(double[][] features, List<String> labels, FeatureClassifierConfig config) {
        return fitFeatures(features, labels, null, config, Map.of());
    }

    /**
     * Fits a classifier to feature vectors already extracted, holding out whole lots for
     * validation and the reject threshold (as {@link #fit} does with the maps' lot ids).
     *
     * @param features one vector per map, {@link WaferFeatureExtractor#dimension()} long, finite
     * @param labels   class names
     * @param lots     per map its lot id, null or empty when unknown (then the map is a lot of its own)
     * @param config   configuration
     * @return the fitted classifier
     */
    public static FeatureClassifier fitFeatures(double[][] features, List<String> labels, List<String> lots,
                                                FeatureClassifierConfig config) {
        if (lots.size() != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " rows, lots " + lots.size());
        }
        return fitFeatures(features, labels, lots.toArray(new String[0]), config, Map.of());
    }

    private static FeatureClassifier fitFeatures(double[][] x, List<String> labels, String[] lots,
                                                 FeatureClassifierConfig config, Map<String, String> dataSummary) {
        Objects.requireNonNull(config, "config");
        int d = WaferFeatureExtractor.dimension();
        if (x.length != labels.size()) {
            throw new IllegalArgumentException("features has " + x.length + " rows, labels " + labels.size());
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("feature row " + i + " has " + x[i].length + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("feature row " + i + " '" + WaferFeatureExtractor.featureNames().get(j)
                            + "' is " + x[i][j]);
                }
            }
            Objects.requireNonNull(labels.get(i), "label " + i);
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(labels));
        if (classes.size() < 2) {
            throw new IllegalArgumentException("need at least 2 classes to fit, got " + classes);
        }
        if (classes.contains(Prediction.UNKNOWN)) {
            throw new IllegalArgumentException("'" + Prediction.UNKNOWN + "' is reserved for rejected predictions, not a class");
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            idx.put(classes.get(i), i);
        }
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = idx.get(labels.get(i));
        }
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> valIdx = new ArrayList<>();
        boolean byLot = lots != null && holdOutLots(y, classes.size(), lots, config, trainIdx, valIdx);
        if (!byLot) {
            trainIdx.clear();
            valIdx.clear();
            stratifiedHoldOut(y, classes.size(), config, trainIdx, valIdx);
        }
        Collections.sort(trainIdx);
        Collections.sort(valIdx);
        double[][] tx = new double[trainIdx.size()][];
        int[] ty = new int[trainIdx.size()];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = x[trainIdx.get(i)].clone();
            ty[i] = y[trainIdx.get(i)];
        }
        long t0 = System.nanoTime();
        Fitted f = Fitted.fit(tx, ty, classes.size(), config);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        // validation: metrics and threshold
        Map<String, String> prov = new LinkedHashMap<>(dataSummary);
        prov.put("validation.split", byLot ? "lots" : "maps");
        UnknownThreshold thr;
        if (valIdx.isEmpty()) {
            thr = UnknownThreshold.none();
            prov.put("validation.size", "0");
        } else {
            double[] conf = new double[valIdx.size()];
            long correct = 0;
            long[][] cm = new long[classes.size()][classes.size()];
            for (int i = 0; i < conf.length; i++) {
                double[] p = f.proba(x[valIdx.get(i)]);
                int best = argmax(p);
                conf[i] = p[best];
                cm[y[valIdx.get(i)]][best]++;
                if (best == y[valIdx.get(i)]) {
                    correct++;
                }
            }
            thr = UnknownThreshold.calibrate(conf, config.falseRejectRate());
            prov.put("validation.size", Integer.toString(valIdx.size()));
            prov.put("validation.accuracy", fmt((double) correct / conf.length));
            double f1sum = 0;
            double f1NoNone = 0;
            int nNoNone = 0;
            for (int c = 0; c < classes.size(); c++) {
                long tp = cm[c][c];
                long row = Arrays.stream(cm[c]).sum();
                long col = 0;
                for (long[] r : cm) {
                    col += r[c];
                }
                double p = col == 0 ? 0 : (double) tp / col;
                double r = row == 0 ? 0 : (double) tp / row;
                double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
                prov.put("validation.f1." + safeKey(classes.get(c)), fmt(f1));
                prov.put("validation.recall." + safeKey(classes.get(c)), fmt(r));
                f1sum += f1;
                if (!classes.get(c).equals("none")) {
                    f1NoNone += f1;
                    nNoNone++;
                }
            }
            prov.put("validation.macroF1", fmt(f1sum / classes.size()));
            prov.put("validation.macroF1WithoutNone", fmt(nNoNone == 0 ? 0 : f1NoNone / nNoNone));
        }
        if (!valIdx.isEmpty()) {
            // the held-out maps calibrated the threshold and measured the model; the kept model then
            // learns from every labelled map (labels are scarce: a fifth of them is too much to leave out)
            tx = new double[x.length][];
            ty = y.clone();
            for (int i = 0; i < x.length; i++) {
                tx[i] = x[i].clone();
            }
            long t1 = System.nanoTime();
            f = Fitted.fit(tx, ty, classes.size(), config);
            fitSeconds += (System.nanoTime() - t1) / 1e9;
            prov.put("training.refitOnAll", "true");
        }
        prov.put("training.size", Integer.toString(tx.length));
        prov.put("training.fitSeconds", fmt(fitSeconds));
        int[] counts = new int[classes.size()];
        for (int v : ty) {
            counts[v]++;
        }
        for (int c = 0; c < classes.size(); c++) {
            prov.put("training.count." + safeKey(classes.get(c)), Integer.toString(counts[c]));
        }
        LOG.info("fitted {} on {} maps ({} validation) in {}s; validation macro-F1 {}; unknown threshold {}",
                config.algorithm(), tx.length, valIdx.size(), fmt(fitSeconds), prov.get("validation.macroF1"),
                fmt(thr.threshold()));
        return new FeatureClassifier(config, classes, WaferFeatureExtractor.featureNames(), f, tx, ty, thr, prov);
    }

    /** Holds out {@code validationFraction} of each class, chosen at random (seeded). */
    private static void stratifiedHoldOut(int[] y, int k, FeatureClassifierConfig config, List<Integer> trainIdx,
                                          List<Integer> valIdx) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (int c = 0; c < k; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Collections.swap(members, i, j);
            }
            int nv = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * config.validationFraction()));
            valIdx.addAll(members.subList(0, nv));
            trainIdx.addAll(members.subList(nv, members.size()));
        }
    }

    /**
     * Holds out whole lots, in a seeded random order, until {@code validationFraction} of the maps
     * are held out; a lot is skipped when holding it out would leave a class with no training map.
     * Maps without a lot id are lots of their own.
     *
     * @return false (nothing decided) when the maps name fewer than 5 distinct lots, or when the
     *         held-out lots would cover fewer than half of the classes with 2 or more maps: then the
     *         split is by map
     */
    static boolean holdOutLots(int[] y, int k, String[] lots, FeatureClassifierConfig config,
                                       List<Integer> trainIdx, List<Integer> valIdx) {
        Map<String, List<Integer>> byLot = new java.util.TreeMap<>();
        int named = 0;
        for (int i = 0; i < y.length; i++) {
            String lot = lots[i];
            if (lot != null && !lot.isEmpty()) {
                named++;
            }
            byLot.computeIfAbsent(lot == null || lot.isEmpty() ? "\u0000map " + i : lot, key -> new ArrayList<>()).add(i);
        }
        if (named == 0 || byLot.size() < 5) {
            return false;
        }
        List<List<Integer>> groups = new ArrayList<>(byLot.values());
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (int i = groups.size() - 1; i > 0; i--) {
            Collections.swap(groups, i, rng.nextInt(i + 1));
        }
        int[] left = new int[k];
        for (int v : y) {
            left[v]++;
        }
        int[] held = new int[k];
        long target = Math.round(y.length * config.validationFraction());
        boolean[] val = new boolean[y.length];
        int n = 0;
        for (List<Integer> g : groups) {
            if (n >= target) {
                break;
            }
            int[] need = new int[k];
            for (int i : g) {
                need[y[i]]++;
            }
            boolean ok = true;
            for (int c = 0; c < k; c++) {
                ok &= need[c] == 0 || left[c] - need[c] >= 1;
            }
            if (!ok) {
                continue;
            }
            for (int i : g) {
                val[i] = true;
                left[y[i]]--;
                held[y[i]]++;
            }
            n += g.size();
        }
        int classesWithTwo = 0;
        int covered = 0;
        for (int c = 0; c < k; c++) {
            if (held[c] + left[c] >= 2) {
                classesWithTwo++;
                covered += held[c] > 0 ? 1 : 0;
            }
        }
        if (n == 0 || 2 * covered < classesWithTwo) {
            return false;
        }
        for (int i = 0; i < y.length; i++) {
            (val[i] ? valIdx : trainIdx).add(i);
        }
        return true;
    }

    private static String safeKey(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static int argmax(double[] p) {
        int b = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[b]) {
                b = i;
            }
        }
        return b;
    }

    /**
     * Extracts features of many maps on all available processors (one extractor per thread).
     *
     * @param maps wafer maps
     * @return one vector per map
     */
    public static double[][] extractParallel(List<WaferMap> maps) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), maps.size() / 64));
        double[][] out = new double[maps.size()][];
        if (threads == 1) {
            try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
                return x.extractAll(maps);
            }
        }
        List<Thread> ts = new ArrayList<>();
        RuntimeException[] err = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            final int from = (int) ((long) maps.size() * t / threads);
            final int to = (int) ((long) maps.size() * (t + 1) / threads);
            Thread th = new Thread(() -> {
                try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
                    for (int i = from; i < to; i++) {
                        out[i] = x.extract(maps.get(i));
                    }
                } catch (RuntimeException e) {
                    synchronized (err) {
                        err[0] = e;
                    }
                }
            }, "fabai-features-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while extracting features", e);
            }
        }
        if (err[0] != null) {
            throw err[0];
        }
        return out;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** @return the feature names, in vector order */
    public List<String> featureNames() {
        return featureNames;
    }

    /** @return the configuration */
    public FeatureClassifierConfig config() {
        return config;
    }

    /** @return the calibrated reject rule */
    public UnknownThreshold threshold() {
        return threshold;
    }

    /**
     * Provenance: training-data summary ({@code data.*}, {@code training.*}) and validation
     * metrics ({@code validation.*}), as saved in the model file.
     *
     * @return unmodifiable key/value pairs
     */
    public Map<String, String> provenance() {
        return provenance;
    }

    /**
     * @param key a provenance key, e.g. {@code "validation.macroF1"}
     * @return its numeric value, NaN if absent or not a number
     */
    public double provenanceValue(String key) {
        try {
            return Double.parseDouble(provenance.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    @Override
    public Prediction predict(WaferMap map) {
        if (closed) {
            throw new IllegalStateException("classifier is closed");
        }
        return predictFeatures(local.get().extract(map));
    }

    /**
     * Classifies a batch, extracting features on all available processors.
     *
     * @param maps wafer maps
     * @return predictions in the same order
     */
    @Override
    public List<Prediction> predictBatch(List<WaferMap> maps) {
        if (closed) {
            throw new IllegalStateException("classifier is closed");
        }
        double[][] x = extractParallel(maps);
        List<Prediction> out = new ArrayList<>(x.length);
        for (double[] f : x) {
            out.add(predictFeatures(f));
        }
        return out;
    }

    /**
     * Classifies a feature vector from {@link WaferFeatureExtractor#extract}.
     *
     * @param features the vector
     * @return the prediction
     */
    public Prediction predictFeatures(double[] features) {
        return threshold.apply(probabilities(features), classNames);
    }

    /**
     * @param features a feature vector
     * @return per-class probabilities in {@link #classNames()} order
     */
    public double[] probabilities(double[] features) {
        if (features.length != featureNames.size()) {
            throw new IllegalArgumentException("feature vector has " + features.length + " values, expected " + featureNames.size());
        }
        for (int j = 0; j < features.length; j++) {
            if (!Double.isFinite(features[j])) {
                throw new IllegalArgumentException("feature '" + featureNames.get(j) + "' is " + features[j]);
            }
        }
        return fitted.proba(features);
    }

    @Override
    public void save(Path file) throws IOException {
        Map<String, String> h = new LinkedHashMap<>(config.toHeader());
        h.put("classes", String.join("\n", classNames));
        h.put("features.names", String.join(",", featureNames));
        h.put("features.version", Integer.toString(WaferFeatureExtractor.FEATURE_VERSION));
        h.put("library.fabai", libraryVersion(FeatureClassifier.class));
        h.put("library.smile", libraryVersion(RandomForest.class));
        h.put("library.java", System.getProperty("java.version"));
        h.put("threshold.value", Double.toString(threshold.threshold()));
        h.put("threshold.targetRejectRate", Double.toString(threshold.targetRejectRate()));
        h.put("threshold.achievedRejectRate", Double.toString(threshold.achievedRejectRate()));
        h.put("threshold.calibrationSize", Integer.toString(threshold.calibrationSize()));
        h.put("train.rows", Integer.toString(trainX.length));
        h.putAll(provenance);
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("train.x", ModelFile.encodeDoubles(trainX));
        s.put("train.y", ModelFile.encodeInts(trainY));
        s.put("probe.p", ModelFile.encodeDoubles(probe(fitted, trainX)));
        new ModelFile(KIND, FORMAT_VERSION, h, s).write(file);
    }

    private static double[][] probe(Fitted f, double[][] x) {
        double[][] p = new double[Math.min(PROBES, x.length)][];
        for (int i = 0; i < p.length; i++) {
            p[i] = f.proba(x[i]);
        }
        return p;
    }

    /**
     * Loads a classifier saved by {@link #save}: reads the file, re-fits the model from the stored
     * training data and checks it reproduces the stored probabilities.
     *
     * @param file the model file
     * @return the classifier
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if the file is not a valid feature-classifier file of a supported
     *                            version, or the re-fit does not reproduce the saved model
     */
    public static FeatureClassifier load(Path file) throws IOException, ModelFileException {
        return load(ModelFile.read(file, KIND, FORMAT_VERSION), file.toString());
    }

    /**
     * Loads a model from a model file already read (for example a member of an ensemble's file).
     *
     * @param m   the model file
     * @param src its name, for messages
     * @return the model
     * @throws ModelFileException if the file is not a valid feature-classifier model
     */
    public static FeatureClassifier load(ModelFile m, String src) throws ModelFileException {
        m.check(src, KIND, FORMAT_VERSION);
        Map<String, String> h = m.header();
        FeatureClassifierConfig config;
        try {
            config = FeatureClassifierConfig.fromHeader(h);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "header config.*", ModelFileException.Reason.INVALID_CONTENT,
                    "bad configuration: " + e.getMessage(), e);
        }
        int fv = parseInt(src, h, "features.version");
        if (fv != WaferFeatureExtractor.FEATURE_VERSION) {
            throw new ModelFileException(src, "header features.version", ModelFileException.Reason.UNSUPPORTED_VERSION,
                    "model was trained on feature version " + fv + ", this library extracts version "
                            + WaferFeatureExtractor.FEATURE_VERSION);
        }
        List<String> features = List.of(m.require(src, "features.names").split(",", -1));
        if (!features.equals(WaferFeatureExtractor.featureNames())) {
            throw new ModelFileException(src, "header features.names", ModelFileException.Reason.INVALID_CONTENT,
                    "feature names differ from this library's " + WaferFeatureExtractor.dimension() + " features");
        }
        List<String> classes = List.of(m.require(src, "classes").split("\n", -1));
        int rows = parseInt(src, h, "train.rows");
        double[][] tx;
        int[] ty;
        double[][] probe;
        try {
            tx = ModelFile.decodeDoubles(m.requireSection(src, "train.x"), rows, features.size());
            ty = ModelFile.decodeInts(m.requireSection(src, "train.y"));
            probe = ModelFile.decodeDoubles(m.requireSection(src, "probe.p"), Math.min(PROBES, rows), classes.size());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "sections", ModelFileException.Reason.INVALID_CONTENT, e.getMessage(), e);
        }
        if (ty.length != rows) {
            throw new ModelFileException(src, "section train.y", ModelFileException.Reason.INVALID_CONTENT,
                    "has " + ty.length + " labels, train.rows says " + rows);
        }
        for (int i = 0; i < ty.length; i++) {
            if (ty[i] < 0 || ty[i] >= classes.size()) {
                throw new ModelFileException(src, "section train.y entry " + i, ModelFileException.Reason.INVALID_CONTENT,
                        "class index " + ty[i] + " outside [0, " + classes.size() + ")");
            }
        }
        UnknownThreshold thr;
        try {
            thr = new UnknownThreshold(Double.parseDouble(m.require(src, "threshold.value")),
                    Double.parseDouble(m.require(src, "threshold.targetRejectRate")),
                    Double.parseDouble(m.require(src, "threshold.achievedRejectRate")),
                    parseInt(src, h, "threshold.calibrationSize"));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "header threshold.*", ModelFileException.Reason.INVALID_CONTENT, e.getMessage(), e);
        }
        Fitted f = Fitted.fit(tx, ty, classes.size(), config);
        double[][] again = probe(f, tx);
        double worst = 0;
        for (int i = 0; i < again.length; i++) {
            for (int c = 0; c < again[i].length; c++) {
                worst = Math.max(worst, Math.abs(again[i][c] - probe[i][c]));
            }
        }
        if (worst > PROBE_TOLERANCE) {
            throw new ModelFileException(src, "section probe.p", ModelFileException.Reason.INVALID_CONTENT,
                    "re-fitting the model from its training data did not reproduce it (max probability difference "
                            + worst + "); saved with Smile " + h.get("library.smile") + ", running Smile "
                            + libraryVersion(RandomForest.class));
        }
        Map<String, String> prov = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : h.entrySet()) {
            if (e.getKey().startsWith("data.") || e.getKey().startsWith("training.") || e.getKey().startsWith("validation.")) {
                prov.put(e.getKey(), e.getValue());
            }
        }
        return new FeatureClassifier(config, classes, features, f, tx, ty, thr, prov);
    }

    private static int parseInt(String src, Map<String, String> h, String key) throws ModelFileException {
        String v = h.get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ModelFileException(src, "header " + key, ModelFileException.Reason.INVALID_CONTENT,
                    "expected an integer, got '" + v + "'", e);
        }
    }

    static String libraryVersion(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    @Override
    public double rejectThreshold() {
        return threshold.threshold();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (extractors) {
            for (WaferFeatureExtractor x : extractors) {
                x.close();
            }
            extractors.clear();
        }
    }

    /** A fitted learner with its feature standardisation. Immutable; thread-safe for prediction. */
    private static final class Fitted {
        final double[] mean;
        final double[] scale;
        final int k;
        final DecisionTree[] rf;
        final GradientTreeBoost gbm;
        final SVM<double[]>[] svm;
        final PlattScaling[] platt;
        final StructType schema;
        final smile.classification.LogisticRegression logistic;
        /** The learners of a soft vote (their probabilities averaged), or null. */
        final Fitted[] voters;

        private Fitted(double[] mean, double[] scale, int k, DecisionTree[] rf, GradientTreeBoost gbm,
                       SVM<double[]>[] svm, PlattScaling[] platt, StructType schema) {
            this(mean, scale, k, rf, gbm, svm, platt, schema, null, null);
        }

        private Fitted(double[] mean, double[] scale, int k, DecisionTree[] rf, GradientTreeBoost gbm,
                       SVM<double[]>[] svm, PlattScaling[] platt, StructType schema,
                       smile.classification.LogisticRegression logistic, Fitted[] voters) {
            this.mean = mean;
            this.scale = scale;
            this.k = k;
            this.rf = rf;
            this.gbm = gbm;
            this.svm = svm;
            this.platt = platt;
            this.schema = schema;
            this.logistic = logistic;
            this.voters = voters;
        }

        static Fitted fit(double[][] x, int[] y, int k, FeatureClassifierConfig cfg) {
            if (cfg.algorithm() == FeatureClassifierConfig.Algorithm.VOTING) {
                Fitted[] voters = new Fitted[FeatureClassifierConfig.VOTERS.size()];
                for (int v = 0; v < voters.length; v++) {
                    voters[v] = fit(x, y, k, cfg.voter(FeatureClassifierConfig.VOTERS.get(v)));
                }
                return new Fitted(null, null, k, null, null, null, null, null, null, voters);
            }
            int d = x[0].length;
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= x.length;
            }
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
            }
            for (int j = 0; j < d; j++) {
                scale[j] = Math.sqrt(scale[j] / Math.max(1, x.length - 1));
                if (scale[j] < 1e-12) {
                    scale[j] = 1;
                }
            }
            double[][] z = new double[x.length][d];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    z[i][j] = (x[i][j] - mean[j]) / scale[j];
                }
            }
            int[] counts = new int[k];
            for (int v : y) {
                counts[v]++;
            }
            String[] names = WaferFeatureExtractor.featureNames().toArray(new String[0]);
            switch (cfg.algorithm()) {
                case RANDOM_FOREST -> {
                    int max = Arrays.stream(counts).max().orElse(1);
                    int[] w = new int[k];
                    for (int c = 0; c < k; c++) {
                        w[c] = cfg.balanceClasses() && counts[c] > 0 ? Math.max(1, (int) Math.round((double) max / counts[c])) : 1;
                    }
                    DataFrame xdf = DataFrame.of(z, names);
                    DecisionTree[] forest = forest(xdf, y, k, w, cfg);
                    return new Fitted(mean, scale, k, forest, null, null, null, xdf.schema());
                }
                case GRADIENT_BOOSTING -> {
                    int[] order = cfg.balanceClasses() ? oversample(y, k, cfg.seed()) : identity(y.length);
                    double[][] zz = new double[order.length][];
                    int[] yy = new int[order.length];
                    for (int i = 0; i < order.length; i++) {
                        zz[i] = z[order[i]];
                        yy[i] = y[order[i]];
                    }
                    DataFrame df = DataFrame.of(zz, names).merge(IntVector.of("label", yy));
                    // one worker thread: Smile's per-thread random stream (subsampling) is seeded here and any
                    // parallel stream inside the fit runs on this same worker, so the model does not depend on
                    // the machine's core count
                    java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
                    GradientTreeBoost g;
                    try {
                        g = one.submit(() -> {
                            MathEx.setSeed(cfg.seed());
                            return GradientTreeBoost.fit(Formula.lhs("label"), df, cfg.trees(), cfg.maxDepth(),
                                    cfg.maxNodes(), cfg.nodeSize(), cfg.shrinkage(), 0.7);
                        }).get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while fitting gradient boosting", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException("fitting gradient boosting failed: " + e.getCause(), e.getCause());
                    } finally {
                        one.shutdownNow();
                    }
                    return new Fitted(mean, scale, k, null, g, null, null, DataFrame.of(zz, names).schema());
                }
                case SVM -> {
                    int[] order = cfg.balanceClasses() ? oversample(y, k, cfg.seed()) : identity(y.length);
                    double[][] zz = new double[order.length][];
                    int[] yy = new int[order.length];
                    for (int i = 0; i < order.length; i++) {
                        zz[i] = z[order[i]];
                        yy[i] = y[order[i]];
                    }
                    GaussianKernel kernel = new GaussianKernel(cfg.svmSigma());
                    double c = cfg.svmC();
                    // one-versus-rest, each binary SVM fitted on its own thread with its own seed,
                    // then Platt-scaled on its training scores
                    List<java.util.concurrent.Callable<Object[]>> jobs = new ArrayList<>();
                    for (int cl = 0; cl < k; cl++) {
                        final int target = cl;
                        jobs.add(() -> {
                            int[] yb = new int[yy.length];
                            for (int i = 0; i < yy.length; i++) {
                                yb[i] = yy[i] == target ? 1 : -1;
                            }
                            MathEx.setSeed(cfg.seed() + 7919L * (target + 1));
                            SVM<double[]> svm = SVM.fit(zz, yb, kernel, c, 1e-3);
                            double[] scores = new double[zz.length];
                            for (int i = 0; i < zz.length; i++) {
                                scores[i] = svm.score(zz[i]);
                            }
                            return new Object[] {svm, PlattScaling.fit(scores, yb)};
                        });
                    }
                    List<Object[]> done = runParallel(jobs);
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    SVM<double[]>[] svms = new SVM[k];
                    PlattScaling[] platt = new PlattScaling[k];
                    for (int cl = 0; cl < k; cl++) {
                        @SuppressWarnings("unchecked")
                        SVM<double[]> svm = (SVM<double[]>) done.get(cl)[0];
                        svms[cl] = svm;
                        platt[cl] = (PlattScaling) done.get(cl)[1];
                    }
                    return new Fitted(mean, scale, k, null, null, svms, platt, null);
                }
                case LOGISTIC -> {
                    int[] order = cfg.balanceClasses() ? oversample(y, k, cfg.seed()) : identity(y.length);
                    double[][] zz = new double[order.length][];
                    int[] yy = new int[order.length];
                    for (int i = 0; i < order.length; i++) {
                        zz[i] = z[order[i]];
                        yy[i] = y[order[i]];
                    }
                    // L-BFGS to a relative tolerance of 1e-5 within 500 iterations; on real maps it often
                    // stops at 500 (early stopping is a mild extra penalty; the result stays deterministic)
                    smile.classification.LogisticRegression lr = k == 2
                            ? smile.classification.LogisticRegression.binomial(zz, yy, cfg.logisticLambda(), 1e-5, 500)
                            : smile.classification.LogisticRegression.multinomial(zz, yy, cfg.logisticLambda(), 1e-5, 500);
                    return new Fitted(mean, scale, k, null, null, null, null, null, lr, null);
                }
                default -> throw new IllegalStateException("unhandled algorithm " + cfg.algorithm());
            }
        }

        /**
         * Bagged CART trees (Smile's {@link DecisionTree}) built in parallel, each from its own
         * seed: a bootstrap sample drawn with {@link SplittableRandom} and Smile's per-thread
         * random stream (split-feature sampling) reseeded on the thread that builds the tree, so
         * the forest does not depend on thread scheduling. Class weights multiply the bootstrap
         * counts.
         */
        private static DecisionTree[] forest(DataFrame xdf, int[] y, int k, int[] w, FeatureClassifierConfig cfg) {
            int n = y.length;
            int d = xdf.ncol();
            int mtry = Math.max(1, (int) Math.floor(Math.sqrt(d)));
            int[][] order = smile.base.cart.CART.order(xdf);
            StructField response = new StructField("label", DataTypes.IntegerType, new NominalScale(classLabels(k)));
            SplittableRandom r = new SplittableRandom(cfg.seed());
            long[] seeds = new long[cfg.trees()];
            for (int t = 0; t < seeds.length; t++) {
                seeds[t] = (r.nextLong() >>> 2) + 2;
            }
            List<java.util.concurrent.Callable<DecisionTree>> jobs = new ArrayList<>();
            for (int t = 0; t < seeds.length; t++) {
                final long seed = seeds[t];
                jobs.add(() -> {
                    SplittableRandom br = new SplittableRandom(seed);
                    int[] samples = new int[n];
                    for (int i = 0; i < n; i++) {
                        samples[br.nextInt(n)]++;
                    }
                    for (int i = 0; i < n; i++) {
                        samples[i] *= w[y[i]];
                    }
                    MathEx.setSeed(seed);
                    return new DecisionTree(xdf, y, response, k, SplitRule.GINI, cfg.maxDepth(), cfg.maxNodes(),
                            cfg.nodeSize(), mtry, samples, order);
                });
            }
            DecisionTree[] trees = runParallel(jobs).toArray(new DecisionTree[0]);
            return trees;
        }

        /** Runs jobs on a private pool (one thread per processor); results in job order. */
        private static <T> List<T> runParallel(List<java.util.concurrent.Callable<T>> jobs) {
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), jobs.size()));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, run -> {
                Thread th = new Thread(run, "fabai-fit");
                th.setDaemon(true);
                return th;
            });
            try {
                List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
                for (java.util.concurrent.Callable<T> j : jobs) {
                    futures.add(pool.submit(j));
                }
                List<T> out = new ArrayList<>(jobs.size());
                for (java.util.concurrent.Future<T> f : futures) {
                    out.add(f.get());
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fitting", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("fitting failed: " + c, c);
            } finally {
                pool.shutdownNow();
            }
        }

        private static String[] classLabels(int k) {
            String[] s = new String[k];
            for (int c = 0; c < k; c++) {
                s[c] = Integer.toString(c);
            }
            return s;
        }

        private static int[] identity(int n) {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = i;
            }
            return o;
        }

        /** Every sample once, plus random repeats of rarer classes up to the largest class's count. */
        private static int[] oversample(int[] y, int k, long seed) {
            List<List<Integer>> by = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                by.add(new ArrayList<>());
            }
            for (int i = 0; i < y.length; i++) {
                by.get(y[i]).add(i);
            }
            int max = 0;
            for (List<Integer> l : by) {
                max = Math.max(max, l.size());
            }
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Integer> out = new ArrayList<>();
            for (List<Integer> l : by) {
                out.addAll(l);
                for (int extra = l.size(); extra < max && !l.isEmpty(); extra++) {
                    out.add(l.get(r.nextInt(l.size())));
                }
            }
            int[] o = new int[out.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = out.get(i);
            }
            return o;
        }

        double[] proba(double[] x) {
            if (voters != null) {
                double[] p = new double[k];
                for (Fitted v : voters) {
                    double[] q = v.proba(x);
                    for (int c = 0; c < k; c++) {
                        p[c] += q[c] / voters.length;
                    }
                }
                return p;
            }
            double[] z = new double[x.length];
            for (int j = 0; j < z.length; j++) {
                z[j] = (x[j] - mean[j]) / scale[j];
            }
            double[] p = new double[k];
            if (rf != null) {
                Tuple t = Tuple.of(z, schema);
                double[] q = new double[k];
                for (DecisionTree tree : rf) {
                    tree.predict(t, q);
                    for (int c = 0; c < k; c++) {
                        p[c] += q[c];
                    }
                }
                for (int c = 0; c < k; c++) {
                    p[c] /= rf.length;
                }
            } else if (gbm != null) {
                gbm.predict(Tuple.of(z, schema), p);
            } else if (logistic != null) {
                logistic.predict(z, p);
            } else {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = platt[c].scale(svm[c].score(z));
                    sum += p[c];
                }
                for (int c = 0; c < k; c++) {
                    p[c] = sum > 0 ? p[c] / sum : 1.0 / k;
                }
            }
            return p;
        }
    }
}
