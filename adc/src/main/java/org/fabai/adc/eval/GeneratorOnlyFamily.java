package org.fabai.adc.eval;

import java.util.Objects;
import org.fabai.adc.model.WaferMapClassifier;

/**
 * A family that ignores the real training maps and fits on generated maps alone: the "no real
 * label" baseline of a learning curve or a cross-validation (what the generator is worth by
 * itself). Immutable; thread-safety is the base family's.
 */
public final class GeneratorOnlyFamily implements ModelFamily {

    private final ModelFamily base;
    private final LabelledMaps generated;

    /**
     * @param base      the family to fit
     * @param generated the generated training maps
     */
    public GeneratorOnlyFamily(ModelFamily base, LabelledMaps generated) {
        this.base = Objects.requireNonNull(base, "base");
        this.generated = Objects.requireNonNull(generated, "generated");
    }

    @Override
    public String name() {
        return "generator-only (" + base.name() + ")";
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        return base.fit(generated, seed);
    }
}
