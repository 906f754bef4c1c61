package org.fabai.rca.scm;

/**
 * The fitted mechanism of one node: {@code x = f(parents, noise)}. Implementations are immutable
 * and thread-safe.
 */
sealed interface Mechanism permits Mechanism.Root, Mechanism.Linear, Mechanism.Table {

    /**
     * @param row   a full row (table column order) holding the parents' values
     * @param noise the node's noise
     * @return the node's value
     */
    double value(double[] row, double noise);

    /**
     * @param row a full row holding the node's and its parents' values
     * @param u   a uniform number in [0, 1), used where the noise is not identifiable (categories)
     * @return a noise value that reproduces the row's value
     */
    double noise(double[] row, double u);

    /**
     * @param u uniform in [0, 1)
     * @return the noise at that quantile of the noise distribution
     */
    double noiseAt(double u);

    /** A root node: its value is its noise, drawn from the training values. */
    record Root(int col, double[] sortedValues) implements Mechanism {
        @Override
        public double value(double[] row, double noise) {
            return noise;
        }

        @Override
        public double noise(double[] row, double u) {
            return row[col];
        }

        @Override
        public double noiseAt(double u) {
            return sortedValues[Math.min(sortedValues.length - 1, (int) (u * sortedValues.length))];
        }
    }

    /**
     * A continuous node: linear in its parents (categorical parents as indicators) plus additive
     * noise drawn from the training residuals.
     */
    record Linear(int col, int[] parents, int[] levels, double[] beta, double[] sortedResiduals) implements Mechanism {
        double predict(double[] row) {
            double s = beta[0];
            int k = 1;
            for (int p = 0; p < parents.length; p++) {
                double v = row[parents[p]];
                if (levels[p] == 0) {
                    s += beta[k++] * v;
                } else {
                    int code = (int) v;
                    if (code > 0) {
                        s += beta[k + code - 1];
                    }
                    k += levels[p] - 1;
                }
            }
            return s;
        }

        @Override
        public double value(double[] row, double noise) {
            return predict(row) + noise;
        }

        @Override
        public double noise(double[] row, double u) {
            return row[col] - predict(row);
        }

        @Override
        public double noiseAt(double u) {
            return sortedResiduals[Math.min(sortedResiduals.length - 1, (int) (u * sortedResiduals.length))];
        }
    }

    /**
     * A categorical node with parents: a conditional probability table over parent configurations
     * (continuous parents binned at their training quartiles), Laplace-smoothed; unseen
     * configurations use the marginal. Noise is a uniform number; the value is the category
     * whose cumulative probability interval holds it.
     */
    record Table(int col, int[] parents, int[] levels, double[][] cuts, int classes,
                 java.util.Map<Long, double[]> cumulative, double[] marginalCumulative) implements Mechanism {

        long key(double[] row) {
            long k = 0;
            for (int p = 0; p < parents.length; p++) {
                int code;
                int card;
                if (levels[p] == 0) {
                    double v = row[parents[p]];
                    code = 0;
                    while (code < cuts[p].length && v > cuts[p][code]) {
                        code++;
                    }
                    card = cuts[p].length + 1;
                } else {
                    code = (int) row[parents[p]];
                    card = levels[p];
                }
                k = k * card + code;
            }
            return k;
        }

        double[] cdf(double[] row) {
            return cumulative.getOrDefault(key(row), marginalCumulative);
        }

        @Override
        public double value(double[] row, double noise) {
            double[] c = cdf(row);
            for (int i = 0; i < classes; i++) {
                if (noise < c[i]) {
                    return i;
                }
            }
            return classes - 1;
        }

        @Override
        public double noise(double[] row, double u) {
            double[] c = cdf(row);
            int x = (int) row[col];
            double lo = x == 0 ? 0 : c[x - 1];
            return lo + u * (c[x] - lo);
        }

        @Override
        public double noiseAt(double u) {
            return u;
        }
    }
}
