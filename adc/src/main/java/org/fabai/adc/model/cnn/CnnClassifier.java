package org.fabai.adc.model.cnn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.fabai.adc.model.ClassifierKind;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.UnknownThreshold;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.engine.Engines;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.OnnxExporter;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.core.Provenance;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;

/**
 * A convolutional wafer-map classifier trained with Deeplearning4j and served by Deeplearning4j,
 * ONNX Runtime (CPU) or cuDNN (GPU).
 *
 * <p>Each map is brought to N x N by {@link MapSizing#toSquare} (padded to square with OFF cells so
 * the wafer stays round, then resized: a shrunk cell keeps the most severe state of its block, so
 * thin scratches survive) and encoded with one channel per die state (OFF,
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
 * <h2>Model file (kind {@value #KIND}, version {@value #FORMAT_VERSION})</h2>
 * fabai's {@link ModelFile} container (as every adc model). Header: {@code fabai.version},
 * {@code dl4j.version}, {@code mode} ({@code single} or {@code multi}), {@code classes} (count) and
 * {@code class.<i>}, {@code inputSize}, {@code channels}, {@code encoding} ({@code one_hot}),
 * {@code unknown.threshold}, {@code unknown.targetRejectRate}, {@code unknown.achievedRejectRate},
 * {@code unknown.calibrationSize}, {@code labelThreshold.<i>} (multi-label), {@code config}
 * ({@link CnnConfig#describe()}), {@code seed}, {@code data.*} (training-data summary) and
 * {@code metric.*} (validation metrics). Sections:
 * <ol>
 *   <li>{@value #SECTION_DL4J}: the graph as written by DL4J's {@code ModelSerializer}
 *       (without updater state);</li>
 *   <li>{@value #SECTION_ONNX}: the same network exported by {@link OnnxExporter} (opset 13), so
 *       that serving needs neither DL4J nor this class.</li>
 * </ol>
 * {@link #load(Path)} never hands the DL4J section to DL4J's {@code ModelSerializer} (which would
 * run {@code ObjectInputStream.readObject} on a {@code preprocessor.bin} entry): it rebuilds the
 * graph from the header's {@code config} and reads only the parameter vector, refusing any entry
 * but {@code configuration.json} and {@code coefficients.bin}; and it refuses an ONNX section that
 * is not the network's own export and does not give the network's outputs on probe maps. The
 * loss's class weights are not restored (the loaded network serves; it is not trained further).
 *
 * <p>Thread-safety: {@link #predict(WaferMap)}, {@link #predictBatch(List)} and
 * {@link #embed(List)} are thread-safe (the DL4J engine serialises calls; ONNX Runtime runs them
 * concurrently). Close the classifier to release its engine's native memory.
 */
public final class CnnClassifier implements WaferMapClassifier {

    /** Model kind written to the model-file header ({@link ModelFile#KEY_KIND}). */
    public static final String KIND = "cnn-classifier";
    /** The producer named in a CNN's {@link #provenance()}. */
    public static final String PRODUCER = "fabai-adc";
    /** Current content version of this kind ({@link ModelFile#KEY_VERSION}). */
    public static final int FORMAT_VERSION = 1;
    /** Section holding the DL4J graph. */
    public static final String SECTION_DL4J = "network.dl4j.zip";
    /** Section holding the ONNX export. */
    public static final String SECTION_ONNX = "network.onnx";
    /** Label of a multi-label prediction with no label present. */
    public static final String NONE = "none";
    /** Deeplearning4j version the networks are trained with. */
    public static final String DL4J_VERSION = "1.0.0-M2.1";

    static {
        Dl4jBackend.configure();
    }

    private final ComputationGraph net;
    private final List<String> classNames;
    private final boolean multiLabel;
    private final float[] labelThresholds;
    private final UnknownThreshold unknown;
    private final CnnConfig config;
    private final Provenance provenance;
    private final byte[] onnx;
    private final InferenceEngine engine;
    private final Dl4jEngine reference;
    private final CnnHead head;

