/**
 * Wafer-map classifiers behind one interface, {@link org.fabai.adc.model.WaferMapClassifier}: the
 * small-model path {@link org.fabai.adc.model.FeatureClassifier} (engineered features + Smile),
 * the shared model-file container {@link org.fabai.adc.model.ModelFile}, the unknown-reject rule
 * {@link org.fabai.adc.model.UnknownThreshold} and similar-wafer search
 * {@link org.fabai.adc.model.SimilarWaferIndex}.
 */
package org.fabai.adc.model;
