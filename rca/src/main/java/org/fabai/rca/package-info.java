/**
 * fabai RCA: which tool or chamber at which step caused a bad outcome. Pure Java, no native code.
 *
 * <p>The front door is {@link org.fabai.rca.CauseRanker}: an {@link org.fabai.rca.RcaProblem}
 * (wafer histories, {@link org.fabai.core.process.Outcome}s, the outcome to explain, reference and
 * anomalous periods) in, a {@link org.fabai.rca.Ranking} of candidate causes
 * {@code "step tool/chamber"} with scores and confidences out. Three rankers implement it:
 * <ul>
 *   <li>{@link org.fabai.rca.baseline.RobustZRanker}: the robust z-score baseline (report every
 *       method beside it);</li>
 *   <li>{@link org.fabai.rca.commonality.CommonalityRanker}: tool commonality (Kruskal–Wallis or
 *       G/Fisher with post-hoc tests, Benjamini–Hochberg, optional time windows);</li>
 *   <li>{@link org.fabai.rca.scm.ScmAttributionRanker}: a structural causal model on a given graph or
 *       one PC discovers under process-order tiers, with Shapley attribution of the worst wafers.</li>
 * </ul>
 * {@link org.fabai.rca.Bootstrap} adds resampling confidence to any ranking; the synthetic fab
 * ({@link org.fabai.rca.synth}) scores rankers against a planted cause.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * List<WaferHistory> histories = HistoryCsv.readHistories(Path.of("histories.csv")); // wafer_id,step,tool,...
 * List<Outcome> outcomes = HistoryCsv.readOutcomes(Path.of("outcomes.csv"));         // wafer_id,name,value
 * // low yield is bad; reference = first half of the release span, anomalous = its last fifth
 * RcaProblem problem = RcaProblem.of(histories, outcomes, "yield");
 * for (CauseRanker r : List.of(new RobustZRanker(), CommonalityRanker.continuous(true),
 *         ScmAttributionRanker.discovered(PcConfig.of(0.01), 1))) {
 *     Ranking k = r.rank(problem);
 *     Ranking.Ranked top = k.top();   // top.name() "S07 ETCH2/B", top.score(), top.confidence()
 *     log.info("{}: {} ({} {})", r.name(), top.name(), k.confidenceMeaning(), top.confidence()); // an SLF4J Logger
 * }
 * }</pre>
 */
package org.fabai.rca;