    private CnnClassifier(ComputationGraph net, List<String> classNames, boolean multiLabel, float[] labelThresholds,
                          UnknownThreshold unknown, CnnConfig config, Provenance provenance, byte[] onnx,
                          InferenceEngine engine) {
        this.net = net;
        this.classNames = List.copyOf(classNames);
        this.multiLabel = multiLabel;
        this.labelThresholds = labelThresholds;
        this.unknown = unknown;
        this.config = config;
        this.provenance = provenance;
        this.onnx = onnx;
        this.reference = new Dl4jEngine(net, config.inputSize(), classNames.size());
        this.engine = engine == null ? reference : engine;
        this.head = new CnnHead(config, classNames, multiLabel, labelThresholds, unknown);
    }

    /**
     * Trains a single-label classifier. {@link CnnConfig#validationFraction()} of the maps is held
     * out for early stopping and for calibrating the unknown threshold: whole lots when the maps name
     * five or more ({@link org.fabai.adc.model.ValidationSplit#byLots}; the threshold then holds on
     * new lots), else a stratified share of each class; {@code validation.split} in the provenance
     * says which.
     *
     * @param maps   training maps, any sizes
     * @param labels their class names (at least two classes, at least two maps each)
     * @param config the configuration
     * @return the trained classifier (engine: DL4J; see {@link #withEngine(EngineKind)})
     */
    public static CnnClassifier train(List<WaferMap> maps, List<String> labels, CnnConfig config) {
        return trainSingle(maps, labels, config, null);
    }

    private static CnnClassifier trainSingle(List<WaferMap> maps, List<String> labels, CnnConfig config,
                                             CnnClassifier pretrained) {
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
        String[] lots = new String[maps.size()];
        for (int i = 0; i < lots.length; i++) {
            lots[i] = maps.get(i).lotId();
        }
        CnnTrainer.Result r = new CnnTrainer(config, k, false).train(codes(maps, config.inputSize()), targets, strata,
                lots, pretrained == null ? null : pretrained.net, pretrained != null && pretrained.classNames.equals(classes));
        Map<String, String> prov = provenance(maps, counts, r.metrics());
        if (pretrained != null) {
            prov.put("pretrained.from", "cnn " + pretrained.classNames.size() + " classes, "
                    + pretrained.provenance.get("data.maps").orElse("?") + " maps");
            pretrained.provenance.facts().forEach((key, v) -> {
                if (key.startsWith("data.")) {
                    prov.put("pretrained." + key, v);
                }
            });
        }
        return create(r.net(), classes, false, null, r.unknown(), config, prov);
    }

    /**
     * Fine-tunes a pretrained single-label classifier (for example one trained on generated maps) on
     * labelled maps: the new network starts from the pretrained weights, and from its output layer too
     * when the classes are the same (same names, same order); otherwise the output layer starts fresh.
     * Then it trains as {@link #train} does, usually with a smaller learning rate.
     *
     * @param pretrained a single-label classifier of the same architecture, width and input size
     * @param maps       training maps, any sizes
     * @param labels     their class names
     * @param config     the configuration (architecture, width and input size must match the pretrained one)
     * @return the fine-tuned classifier
     */
    public static CnnClassifier fineTune(CnnClassifier pretrained, List<WaferMap> maps, List<String> labels,
                                         CnnConfig config) {
        Objects.requireNonNull(pretrained, "pretrained");
        Objects.requireNonNull(config, "config");
        if (pretrained.multiLabel) {
            throw new IllegalArgumentException("fine-tuning starts from a single-label model; this one is multi-label");
        }
        CnnConfig pc = pretrained.config;
        if (pc.architecture() != config.architecture() || pc.width() != config.width()
                || pc.inputSize() != config.inputSize()) {
            throw new IllegalArgumentException("the pretrained model is " + pc.architecture() + " width " + pc.width()
                    + " input " + pc.inputSize() + ", the configuration " + config.architecture() + " width "
                    + config.width() + " input " + config.inputSize() + "; they must match");
        }
        return trainSingle(maps, labels, config, pretrained);
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
        Map<String, String> prov = provenance(maps, counts, r.metrics());
        return create(r.net(), labelNames, true, r.labelThresholds(), UnknownThreshold.none(), config, prov);
    }

