/**
 * fabai APC: run-to-run (R2R) process control for a fab. Pure Java, no native code.
 *
 * <ul>
 *   <li>{@link org.fabai.apc.estimator}: EWMA, double EWMA (predictor-corrector), RLS with forgetting,
 *       Kalman local level (+ drift), MIMO EWMA.</li>
 *   <li>{@link org.fabai.apc.control}: a controller around any estimator (bounds, rate limit, deadband,
 *       anti-windup, metrology delay, missing metrology, outlier rejection, fallback) and a
 *       closed-loop stability check from the characteristic roots over gain mismatch ξ and delay d.</li>
 *   <li>{@link org.fabai.apc.thread}: control threads keyed by context (tool, chamber, product, layer,
 *       ...), seeded from nominal, siblings or a context-offset model, with durable state (embedded
 *       SQLite by default, PostgreSQL through the same JDBC code), exactly-once run ids and an audit
 *       trail.</li>
 *   <li>{@link org.fabai.apc.sim}: a seeded plant simulator (white noise, IMA(1,1), drift, PM shifts,
 *       gain mismatch, delay, sampling), metrics (MSE, offset, Cpk, settling), controller comparison
 *       tables, what-if replay of recorded runs and control-chart PNGs.</li>
 * </ul>
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * // one policy for all threads: target 50 nm, input (polish time, s) within [20, 120], EWMA lambda 0.3,
 * // model gain -0.8 nm/s, nominal intercept 130 nm; new threads seeded from their nearest siblings
 * ControllerConfig cfg = ControllerConfig.of(50, 20, 120, 100).withMaxStep(10);
 * ThreadPolicy policy = new ThreadPolicy(cfg, new EwmaEstimator(new EwmaConfig(0.3, -0.8, 130)),
 *         Seeding.NEAREST_SIBLINGS);
 * try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(Path.of("apc-threads.db"))) {
 *     ControlThreads threads = new ControlThreads(policy, store);
 *     Context ctx = Context.of("tool", "CMP01", "product", "P7", "layer", "M1");
 *     Recommendation r = threads.recommend(ctx);          // r.input(), r.clips(), r.fallback()
 *     // ... the run uses r.input(); metrology arrives later:
 *     UpdateResult u = threads.update(ctx, new Measurement("LOT42-W03", 1042, r.input(), 51.3));
 *     // u.status(): APPLIED, DUPLICATE (replayed run id), LATE_REJECTED, OUTLIER_HELD, ...
 * }
 * // is EWMA with lambda 0.3 stable if the true gain is 0.5x to 3x the model, with 0 or 2 runs of delay?
 * StabilityReport rep = StabilityAnalysis.analyze(new EwmaEstimator(new EwmaConfig(0.3, -0.8, 130)),
 *         new double[] {0.5, 1, 2, 3}, new int[] {0, 2}, 0.05);
 * }</pre>
 */
package org.fabai.apc;
