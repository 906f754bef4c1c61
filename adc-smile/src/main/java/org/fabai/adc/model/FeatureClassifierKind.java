package org.fabai.adc.model;

/** Registers the small model ({@link FeatureClassifier#KIND}) with {@link WaferMapClassifier#load(java.nio.file.Path)}. Thread-safe. */
public final class FeatureClassifierKind extends ClassifierKind.Of {

    /** For {@link java.util.ServiceLoader}. */
    public FeatureClassifierKind() {
        super(FeatureClassifier.KIND, FeatureClassifier::load);
    }
}
