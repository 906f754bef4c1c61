package org.fabai.adc.model;

import java.io.IOException;

/** Registers the small model ({@link FeatureClassifier#KIND}) with {@link WaferMapClassifier#load(java.nio.file.Path)}. Thread-safe. */
public final class FeatureClassifierKind implements ClassifierKind {

    /** For {@link java.util.ServiceLoader}. */
    public FeatureClassifierKind() {
    }

    @Override
    public String kind() {
        return FeatureClassifier.KIND;
    }

    @Override
    public WaferMapClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
        return FeatureClassifier.load(m, src);
    }
}
