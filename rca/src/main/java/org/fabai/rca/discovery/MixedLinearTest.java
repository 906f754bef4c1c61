package org.fabai.rca.discovery;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fabai.rca.data.DataTable;

/**
 * A conditional independence test for mixed continuous and categorical data. Each variable is a
 * block of columns: a continuous variable one column, a categorical variable with k levels k-1
 * indicator columns. {@code X ⟂ Y | S} is tested by the likelihood-ratio (Wilks) statistic of the
 * partial canonical correlations between the X and Y blocks given the S block, with Bartlett's
 * correction: {@code -(n - 1 - q_S - (q_X + q_Y + 1)/2) log(det P / (det P_XX det P_YY))},
 * χ² with {@code q_X q_Y} degrees of freedom, P the partial covariance of (X, Y) given S. For two
 * continuous variables it is the usual partial-correlation likelihood-ratio test. It is exact
 * for linear-Gaussian relations and a linear approximation otherwise. Immutable and thread-safe.
 */
public final class MixedLinearTest implements IndependenceTest {

    private final List<String> names;
    private final int[][] blocks;
    private final double[][] cov;
    private final int n;
    /**
     * Pseudo-inverses of the conditioning block's covariance, by conditioning columns in order: PC
     * tests many pairs against the same conditioning set (every neighbour of x against each subset
     * of x's other neighbours), and the inverse is the costly part. Cached values are computed
     * exactly as uncached ones, so p-values do not change. Bounded (cleared when full).
     */
    private final java.util.concurrent.ConcurrentHashMap<Key, DMatrixRMaj> inverses =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED = 1 << 16;

