/**
 * Structural causal models on a graph: {@link org.fabai.rca.scm.StructuralCausalModel} (linear
 * mechanisms with empirical noise for continuous nodes, conditional tables for categorical ones),
 * saved in the versioned text format of {@link org.fabai.rca.scm.ScmFormat}; interventions;
 * Shapley attribution of an anomaly to the mechanisms upstream of it
 * ({@link org.fabai.rca.scm.AnomalyAttribution}) and of a distribution change
 * ({@link org.fabai.rca.scm.DistributionChange}); {@link org.fabai.rca.scm.ScmAttributionRanker}
 * is the attribution as a {@link org.fabai.rca.CauseRanker}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * StructuralCausalModel m = StructuralCausalModel.fit(dag, table, ScmConfig.defaults());
 * double[] row = ...;   // the anomalous wafer's values in the table's column order (codes for categories)
 * Attribution a = AnomalyAttribution.explain(m, "yield", row,
 *         new AttributionConfig(6, 64, AttributionConfig.Tail.LOW, 1));  // a.contributions(): causes by credit
 * try (Writer w = Files.newBufferedWriter(Path.of("fab.scm"))) {
 *     ScmFormat.write(m, w);
 * }
 * }</pre>
 */
package org.fabai.rca.scm;
