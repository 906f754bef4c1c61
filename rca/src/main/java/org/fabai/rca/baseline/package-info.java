/**
 * The robust z-score baseline: {@link org.fabai.rca.baseline.RobustZScore} (z against median and
 * scaled MAD, rankings of variables or candidates) and {@link org.fabai.rca.baseline.RobustZRanker},
 * the baseline as a {@link org.fabai.rca.CauseRanker}. The RCAEval benchmark found this plain
 * ranking beats most elaborate methods; every method is reported beside it.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Ranking k = new RobustZRanker().rank(RcaProblem.of(histories, outcomes, "yield"));
 * // per candidate: median yield of its anomalous-period wafers against its reference wafers
 * double z = RobustZScore.z(referenceYields, 0.71);   // one value against a reference sample
 * }</pre>
 */
package org.fabai.rca.baseline;
