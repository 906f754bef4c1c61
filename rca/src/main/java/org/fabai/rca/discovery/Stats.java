package org.fabai.rca.discovery;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/** Small numerical helpers shared by the tests. Stateless and thread-safe. */
final class Stats {
    private Stats() {
    }

    /**
     * @param z a standard normal deviate
     * @return two-sided p-value
     */
    static double twoSidedNormalP(double z) {
        return Erf.erfc(Math.abs(z) / Math.sqrt(2.0));
    }

    /**
     * @param stat chi-square statistic
     * @param df   degrees of freedom
     * @return upper-tail probability
     */
    static double chiSquareP(double stat, double df) {
        if (df <= 0) {
            return 1.0;
        }
        if (!(stat > 0)) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, stat / 2.0);
    }

    /**
     * @param cov full covariance (or correlation) matrix
     * @param idx indices to take
     * @return the square sub-matrix
     */
    static DMatrixRMaj sub(double[][] cov, int[] idx) {
        DMatrixRMaj m = new DMatrixRMaj(idx.length, idx.length);
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < idx.length; j++) {
                m.unsafe_set(i, j, cov[idx[i]][idx[j]]);
            }
        }
        return m;
    }

    /**
     * Log-determinant of a symmetric positive (semi)definite matrix via Cholesky; a tiny ridge is
     * added when it is singular.
     */
    static double logDet(DMatrixRMaj m) {
        if (m.numRows == 0) {
            return 0.0;
        }
        double ridge = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            DMatrixRMaj a = m.copy();
            if (ridge > 0) {
                for (int i = 0; i < a.numRows; i++) {
                    a.add(i, i, ridge);
                }
            }
            CholeskyDecomposition_F64<DMatrixRMaj> ch = DecompositionFactory_DDRM.chol(a.numRows, true);
            if (ch.decompose(a)) {
                DMatrixRMaj l = ch.getT(null);
                double s = 0;
                for (int i = 0; i < l.numRows; i++) {
                    s += Math.log(l.get(i, i));
                }
                return 2 * s;
            }
            double scale = Math.max(1e-12, CommonOps_DDRM.elementMaxAbs(m));
            ridge = ridge == 0 ? 1e-10 * scale : ridge * 100;
        }
        throw new IllegalStateException("matrix is not positive definite even with a ridge");
    }
}
