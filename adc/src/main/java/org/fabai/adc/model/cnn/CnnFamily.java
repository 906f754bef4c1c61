package org.fabai.adc.model.cnn;

import java.util.Objects;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.WaferMapClassifier;

/**
 * The CNN as a {@link ModelFamily}, so that a learning curve compares it with the feature models
 * ("which model wins at my data size"). Immutable and thread-safe; each fit trains a new network.
 */
public final class CnnFamily implements ModelFamily {

    private final CnnConfig config;

    /**
     * @param config the training configuration; its seed is replaced by each fit's seed
     */
    public CnnFamily(CnnConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return "cnn-" + config.architecture().name().toLowerCase(java.util.Locale.ROOT)
                + (config.width() > 1 ? "-w" + config.width() : "");
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        return CnnClassifier.train(train.maps(), train.labels(), config.withSeed(seed));
    }
}
