package org.fabai.rca.discovery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fabai.rca.data.DataTable;

/**
 * Conditional independence test for categorical data: the G-test (likelihood ratio) or Pearson's
 * χ² summed over the strata of the conditioning set. Degrees of freedom per stratum are
 * {@code (rx - 1)(ry - 1)} with rx, ry the numbers of non-empty rows and columns of that stratum's
 * table (empty strata add nothing). Immutable and thread-safe.
 */
public final class DiscreteTest implements IndependenceTest {

    /** Which statistic. Immutable and thread-safe. */
    public enum Statistic {
        /** likelihood-ratio G² */
        G_SQUARE,
        /** Pearson χ² */
        CHI_SQUARE
    }

    private final List<String> names;
    private final int[][] codes;
    private final int[] card;
    private final Statistic statistic;
    private final int n;

    /**
     * @param data      a table whose columns are all categorical
     * @param statistic G² or χ²
     */
    public DiscreteTest(DataTable data, Statistic statistic) {
        this.names = data.names();
        this.statistic = java.util.Objects.requireNonNull(statistic, "statistic");
        this.n = data.rows();
        this.codes = new int[data.columns()][];
        this.card = new int[data.columns()];
        for (int j = 0; j < data.columns(); j++) {
            if (!data.isCategorical(j)) {
                throw new IllegalArgumentException("discrete test needs categorical columns; '" + names.get(j)
                        + "' is continuous");
            }
            card[j] = data.levels(j).size();
            double[] c = data.column(j);
            codes[j] = new int[n];
            for (int i = 0; i < n; i++) {
                codes[j][i] = (int) c[i];
            }
        }
    }

    @Override
    public List<String> variables() {
        return names;
    }

    @Override
    public double pValue(int x, int y, int[] s) {
        int cx = card[x];
        int cy = card[y];
        Map<Long, int[]> strata = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long key = 0;
            for (int v : s) {
                key = key * card[v] + codes[v][i];
            }
            int[] t = strata.computeIfAbsent(key, k -> new int[cx * cy]);
            t[codes[x][i] * cy + codes[y][i]]++;
        }
        double stat = 0;
        double df = 0;
        for (int[] t : strata.values()) {
            int[] rs = new int[cx];
            int[] cs = new int[cy];
            int tot = 0;
            for (int a = 0; a < cx; a++) {
                for (int b = 0; b < cy; b++) {
                    rs[a] += t[a * cy + b];
                    cs[b] += t[a * cy + b];
                    tot += t[a * cy + b];
                }
            }
            int rx = 0;
            int ry = 0;
            for (int v : rs) {
                rx += v > 0 ? 1 : 0;
            }
            for (int v : cs) {
                ry += v > 0 ? 1 : 0;
            }
            if (rx < 2 || ry < 2) {
                continue;
            }
            df += (rx - 1) * (ry - 1);
            for (int a = 0; a < cx; a++) {
                for (int b = 0; b < cy; b++) {
                    double e = (double) rs[a] * cs[b] / tot;
                    if (e <= 0) {
                        continue;
                    }
                    double o = t[a * cy + b];
                    if (statistic == Statistic.G_SQUARE) {
                        if (o > 0) {
                            stat += 2 * o * Math.log(o / e);
                        }
                    } else {
                        stat += (o - e) * (o - e) / e;
                    }
                }
            }
        }
        return Stats.chiSquareP(stat, df);
    }

    @Override
    public String name() {
        return statistic == Statistic.G_SQUARE ? "g-square" : "chi-square";
    }
}
