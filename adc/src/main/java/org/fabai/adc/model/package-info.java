/**
 * Wafer-map classifiers behind one interface, {@link org.fabai.adc.model.WaferMapClassifier}: the
 * shared model-file container {@link org.fabai.adc.model.ModelFile}, the unknown-reject rule
 * {@link org.fabai.adc.model.UnknownThreshold}, similar-wafer search
 * {@link org.fabai.adc.model.SimilarWaferIndex} and {@link org.fabai.adc.model.ClassifierKind}, by
 * which other artifacts add model kinds. The small-model path ({@code FeatureClassifier}:
 * engineered features + Smile) is in this package too, but ships separately as fabai-adc-smile
 * (GPL-3.0, because Smile is), so that fabai-adc carries no GPL code.
 */
package org.fabai.adc.model;
