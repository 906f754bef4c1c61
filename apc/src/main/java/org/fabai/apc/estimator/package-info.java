/**
 * Run-to-run estimators of {@code y = offset + gain·u}: {@link org.fabai.apc.estimator.EwmaEstimator},
 * the Butler–Stefani double EWMA {@link org.fabai.apc.estimator.DoubleEwmaEstimator} ({@code dewma}),
 * Holt's smoother {@link org.fabai.apc.estimator.HoltEstimator} ({@code holt}, fabai's earlier
 * {@code dewma}), {@link org.fabai.apc.estimator.RlsEstimator},
 * {@link org.fabai.apc.estimator.KalmanEstimator} and the MIMO {@link org.fabai.apc.estimator.MimoEwma}.
 * Configurations are validated records; estimators are mutable and not thread-safe.
 */
package org.fabai.apc.estimator;
