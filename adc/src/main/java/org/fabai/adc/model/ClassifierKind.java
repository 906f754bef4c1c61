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

    /** Reads a model file of one kind: a static {@code load(ModelFile, String)} of a classifier. */
    @FunctionalInterface
    interface Loader {
        /**
         * @param m   a model file of the kind
         * @param src its name, for messages
         * @return the classifier it holds
         * @throws IOException        if a section cannot be read
         * @throws ModelFileException if it is not a valid model of the kind
         */
        WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException;
    }

    /**
     * A kind read by one loader: what a service class extends, giving both to {@code super} from its
     * public no-argument constructor. Thread-safe.
     */
    abstract class Of implements ClassifierKind {
        private final String kind;
        private final Loader loader;

        /**
         * @param kind   the model kind
         * @param loader what reads it
         */
        protected Of(String kind, Loader loader) {
            this.kind = kind;
            this.loader = loader;
        }

        @Override
        public final String kind() {
            return kind;
        }

        @Override
        public final WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
            return loader.load(m, src);
        }
    }
}
