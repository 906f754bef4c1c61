package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;

/**
 * A kind of classifier a learning curve compares (a feature model with a given learner, a CNN):
 * something that fits a {@link WaferMapClassifier} to labelled maps with a seed.
 *
 * <p>Implementations say whether they are thread-safe; {@link LearningCurve} calls them from one
 * thread.
 */
public interface ModelFamily {

    /** @return the name shown in reports and charts */
    String name();

    /**
     * Fits a model.
     *
     * @param train training maps and labels
     * @param seed  seed for every random choice of the fit
     * @return the fitted model (the caller closes it)
     */
    WaferMapClassifier fit(LabelledMaps train, long seed);

    /**
     * Predicts the most probable class of each test map, ignoring the reject rule. The default
     * calls {@link WaferMapClassifier#predictBatch}; families that can reuse cached features
     * override it.
     *
     * @param model a model from {@link #fit}
     * @param test  test maps
     * @return best classes, in order
     */
    default List<String> predictBest(WaferMapClassifier model, LabelledMaps test) {
        List<String> out = new ArrayList<>(test.size());
        for (Prediction p : model.predictBatch(test.maps())) {
            out.add(p.bestClass());
        }
        return out;
    }
}
