/**
 * Synthetic fabs for tests, demos and scoring: {@link org.fabai.rca.synth.SyntheticFab} (a route,
 * lots routed over tools and chambers, metrology and yield, one chamber planted bad from a time on;
 * {@link org.fabai.rca.synth.SyntheticFab#problem()} is it as an {@link org.fabai.rca.RcaProblem}),
 * {@link org.fabai.rca.synth.FabEvaluation} (top-k accuracy of {@link org.fabai.rca.CauseRanker}s over
 * seeds: a scorer only) and {@link org.fabai.rca.synth.RandomDag} (random graphs and data for
 * discovery tests).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(40));
 * Ranking k = new RobustZRanker().rank(fab.problem());
 * boolean found = k.position(fab.plantedCause()) == 0;
 * List<FabEvaluation.Accuracy> acc = FabEvaluation.evaluate(FabConfig.defaults(0), 1, 20,
 *         List.of(FabEvaluation.Method.ROBUST_Z_BASELINE, FabEvaluation.Method.COMMONALITY));
 * }</pre>
 */
package org.fabai.rca.synth;
