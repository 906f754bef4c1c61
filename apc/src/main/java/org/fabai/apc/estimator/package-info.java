/**
 * Run-to-run estimators of {@code y = offset + gain·u}: {@link org.fabai.apc.estimator.EwmaEstimator},
 * {@link org.fabai.apc.estimator.DoubleEwmaEstimator}, {@link org.fabai.apc.estimator.RlsEstimator},
 * {@link org.fabai.apc.estimator.KalmanEstimator} and the MIMO {@link org.fabai.apc.estimator.MimoEwma}.
 * Configurations are validated records; estimators are mutable and not thread-safe.
 */
package org.fabai.apc.estimator;
