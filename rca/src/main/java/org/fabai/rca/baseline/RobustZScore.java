package org.fabai.rca.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.fabai.rca.Cause;
import org.fabai.rca.data.DataTable;

/**
 * The robust z-score baseline: how far an anomalous value lies from a reference sample, in units
 * of the reference's scaled median absolute deviation, {@code z = (x - median) / (1.4826 MAD)}.
 * The RCAEval benchmark found this plain ranking beats most elaborate root-cause methods; every
 * method in this module is reported beside it. Stateless and thread-safe.
 */
public final class RobustZScore {

    /** Consistency constant that makes the MAD estimate the standard deviation of normal data. */
    public static final double MAD_SCALE = 1.4826;

    private RobustZScore() {
    }

    /**
     * @param v values (not modified)
     * @return their median
     * @throws IllegalArgumentException if empty
     */
    public static double median(double[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("median of an empty sample");
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * @param v values
     * @return the scaled MAD ({@code 1.4826 * median |v - median(v)|})
     */
    public static double scaledMad(double[] v) {
        double m = median(v);
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = Math.abs(v[i] - m);
        }
        return MAD_SCALE * median(d);
    }

    /**
     * Robust z-score of a value against a reference sample. A zero MAD (more than half the
     * reference equal) falls back to the mean absolute deviation, and to 1e-12 if that is zero too.
     *
     * @param reference reference sample, non-empty
     * @param x         the value
     * @return the z-score (signed)
     */
    public static double z(double[] reference, double x) {
        double m = median(reference);
        double s = scaledMad(reference);
        if (s <= 0) {
            double a = 0;
            for (double r : reference) {
                a += Math.abs(r - m);
            }
            s = Math.max(1e-12, 1.2533 * a / reference.length);
        }
        return (x - m) / s;
    }

    /**
     * Ranks the continuous variables of a table by how anomalous the anomalous rows are against
     * the reference rows: score = median over anomalous rows of |z| (or of the signed z in the bad
     * direction when {@code direction} is +1 or -1).
     *
     * @param reference reference rows (normal operation)
     * @param anomalous anomalous rows (same columns)
     * @param direction +1: only high values are bad; -1: only low values; 0: both
     * @return causes, highest score first (categorical columns are skipped)
     */
    public static List<Cause> rankVariables(DataTable reference, DataTable anomalous, int direction) {
        if (!reference.names().equals(anomalous.names())) {
            throw new IllegalArgumentException("reference and anomalous tables have different columns: "
                    + reference.names() + " vs " + anomalous.names());
        }
        if (direction < -1 || direction > 1) {
            throw new IllegalArgumentException("direction must be -1, 0 or +1, got " + direction);
        }
        if (reference.rows() == 0 || anomalous.rows() == 0) {
            throw new IllegalArgumentException("reference and anomalous tables must have rows, got "
                    + reference.rows() + " and " + anomalous.rows());
        }
        List<Cause> out = new ArrayList<>();
        for (int j = 0; j < reference.columns(); j++) {
            if (reference.isCategorical(j)) {
                continue;
            }
            double[] ref = reference.column(j);
            double[] an = anomalous.column(j);
            double[] zs = new double[an.length];
            for (int i = 0; i < an.length; i++) {
                double zz = z(ref, an[i]);
                zs[i] = direction == 0 ? Math.abs(zz) : direction * zz;
            }
            out.add(new Cause(reference.names().get(j), median(zs)));
        }
        out.sort(Comparator.comparingDouble(Cause::score).reversed());
        return out;
    }

    /**
     * Ranks candidates that each have a reference sample and one current value (e.g. per chamber:
     * the yields of its wafers last month, and the median yield of its wafers this week).
     *
     * @param reference candidate to reference sample (each non-empty)
     * @param current   candidate to current value; candidates missing here are skipped
     * @param direction +1: high is bad; -1: low is bad; 0: both (|z|)
     * @return causes, highest score first
     */
    public static List<Cause> rankCandidates(Map<String, double[]> reference, Map<String, Double> current, int direction) {
        if (direction < -1 || direction > 1) {
            throw new IllegalArgumentException("direction must be -1, 0 or +1, got " + direction);
        }
        List<Cause> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : reference.entrySet()) {
            Double x = current.get(e.getKey());
            if (x == null || e.getValue().length == 0) {
                continue;
            }
            double zz = z(e.getValue(), x);
            out.add(new Cause(e.getKey(), direction == 0 ? Math.abs(zz) : direction * zz));
        }
        out.sort(Comparator.comparingDouble(Cause::score).reversed().thenComparing(Cause::name));
        return out;
    }
}
