package org.fabai.adc.model.cnn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.onnx.InferenceEngine;
import org.fabai.adc.onnx.OnnxExporter;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.WaferMap;

/**
 * A convolutional wafer-map classifier trained with Deeplearning4j and served by Deeplearning4j,
 * ONNX Runtime (CPU) or cuDNN (GPU).
 *
 * <p>Each map is resized to N x N (nearest die) and encoded with one channel per die state (OFF,
 * GOOD, FAIL). Two networks are available ({@link CnnConfig.Architecture}); both end in a dense
 * layer of 64 units whose activations are the map's <em>embedding</em>, used for similar-wafer
 * search ({@link EmbeddingIndex}).
 *
 * <p>Single-label models end in a softmax and reject a map as {@link Prediction#UNKNOWN} when its
 * top probability falls below a threshold calibrated on the validation maps (the
 * {@link CnnConfig#unknownQuantile()} quantile of their top probabilities). Multi-label models
 * (mixed-type maps) end in one sigmoid per label, with per-label thresholds tuned for F1 on the
 * validation maps; their {@link Prediction#label()} joins the labels present with {@code "+"}, or
 * is {@link #NONE} when none is.
 *
 * <h2>Model file (format {@value #FORMAT}, version {@value #FORMAT_VERSION})</h2>
 * A ZIP archive with the entries
 * <ol>
 *   <li>{@code fabai-model.properties}: {@code format}, {@code formatVersion}, {@code fabaiVersion},
 *       {@code dl4jVersion}, {@code mode} ({@code single} or {@code multi}), {@code classes} (count)
 *       and {@code class.<i>}, {@code inputSize}, {@code channels}, {@code encoding}
 *       ({@code one_hot}), {@code unknownThreshold}, {@code labelThreshold.<i>} (multi-label),
 *       {@code config} ({@link CnnConfig#describe()}), {@code seed}, {@code data.*} (training
 *       data summary) and {@code metric.*} (validation metrics);</li>
 *   <li>{@code network.dl4j.zip}: the graph as written by DL4J's {@code ModelSerializer}
 *       (without updater state);</li>
 *   <li>{@code network.onnx}: the same network exported by {@link OnnxExporter} (opset 13), so
 *       that serving needs neither DL4J nor this class.</li>
 * </ol>
 * Readers reject another {@code format} or a newer {@code formatVersion} with a
 * {@link FormatException}.
 *
 * <p>Thread-safety: {@link #predict(WaferMap)}, {@link #predictBatch(List)} and
 * {@link #embed(List)} are thread-safe (the DL4J engine serialises calls; ONNX Runtime runs them
 * concurrently). Close the classifier to release its engine's native memory.
 */
public final class CnnClassifier implements WaferMapClassifier {

    /** Format name written to model files. */
    public static final String FORMAT = "fabai-adc-cnn";
    /** Current model-file format version. */
    public static final int FORMAT_VERSION = 1;
    /** Label of a multi-label prediction with no label present. */
    public static final String NONE = "none";
    /** Deeplearning4j version the networks are trained with. */
    public static final String DL4J_VERSION = "1.0.0-M2.1";

    private static final int BATCH = 256;

    private final ComputationGraph net;
    private final List<String> classNames;
    private final boolean multiLabel;
    private final float[] labelThresholds;
    private final double unknownThreshold;
    private final CnnConfig config;
    private final Map<String, String> provenance;
    private final byte[] onnx;
    private final InferenceEngine engine;
    private final Dl4jEngine reference;

    private CnnClassifier(ComputationGraph net, List<String> classNames, boolean multiLabel, float[] labelThresholds,
                          double unknownThreshold, CnnConfig config, Map<String, String> provenance, byte[] onnx,
                          InferenceEngine engine) {
        this.net = net;
        this.classNames = List.copyOf(classNames);
        this.multiLabel = multiLabel;
        this.labelThresholds = labelThresholds;
        this.unknownThreshold = unknownThreshold;
        this.config = config;
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        this.onnx = onnx;
        this.reference = new Dl4jEngine(net, config.inputSize(), classNames.size());
        this.engine = engine == null ? reference : engine;
    }

