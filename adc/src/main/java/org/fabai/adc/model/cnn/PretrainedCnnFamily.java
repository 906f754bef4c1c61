package org.fabai.adc.model.cnn;

import java.util.Objects;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.WaferMapClassifier;

/**
 * The CNN fine-tuned from a pretrained network (typically one trained on generated maps) as a
 * {@link ModelFamily}: every fit starts from the same pretrained weights and trains on the given
 * maps with {@link CnnClassifier#fineTune}. Thread-safe as long as the pretrained model is not closed.
 */
public final class PretrainedCnnFamily implements ModelFamily {

    private final CnnClassifier pretrained;
    private final CnnConfig config;

    /**
     * @param pretrained the starting network (kept open by the caller while the family is used)
     * @param config     the fine-tuning configuration; its seed is replaced by each fit's seed
     */
    public PretrainedCnnFamily(CnnClassifier pretrained, CnnConfig config) {
        this.pretrained = Objects.requireNonNull(pretrained, "pretrained");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return "cnn-pretrained";
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        return CnnClassifier.fineTune(pretrained, train.maps(), train.labels(), config.withSeed(seed));
    }
}
