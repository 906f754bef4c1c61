package org.fabai.adc.model.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.WaferMapClassifier;

/**
 * An {@link EnsembleClassifier} of other families as a {@link ModelFamily}: each fit fits every
 * member family on the same maps (with the same seed) and averages them with equal weights.
 * Thread-safety is that of the member families.
 */
public final class EnsembleFamily implements ModelFamily {

    private final String name;
    private final List<ModelFamily> members;

    /**
     * @param name    display name
     * @param members the member families (at least one)
     */
    public EnsembleFamily(String name, List<? extends ModelFamily> members) {
        this.name = Objects.requireNonNull(name, "name");
        this.members = List.copyOf(members);
        if (this.members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble family needs at least one member family");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public WaferMapClassifier fit(LabelledMaps train, long seed) {
        List<WaferMapClassifier> fitted = new ArrayList<>();
        try {
            for (ModelFamily f : members) {
                fitted.add(f.fit(train, seed));
            }
        } catch (RuntimeException e) {
            fitted.forEach(WaferMapClassifier::close);
            throw e;
        }
        double[] w = new double[fitted.size()];
        double[] t = new double[fitted.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1;
            t[i] = fitted.get(i).rejectThreshold();
        }
        return new EnsembleClassifier(fitted, w, t);
    }
}
