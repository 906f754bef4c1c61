/**
 * Evaluation of wafer-map classifiers: {@link org.fabai.adc.eval.ConfusionMatrix} (per-class and
 * macro scores), {@link org.fabai.adc.eval.LearningCurve} ("which model wins at my data size") and
 * {@link org.fabai.adc.eval.EvalCharts} (PNG rendering).
 */
package org.fabai.adc.eval;
