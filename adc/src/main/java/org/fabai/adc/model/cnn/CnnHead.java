package org.fabai.adc.model.cnn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.UnknownThreshold;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;

/**
 * What a CNN model does around its network, free of Deeplearning4j: the classes, the single- or
 * multi-label decision (calibrated unknown threshold, per-label thresholds), the input size, test-time
 * augmentation, batching and encoding. {@link CnnClassifier} and {@link OnnxCnnClassifier} both serve
 * through it, so a map gets the same prediction from either on the same engine.
 *
 * <p>Immutable; thread-safe as far as the engine passed in is.
 */
final class CnnHead {

    private static final int BATCH = 256;

    final CnnConfig config;
    final List<String> classNames;
    final boolean multiLabel;
    private final float[] labelThresholds;
    final UnknownThreshold unknown;

    CnnHead(CnnConfig config, List<String> classNames, boolean multiLabel, float[] labelThresholds,
            UnknownThreshold unknown) {
        this.config = config;
        this.classNames = List.copyOf(classNames);
        this.multiLabel = multiLabel;
        this.labelThresholds = labelThresholds == null ? null : labelThresholds.clone();
        this.unknown = unknown;
    }

    /** @return the per-label thresholds (a copy), or an empty array for a single-label model */
    float[] labelThresholds() {
        return labelThresholds == null ? new float[0] : labelThresholds.clone();
    }

    /**
     * Reads the header of a CNN model file (everything but the networks).
     *
     * @param m   the model file, already checked to be of kind {@link CnnClassifier#KIND}
     * @param src its name, for messages
     * @return the head
     * @throws ModelFileException naming the header key when a value is missing or malformed
     */
    static CnnHead read(ModelFile m, String src) throws ModelFileException {
        String key = "config";
        try {
            CnnConfig cfg = CnnConfig.parse(m.require(src, key));
            key = "mode";
            boolean multi = "multi".equals(m.require(src, key));
            key = "classes";
            int k = Integer.parseInt(m.require(src, key));
            List<String> classes = new ArrayList<>();
            float[] th = multi ? new float[k] : null;
            for (int i = 0; i < k; i++) {
                key = "class." + i;
                classes.add(m.require(src, key));
                if (multi) {
                    key = "labelThreshold." + i;
                    th[i] = Float.parseFloat(m.require(src, key));
                }
            }
            key = "unknown.threshold";
            UnknownThreshold unknown = new UnknownThreshold(Double.parseDouble(m.require(src, key)),
                    Double.parseDouble(m.require(src, "unknown.targetRejectRate")),
                    Double.parseDouble(m.require(src, "unknown.achievedRejectRate")),
                    Integer.parseInt(m.require(src, "unknown.calibrationSize")));
            return new CnnHead(cfg, classes, multi, th, unknown);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "header key '" + key + "'", ModelFileException.Reason.INVALID_CONTENT,
                    "malformed value: " + e.getMessage(), e);
        }
    }

    /**
     * The network's outputs (softmax or per-label sigmoid probabilities), with test-time augmentation
     * when the model was configured for it.
     *
     * @param engine the engine running the network
     * @param maps   maps of any size
     * @return one row per map
     */
    float[][] probabilities(InferenceEngine engine, List<WaferMap> maps) {
        if (!config.testTimeAugment()) {
            return runOnce(engine, maps, false);
        }
        // test-time augmentation: the mean of the outputs under the eight symmetries of the square
        int n = config.inputSize();
        List<WaferMap> sq = new ArrayList<>(maps.size());
        for (WaferMap m : maps) {
            sq.add(MapSizing.toSquare(m, n));
        }
        float[][] sum = null;
        for (int t = 0; t < 8; t++) {
            List<WaferMap> view = new ArrayList<>(sq.size());
            for (WaferMap m : sq) {
                WaferMap r = m.rotate(90 * (t & 3));
                view.add((t & 4) != 0 ? r.flipHorizontal() : r);
            }
            float[][] p = runOnce(engine, view, false);
            if (sum == null) {
                sum = p;
            } else {
                for (int i = 0; i < p.length; i++) {
                    for (int c = 0; c < p[i].length; c++) {
                        sum[i][c] += p[i][c];
                    }
                }
            }
        }
        for (float[] row : sum) {
            for (int c = 0; c < row.length; c++) {
                row[c] /= 8f;
            }
        }
        return sum;
    }

    /**
     * One pass of the engine over the maps, in batches of 256.
     *
     * @param engine    the engine
     * @param maps      the maps
     * @param embedding the embedding instead of the outputs
     * @return one row per map
     */
    float[][] runOnce(InferenceEngine engine, List<WaferMap> maps, boolean embedding) {
        float[][] out = new float[maps.size()][];
        int n = config.inputSize();
        for (int from = 0; from < maps.size(); from += BATCH) {
            int b = Math.min(BATCH, maps.size() - from);
            float[] x = WaferEncoding.ONE_HOT.encode(maps.subList(from, from + b), n);
            float[][] r = embedding ? engine.embed(x, b) : engine.forward(x, b);
            System.arraycopy(r, 0, out, from, b);
        }
        return out;
    }

    /**
     * @param p a multi-label model's outputs for one map
     * @return the labels at or above their thresholds, in label order
     */
    Set<String> labelsOf(float[] p) {
        Set<String> s = new LinkedHashSet<>();
        for (int l = 0; l < p.length; l++) {
            if (p[l] >= labelThresholds[l]) {
                s.add(classNames.get(l));
            }
        }
        return s;
    }

    /**
     * @param p the outputs for one map
     * @return the prediction: the labels present ({@link CnnClassifier#NONE} when none) for a
     *         multi-label model, else the top class or {@link Prediction#UNKNOWN} when its
     *         probability falls below the calibrated threshold
     */
    Prediction toPrediction(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        String best = classNames.get(Scores.argmax(p));
        String label;
        if (multiLabel) {
            Set<String> s = labelsOf(p);
            label = s.isEmpty() ? CnnClassifier.NONE : String.join("+", s);
        } else {
            label = unknown.rejects(p[Scores.argmax(p)]) ? Prediction.UNKNOWN : best;
        }
        return new Prediction(label, best, d, classNames);
    }
}
