package org.fabai.rca.discovery;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fabai.rca.data.DataTable;

/**
 * Fisher's Z test of zero partial correlation for continuous (jointly Gaussian) data:
 * {@code z = atanh(r) * sqrt(n - |S| - 3)}, two-sided normal p-value. The correlation matrix is
 * computed once; each test inverts a small sub-matrix. Immutable and thread-safe.
 */
public final class FisherZTest implements IndependenceTest {

    private final List<String> names;
    private final double[][] corr;
    private final int n;

    /**
     * @param data a table whose columns are all continuous
     * @throws IllegalArgumentException if a column is categorical or constant, or there are fewer than 5 rows
     */
    public FisherZTest(DataTable data) {
        for (int j = 0; j < data.columns(); j++) {
            if (data.isCategorical(j)) {
                throw new IllegalArgumentException("Fisher-Z needs continuous columns; '" + data.names().get(j)
                        + "' is categorical (use MixedLinearTest)");
            }
        }
        if (data.rows() < 5) {
            throw new IllegalArgumentException("Fisher-Z needs at least 5 rows, got " + data.rows());
        }
        this.names = data.names();
        this.n = data.rows();
        this.corr = correlation(data);
    }

    static double[][] correlation(DataTable data) {
        int p = data.columns();
        int n = data.rows();
        double[][] c = new double[p][];
        for (int j = 0; j < p; j++) {
            c[j] = data.column(j);
            double m = 0;
            for (double v : c[j]) {
                m += v;
            }
            m /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                c[j][i] -= m;
                ss += c[j][i] * c[j][i];
            }
            if (ss <= 0) {
                throw new IllegalArgumentException("column '" + data.names().get(j) + "' is constant");
            }
            double sd = Math.sqrt(ss);
            for (int i = 0; i < n; i++) {
                c[j][i] /= sd;
            }
        }
        double[][] r = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += c[a][i] * c[b][i];
                }
                r[a][b] = s;
                r[b][a] = s;
            }
        }
        return r;
    }

    @Override
    public List<String> variables() {
        return names;
    }

    /**
     * @param x first variable
     * @param y second variable
     * @param s conditioning set
     * @return the partial correlation of x and y given s
     */
    public double partialCorrelation(int x, int y, int[] s) {
        if (s.length == 0) {
            return corr[x][y];
        }
        int[] idx = new int[s.length + 2];
        idx[0] = x;
        idx[1] = y;
        System.arraycopy(s, 0, idx, 2, s.length);
        DMatrixRMaj m = Stats.sub(corr, idx);
        DMatrixRMaj inv = new DMatrixRMaj(idx.length, idx.length);
        if (!CommonOps_DDRM.invert(m, inv)) {
            CommonOps_DDRM.pinv(m, inv);
        }
        double r = -inv.get(0, 1) / Math.sqrt(inv.get(0, 0) * inv.get(1, 1));
        return Math.max(-1, Math.min(1, r));
    }

    @Override
    public double pValue(int x, int y, int[] s) {
        double r = partialCorrelation(x, y, s);
        double df = n - s.length - 3;
        if (df <= 0) {
            return 1.0;
        }
        r = Math.max(-0.9999999999, Math.min(0.9999999999, r));
        double z = 0.5 * Math.log((1 + r) / (1 - r)) * Math.sqrt(df);
        return Stats.twoSidedNormalP(z);
    }

    @Override
    public String name() {
        return "fisher-z";
    }
}
