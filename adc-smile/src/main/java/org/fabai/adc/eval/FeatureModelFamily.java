package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.core.wafer.WaferMap;

/**
 * The feature-classifier family for learning curves: fits a {@link FeatureClassifier} with a given
 * configuration (seed replaced by the curve's), reusing the pool's cached feature vectors so each
 * map's features are extracted once per curve.
 *
 * <p>Stateless and thread-safe (the {@link LabelledMaps} feature cache tolerates concurrent fills).
 */
public final class FeatureModelFamily implements ModelFamily {

    private final String name;
    private final FeatureClassifierConfig config;
    private final LabelledMaps generated;

    /**
     * @param name   display name, e.g. {@code "features+RF"}
     * @param config classifier configuration
     */
    public FeatureModelFamily(String name, FeatureClassifierConfig config) {
        this(name, config, null);
    }

    /**
     * @param name      display name
     * @param config    classifier configuration
     * @param generated generated maps added to every training set ({@link FeatureClassifier#fitWithGenerated}:
     *                  they always train, validation is held out from the labelled maps), or null for none
     */
    public FeatureModelFamily(String name, FeatureClassifierConfig config, LabelledMaps generated) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.generated = generated;
    }

    /**
     * @param algorithm a learner
     * @return the family with that learner's defaults, named {@code features+<ALGORITHM>}
     */
    public static FeatureModelFamily of(FeatureClassifierConfig.Algorithm algorithm) {
        return new FeatureModelFamily("features+" + algorithm, FeatureClassifierConfig.defaults().withAlgorithm(algorithm));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        double[][] x = train.features(FeatureClassifier::extractParallel);
        List<String> lots = new ArrayList<>(x.length);
        for (WaferMap m : train.maps()) {
            lots.add(m.lotId());
        }
        if (generated == null || generated.size() == 0) {
            return FeatureClassifier.fitFeatures(x, train.labels(), lots, config.withSeed(seed));
        }
        return FeatureClassifier.fitFeaturesWithGenerated(x, train.labels(), lots,
                generated.features(FeatureClassifier::extractParallel), generated.labels(), config.withSeed(seed));
    }

    @Override
    public List<String> predictBest(WaferMapClassifier model, LabelledMaps test) {
        if (!(model instanceof FeatureClassifier fc) || fc.featureVersion() != WaferFeatureExtractor.FEATURE_VERSION) {
            return ModelFamily.super.predictBest(model, test);
        }
        double[][] x = test.features(FeatureClassifier::extractParallel);
        List<String> out = new ArrayList<>(x.length);
        for (double[] f : x) {
            out.add(fc.predictFeatures(f).bestClass());
        }
        return out;
    }

}
