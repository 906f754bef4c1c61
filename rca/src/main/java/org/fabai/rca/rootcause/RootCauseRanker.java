package org.fabai.rca.rootcause;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.scm.StructuralCausalModel;

/**
 * Ranks the variables of anomalous rows as root causes against a structural causal model fitted
 * on reference (normal) data, the DoWhy-gcm way: a root cause is a variable whose own mechanism
 * misbehaved — its value is surprising <i>given its parents</i> — not one that merely follows an
 * anomalous parent.
 *
 * <p>For each variable and row two information-theoretic outlier scores ({@code -log} of a tail
 * probability under the reference data, so both are on one scale) are computed:
 * <ul>
 * <li>the <b>conditional</b> score, of the variable's noise under its fitted mechanism: for a
 *     continuous variable the rank of its residual's distance from the median residual among the
 *     reference residuals; for a categorical one the probability, under its conditional table, of
 *     levels at most as likely as the observed one. A parent configuration the reference never
 *     showed carries no evidence about the mechanism and scores 0: the value is explained as the
 *     consequence of an anomalous parent.</li>
 * <li>the <b>marginal</b> score, of the value against the reference values of the variable alone
 *     (the rank form of the robust z-score: no graph needed).</li>
 * </ul>
 * A variable's root-cause score is the smaller of the two, averaged over the rows: the graph can
 * only <i>explain away</i> a deviation, never create one, so a wrong or incomplete graph degrades
 * the ranking towards the robust z-score rather than below it. Ties are broken by the marginal
 * score, then by the onset (the first row at which the variable's marginal score reached the
 * threshold: causes precede their effects), then by name.
 *
 * <p>Stateless and thread-safe.
 */
public final class RootCauseRanker {

    private RootCauseRanker() {
    }

    /**
     * One ranked variable.
     *
     * @param name        the variable
     * @param score       root-cause score: mean over rows of min(conditional, marginal)
     * @param conditional mean conditional outlier score (given its parents in the model)
     * @param marginal    mean marginal outlier score (against the reference values)
     * @param onset       first row (of the onset table) at which the marginal score reached the
     *                    threshold; {@code Integer.MAX_VALUE} if never or not given
     */
    public record RankedCause(String name, double score, double conditional, double marginal, int onset) {
    }

    /**
     * Ranks the model's variables.
     *
     * @param scm       model fitted on the reference rows
     * @param reference the reference table the model was fitted on
     * @param rows      anomalous rows, in the reference table's column order (codes for categories)
     * @param onsets    onset row of each variable (from {@link #onsets}), or an empty map
     * @return all variables of the model, most likely root cause first
     */
    public static List<RankedCause> rank(StructuralCausalModel scm, DataTable reference, double[][] rows,
                                         Map<String, Integer> onsets) {
        Objects.requireNonNull(onsets, "onsets");
        if (!scm.columns().equals(reference.names())) {
            throw new IllegalArgumentException("model columns " + scm.columns() + " differ from the reference table's "
                    + reference.names());
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("no anomalous rows to rank");
        }
        for (double[] r : rows) {
            if (r.length != reference.columns()) {
                throw new IllegalArgumentException("row has " + r.length + " values, the reference table has "
                        + reference.columns() + " columns");
            }
        }
        List<RankedCause> out = new ArrayList<>();
        for (String v : scm.nodes()) {
            int col = reference.indexOf(v);
            double c = 0;
            double m = 0;
            double s = 0;
            for (double[] r : rows) {
                double ci = scm.conditionalOutlierScore(v, r);
                double mi = marginalScore(reference, col, r[col]);
                c += ci;
                m += mi;
                s += Math.min(ci, mi);
            }
            out.add(new RankedCause(v, s / rows.length, c / rows.length, m / rows.length,
                    onsets.getOrDefault(v, Integer.MAX_VALUE)));
        }
        out.sort(Comparator.comparingDouble(RankedCause::score).reversed()
                .thenComparing(Comparator.comparingDouble(RankedCause::marginal).reversed())
                .thenComparingInt(RankedCause::onset)
                .thenComparing(RankedCause::name));
        return out;
    }

    /**
     * The marginal information-theoretic outlier score of a value against a reference column: for
     * a continuous column {@code -log((1 + #{|r - med| >= |x - med|}) / (n + 1))}; for a
     * categorical one {@code -log} of the Laplace-smoothed probability of the levels at most as
     * frequent as the observed one.
     *
     * @param reference reference table
     * @param col       column
     * @param x         the value (a code for a categorical column)
     * @return the score, at least 0
     */
    public static double marginalScore(DataTable reference, int col, double x) {
        int n = reference.rows();
        if (reference.isCategorical(col)) {
            int k = reference.levels(col).size();
            double[] cnt = new double[k];
            for (int i = 0; i < n; i++) {
                cnt[(int) reference.get(i, col)]++;
            }
            int xi = (int) x;
            double px = (cnt[xi] + 1) / (n + k);
            double tail = 0;
            for (int l = 0; l < k; l++) {
                double pl = (cnt[l] + 1) / (n + k);
                if (pl <= px + 1e-15) {
                    tail += pl;
                }
            }
            return -Math.log(Math.min(1, tail));
        }
        double[] v = reference.column(col);
        double[] s = v.clone();
        Arrays.sort(s);
        double med = n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        double d = Math.abs(x - med);
        int atLeast = 0;
        for (double r : v) {
            if (Math.abs(r - med) >= d - 1e-12 * (1 + d)) {
                atLeast++;
            }
        }
        return -Math.log((1.0 + atLeast) / (n + 1.0));
    }

    /**
     * The onset of each variable in a sequence of rows (e.g. a fault run on a time grid, from its
     * start to the diagnosis): the first row whose marginal score against the reference reaches
     * the threshold.
     *
     * @param reference reference table
     * @param run       the rows in time order (same columns as the reference)
     * @param threshold marginal score that counts as deviating, positive (e.g. {@code -log 0.01})
     * @return variable to onset row; variables that never deviate are absent
     */
    public static Map<String, Integer> onsets(DataTable reference, DataTable run, double threshold) {
        if (!reference.names().equals(run.names())) {
            throw new IllegalArgumentException("reference and run tables have different columns: "
                    + reference.names() + " vs " + run.names());
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("threshold must be > 0, got " + threshold);
        }
        Map<String, Integer> out = new HashMap<>();
        for (int j = 0; j < run.columns(); j++) {
            Map<Double, Double> cache = new HashMap<>();
            for (int i = 0; i < run.rows(); i++) {
                int col = j;
                double sc = cache.computeIfAbsent(run.get(i, j), x -> marginalScore(reference, col, x));
                if (sc >= threshold) {
                    out.put(run.names().get(j), i);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Process-order style tiers from onsets: variables that deviated at the same row share a tier,
     * earlier onsets come first, variables that never deviated form the last tier. A variable that
     * deviated later cannot cause one that deviated earlier.
     *
     * @param variables all variables
     * @param onsets    onset rows
     * @return variable to tier (0 = earliest)
     */
    public static Map<String, Integer> tiers(List<String> variables, Map<String, Integer> onsets) {
        List<Integer> distinct = onsets.values().stream().distinct().sorted().toList();
        Map<String, Integer> out = new HashMap<>();
        for (String v : variables) {
            Integer o = onsets.get(v);
            out.put(v, o == null ? distinct.size() : distinct.indexOf(o));
        }
        return out;
    }
}
