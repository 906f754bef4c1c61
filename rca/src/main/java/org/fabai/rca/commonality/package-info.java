/**
 * Tool commonality: at which step does the tool or chamber that ran a wafer go with the bad
 * outcome. {@link org.fabai.rca.commonality.CommonalityScreen} tests every step (Kruskal–Wallis
 * for continuous outcomes, G-test or Fisher's exact test for pass/fail), names the culprit by
 * one-vs-rest post-hoc tests and adjusts by Benjamini–Hochberg; optional time windows stratify.
 * {@link org.fabai.rca.commonality.StreamingCommonality} streams a history CSV of any size into
 * sufficient statistics; {@link org.fabai.rca.commonality.CommonalityRanker} is the screen as a
 * {@link org.fabai.rca.CauseRanker}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * CommonalityScreen screen = new CommonalityScreen(CommonalityConfig.continuous(false)); // low is bad
 * CommonalityResult r = screen.run(histories, HistoryCsv.byName(outcomes, "yield"));
 * StepFinding worst = r.ranked().get(0);   // worst.step(), worst.q(), worst.culprit().tool()
 * // the same as a ranker, with confidence 1 - q of the culprit:
 * Ranking k = CommonalityRanker.continuous(true).rank(RcaProblem.of(histories, outcomes, "yield"));
 * }</pre>
 */
package org.fabai.rca.commonality;
