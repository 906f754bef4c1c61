package org.fabai.adc.model.cnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.onnx.OnnxExporter;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.core.wafer.WaferMap;

/**
 * A CNN model file ({@link CnnClassifier}'s format) served from its ONNX section alone, without
 * Deeplearning4j: for serving hosts and Spark executors that carry ONNX Runtime but not DL4J's native
 * libraries. Predictions are those of {@link CnnClassifier#withEngine(EngineKind)} on the same engine
 * (the same header, encoding, test-time augmentation and decision rule, shared through one class).
 *
 * <p>What it does not do that {@link CnnClassifier#load(Path)} does: rebuild the DL4J network and
 * check that the ONNX section gives its outputs on probe maps. The ONNX section is checked as ONNX
 * Runtime opens it (input and output shapes against the header's classes and input size); load a
 * file from an untrusted source once with {@link CnnClassifier#load(Path)} for the full check.
 *
 * <p>Thread-safe: ONNX Runtime runs concurrent calls. Close it to release the session's native memory.
 */
public final class OnnxCnnClassifier implements WaferMapClassifier {

    private final ModelFile file;
    private final CnnHead head;
    private final InferenceEngine engine;

    private OnnxCnnClassifier(ModelFile file, CnnHead head, InferenceEngine engine) {
        this.file = file;
        this.head = head;
        this.engine = engine;
    }

    /**
     * Reads a CNN model file and opens ONNX Runtime on its ONNX section.
     *
     * @param file the model file (from {@code fabai adc train --model cnn})
     * @return the classifier
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if it is not a CNN model of a supported version, or its header or
     *                            ONNX section is malformed
     */
    public static OnnxCnnClassifier load(Path file) throws IOException, ModelFileException {
        return load(Files.readAllBytes(file), file.toString(), OnnxRuntimeEngine.Options.defaults());
    }

    /**
     * Parses a CNN model file held in memory (as a Spark executor gets it) and opens ONNX Runtime.
     *
     * @param bytes   the model file's bytes
     * @param source  its name, for messages
     * @param options ONNX Runtime session options
     * @return the classifier
     * @throws ModelFileException if the bytes are not a CNN model of a supported version, or its
     *                            header or ONNX section is malformed
     */
    public static OnnxCnnClassifier load(byte[] bytes, String source, OnnxRuntimeEngine.Options options)
            throws ModelFileException {
        return open(bytes, source, EngineKind.ONNX, options);
    }

    /**
     * Parses a CNN model file held in memory and opens an engine on its ONNX section.
     *
     * @param bytes   the model file's bytes
     * @param source  its name, for messages
     * @param kind    {@link EngineKind#ONNX} or {@link EngineKind#JAVA} (fabai's plain-Java interpreter)
     * @param options ONNX Runtime session options (ignored by the Java engine)
     * @return the classifier
     * @throws ModelFileException       if the bytes are not a valid CNN model file
     * @throws IllegalArgumentException for another engine kind (DL4J and GPU need {@link CnnClassifier})
     */
    public static OnnxCnnClassifier open(byte[] bytes, String source, EngineKind kind, OnnxRuntimeEngine.Options options)
            throws ModelFileException {
        Objects.requireNonNull(kind, "kind");
        if (kind != EngineKind.ONNX && kind != EngineKind.JAVA) {
            throw new IllegalArgumentException("engine must be onnx or java without Deeplearning4j, got " + kind);
        }
        ModelFile m = ModelFile.parse(bytes, source);
        m.check(source, CnnClassifier.KIND, CnnClassifier.FORMAT_VERSION);
        CnnHead head = CnnHead.read(m, source);
        byte[] onnx = m.requireSection(source, CnnClassifier.SECTION_ONNX);
        OnnxModelSpec spec = new OnnxModelSpec(head.classNames, head.config.inputSize(), WaferEncoding.ONE_HOT,
                OnnxModelSpec.Layout.NCHW, OnnxExporter.OUTPUT, OnnxModelSpec.Activation.NONE);
        InferenceEngine e;
        try {
            e = kind == EngineKind.ONNX ? OnnxRuntimeEngine.open(onnx, spec, options)
                    : new OnnxJavaEngine(OnnxGraph.parse(onnx), spec);
        } catch (RuntimeException ex) {
            throw new ModelFileException(source, "section '" + CnnClassifier.SECTION_ONNX + "'",
                    ModelFileException.Reason.INVALID_CONTENT, "the ONNX network does not open: " + ex.getMessage(), ex);
        }
        return new OnnxCnnClassifier(m, head, e);
    }

    @Override
    public List<String> classNames() {
        return head.classNames;
    }

    @Override
    public Prediction predict(WaferMap map) {
        return predictBatch(List.of(map)).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<WaferMap> maps) {
        List<Prediction> out = new ArrayList<>(maps.size());
        for (float[] p : head.probabilities(engine, maps)) {
            out.add(head.toPrediction(p));
        }
        return out;
    }

    /**
     * @param maps the maps
     * @return the network's outputs (softmax or per-label sigmoid probabilities), one row per map
     */
    public float[][] probabilities(List<WaferMap> maps) {
        return head.probabilities(engine, maps);
    }

    /** @return true for a multi-label (mixed-type) model */
    public boolean multiLabel() {
        return head.multiLabel;
    }

    /** @return the engine's name */
    public String engineName() {
        return engine.name();
    }

    /** Writes the model file back unchanged (both networks and the header). */
    @Override
    public void save(Path to) throws IOException {
        file.write(to);
    }

    @Override
    public double rejectThreshold() {
        return head.unknown.threshold();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "OnnxCnnClassifier[" + (head.multiLabel ? "multi-label" : "single-label") + ", " + head.config.inputSize()
                + "x" + head.config.inputSize() + ", " + head.classNames.size() + " classes, engine=" + engine.name() + "]";
    }
}
