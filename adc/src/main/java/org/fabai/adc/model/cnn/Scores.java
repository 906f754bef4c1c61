package org.fabai.adc.model.cnn;

/** Small metric helpers used during training and calibration. Stateless. */
final class Scores {

    private Scores() {
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Macro-averaged F1 over {@code k} classes (classes absent from both truth and prediction are skipped). */
    static double macroF1(int[] truth, int[] pred, int k) {
        long[] tp = new long[k];
        long[] fp = new long[k];
        long[] fn = new long[k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == pred[i]) {
                tp[truth[i]]++;
            } else {
                fp[pred[i]]++;
                fn[truth[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (tp[c] + fp[c] + fn[c] == 0) {
                continue;
            }
            present++;
            sum += f1(tp[c], fp[c], fn[c]);
        }
        return present == 0 ? 0 : sum / present;
    }

    static double f1(long tp, long fp, long fn) {
        long d = 2 * tp + fp + fn;
        return d == 0 ? 1.0 : 2.0 * tp / d;
    }

    static double accuracy(int[] truth, int[] pred) {
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == pred[i]) {
                ok++;
            }
        }
        return truth.length == 0 ? 0 : (double) ok / truth.length;
    }

    /** F1 of one label of a multi-label problem at a threshold. */
    static double labelF1(float[][] probs, float[][] targets, int label, double threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < probs.length; i++) {
            boolean p = probs[i][label] >= threshold;
            boolean t = targets[i][label] >= 0.5f;
            if (p && t) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            }
        }
        return f1(tp, fp, fn);
    }

    /** Mean per-label F1 at the given thresholds. */
    static double meanLabelF1(float[][] probs, float[][] targets, float[] thresholds) {
        double s = 0;
        for (int l = 0; l < thresholds.length; l++) {
            s += labelF1(probs, targets, l, thresholds[l]);
        }
        return s / thresholds.length;
    }

    /** Fraction of maps whose whole label set is right. */
    static double exactMatch(float[][] probs, float[][] targets, float[] thresholds) {
        int ok = 0;
        for (int i = 0; i < probs.length; i++) {
            boolean all = true;
            for (int l = 0; l < thresholds.length && all; l++) {
                all = (probs[i][l] >= thresholds[l]) == (targets[i][l] >= 0.5f);
            }
            if (all) {
                ok++;
            }
        }
        return probs.length == 0 ? 0 : (double) ok / probs.length;
    }
}
