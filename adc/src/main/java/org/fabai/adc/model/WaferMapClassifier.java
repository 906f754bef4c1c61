package org.fabai.adc.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.fabai.core.wafer.WaferMap;

/**
 * One interface for every wafer-map classifier in fabai: the small-model path (engineered
 * features and a Smile learner) and the CNN path (trained on Deeplearning4j, served by ONNX
 * Runtime or cuDNN).
 *
 * <p>Implementations say in their own javadoc whether they are thread-safe. Those holding native
 * memory release it in {@link #close()}; for the others {@code close()} does nothing.
 *
 * <p>{@link #load(Path)} reads any classifier fabai writes, by the kind its model file declares:
 * each kind is a {@link ClassifierKind} service. fabai-adc registers the CNN
 * ({@code cnn-classifier}) and the ensemble ({@code ensemble-classifier}); the small model
 * ({@value #SMALL_MODEL_KIND}) comes with fabai-adc-smile (GPL-3.0, because Smile is), which is
 * not a dependency of fabai-adc.
 */
public interface WaferMapClassifier extends AutoCloseable {

    /** The small model's kind ({@code FeatureClassifier.KIND} in fabai-adc-smile). */
    String SMALL_MODEL_KIND = "feature-classifier";

    /**
     * Loads any wafer-map classifier fabai writes (CNNs on the DL4J engine).
     *
     * @param file a model file
     * @return the classifier it holds
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if it is not a valid wafer-map classifier file, or its kind's
     *                            artifact is not on the class path
     */
    static WaferMapClassifier load(Path file) throws IOException, ModelFileException {
        return load(ModelFile.read(file), file.toString());
    }

    /**
     * @param m   a model file already read
     * @param src its name, for messages
     * @return the classifier it holds
     * @throws IOException        if a section cannot be read
     * @throws ModelFileException if it is not a valid wafer-map classifier file
     */
    static WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
        List<String> kinds = new ArrayList<>();
        for (ClassifierKind k : ServiceLoader.load(ClassifierKind.class, WaferMapClassifier.class.getClassLoader())) {
            if (k.kind().equals(m.kind())) {
                return k.load(m, src);
            }
            kinds.add(k.kind());
        }
        if (SMALL_MODEL_KIND.equals(m.kind())) {
            throw new ModelFileException(src, "header " + ModelFile.KEY_KIND, ModelFileException.Reason.WRONG_KIND,
                    "a small model (" + SMALL_MODEL_KIND + ") needs org.fabai:fabai-adc-smile on the class path "
                    + "(GPL-3.0, because Smile is; README, \"Licences\")");
        }
        throw new ModelFileException(src, "header " + ModelFile.KEY_KIND, ModelFileException.Reason.WRONG_KIND,
                "'" + m.kind() + "' is not a wafer-map classifier (expected one of " + kinds
                + (kinds.contains(SMALL_MODEL_KIND) ? "" : " or " + SMALL_MODEL_KIND) + ")");
    }

    /** @return class names, in the order of {@link Prediction#probabilities()} */
    List<String> classNames();

    /**
     * Classifies one map.
     *
     * @param map a wafer map of any size (implementations resize as they need)
     * @return the prediction
     */
    Prediction predict(WaferMap map);

    /**
     * Classifies a batch. The default calls {@link #predict(WaferMap)} per map; engines that batch
     * natively override it.
     *
     * @param maps wafer maps
     * @return predictions in the same order
     */
    default List<Prediction> predictBatch(List<WaferMap> maps) {
        List<Prediction> out = new ArrayList<>(maps.size());
        for (WaferMap m : maps) {
            out.add(predict(m));
        }
        return out;
    }

    /**
     * Saves the model with its provenance to one file in fabai's documented, versioned format.
     *
     * @param file the file to write
     * @throws IOException if writing fails
     */
    void save(Path file) throws IOException;

    /**
     * @return the calibrated threshold on the top probability below which a map is reported as
     *         {@link Prediction#UNKNOWN}; 0 when the model never rejects
     */
    default double rejectThreshold() {
        return 0;
    }

    /** Releases native resources, if any. */
    @Override
    default void close() {
    }
}
