package org.fabai.adc.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a classifier says about one wafer map. Immutable (arrays are copied in and out) and thread-safe.
 *
 * @param label         the predicted class name, or {@link #UNKNOWN} when the confidence is
 *                      below the classifier's calibrated reject threshold
 * @param bestClass     the most probable class name, even when {@code label} is unknown
 * @param probabilities per-class probabilities in the order of {@code classNames}
 *                      (for multi-label models: independent per-label probabilities)
 * @param classNames    class names, as the classifier was trained with
 */
public record Prediction(String label, String bestClass, double[] probabilities, List<String> classNames) {

    /** Label of a rejected (open-set, low-confidence) prediction. */
    public static final String UNKNOWN = "unknown";

    /** Validates and copies. */
    public Prediction {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(bestClass, "bestClass");
        probabilities = probabilities.clone();
        classNames = List.copyOf(classNames);
        if (probabilities.length != classNames.size()) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length
                    + " entries, classNames " + classNames.size());
        }
    }

    /** @return true when the prediction was rejected as unknown */
    public boolean isUnknown() {
        return UNKNOWN.equals(label);
    }

    /** @return probability of {@link #bestClass()} */
    public double confidence() {
        return probabilities[classNames.indexOf(bestClass)];
    }

    /**
     * @param className a class name
     * @return its probability
     */
    public double probability(String className) {
        int i = classNames.indexOf(className);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class '" + className + "'; classes: " + classNames);
        }
        return probabilities[i];
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && label.equals(p.label) && bestClass.equals(p.bestClass)
                && Arrays.equals(probabilities, p.probabilities) && classNames.equals(p.classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, bestClass, Arrays.hashCode(probabilities), classNames);
    }

    @Override
    public String toString() {
        return "Prediction[" + label + " (" + bestClass + " p=" + String.format(java.util.Locale.ROOT, "%.3f", confidence()) + ")]";
    }
}