    /**
     * Trains a single-label classifier. A stratified {@link CnnConfig#validationFraction()} of the
     * maps is held out for early stopping and for calibrating the unknown threshold.
     *
     * @param maps   training maps, any sizes
     * @param labels their class names (at least two classes, at least two maps each)
     * @param config the configuration
     * @return the trained classifier (engine: DL4J; see {@link #withEngine(EngineKind)})
     */
    public static CnnClassifier train(List<WaferMap> maps, List<String> labels, CnnConfig config) {
        Objects.requireNonNull(config, "config");
        checkSizes(maps, labels);
        List<String> classes = new ArrayList<>(new TreeSet<>(labels));
        if (classes.size() < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        Map<String, Integer> index = indexOf(classes);
        int k = classes.size();
        float[][] targets = new float[maps.size()][k];
        int[] strata = new int[maps.size()];
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            int c = index.get(labels.get(i));
            targets[i][c] = 1f;
            strata[i] = c;
            counts.merge(labels.get(i), 1, Integer::sum);
        }
        CnnTrainer.Result r = new CnnTrainer(config, k, false).train(codes(maps, config.inputSize()), targets, strata);
        Map<String, String> prov = provenance(maps.size(), counts, r.metrics());
        return create(r.net(), classes, false, null, r.unknownThreshold(), config, prov);
    }

