package org.fabai.adc.model;

import java.util.Arrays;

/**
 * The open-set reject rule shared by fabai's classifiers: a prediction whose confidence (the
 * largest class probability) is below {@link #threshold()} is reported as
 * {@link Prediction#UNKNOWN}.
 *
 * <p>The threshold is calibrated on validation maps of the known classes to a stated
 * false-reject rate: it is the {@code falseRejectRate}-quantile of their confidences, so that
 * about that fraction of in-distribution maps is rejected. {@link #achievedRejectRate()} is the
 * rate actually measured on the calibration set (ties can make it differ from the target).
 *
 * <p>Immutable and thread-safe.
 *
 * @param threshold          confidence below which a prediction is unknown, in [0, 1]
 * @param targetRejectRate   the false-reject rate asked for, in [0, 1)
 * @param achievedRejectRate fraction of calibration maps below the threshold
 * @param calibrationSize    number of calibration maps (0: threshold set by hand)
 */
public record UnknownThreshold(double threshold, double targetRejectRate, double achievedRejectRate, int calibrationSize) {

    /** Validates. */
    public UnknownThreshold {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        if (!(targetRejectRate >= 0 && targetRejectRate < 1)) {
            throw new IllegalArgumentException("targetRejectRate must be in [0, 1), got " + targetRejectRate);
        }
        if (!(achievedRejectRate >= 0 && achievedRejectRate <= 1)) {
            throw new IllegalArgumentException("achievedRejectRate must be in [0, 1], got " + achievedRejectRate);
        }
        if (calibrationSize < 0) {
            throw new IllegalArgumentException("calibrationSize must be >= 0, got " + calibrationSize);
        }
    }

    /** @return a rule that never rejects */
    public static UnknownThreshold none() {
        return new UnknownThreshold(0.0, 0.0, 0.0, 0);
    }

    /**
     * Calibrates on the confidences of validation maps of the known classes.
     *
     * @param confidences     per-map confidence (largest class probability), each in [0, 1]
     * @param falseRejectRate the target fraction of known maps to reject, in [0, 1)
     * @return the rule
     * @throws IllegalArgumentException if there are no confidences, one is NaN or out of range,
     *                                  or the rate is out of range
     */
    public static UnknownThreshold calibrate(double[] confidences, double falseRejectRate) {
        if (!(falseRejectRate >= 0 && falseRejectRate < 1)) {
            throw new IllegalArgumentException("falseRejectRate must be in [0, 1), got " + falseRejectRate);
        }
        if (confidences.length == 0) {
            throw new IllegalArgumentException("cannot calibrate the unknown threshold on 0 validation maps");
        }
        double[] c = confidences.clone();
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] >= 0 && c[i] <= 1)) {
                throw new IllegalArgumentException("confidence " + i + " must be in [0, 1], got " + c[i]);
            }
        }
        Arrays.sort(c);
        // largest threshold t such that #(c < t) <= rate * n: t = c[k] with k = floor(rate * n)
        int k = (int) Math.floor(falseRejectRate * c.length);
        double t = falseRejectRate == 0 ? 0.0 : c[Math.min(k, c.length - 1)];
        int below = 0;
        for (double v : c) {
            if (v < t) {
                below++;
            }
        }
        return new UnknownThreshold(t, falseRejectRate, (double) below / c.length, c.length);
    }

    /**
     * @param confidence a prediction's confidence
     * @return true when it is rejected as unknown
     */
    public boolean rejects(double confidence) {
        return confidence < threshold;
    }

    /**
     * Builds a prediction, applying the rule.
     *
     * @param probabilities per-class probabilities
     * @param classNames    class names in the same order
     * @return the prediction (label unknown when rejected)
     */
    public Prediction apply(double[] probabilities, java.util.List<String> classNames) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        String bestClass = classNames.get(best);
        return new Prediction(rejects(probabilities[best]) ? Prediction.UNKNOWN : bestClass, bestClass,
                probabilities, classNames);
    }
}
