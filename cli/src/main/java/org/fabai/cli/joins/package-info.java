/**
 * The cross-capability joins, reusable from a library: what ADC and APC find becomes evidence for
 * RCA, in core types ({@link org.fabai.core.process.Outcome}, wafer histories) and RCA's
 * ({@link org.fabai.rca.Cause}).
 * <ul>
 *   <li>{@link org.fabai.cli.joins.PatternJoin}: a predicted defect pattern per wafer becomes a
 *       pass/fail outcome ({@code class=Edge-Ring}); tool commonality names the chamber that goes
 *       with it, with the pattern rate of every chamber at that step and the test's p-value.</li>
 *   <li>{@link org.fabai.cli.joins.ApcJoin}: the intercept each APC thread estimated over time becomes a
 *       candidate cause beside the tools: a thread whose estimate moved in the anomalous period
 *       against the reference period ranks by its robust z.</li>
 * </ul>
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Map<String, String> predicted = ...;   // wafer id -> predicted class (WaferMapClassifier.predict(map).label())
 * PatternJoin.Result p = PatternJoin.join(histories, predicted, "Edge-Ring");
 * p.culprit();   // "S07 S07T2/B"; p.rates(): pattern rate of each chamber at that step; p.p()
 *
 * List<ApcJoin.Estimate> trace = ...;    // (thread, time, estimated intercept) after each APC update
 * ApcJoin.Result a = ApcJoin.join(trace, referenceEnd, anomalousStart, robustZ.rank(problem).asCauses());
 * a.joined();    // tools and APC threads in one ranking by |robust z|
 * }</pre>
 */
package org.fabai.cli.joins;
