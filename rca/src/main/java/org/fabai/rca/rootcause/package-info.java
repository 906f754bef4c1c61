/**
 * Variable-level root causes of anomalous rows (machine event logs, process tables):
 * {@link org.fabai.rca.rootcause.RootCauseRanker} ranks the variables of a model whose own
 * mechanism misbehaved (conditional outlier scores, DoWhy-gcm style, bounded by the marginal robust
 * score), and {@link org.fabai.rca.rootcause.CausRca} evaluates it on the causRCA benchmark. For
 * wafer histories the front door is {@link org.fabai.rca.CauseRanker}; this package answers which
 * <i>variable</i> misbehaved in a table's rows.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * StructuralCausalModel scm = StructuralCausalModel.fit(graph, reference, ScmConfig.defaults());
 * Map<String, Integer> onsets = RootCauseRanker.onsets(reference, faultRun, -Math.log(0.01));
 * List<RootCauseRanker.RankedCause> ranked = RootCauseRanker.rank(scm, reference, anomalousRows, onsets);
 * }</pre>
 */
package org.fabai.rca.rootcause;
