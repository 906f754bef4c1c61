package org.fabai.adc.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.core.Provenance;
import smile.classification.RandomForest;

/**
 * The small model's file ({@link ModelFile} of kind {@value FeatureClassifier#KIND}, content
 * version {@value FeatureClassifier#FORMAT_VERSION}): what is needed to re-fit the identical model
 * (configuration, classes, feature names and version, the training matrix and labels), the
 * model's probabilities on up to {@value #PROBES} training rows, which a load must reproduce, and
 * (optional section {@value #PARAMS}) the fitted learner's parameters as plain numbers
 * ({@link LearnerParams}), which a load uses instead of re-fitting when they reproduce those
 * probabilities. See {@link FeatureClassifier} for why. Stateless and thread-safe.
 */
final class FeatureClassifierFile {

    /** Training rows whose probabilities are stored and checked on load. */
    static final int PROBES = 256;
    /** Largest probability difference a re-fit may show. */
    static final double PROBE_TOLERANCE = 1e-9;
    /** Optional section: the fitted learner's parameters ({@link LearnerParams}). */
    static final String PARAMS = "fitted.params";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeatureClassifierFile.class);

    /**
     * A loaded model and how it was obtained.
     *
     * @param classifier the model
     * @param refitted   true when it was re-fitted from the stored training data, false when it was
     *                   read from its stored parameters
     */
    record Loaded(FeatureClassifier classifier, boolean refitted) {
    }

    private FeatureClassifierFile() {
    }

    static void save(FeatureClassifier c, Path file) throws IOException {
        UnknownThreshold threshold = c.threshold();
        double[][] trainX = c.trainX();
        Map<String, String> h = new LinkedHashMap<>(c.config().toHeader());
        h.put("classes", String.join("\n", c.classNames()));
        h.put("features.names", String.join(",", c.featureNames()));
        h.put("features.version", Integer.toString(c.featureVersion()));
        h.put("library.fabai", libraryVersion(FeatureClassifier.class));
        h.put("library.smile", libraryVersion(RandomForest.class));
        h.put("library.java", System.getProperty("java.version"));
        h.put("threshold.value", Double.toString(threshold.threshold()));
        h.put("threshold.targetRejectRate", Double.toString(threshold.targetRejectRate()));
        h.put("threshold.achievedRejectRate", Double.toString(threshold.achievedRejectRate()));
        h.put("threshold.calibrationSize", Integer.toString(threshold.calibrationSize()));
        h.put("train.rows", Integer.toString(trainX.length));
        h.putAll(c.provenance().facts());
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("train.x", ModelFile.encodeDoubles(trainX));
        s.put("train.y", ModelFile.encodeInts(c.trainY()));
        s.put("probe.p", ModelFile.encodeDoubles(probe(c.fitted(), trainX)));
        LearnerParams.encode(c.fitted().learner()).ifPresent(b -> s.put(PARAMS, b));
        new ModelFile(FeatureClassifier.KIND, FeatureClassifier.FORMAT_VERSION, h, s).write(file);
    }

    static double[][] probe(FeatureClassifier.Fitted f, double[][] x) {
        double[][] p = new double[Math.min(PROBES, x.length)][];
        for (int i = 0; i < p.length; i++) {
            p[i] = f.proba(x[i]);
        }
        return p;
    }

    /**
     * Loads a model from a model file already read (for example a member of an ensemble's file).
     *
     * @param m   the model file
     * @param src its name, for messages
     * @return the model
     * @throws ModelFileException if the file is not a valid feature-classifier model
     */
    static FeatureClassifier load(ModelFile m, String src) throws ModelFileException {
        return loadTracked(m, src).classifier();
    }

    /**
     * As {@link #load}, saying whether the model was read from its stored parameters (section
     * {@value #PARAMS}, checked against the probe rows) or re-fitted (files without that section,
     * or whose stored parameters do not reproduce the probe rows on this Smile build).
     */
    static Loaded loadTracked(ModelFile m, String src) throws ModelFileException {
        m.check(src, FeatureClassifier.KIND, FeatureClassifier.FORMAT_VERSION);
        Map<String, String> h = m.header();
        FeatureClassifierConfig config;
        try {
            config = FeatureClassifierConfig.fromHeader(h);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "header config.*", ModelFileException.Reason.INVALID_CONTENT,
                    "bad configuration: " + e.getMessage(), e);
        }
        int fv = parseInt(src, h, "features.version");
        if (fv < WaferFeatureExtractor.OLDEST_FEATURE_VERSION || fv > WaferFeatureExtractor.FEATURE_VERSION) {
            throw new ModelFileException(src, "header features.version", ModelFileException.Reason.UNSUPPORTED_VERSION,
                    "model was trained on feature version " + fv + ", this library extracts versions "
                            + WaferFeatureExtractor.OLDEST_FEATURE_VERSION + " to " + WaferFeatureExtractor.FEATURE_VERSION);
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
        FeatureClassifier.Fitted f = null;
        if (m.sectionNames().contains(PARAMS)) {
            try {
                FeatureClassifier.Fitted stored = FeatureClassifier.Fitted.withLearner(tx, LearnerParams.decode(m.section(PARAMS)));
                double worst = worstDifference(stored, tx, probe);
                if (worst <= PROBE_TOLERANCE) {
                    f = stored;
                } else {
                    LOG.warn("{}: the stored parameters do not reproduce the saved probabilities (max difference {});"
                            + " re-fitting from the training data", src, worst);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: section {} unreadable ({}); re-fitting from the training data", src, PARAMS, e.toString());
            }
        }
        boolean refitted = f == null;
        if (refitted) {
            f = FeatureClassifier.Fitted.fit(tx, ty, classes.size(), config);
            double worst = worstDifference(f, tx, probe);
            if (worst > PROBE_TOLERANCE) {
                throw new ModelFileException(src, "section probe.p", ModelFileException.Reason.INVALID_CONTENT,
                        "re-fitting the model from its training data did not reproduce it (max probability difference "
                                + worst + "); saved with Smile " + h.get("library.smile") + ", running Smile "
                                + libraryVersion(RandomForest.class));
            }
        }
        Map<String, String> prov = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : h.entrySet()) {
            if (e.getKey().startsWith("data.") || e.getKey().startsWith("training.") || e.getKey().startsWith("validation.")) {
                prov.put(e.getKey(), e.getValue());
            }
        }
        return new Loaded(new FeatureClassifier(config, classes, features, f, tx, ty, thr,
                new Provenance(FeatureClassifier.PRODUCER, h.getOrDefault("library.fabai", "unknown"), prov), fv), refitted);
    }

    private static double worstDifference(FeatureClassifier.Fitted f, double[][] tx, double[][] probe) {
        double[][] again = probe(f, tx);
        double worst = 0;
        for (int i = 0; i < again.length; i++) {
            if (again[i].length != probe[i].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < again[i].length; c++) {
                double d = Math.abs(again[i][c] - probe[i][c]);
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
            }
        }
        return worst;
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
}
