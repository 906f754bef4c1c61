package org.fabai.adc.model.ensemble;

import java.io.IOException;
import java.nio.file.Path;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.cnn.CnnClassifier;

/**
 * Loads any wafer-map classifier fabai writes, by the kind its model file declares: the small model
 * ({@link FeatureClassifier}), the CNN ({@link CnnClassifier}) or an {@link EnsembleClassifier}.
 * Stateless and thread-safe.
 */
public final class WaferMapClassifiers {

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
        return switch (m.kind()) {
            case CnnClassifier.KIND -> CnnClassifier.load(m, src);
            case FeatureClassifier.KIND -> FeatureClassifier.load(m, src);
            case EnsembleClassifier.KIND -> EnsembleClassifier.load(m, src);
            default -> throw new ModelFileException(src, "header " + ModelFile.KEY_KIND,
                    ModelFileException.Reason.WRONG_KIND, "'" + m.kind() + "' is not a wafer-map classifier (expected "
                    + CnnClassifier.KIND + ", " + FeatureClassifier.KIND + " or " + EnsembleClassifier.KIND + ")");
        };
    }
}
