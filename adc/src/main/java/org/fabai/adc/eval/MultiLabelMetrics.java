package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores of a multi-label classifier (MixedWM38-style maps carrying several patterns): per-label
 * precision, recall and F1, their macro average, the exact-match ratio (all labels right) and the
 * Hamming loss (share of wrong label decisions).
 *
 * <p>Immutable and thread-safe.
 */
public final class MultiLabelMetrics {

    private final List<String> labels;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private final long exact;
    private final long wrong;
    private final int n;

    private MultiLabelMetrics(List<String> labels, long[] tp, long[] fp, long[] fn, long exact, long wrong, int n) {
        this.labels = labels;
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.exact = exact;
        this.wrong = wrong;
        this.n = n;
    }

    /**
     * Tallies multi-hot truth against multi-hot predictions.
     *
     * @param labels    label names, one per column
     * @param truth     per map, 0/1 per label
     * @param predicted per map, 0/1 per label
     * @return the scores
     * @throws IllegalArgumentException on mismatched shapes or entries other than 0 and 1
     */
    public static MultiLabelMetrics of(List<String> labels, int[][] truth, int[][] predicted) {
        List<String> l = List.copyOf(labels);
        if (Set.copyOf(l).size() != l.size()) {
            throw new IllegalArgumentException("label names must be distinct: " + l);
        }
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " maps, predicted " + predicted.length);
        }
        int k = l.size();
        long[] tp = new long[k];
        long[] fp = new long[k];
        long[] fn = new long[k];
        long exact = 0;
        long wrong = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i].length != k || predicted[i].length != k) {
                throw new IllegalArgumentException("map " + i + " has " + truth[i].length + " truth and " + predicted[i].length
                        + " predicted labels, expected " + k);
            }
            boolean all = true;
            for (int j = 0; j < k; j++) {
                int t = truth[i][j];
                int p = predicted[i][j];
                if ((t != 0 && t != 1) || (p != 0 && p != 1)) {
                    throw new IllegalArgumentException("map " + i + " label '" + l.get(j) + "' must be 0 or 1, got truth "
                            + t + ", predicted " + p);
                }
                if (t == 1 && p == 1) {
                    tp[j]++;
                } else if (t == 0 && p == 1) {
                    fp[j]++;
                } else if (t == 1) {
                    fn[j]++;
                }
                if (t != p) {
                    all = false;
                    wrong++;
                }
            }
            if (all) {
                exact++;
            }
        }
        return new MultiLabelMetrics(l, tp, fp, fn, exact, wrong, truth.length);
    }

    /**
     * Thresholds per-label probabilities and tallies them.
     *
     * @param labels        label names
     * @param truth         per map, 0/1 per label
     * @param probabilities per map, a probability per label
     * @param threshold     a label is predicted when its probability is at least this, in (0, 1)
     * @return the scores
     */
    public static MultiLabelMetrics ofProbabilities(List<String> labels, int[][] truth, double[][] probabilities, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        int[][] p = new int[probabilities.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new int[probabilities[i].length];
            for (int j = 0; j < p[i].length; j++) {
                if (Double.isNaN(probabilities[i][j])) {
                    throw new IllegalArgumentException("map " + i + " probability " + j + " is NaN");
                }
                p[i][j] = probabilities[i][j] >= threshold ? 1 : 0;
            }
        }
        return of(labels, truth, p);
    }

    /** @return label names */
    public List<String> labels() {
        return labels;
    }

    private int idx(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown label '" + label + "'; labels: " + labels);
        }
        return i;
    }

    /**
     * @param label a label
     * @return its precision (0 when never predicted)
     */
    public double precision(String label) {
        int j = idx(label);
        return tp[j] + fp[j] == 0 ? 0 : (double) tp[j] / (tp[j] + fp[j]);
    }

    /**
     * @param label a label
     * @return its recall (0 when never true)
     */
    public double recall(String label) {
        int j = idx(label);
        return tp[j] + fn[j] == 0 ? 0 : (double) tp[j] / (tp[j] + fn[j]);
    }

    /**
     * @param label a label
     * @return its F1
     */
    public double f1(String label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** @return mean F1 over the labels that occur in the truth */
    public double macroF1() {
        double s = 0;
        int c = 0;
        for (int j = 0; j < labels.size(); j++) {
            if (tp[j] + fn[j] > 0) {
                s += f1(labels.get(j));
                c++;
            }
        }
        return c == 0 ? 0 : s / c;
    }

    /** @return share of maps with every label right */
    public double exactMatchRatio() {
        return n == 0 ? 0 : (double) exact / n;
    }

    /** @return share of wrong label decisions over maps x labels */
    public double hammingLoss() {
        return n == 0 ? 0 : (double) wrong / ((long) n * labels.size());
    }

    /** @return a plain-text table of per-label scores and the summaries */
    public String report() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-12s%10s%10s%10s", "label", "precision", "recall", "f1"));
        for (String l : labels) {
            lines.add(String.format(Locale.ROOT, "%-12s%10.4f%10.4f%10.4f", l, precision(l), recall(l), f1(l)));
        }
        lines.add(String.format(Locale.ROOT, "maps %d  macro-F1 %.4f  exact match %.4f  Hamming loss %.4f", n, macroF1(),
                exactMatchRatio(), hammingLoss()));
        return String.join("\n", lines) + "\n";
    }
}
