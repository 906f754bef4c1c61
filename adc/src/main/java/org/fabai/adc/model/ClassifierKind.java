package org.fabai.adc.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A kind of wafer-map classifier, found by {@link java.util.ServiceLoader} when
 * {@link WaferMapClassifier#load(Path)} loads a model file of that kind. fabai-adc registers the
 * CNN and the ensemble; fabai-adc-smile (GPL-3.0) registers the small model
 * ({@code feature-classifier}) the same way, so that fabai-adc itself carries no GPL code.
 * Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface ClassifierKind {

    /** @return the {@link ModelFile#KEY_KIND kind} this loader reads */
    String kind();

    /**
     * @param m   a model file of this kind, already read
     * @param src its name, for messages
     * @return the classifier it holds
     * @throws IOException        if a section cannot be read
     * @throws ModelFileException if it is not a valid model of this kind
     */
    WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException;
}