    /**
     * Trains a multi-label classifier for mixed-type maps: one sigmoid output per label, thresholds
     * tuned on the validation maps. A map with an empty label set has no pattern.
     *
     * @param maps       training maps
     * @param labelSets  the labels present on each map (possibly none)
     * @param labelNames every label, in output order
     * @param config     the configuration ({@link CnnConfig#classWeighted()} and
     *                   {@link CnnConfig#unknownQuantile()} do not apply)
     * @return the trained classifier
     */
    public static CnnClassifier trainMultiLabel(List<WaferMap> maps, List<Set<String>> labelSets,
                                                List<String> labelNames, CnnConfig config) {
        Objects.requireNonNull(config, "config");
        checkSizes(maps, labelSets);
        if (labelNames.size() < 1 || new LinkedHashSet<>(labelNames).size() != labelNames.size()) {
            throw new IllegalArgumentException("labelNames must be non-empty and distinct, got " + labelNames);
        }
        Map<String, Integer> index = indexOf(labelNames);
        int k = labelNames.size();
        float[][] targets = new float[maps.size()][k];
        int[] strata = new int[maps.size()];
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < labelSets.size(); i++) {
            int key = 0;
            for (String l : labelSets.get(i)) {
                Integer c = index.get(l);
                if (c == null) {
                    throw new IllegalArgumentException("map " + i + " has label '" + l + "' not in " + labelNames);
                }
                targets[i][c] = 1f;
                key |= 1 << Math.min(c, 30);
                counts.merge(l, 1, Integer::sum);
            }
            strata[i] = key;
        }
        CnnTrainer.Result r = new CnnTrainer(config, k, true).train(codes(maps, config.inputSize()), targets, strata);
        Map<String, String> prov = provenance(maps.size(), counts, r.metrics());
        return create(r.net(), labelNames, true, r.labelThresholds(), 0, config, prov);
    }

    private static CnnClassifier create(ComputationGraph net, List<String> classes, boolean multi, float[] th,
                                        double unknown, CnnConfig config, Map<String, String> prov) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("fabai.classes", String.join("\n", classes));
        meta.put("fabai.inputSize", Integer.toString(config.inputSize()));
        meta.put("fabai.encoding", "one_hot");
        meta.put("fabai.mode", multi ? "multi" : "single");
        byte[] onnx = OnnxExporter.export(net, config.inputSize(), CnnNetworks.CHANNELS, CnnNetworks.EMBEDDING, meta);
        return new CnnClassifier(net, classes, multi, th, unknown, config, prov, onnx, null);
    }

    private static Map<String, String> provenance(int maps, Map<String, Integer> counts, Map<String, String> metrics) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("data.maps", Integer.toString(maps));
        counts.forEach((c, v) -> p.put("data.count." + c, Integer.toString(v)));
        metrics.forEach((k, v) -> p.put("metric." + k, v));
        return p;
    }

    private static void checkSizes(List<WaferMap> maps, List<?> labels) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(labels, "labels");
        if (maps.size() != labels.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, labels " + labels.size());
        }
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i) == null || labels.get(i) == null) {
                throw new IllegalArgumentException("map or label " + i + " is null");
            }
        }
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }

    private static byte[][] codes(List<WaferMap> maps, int n) {
        byte[][] out = new byte[maps.size()][];
        for (int i = 0; i < maps.size(); i++) {
            WaferMap m = maps.get(i);
            out[i] = (m.rows() == n && m.cols() == n ? m : m.resize(n)).codes();
        }
        return out;
    }

    /**
     * A classifier sharing this one's network and calibration whose forward pass runs on another
     * engine. Close the returned classifier to release that engine.
     *
     * @param kind the engine
     * @return a new classifier
     * @throws IllegalStateException if the engine cannot start (e.g. no GPU module or device)
     */
    public CnnClassifier withEngine(EngineKind kind) {
        InferenceEngine e = kind == EngineKind.DL4J ? null : openEngine(kind);
        return new CnnClassifier(net, classNames, multiLabel, labelThresholds, unknownThreshold, config, provenance,
                onnx, e);
    }

    /**
     * Opens a new engine on this classifier's network; the caller closes it.
     *
     * @param kind the engine
     * @return the engine
     * @throws IllegalStateException if the engine cannot start
     */
    public InferenceEngine openEngine(EngineKind kind) {
        switch (kind) {
            case DL4J:
                return new Dl4jEngine(net, config.inputSize(), classNames.size());
            case ONNX:
                return OnnxRuntimeEngine.open(onnx, spec(), OnnxRuntimeEngine.Options.defaults());
            default:
                try {
                    Class<?> c = Class.forName("org.fabai.adc.gpu.CudnnEngine");
                    return (InferenceEngine) c.getMethod("open", byte[].class).invoke(null, (Object) onnx);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("the GPU engine needs the fabai-adc-gpu module on the class path", e);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new IllegalStateException("GPU engine failed to start: " + e.getCause().getMessage(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("GPU engine unusable: " + e, e);
                }
        }
    }

    private OnnxModelSpec spec() {
        return new OnnxModelSpec(classNames, config.inputSize(), WaferEncoding.ONE_HOT, OnnxModelSpec.Layout.NCHW,
                OnnxExporter.OUTPUT, OnnxModelSpec.Activation.NONE);
    }

    /** @return the name of the engine serving {@link #predict(WaferMap)} */
    public String engineName() {
        return engine.name();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Prediction predict(WaferMap map) {
        return predictBatch(List.of(map)).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<WaferMap> maps) {
        List<Prediction> out = new ArrayList<>(maps.size());
        for (float[] p : probabilities(maps)) {
            out.add(toPrediction(p));
        }
        return out;
    }

    /**
     * Raw network outputs (softmax or per-label sigmoid probabilities).
     *
     * @param maps the maps
     * @return one row per map
     */
    public float[][] probabilities(List<WaferMap> maps) {
        return run(maps, false);
    }

    /**
     * The labels present on a map (multi-label models), by the tuned per-label thresholds.
     *
     * @param map the map
     * @return the labels present, in label order; empty when none
     * @throws IllegalStateException for a single-label model
     */
    public Set<String> predictLabels(WaferMap map) {
        if (!multiLabel) {
            throw new IllegalStateException("predictLabels needs a multi-label model; this one is single-label");
        }
        return labelsOf(run(List.of(map), false)[0]);
    }

    /**
     * The embedding (64 activations of the last hidden dense layer) of each map.
     *
     * @param maps the maps
     * @return one vector per map
     */
    public float[][] embed(List<WaferMap> maps) {
        return run(maps, true);
    }

    private float[][] run(List<WaferMap> maps, boolean embedding) {
        InferenceEngine e = embedding && !engine.hasEmbedding() ? reference : engine;
        float[][] out = new float[maps.size()][];
        int n = config.inputSize();
        for (int from = 0; from < maps.size(); from += BATCH) {
            int b = Math.min(BATCH, maps.size() - from);
            float[] x = WaferEncoding.ONE_HOT.encode(maps.subList(from, from + b), n);
            float[][] r = embedding ? e.embed(x, b) : e.forward(x, b);
            System.arraycopy(r, 0, out, from, b);
        }
        return out;
    }

    private Set<String> labelsOf(float[] p) {
        Set<String> s = new LinkedHashSet<>();
        for (int l = 0; l < p.length; l++) {
            if (p[l] >= labelThresholds[l]) {
                s.add(classNames.get(l));
            }
        }
        return s;
    }

    private Prediction toPrediction(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        String best = classNames.get(Scores.argmax(p));
        String label;
        if (multiLabel) {
            Set<String> s = labelsOf(p);
            label = s.isEmpty() ? NONE : String.join("+", s);
        } else {
            label = p[Scores.argmax(p)] < unknownThreshold ? Prediction.UNKNOWN : best;
        }
        return new Prediction(label, best, d, classNames);
    }

    /** @return true for a multi-label (mixed-type) model */
    public boolean multiLabel() {
        return multiLabel;
    }

    /** @return per-label thresholds of a multi-label model (a copy), or an empty array */
    public float[] labelThresholds() {
        return labelThresholds == null ? new float[0] : labelThresholds.clone();
    }

    /** @return the calibrated reject threshold on the top probability (0: never rejects) */
    public double unknownThreshold() {
        return unknownThreshold;
    }

    /** @return the training configuration */
    public CnnConfig config() {
        return config;
    }

    /** @return provenance: training-data summary and validation metrics */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** @return the Deeplearning4j graph (the reference network; do not train it further) */
    public ComputationGraph network() {
        return net;
    }

    /** @return the network exported to ONNX (a copy) */
    public byte[] toOnnx() {
        return onnx.clone();
    }

    /**
     * Writes the network as an ONNX model, with a sidecar {@code <file>.properties} declaring the
     * class names, input size and encoding (see {@link OnnxModelSpec}).
     *
     * @param file the {@code .onnx} file
     * @throws IOException if writing fails
     */
    public void exportOnnx(Path file) throws IOException {
        Files.write(file, onnx);
        spec().writeSidecar(OnnxModelSpec.sidecarOf(file));
    }

    @Override
    public void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("formatVersion", Integer.toString(FORMAT_VERSION));
        String v = CnnClassifier.class.getPackage().getImplementationVersion();
        p.setProperty("fabaiVersion", v == null ? "dev" : v);
        p.setProperty("dl4jVersion", DL4J_VERSION);
        p.setProperty("mode", multiLabel ? "multi" : "single");
        p.setProperty("classes", Integer.toString(classNames.size()));
        for (int i = 0; i < classNames.size(); i++) {
            p.setProperty("class." + i, classNames.get(i));
            if (multiLabel) {
                p.setProperty("labelThreshold." + i, Float.toString(labelThresholds[i]));
            }
        }
        p.setProperty("inputSize", Integer.toString(config.inputSize()));
        p.setProperty("channels", Integer.toString(CnnNetworks.CHANNELS));
        p.setProperty("encoding", "one_hot");
        p.setProperty("unknownThreshold", Double.toString(unknownThreshold));
        p.setProperty("config", config.describe());
        p.setProperty("seed", Long.toString(config.seed()));
        provenance.forEach(p::setProperty);
        StringWriter sw = new StringWriter();
        p.store(sw, "fabai CNN wafer-map classifier");
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, dl4j, false);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, "fabai-model.properties", sw.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "network.dl4j.zip", dl4j.toByteArray());
            put(zip, "network.onnx", onnx);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Reads a model written by {@link #save(Path)}.
     *
     * @param file the model file
     * @return the classifier (engine: DL4J)
     * @throws IOException     if reading fails
     * @throws FormatException if the file is not a fabai CNN model of a supported version
     */
    public static CnnClassifier load(Path file) throws IOException, FormatException {
        String src = file.toString();
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (java.util.zip.ZipException e) {
            throw new FormatException(src, "archive", "not a ZIP archive: " + e.getMessage(), e);
        }
        byte[] meta = require(entries, "fabai-model.properties", src);
        Properties p = new Properties();
        p.load(new StringReader(new String(meta, StandardCharsets.UTF_8)));
        String format = p.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new FormatException(src, "fabai-model.properties, key 'format'",
                    "expected '" + FORMAT + "', got '" + format + "'");
        }
        int version = intProp(p, "formatVersion", src);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new FormatException(src, "fabai-model.properties, key 'formatVersion'",
                    "this reader supports versions 1.." + FORMAT_VERSION + ", got " + version);
        }
        try {
            CnnConfig cfg = CnnConfig.parse(prop(p, "config", src));
            boolean multi = "multi".equals(prop(p, "mode", src));
            int k = intProp(p, "classes", src);
            List<String> classes = new ArrayList<>();
            float[] th = multi ? new float[k] : null;
            for (int i = 0; i < k; i++) {
                classes.add(prop(p, "class." + i, src));
                if (multi) {
                    th[i] = Float.parseFloat(prop(p, "labelThreshold." + i, src));
                }
            }
            double unknown = Double.parseDouble(prop(p, "unknownThreshold", src));
            Map<String, String> prov = new LinkedHashMap<>();
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                if (key.startsWith("data.") || key.startsWith("metric.")) {
                    prov.put(key, p.getProperty(key));
                }
            }
            ComputationGraph net = ModelSerializer.restoreComputationGraph(
                    new ByteArrayInputStream(require(entries, "network.dl4j.zip", src)), false);
            byte[] onnx = require(entries, "network.onnx", src);
            return new CnnClassifier(net, classes, multi, th, unknown, cfg, prov, onnx, null);
        } catch (IllegalArgumentException e) {
            throw new FormatException(src, "fabai-model.properties", "malformed value: " + e.getMessage(), e);
        }
    }

    private static byte[] require(Map<String, byte[]> entries, String name, String src) throws FormatException {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new FormatException(src, "archive", "missing entry '" + name + "'");
        }
        return b;
    }

    private static String prop(Properties p, String key, String src) throws FormatException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new FormatException(src, "fabai-model.properties", "missing key '" + key + "'");
        }
        return v;
    }

    private static int intProp(Properties p, String key, String src) throws FormatException {
        String v = prop(p, key, src);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new FormatException(src, "fabai-model.properties, key '" + key + "'", "not an integer: '" + v + "'", e);
        }
    }

    /** Closes the serving engine if it is not the DL4J reference. */
    @Override
    public void close() {
        if (engine != reference) {
            engine.close();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CnnClassifier[%s, %s, %dx%d, %d %s, engine=%s]", config.architecture(),
                multiLabel ? "multi-label" : "single-label", config.inputSize(), config.inputSize(),
                classNames.size(), multiLabel ? "labels" : "classes", engine.name());
    }
}