    private static CnnClassifier create(ComputationGraph net, List<String> classes, boolean multi, float[] th,
                                        UnknownThreshold unknown, CnnConfig config, Map<String, String> prov) {
        byte[] onnx = OnnxExporter.export(net, config.inputSize(), CnnNetworks.CHANNELS, CnnNetworks.EMBEDDING,
                onnxMetadata(classes, config, multi));
        return new CnnClassifier(net, classes, multi, th, unknown, config, new Provenance(PRODUCER, libraryVersion(), prov),
                onnx, null);
    }

    /** The metadata the ONNX export carries. */
    private static Map<String, String> onnxMetadata(List<String> classes, CnnConfig config, boolean multi) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("fabai.classes", String.join("\n", classes));
        meta.put("fabai.inputSize", Integer.toString(config.inputSize()));
        meta.put("fabai.encoding", "one_hot");
        meta.put("fabai.mode", multi ? "multi" : "single");
        return meta;
    }

    private static Map<String, String> provenance(List<WaferMap> maps, Map<String, Integer> counts,
                                                  Map<String, String> metrics) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("data.maps", Integer.toString(maps.size()));
        if (!maps.isEmpty()) {
            String[] ranges = MapSizing.sizeRanges(maps);
            p.put("data.rows", ranges[0]);
            p.put("data.cols", ranges[1]);
        }
        counts.forEach((c, v) -> p.put("data.count." + c.replaceAll("[^A-Za-z0-9._-]", "_"), Integer.toString(v)));
        metrics.forEach((k, v) -> p.put(k.equals("validation.split") ? k : "metric." + k, v));
        return p;
    }

    /** @return the version of this library's jar, {@code dev} when run from classes */
    private static String libraryVersion() {
        String v = CnnClassifier.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
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
            out[i] = MapSizing.toSquare(m, n).codes();
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
        return new CnnClassifier(net, classNames, multiLabel, labelThresholds, unknown, config, provenance, onnx, e);
    }

    /**
     * Opens a new engine on this classifier's network; the caller closes it.
     *
     * @param kind the engine
     * @return the engine
     * @throws IllegalStateException if the engine cannot start
     */
    public InferenceEngine openEngine(EngineKind kind) {
        if (kind == EngineKind.DL4J) {
            return new Dl4jEngine(net, config.inputSize(), classNames.size());
        }
        return openEngine(kind.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Opens a new engine of a kind found through {@link java.util.ServiceLoader} ({@link Engines})
     * on this classifier's exported network; the caller closes it.
     *
     * @param kind an engine kind a provider on the class path serves: {@code onnx}, {@code java},
     *             {@code gpu} (with fabai-adc-gpu), or another module's
     * @return the engine
     * @throws IllegalStateException if no such engine is on the class path, or it cannot start
     */
    public InferenceEngine openEngine(String kind) {
        return Engines.open(kind, onnx, spec());
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
        if (embedding) {
            return head.runOnce(engine.hasEmbedding() ? engine : reference, maps, true);
        }
        return head.probabilities(engine, maps);
    }

    private Set<String> labelsOf(float[] p) {
        return head.labelsOf(p);
    }

    private Prediction toPrediction(float[] p) {
        return head.toPrediction(p);
    }

    /** @return true for a multi-label (mixed-type) model */
    public boolean multiLabel() {
        return multiLabel;
    }

    /** @return per-label thresholds of a multi-label model (a copy), or an empty array */
    public float[] labelThresholds() {
        return labelThresholds == null ? new float[0] : labelThresholds.clone();
    }

    /** @return the calibrated open-set reject rule on the top probability (never rejects for multi-label models) */
    public UnknownThreshold unknownThreshold() {
        return unknown;
    }

    /** @return the training configuration */
    public CnnConfig config() {
        return config;
    }

    /**
     * @return provenance: producer {@value #PRODUCER}, the fabai version that trained the model (its
     *         file's {@code fabai.version} once saved and loaded), and as facts the training-data summary
     *         ({@code data.*}, {@code pretrained.*}) and the validation metrics ({@code metric.*}), which
     *         the model file holds as header entries
     */
    public Provenance provenance() {
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
        Map<String, String> h = new LinkedHashMap<>();
        h.put("fabai.version", libraryVersion());
        h.put("dl4j.version", DL4J_VERSION);
        h.put("mode", multiLabel ? "multi" : "single");
        h.put("classes", Integer.toString(classNames.size()));
        for (int i = 0; i < classNames.size(); i++) {
            h.put("class." + i, classNames.get(i));
            if (multiLabel) {
                h.put("labelThreshold." + i, Float.toString(labelThresholds[i]));
            }
        }
        h.put("inputSize", Integer.toString(config.inputSize()));
        h.put("channels", Integer.toString(CnnNetworks.CHANNELS));
        h.put("encoding", "one_hot");
        h.put("unknown.threshold", Double.toString(unknown.threshold()));
        h.put("unknown.targetRejectRate", Double.toString(unknown.targetRejectRate()));
        h.put("unknown.achievedRejectRate", Double.toString(unknown.achievedRejectRate()));
        h.put("unknown.calibrationSize", Integer.toString(unknown.calibrationSize()));
        h.put("config", config.describe());
        h.put("seed", Long.toString(config.seed()));
        h.putAll(provenance.facts());
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, dl4j, false);
        Map<String, byte[]> sections = new LinkedHashMap<>();
        sections.put(SECTION_DL4J, dl4j.toByteArray());
        sections.put(SECTION_ONNX, onnx);
        new ModelFile(KIND, FORMAT_VERSION, h, sections).write(file);
    }

    /**
     * Reads a model written by {@link #save(Path)}.
     *
     * @param file the model file
     * @return the classifier (engine: DL4J)
     * @throws IOException        if reading fails
     * @throws ModelFileException if the file is not a fabai CNN model of a supported version, or
     *                            a header value or section is missing or malformed
     */
    public static CnnClassifier load(Path file) throws IOException, ModelFileException {
        return load(ModelFile.read(file, KIND, FORMAT_VERSION), file.toString());
    }

    /**
     * Loads a CNN from a model file already read (for example a member of an ensemble's file).
     *
     * @param m   the model file
     * @param src its name, for messages
     * @return the classifier (engine: DL4J)
     * @throws IOException        if the DL4J section cannot be read
     * @throws ModelFileException if the file is not a valid CNN model
     */
    public static CnnClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
        m.check(src, KIND, FORMAT_VERSION);
        CnnHead h = CnnHead.read(m, src);
        Map<String, String> prov = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.header().entrySet()) {
            if (e.getKey().startsWith("data.") || e.getKey().startsWith("metric.") || e.getKey().startsWith("validation.")
                    || e.getKey().startsWith("pretrained.")) {
                prov.put(e.getKey(), e.getValue());
            }
        }
        byte[] dl4j = section(m, SECTION_DL4J, src);
        byte[] onnx = section(m, SECTION_ONNX, src);
        int k = h.classNames.size();
        try {
            ComputationGraph net = Dl4jSection.read(dl4j, src, h.config, k, h.multiLabel);
            Dl4jSection.checkOnnx(net, onnx, onnxMetadata(h.classNames, h.config, h.multiLabel), new OnnxModelSpec(
                    h.classNames, h.config.inputSize(), WaferEncoding.ONE_HOT, OnnxModelSpec.Layout.NCHW, OnnxExporter.OUTPUT,
                    OnnxModelSpec.Activation.NONE), src);
            return new CnnClassifier(net, h.classNames, h.multiLabel, h.multiLabel ? h.labelThresholds() : null, h.unknown,
                    h.config, new Provenance(PRODUCER, m.header().getOrDefault("fabai.version", "dev"), prov), onnx, null);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "header key '" + SECTION_DL4J + "'", ModelFileException.Reason.INVALID_CONTENT,
                    "malformed value: " + e.getMessage(), e);
        }
    }

    private static byte[] section(ModelFile m, String name, String src) throws ModelFileException {
        byte[] b = m.section(name);
        if (b == null) {
            throw new ModelFileException(src, "section '" + name + "'", ModelFileException.Reason.INVALID_CONTENT,
                    "missing section; sections present: " + m.sectionNames());
        }
        return b;
    }

    /** Closes the serving engine if it is not the DL4J reference. */
    @Override
    public double rejectThreshold() {
        return unknown.threshold();
    }

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

    /** Registers the CNN ({@link #KIND}) with {@link WaferMapClassifier#load(Path)}. Thread-safe. */
    public static final class Kind extends ClassifierKind.Of {

        /** For {@link java.util.ServiceLoader}. */
        public Kind() {
            super(KIND, CnnClassifier::load);
        }
    }
}
