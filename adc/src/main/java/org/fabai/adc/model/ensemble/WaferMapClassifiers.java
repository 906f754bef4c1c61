package org.fabai.adc.model.ensemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.fabai.adc.model.ClassifierKind;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.cnn.CnnClassifier;

/**
 * Loads any wafer-map classifier fabai writes, by the kind its model file declares: the CNN
 * ({@link CnnClassifier}), an {@link EnsembleClassifier}, or a kind another artifact registers as a
 * {@link ClassifierKind} service: the small model ({@value #SMALL_MODEL_KIND}) comes with
 * fabai-adc-smile (GPL-3.0, because Smile is), which is not a dependency of fabai-adc. Stateless
 * and thread-safe.
 */
public final class WaferMapClassifiers {

    /** The small model's kind ({@code FeatureClassifier.KIND} in fabai-adc-smile). */
    public static final String SMALL_MODEL_KIND = "feature-classifier";

    private WaferMapClassifiers() {
    }

    /**
     * @param file a model file
     * @return the classifier it holds (CNNs on the DL4J engine)
     * @throws IOException        if the file cannot be read
     * @throws ModelFileException if it is not a valid wafer-map classifier file
     */
    public static WaferMapClassifier load(Path file) throws IOException, ModelFileException {
        return load(ModelFile.read(file), file.toString());
    }

    /**
     * @param m   a model file already read
     * @param src its name, for messages
     * @return the classifier it holds
     * @throws IOException        if a section cannot be read
     * @throws ModelFileException if it is not a valid wafer-map classifier file
     */
    public static WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
        switch (m.kind()) {
            case CnnClassifier.KIND:
                return CnnClassifier.load(m, src);
            case EnsembleClassifier.KIND:
                return EnsembleClassifier.load(m, src);
            default:
                break;
        }
        for (ClassifierKind k : ServiceLoader.load(ClassifierKind.class, WaferMapClassifiers.class.getClassLoader())) {
            if (k.kind().equals(m.kind())) {
                return k.load(m, src);
            }
        }
        if (SMALL_MODEL_KIND.equals(m.kind())) {
            throw new ModelFileException(src, "header " + ModelFile.KEY_KIND, ModelFileException.Reason.WRONG_KIND,
                    "a small model (" + SMALL_MODEL_KIND + ") needs org.fabai:fabai-adc-smile on the class path "
                    + "(GPL-3.0, because Smile is; README, \"Licences\")");
        }
        throw new ModelFileException(src, "header " + ModelFile.KEY_KIND, ModelFileException.Reason.WRONG_KIND,
                "'" + m.kind() + "' is not a wafer-map classifier (expected " + CnnClassifier.KIND + ", "
                + SMALL_MODEL_KIND + " or " + EnsembleClassifier.KIND + ")");
    }
}
