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
import java.util.TreeSet;
import org.fabai.adc.features.ParallelFeatures;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.core.Provenance;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * (section {@code probe.p}), and the fitted learner's parameters as plain numbers (optional
 * section {@code fitted.params}, layout in {@code LearnerParams}). {@link #load} reads those parameters and
 * compares the probabilities they give with the stored ones (tolerance 1e-9); without the section
 * (older files, two-class boosting or logistic models), or when the parameters do not reproduce
 * the probabilities, it re-fits from the training data and compares again: if a different Smile
 * version or platform fits another model, loading fails with
 * {@link ModelFileException.Reason#INVALID_CONTENT} instead of silently predicting differently.
 * The cost of a re-fit: as long as the fit of the training part (seconds to a minute for thousands of
 * maps), and the file grows with the training set (8 bytes per feature per map). Header keys
 * also record the library versions, the training-data summary (class counts, grid sizes),
 * validation metrics and the calibrated threshold.
 *
 * <h2>Feature version</h2>
 * A model extracts the features of the {@link WaferFeatureExtractor#FEATURE_VERSION feature
 * version} it was fitted on ({@link #featureVersion()}, header {@code features.version}): a file
 * fitted on version 1 keeps predicting exactly as it did; newly fitted models use the current version.
 *
 * <p>Thread-safe for prediction (each thread uses its own native feature extractor); fitting
 * creates new instances. {@link #close()} frees the extractors' native buffers; the model cannot
 * predict maps after it (feature vectors still work).
 */
public final class FeatureClassifier implements WaferMapClassifier {

    /** Model kind in the {@link ModelFile} header. */
    public static final String KIND = "feature-classifier";
    /** The producer named in a small model's {@link #provenance()}. */
    public static final String PRODUCER = "fabai-adc-smile";
    /** Content version written by this class. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(FeatureClassifier.class);
    
    private final FeatureClassifierConfig config;
    private final List<String> classNames;
    private final List<String> featureNames;
    private final Fitted fitted;
    private final double[][] trainX;
    private final int[] trainY;
    private final UnknownThreshold threshold;
    private final Provenance provenance;
    private final int featureVersion;
    private final List<WaferFeatureExtractor> extractors = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<WaferFeatureExtractor> local = ThreadLocal.withInitial(this::newExtractor);
    private volatile boolean closed;

    FeatureClassifier(FeatureClassifierConfig config, List<String> classNames, List<String> featureNames,
                              Fitted fitted, double[][] trainX, int[] trainY, UnknownThreshold threshold,
                              Provenance provenance) {
        this(config, classNames, featureNames, fitted, trainX, trainY, threshold, provenance,
                WaferFeatureExtractor.FEATURE_VERSION);
    }

    FeatureClassifier(FeatureClassifierConfig config, List<String> classNames, List<String> featureNames,
                              Fitted fitted, double[][] trainX, int[] trainY, UnknownThreshold threshold,
                              Provenance provenance, int featureVersion) {
        this.featureVersion = WaferFeatureExtractor.checkVersion(featureVersion);
        this.config = config;
        this.classNames = List.copyOf(classNames);
        this.featureNames = List.copyOf(featureNames);
        this.fitted = fitted;
        this.trainX = trainX;
        this.trainY = trainY;
        this.threshold = threshold;
        this.provenance = provenance;
    }

    private WaferFeatureExtractor newExtractor() {
        if (closed) {
            throw new IllegalStateException("classifier is closed");
        }
        WaferFeatureExtractor x = new WaferFeatureExtractor(featureVersion);
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
        return fitWithGenerated(maps, labels, List.of(), List.of(), config);
    }

    /**
     * Fits a classifier to a fab's labelled maps plus generated maps (typically from a generator
     * calibrated on real maps, {@code GeneratorConfig.calibrated()}). The generated maps are always
     * training maps: the validation part that measures the model and calibrates the reject threshold
     * is held out from the labelled maps alone (whole lots, as {@link #fit}), so the threshold and the
     * validation figures describe real maps. The training-data summary ({@code data.rows},
     * {@code data.cols}, used to flag an input shift) is that of the labelled maps; provenance records
     * the number of generated maps ({@code training.generated}).
     *
     * <p>Why: on real WM-811K maps with few labels, generated maps fill in what the labels do not
     * show (rare classes, other map sizes); with all 2,107 maps of the shared sample they cost a little
     * (0.005-0.013 macro-F1, inside the spread of lot-grouped folds; {@code adc/REAL-DATA.md}).
     *
     * @param maps            labelled wafer maps (any sizes), at least one
     * @param labels          their class names
     * @param generated       generated maps (any sizes), possibly none
     * @param generatedLabels their class names
     * @param config          configuration
     * @return the fitted classifier
     * @throws IllegalArgumentException if the lists of a pair differ in length, there is no labelled map,
     *                                  or there are fewer than 2 classes in all
     */
    public static FeatureClassifier fitWithGenerated(List<WaferMap> maps, List<String> labels, List<WaferMap> generated,
                                                     List<String> generatedLabels, FeatureClassifierConfig config) {
        if (maps.size() != labels.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, labels " + labels.size());
        }
        if (generated.size() != generatedLabels.size()) {
            throw new IllegalArgumentException("generated has " + generated.size() + " entries, generatedLabels "
                    + generatedLabels.size());
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("need at least one labelled map" + (generated.isEmpty() ? ""
                    : " beside the " + generated.size() + " generated ones (to train on generated maps alone, pass"
                    + " them as the labelled maps)"));
        }
        List<WaferMap> all = maps;
        List<String> allLabels = labels;
        if (!generated.isEmpty()) {
            all = new ArrayList<>(maps);
            all.addAll(generated);
            allLabels = new ArrayList<>(labels);
            allLabels.addAll(generatedLabels);
        }
        double[][] x = extractParallel(all);
        Map<String, String> summary = new LinkedHashMap<>();
        double fr = 0;
        for (WaferMap m : maps) {
            fr += m.failRatio();
        }
        String[] ranges = org.fabai.core.wafer.MapSizing.sizeRanges(maps);
        summary.put("data.rows", ranges[0]);
        summary.put("data.cols", ranges[1]);
        summary.put("data.meanFailRatio", String.format(Locale.ROOT, "%.5f", fr / Math.max(1, maps.size())));
        String[] lots = new String[all.size()];
        for (int i = 0; i < maps.size(); i++) {
            lots[i] = maps.get(i).lotId();
        }
        if (!generated.isEmpty()) {
            summary.put("training.generated", Integer.toString(generated.size()));
        }
        return fitFeatures(x, allLabels, lots, maps.size(), config, summary);
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
        return fitFeatures(features, labels, null, features.length, config, Map.of());
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
        return fitFeatures(features, labels, lots.toArray(new String[0]), features.length, config, Map.of());
    }

    /**
     * {@link #fitWithGenerated} on feature vectors already extracted: the validation part is held out
     * from the labelled rows alone (whole lots), the generated rows always train.
     *
     * @param features        one vector per labelled map, {@link WaferFeatureExtractor#dimension()} long, finite
     * @param labels          their class names
     * @param lots            per labelled map its lot id, null or empty when unknown
     * @param generated       one vector per generated map, possibly none
     * @param generatedLabels their class names
     * @param config          configuration
     * @return the fitted classifier
     */
    public static FeatureClassifier fitFeaturesWithGenerated(double[][] features, List<String> labels, List<String> lots,
                                                             double[][] generated, List<String> generatedLabels,
                                                             FeatureClassifierConfig config) {
        if (lots.size() != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " rows, lots " + lots.size());
        }
        if (generated.length != generatedLabels.size()) {
            throw new IllegalArgumentException("generated has " + generated.length + " rows, generatedLabels "
                    + generatedLabels.size());
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("need at least one labelled map beside the generated ones");
        }
        double[][] x = Arrays.copyOf(features, features.length + generated.length);
        System.arraycopy(generated, 0, x, features.length, generated.length);
        List<String> all = new ArrayList<>(labels);
        all.addAll(generatedLabels);
        String[] l = Arrays.copyOf(lots.toArray(new String[0]), x.length);
        Map<String, String> summary = generated.length == 0 ? Map.of()
                : Map.of("training.generated", Integer.toString(generated.length));
        return fitFeatures(x, all, l, features.length, config, summary);
    }

    /** Every row as long as the feature vector and finite, every label present. */
    private static void checkRows(double[][] x, List<String> labels) {
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
    }

    /**
     * Measures the fitted model on the held-out maps (accuracy, per-class F1 and recall, macro-F1,
     * written to {@code prov}) and calibrates the unknown threshold on their top probabilities.
     *
     * @return the threshold; none without held-out maps
     */
    private static UnknownThreshold validate(Fitted f, double[][] x, int[] y, List<Integer> valIdx, List<String> classes,
                                             FeatureClassifierConfig config, Map<String, String> prov) {
        if (valIdx.isEmpty()) {
            prov.put("validation.size", "0");
            return UnknownThreshold.none();
        }
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
        UnknownThreshold thr = UnknownThreshold.calibrate(conf, config.falseRejectRate());
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
        return thr;
    }

    /**
     * @param real rows {@code [0, real)} are labelled maps, from which the validation part is held out;
     *             the rows after them (generated maps) always train
     */
    private static FeatureClassifier fitFeatures(double[][] x, List<String> labels, String[] lots, int real,
                                                 FeatureClassifierConfig config, Map<String, String> dataSummary) {
        Objects.requireNonNull(config, "config");
        checkRows(x, labels);
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
        int[] yReal = real == y.length ? y : Arrays.copyOf(y, real);
        boolean byLot = lots != null && ValidationSplit.byLots(yReal, classes.size(),
                real == lots.length ? lots : Arrays.copyOf(lots, real), config.validationFraction(), config.seed(),
                trainIdx, valIdx);
        if (!byLot) {
            trainIdx.clear();
            valIdx.clear();
            ValidationSplit.stratified(yReal, classes.size(), config.validationFraction(), config.seed(), trainIdx,
                    valIdx);
        }
        for (int i = real; i < y.length; i++) {
            trainIdx.add(i);
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
        UnknownThreshold thr = validate(f, x, y, valIdx, classes, config, prov);
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
        return new FeatureClassifier(config, classes, WaferFeatureExtractor.featureNames(), f, tx, ty, thr,
                new Provenance(PRODUCER, FeatureClassifierFile.libraryVersion(FeatureClassifier.class), prov));
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
        return ParallelFeatures.extract(maps);
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** @return the feature names, in vector order */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * @return the feature version this model was fitted on and extracts
     *         ({@link WaferFeatureExtractor#WaferFeatureExtractor(int)})
     */
    public int featureVersion() {
        return featureVersion;
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
     * Provenance: producer {@value #PRODUCER}, the fabai version that fitted the model (its file's
     * {@code library.fabai}), and as facts the training-data summary ({@code data.*},
     * {@code training.*}) and validation metrics ({@code validation.*}), which the model file holds
     * as header entries.
     *
     * @return the provenance
     */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * @param key a provenance key, e.g. {@code "validation.macroF1"}
     * @return its numeric value, NaN if absent or not a number
     */
    public double provenanceValue(String key) {
        try {
            return Double.parseDouble(provenance.get(key).orElse("NaN"));
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
        double[][] x = ParallelFeatures.extract(maps, featureVersion);
        List<Prediction> out = new ArrayList<>(x.length);
        for (double[] f : x) {
            out.add(predictFeatures(f));
        }
        return out;
    }

    /**
     * Classifies a feature vector from {@link WaferFeatureExtractor#extract} of this model's
     * {@link #featureVersion()}.
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
        FeatureClassifierFile.save(this, file);
    }

    /**
     * Loads a classifier saved by {@link #save}: reads the file and the model's stored parameters
     * (re-fitting from the stored training data when the file has none) and checks the result
     * reproduces the stored probabilities.
     *
     * @param file the model file
     * @return the classifier
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if the file is not a valid feature-classifier file of a supported
     *                            version, or neither its parameters nor a re-fit reproduce the saved model
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
        return FeatureClassifierFile.load(m, src);
    }

    /** @return the training feature matrix the model was fitted on (not a copy; for the model file) */
    double[][] trainX() {
        return trainX;
    }

    /** @return the training labels (class indices; not a copy; for the model file) */
    int[] trainY() {
        return trainY;
    }

    /** @return the fitted learner */
    Fitted fitted() {
        return fitted;
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

    /**
     * A fitted {@link Learner} with its feature standardisation (mean and standard deviation of
     * the training features; a constant feature keeps scale 1). Immutable; thread-safe for prediction.
     *
     * @param mean    per feature, its training mean
     * @param scale   per feature, its training standard deviation
     * @param learner the learner, on standardised features
     */
    record Fitted(double[] mean, double[] scale, Learner learner) {

        static Fitted fit(double[][] x, int[] y, int k, FeatureClassifierConfig cfg) {
            double[][] ms = moments(x);
            double[] mean = ms[0];
            double[] scale = ms[1];
            int d = mean.length;
            double[][] z = new double[x.length][d];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    z[i][j] = (x[i][j] - mean[j]) / scale[j];
                }
            }
            return new Fitted(mean, scale, Learner.fit(z, y, k, cfg));
        }

        /** The standardisation of {@code x} (as {@link #fit} computes it) around an already fitted learner. */
        static Fitted withLearner(double[][] x, Learner learner) {
            double[][] ms = moments(x);
            return new Fitted(ms[0], ms[1], learner);
        }

        /** Per feature: the mean, and the sample standard deviation (1 where it is below 1e-12). */
        private static double[][] moments(double[][] x) {
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
            return new double[][] {mean, scale};
        }

        double[] proba(double[] x) {
            double[] z = new double[x.length];
            for (int j = 0; j < z.length; j++) {
                z[j] = (x[j] - mean[j]) / scale[j];
            }
            return learner.proba(z);
        }
    }
}
