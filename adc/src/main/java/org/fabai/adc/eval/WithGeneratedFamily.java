package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.core.wafer.WaferMap;

/**
 * A family fitted on its real training maps plus a fixed set of generated maps (from a generator
 * calibrated on real maps): extra examples of the rare classes a fab has few labels of. Immutable;
 * thread-safety is the base family's.
 */
public final class WithGeneratedFamily implements ModelFamily {

    private final String name;
    private final ModelFamily base;
    private final LabelledMaps generated;

    /**
     * @param name      display name
     * @param base      the family to fit
     * @param generated generated maps added to every training set
     */
    public WithGeneratedFamily(String name, ModelFamily base, LabelledMaps generated) {
        this.name = Objects.requireNonNull(name, "name");
        this.base = Objects.requireNonNull(base, "base");
        this.generated = Objects.requireNonNull(generated, "generated");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        List<WaferMap> maps = new ArrayList<>(train.maps());
        List<String> labels = new ArrayList<>(train.labels());
        maps.addAll(generated.maps());
        labels.addAll(generated.labels());
        return base.fit(LabelledMaps.of(maps, labels), seed);
    }
}
