package org.fabai.adc.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fabai.adc.model.Prediction;

/**
 * A confusion matrix over named classes, with per-class precision, recall and F1, macro-F1 (with
 * and without chosen classes such as "none"), balanced accuracy and accuracy.
 *
 * <p>Rows are the true class, columns the predicted class. Predictions of
 * {@link Prediction#UNKNOWN} (rejected maps) are counted in a separate reject column: they count
 * against the true class's recall and against accuracy, and against no class's precision.
 *
 * <p>Definitions: precision = TP / (TP + FP), recall = TP / (row total), F1 their harmonic mean; a
 * ratio with a zero denominator is 0 (and a class absent from the truth is left out of macro
 * averages). Macro-F1 and balanced accuracy (mean recall) average over the classes present in the
 * truth.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfusionMatrix {

    private final List<String> classes;
    private final long[][] counts;
    private final long[] rejected;

    private ConfusionMatrix(List<String> classes, long[][] counts, long[] rejected) {
        this.classes = classes;
        this.counts = counts;
        this.rejected = rejected;
    }

    /**
     * Tallies true against predicted labels.
     *
     * @param classes   class names (distinct)
     * @param truth     true labels, each one of {@code classes}
     * @param predicted predicted labels, each one of {@code classes} or {@link Prediction#UNKNOWN}
     * @return the matrix
     * @throws IllegalArgumentException if the lists differ in length or hold a label not in {@code classes}
     */
    public static ConfusionMatrix of(List<String> classes, List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException("truth has " + truth.size() + " labels, predicted " + predicted.size());
        }
        List<String> cls = List.copyOf(classes);
        if (Set.copyOf(cls).size() != cls.size()) {
            throw new IllegalArgumentException("class names must be distinct: " + cls);
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < cls.size(); i++) {
            idx.put(cls.get(i), i);
        }
        long[][] m = new long[cls.size()][cls.size()];
        long[] rej = new long[cls.size()];
        for (int i = 0; i < truth.size(); i++) {
            Integer t = idx.get(truth.get(i));
            if (t == null) {
                throw new IllegalArgumentException("true label " + i + " '" + truth.get(i) + "' is not a class; classes: " + cls);
            }
            String p = predicted.get(i);
            if (Prediction.UNKNOWN.equals(p)) {
                rej[t]++;
                continue;
            }
            Integer q = idx.get(p);
            if (q == null) {
                throw new IllegalArgumentException("predicted label " + i + " '" + p + "' is not a class; classes: " + cls);
            }
            m[t][q]++;
        }
        return new ConfusionMatrix(cls, m, rej);
    }

    /**
     * Tallies predictions; uses each prediction's {@link Prediction#label()} (so rejects count as
     * rejects). Use {@link #of(List, List, List)} with best classes to ignore the reject rule.
     *
     * @param classes     class names
     * @param truth       true labels
     * @param predictions predictions in the same order
     * @return the matrix
     */
    public static ConfusionMatrix ofPredictions(List<String> classes, List<String> truth, List<Prediction> predictions) {
        List<String> p = new ArrayList<>(predictions.size());
        for (Prediction x : predictions) {
            p.add(x.label());
        }
        return of(classes, truth, p);
    }

    /** @return class names, in row/column order */
    public List<String> classes() {
        return classes;
    }

    /**
     * @param truthClass     true class
     * @param predictedClass predicted class
     * @return the count
     */
    public long count(String truthClass, String predictedClass) {
        return counts[index(truthClass)][index(predictedClass)];
    }

    /** @return a copy of the counts, {@code [truth][predicted]} */
    public long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }

    /**
     * @param truthClass true class
     * @return maps of this class rejected as unknown
     */
    public long rejected(String truthClass) {
        return rejected[index(truthClass)];
    }

    /** @return number of maps tallied */
    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length; i++) {
            t += support(i);
        }
        return t;
    }

    /** @return fraction of maps rejected as unknown */
    public double rejectRate() {
        long t = total();
        return t == 0 ? 0 : (double) Arrays.stream(rejected).sum() / t;
    }

    private int index(String c) {
        int i = classes.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class '" + c + "'; classes: " + classes);
        }
        return i;
    }

    private long support(int i) {
        long s = rejected[i];
        for (long v : counts[i]) {
            s += v;
        }
        return s;
    }

    /**
     * @param c class name
     * @return number of maps whose true class is {@code c}
     */
    public long support(String c) {
        return support(index(c));
    }

    /**
     * @param c class name
     * @return precision of {@code c}
     */
    public double precision(String c) {
        return precision(index(c));
    }

    /**
     * @param c class name
     * @return recall of {@code c}
     */
    public double recall(String c) {
        return recall(index(c));
    }

    /**
     * @param c class name
     * @return F1 of {@code c}
     */
    public double f1(String c) {
        return f1(index(c));
    }

    private double precision(int i) {
        long col = 0;
        for (long[] row : counts) {
            col += row[i];
        }
        return col == 0 ? 0 : (double) counts[i][i] / col;
    }

    private double recall(int i) {
        long s = support(i);
        return s == 0 ? 0 : (double) counts[i][i] / s;
    }

    private double f1(int i) {
        double p = precision(i);
        double r = recall(i);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** @return fraction of maps predicted correctly (rejects count as wrong) */
    public double accuracy() {
        long t = total();
        long d = 0;
        for (int i = 0; i < counts.length; i++) {
            d += counts[i][i];
        }
        return t == 0 ? 0 : (double) d / t;
    }

    /** @return mean F1 over the classes present in the truth */
    public double macroF1() {
        return macroF1Excluding(List.of());
    }

    /**
     * @param excluded classes to leave out of the average (e.g. {@code List.of("none")}); names
     *                 not among the classes are ignored
     * @return mean F1 over the other classes present in the truth
     */
    public double macroF1Excluding(Collection<String> excluded) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < classes.size(); i++) {
            if (support(i) > 0 && !excluded.contains(classes.get(i))) {
                s += f1(i);
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /** @return mean recall over the classes present in the truth */
    public double balancedAccuracy() {
        double s = 0;
        int n = 0;
        for (int i = 0; i < classes.size(); i++) {
            if (support(i) > 0) {
                s += recall(i);
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /**
     * Per-class metrics of one class. Immutable and thread-safe.
     *
     * @param className class name
     * @param precision precision
     * @param recall    recall
     * @param f1        F1
     * @param support   number of maps of the class in the truth
     */
    public record ClassMetrics(String className, double precision, double recall, double f1, long support) {
    }

    /** @return metrics for every class, in class order */
    public List<ClassMetrics> perClass() {
        List<ClassMetrics> out = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            out.add(new ClassMetrics(classes.get(i), precision(i), recall(i), f1(i), support(i)));
        }
        return out;
    }

    /**
     * A plain-text report: the matrix, per-class metrics and the summary scores.
     *
     * @param noneClass name of the "no pattern" class for the macro-F1 without it (e.g. "none")
     * @return the report
     */
    public String report(String noneClass) {
        StringBuilder sb = new StringBuilder();
        int w = 10;
        for (String c : classes) {
            w = Math.max(w, c.length() + 1);
        }
        String fmt = "%-" + w + "s";
        sb.append(String.format(Locale.ROOT, fmt, "truth\\pred"));
        for (String c : classes) {
            sb.append(String.format(Locale.ROOT, "%" + w + "s", c));
        }
        sb.append(String.format(Locale.ROOT, "%" + w + "s%n", "unknown"));
        for (int i = 0; i < classes.size(); i++) {
            sb.append(String.format(Locale.ROOT, fmt, classes.get(i)));
            for (long v : counts[i]) {
                sb.append(String.format(Locale.ROOT, "%" + w + "d", v));
            }
            sb.append(String.format(Locale.ROOT, "%" + w + "d%n", rejected[i]));
        }
        sb.append(String.format(Locale.ROOT, "%n" + fmt + "%10s%10s%10s%10s%n", "class", "precision", "recall", "f1", "support"));
        for (ClassMetrics m : perClass()) {
            sb.append(String.format(Locale.ROOT, fmt + "%10.4f%10.4f%10.4f%10d%n", m.className(), m.precision(), m.recall(), m.f1(), m.support()));
        }
        sb.append(String.format(Locale.ROOT, "%naccuracy %.4f  macro-F1 %.4f  macro-F1 without '%s' %.4f  balanced accuracy %.4f  reject rate %.4f%n",
                accuracy(), macroF1(), noneClass, macroF1Excluding(List.of(noneClass)), balancedAccuracy(), rejectRate()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ConfusionMatrix[%d classes, %d maps, accuracy %.4f, macro-F1 %.4f]",
                classes.size(), total(), accuracy(), macroF1());
    }
}