    /** Conditioning columns, in order, as a map key. */
    private record Key(int[] cols) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Arrays.equals(cols, k.cols);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(cols);
        }
    }

    /** @param data any table; categorical columns are expanded to indicators */
    public MixedLinearTest(DataTable data) {
        this.names = data.names();
        this.n = data.rows();
        int p = data.columns();
        blocks = new int[p][];
        int total = 0;
        for (int j = 0; j < p; j++) {
            int w = data.isCategorical(j) ? Math.max(0, data.levels(j).size() - 1) : 1;
            blocks[j] = new int[w];
            for (int k = 0; k < w; k++) {
                blocks[j][k] = total++;
            }
        }
        double[][] cols = new double[total][n];
        for (int j = 0; j < p; j++) {
            double[] c = data.column(j);
            if (data.isCategorical(j)) {
                for (int i = 0; i < n; i++) {
                    int code = (int) c[i];
                    if (code > 0) {
                        cols[blocks[j][code - 1]][i] = 1;
                    }
                }
            } else {
                cols[blocks[j][0]] = c;
            }
        }
        for (double[] c : cols) {
            double m = 0;
            for (double v : c) {
                m += v;
            }
            m /= n;
            for (int i = 0; i < n; i++) {
                c[i] -= m;
            }
        }
        int q = total;
        cov = new double[q][q];
        // rows of the covariance in parallel; each entry is summed exactly as in a serial loop
        java.util.stream.IntStream.range(0, q).parallel().forEach(a -> {
            for (int b = a; b < q; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += cols[a][i] * cols[b][i];
                }
                cov[a][b] = s / n;
                cov[b][a] = s / n;
            }
        });
    }

    @Override
    public List<String> variables() {
        return names;
    }

    @Override
    public double pValue(int x, int y, int[] s) {
        int qx = blocks[x].length;
        int qy = blocks[y].length;
        if (qx == 0 || qy == 0) {
            return 1.0;
        }
        int qs = 0;
        for (int v : s) {
            qs += blocks[v].length;
        }
        int[] a = new int[qx + qy];
        System.arraycopy(blocks[x], 0, a, 0, qx);
        System.arraycopy(blocks[y], 0, a, qx, qy);
        int[] sc = new int[qs];
        int k = 0;
        for (int v : s) {
            for (int c : blocks[v]) {
                sc[k++] = c;
            }
        }
        DMatrixRMaj p = partial(a, sc);
        int[] ix = new int[qx];
        int[] iy = new int[qy];
        for (int i = 0; i < qx; i++) {
            ix[i] = i;
        }
        for (int i = 0; i < qy; i++) {
            iy[i] = qx + i;
        }
        // a block that the conditioning set determines (no residual variance left, e.g. a flag and its
        // complement, or a variable that only changes with another) cannot depend on the other block
        // given it: independent. Numerically such a residual covariance can come out slightly
        // negative, which Cholesky refuses.
        if (s.length > 0 && (residualShare(p, ix, blocks[x]) <= DETERMINED || residualShare(p, iy, blocks[y]) <= DETERMINED)) {
            return 1.0;
        }
        double ld;
        double ldx;
        double ldy;
        try {
            ld = Stats.logDet(p);
            ldx = Stats.logDet(CommonOps_DDRM.extract(p, ix, qx, ix, qx, null));
            ldy = Stats.logDet(CommonOps_DDRM.extract(p, iy, qy, iy, qy, null));
        } catch (IllegalStateException notPd) {
            // a direction of one block determined by the conditioning set while the block as a whole is not:
            // a ridge on the scale of the variables' own variances (1e-9) makes the residual covariance usable
            double ridge = 0;
            for (int c : a) {
                ridge = Math.max(ridge, cov[c][c]);
            }
            ridge *= 1e-9;
            for (int i = 0; i < p.numRows; i++) {
                p.add(i, i, ridge);
            }
            ld = Stats.logDet(p);
            ldx = Stats.logDet(CommonOps_DDRM.extract(p, ix, qx, ix, qx, null));
            ldy = Stats.logDet(CommonOps_DDRM.extract(p, iy, qy, iy, qy, null));
        }
        double factor = n - 1 - qs - (qx + qy + 1) / 2.0;
        if (factor <= 0) {
            return 1.0;
        }
        double stat = -factor * (ld - ldx - ldy);
        return Stats.chiSquareP(Math.max(0, stat), (double) qx * qy);
    }

    /** Residual variance share below which a block counts as determined by the conditioning set. */
    static final double DETERMINED = 1e-10;

    /** Trace of a block's residual covariance over the trace of its own covariance (0 when it has none). */
    private double residualShare(DMatrixRMaj p, int[] inP, int[] cols) {
        double res = 0;
        double tot = 0;
        for (int i = 0; i < inP.length; i++) {
            res += p.get(inP[i], inP[i]);
            tot += cov[cols[i]][cols[i]];
        }
        return tot <= 0 ? 0 : res / tot;
    }

    private DMatrixRMaj partial(int[] a, int[] s) {
        DMatrixRMaj saa = Stats.sub(cov, a);
        if (s.length == 0) {
            return saa;
        }
        DMatrixRMaj sas = new DMatrixRMaj(a.length, s.length);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < s.length; j++) {
                sas.set(i, j, cov[a[i]][s[j]]);
            }
        }
        DMatrixRMaj inv = inverses.get(new Key(s));
        if (inv == null) {
            DMatrixRMaj sss = Stats.sub(cov, s);
            inv = new DMatrixRMaj(s.length, s.length);
            CommonOps_DDRM.pinv(sss, inv);
            if (inverses.size() >= MAX_CACHED) {
                inverses.clear();
            }
            inverses.putIfAbsent(new Key(s.clone()), inv);
        }
        DMatrixRMaj tmp = new DMatrixRMaj(a.length, s.length);
        CommonOps_DDRM.mult(sas, inv, tmp);
        DMatrixRMaj out = new DMatrixRMaj(a.length, a.length);
        CommonOps_DDRM.multTransB(tmp, sas, out);
        CommonOps_DDRM.subtract(saa, out, out);
        return out;
    }

    @Override
    public String name() {
        return "mixed-linear-lrt";
    }
}
