package org.fabai.rca.commonality;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tool commonality screen: for every step, does the tool (or chamber) that ran it go with the bad
 * outcome?
 * <ul>
 *   <li>continuous outcome: Kruskal-Wallis across tools (tie-corrected; the ANOVA-on-ranks form,
 *       so it also holds when a step saw only some wafers), effect size ε² = H / (n - 1);</li>
 *   <li>binary outcome: G-test on the tools x pass/fail table, effect size Cramér's V; when an
 *       expected count is below {@link CommonalityConfig#sparseExpected}, Fisher's exact test of
 *       each tool against the rest, Bonferroni across the step's tools;</li>
 *   <li>with a time window, tests are computed within windows and summed (statistics and degrees
 *       of freedom), so a tool is only compared with tools running at the same time;</li>
 *   <li>the culprit is the tool with the largest one-vs-rest z-score in the bad direction
 *       (rank-sum or fail-count excess over its expectation, summed over windows); tools under
 *       the minimum count are left out and listed; steps with fewer than two tools are skipped
 *       with the reason; Benjamini-Hochberg is applied over steps and over all (step, tool)
 *       comparisons.</li>
 * </ul>
 * The scan is written as per-partition sufficient statistics ({@link CommonalityPartial}) plus a
 * merge, so the heavy part distributes.
 *
 * <p>Immutable and thread-safe.
 */
public final class CommonalityScreen {

    private static final Logger LOG = LoggerFactory.getLogger(CommonalityScreen.class);
    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1);

    private final CommonalityConfig config;

    /** @param config the configuration */
    public CommonalityScreen(CommonalityConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return the configuration */
    public CommonalityConfig config() {
        return config;
    }

    /**
     * Runs the whole screen in this JVM.
     *
     * @param histories wafer histories
     * @param outcome   wafer id to outcome
     * @return the result
     */
    public CommonalityResult run(List<WaferHistory> histories, Map<String, Double> outcome) {
        OutcomeIndex idx = index(outcome, config.window() == null ? null : startTimes(histories));
        CommonalityPartial p = newPartial(idx);
        histories.forEach(p::add);
        return finish(p);
    }

    /**
     * Bootstrap confidence of the ranking: wafers are resampled with replacement (a wafer drawn
     * twice counts twice) and the screen rerun.
     *
     * @param histories  wafer histories
     * @param outcome    wafer id to outcome
     * @param replicates replicates, at least 2
     * @param seed       random seed
     * @return per cause ({@code "step tool"}): how often first, how often in the top three, and a
     *         90% interval of its z-score
     */
    public List<org.fabai.rca.Bootstrap.CauseConfidence> bootstrap(List<WaferHistory> histories, Map<String, Double> outcome,
                                                                    int replicates, long seed) {
        List<WaferHistory> withOutcome = histories.stream().filter(h -> outcome.containsKey(h.waferId())).toList();
        return org.fabai.rca.Bootstrap.rankings(withOutcome.size(), replicates, 0.9, seed, idx -> {
            List<WaferHistory> hs = new ArrayList<>(idx.length);
            Map<String, Double> out = new HashMap<>();
            for (int i = 0; i < idx.length; i++) {
                WaferHistory h = withOutcome.get(idx[i]);
                String id = h.waferId() + "#" + i;
                hs.add(new WaferHistory(id, h.lotId(), h.runs()));
                out.put(id, outcome.get(h.waferId()));
            }
            return run(hs, out).causes();
        });
    }

    /**
     * The start time of each wafer: its earliest step run time.
     *
     * @param histories histories
     * @return wafer id to start time (wafers with no timed run are left out)
     */
    public static Map<String, Instant> startTimes(List<WaferHistory> histories) {
        Map<String, Instant> t = new HashMap<>();
        for (WaferHistory h : histories) {
            for (StepRun r : h.runs()) {
                if (r.time() != null) {
                    t.merge(h.waferId(), r.time(), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        return t;
    }

    /**
     * First pass: ranks (or fail indicators) and strata of the outcomes.
     *
     * @param outcome   wafer id to outcome
     * @param waferTime wafer start times (needed only with a window)
     * @return the index to broadcast to partitions
     */
    public OutcomeIndex index(Map<String, Double> outcome, Map<String, Instant> waferTime) {
        return OutcomeIndex.build(config, outcome, waferTime);
    }

    /**
     * @param index the outcome index
     * @return an empty partial for one partition
     */
    public CommonalityPartial newPartial(OutcomeIndex index) {
        return new CommonalityPartial(index, config.level());
    }

    /**
     * Turns merged statistics into tests, effect sizes, culprits and the ranking.
     *
     * @param merged statistics of all partitions
     * @return the result
     */
    public CommonalityResult finish(CommonalityPartial merged) {
        boolean binary = config.outcome() == CommonalityConfig.OutcomeKind.BINARY;
        double sign = binary || config.badIsHigh() ? 1 : -1;
        List<SkippedStep> skipped = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        Map<String, Map<Integer, Map<String, double[]>>> cells = new TreeMap<>(merged.cells());
        for (Map.Entry<String, Map<Integer, Map<String, double[]>>> se : cells.entrySet()) {
            String step = se.getKey();
            Map<String, Long> total = new TreeMap<>();
            se.getValue().values().forEach(byT -> byT.forEach((t, c) -> total.merge(t, (long) c[CommonalityPartial.N], Long::sum)));
            if (total.size() == 1) {
                skipped.add(new SkippedStep(step, "only one tool (" + total.keySet().iterator().next() + ") ran this step"));
                continue;
            }
            TreeSet<String> eligible = new TreeSet<>();
            List<String> dropped = new ArrayList<>();
            total.forEach((t, n) -> {
                if (n >= config.minCount()) {
                    eligible.add(t);
                } else {
                    dropped.add(t + " (" + n + " wafers)");
                }
            });
            if (eligible.size() < 2) {
                skipped.add(new SkippedStep(step, "only " + eligible.size() + " tool(s) with at least " + config.minCount()
                        + " wafers; too few: " + dropped));
                continue;
            }
            Pending f = testStep(step, se.getValue(), eligible, dropped, binary, sign);
            if (f == null) {
                skipped.add(new SkippedStep(step, "no time window has two tools with wafers and varying outcomes"));
            } else {
                pending.add(f);
            }
        }
        // BH over steps and over all (step, tool) comparisons
        double[] stepP = new double[pending.size()];
        List<Double> toolP = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            stepP[i] = pending.get(i).p();
            pending.get(i).tools().forEach(t -> toolP.add(t.p()));
        }
        double[] stepQ = MultipleTesting.benjaminiHochberg(stepP);
        double[] toolQ = MultipleTesting.benjaminiHochberg(toolP.stream().mapToDouble(Double::doubleValue).toArray());
        List<StepFinding> findings = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < pending.size(); i++) {
            Pending f = pending.get(i);
            double culpritQ = toolQ[k];
            k += f.tools().size();
            findings.add(new StepFinding(f.step(), f.test(), f.stat(), f.df(), f.p(), stepQ[i], f.effect(),
                    f.effectName(), f.tools().get(0), culpritQ, f.tools(), f.dropped()));
        }
        // equal culprit z-scores (common with small or binary samples) are ordered by evidence — the
        // culprit's p, then the step's p — and only then by name
        findings.sort(Comparator.comparingDouble((StepFinding s) -> -s.culprit().z())
                .thenComparingDouble(s -> s.culprit().p())
                .thenComparingDouble(StepFinding::p)
                .thenComparing(StepFinding::step));
        LOG.debug("commonality: {} steps tested, {} skipped, {} wafers", findings.size(), skipped.size(), merged.wafers());
        return new CommonalityResult(findings, skipped, config, merged.wafers(), merged.wafersNoOutcome(),
                merged.index().strata());
    }

    /** A tested step before multiple-testing adjustment. */
    private record Pending(String step, String test, double stat, double df, double p, double effect, String effectName,
                           List<ToolSummary> tools, List<String> dropped) {
    }

    /** @return the tested step, or null when no window had two tools with varying outcomes */
    private Pending testStep(String step, Map<Integer, Map<String, double[]>> byStratum, TreeSet<String> eligible,
                              List<String> dropped, boolean binary, double sign) {
        Map<String, double[]> pooled = new TreeMap<>();   // tool -> {n, Σv, Σy}
        Map<String, double[]> post = new TreeMap<>();     // tool -> {Σ(O-E), Σvar}
        for (String t : eligible) {
            pooled.put(t, new double[3]);
            post.put(t, new double[2]);
        }
        double[] acc = new double[3];                     // {statistic, degrees of freedom, wafers}
        for (Map<String, double[]> byT : byStratum.values()) {
            addStratum(byT, eligible, binary, pooled, post, acc);
        }
        if (acc[1] == 0) {
            return null;
        }
        List<ToolSummary> tools = new ArrayList<>();
        Pending result = binary ? binaryTest(step, pooled, acc[0], acc[1], tools, dropped)
                : new Pending(step, "kruskal-wallis", acc[0], acc[1], chiSquareP(acc[0], acc[1]),
                        acc[2] > 1 ? acc[0] / (acc[2] - 1) : 0, "epsilon^2", tools, dropped);
        if (tools.isEmpty()) {
            for (Map.Entry<String, double[]> e : pooled.entrySet()) {
                double[] pl = e.getValue();
                double[] ps = post.get(e.getKey());
                double z = ps[1] > 0 ? sign * ps[0] / Math.sqrt(ps[1]) : 0;
                tools.add(new ToolSummary(e.getKey(), (long) pl[0], pl[0] > 0 ? pl[2] / pl[0] : Double.NaN, z,
                        0.5 * Erf.erfc(z / Math.sqrt(2))));
            }
        }
        tools.sort(Comparator.comparingDouble((ToolSummary t) -> -t.z()).thenComparingDouble(ToolSummary::p)
                .thenComparing(ToolSummary::tool));
        return result;
    }

    /**
     * Adds one stratum (time window) to the stratified statistic {@code acc} ({statistic, degrees of
     * freedom, wafers}): the G statistic (binary outcome) or the Kruskal-Wallis H on the outcome's
     * values (continuous) across the tools with wafers in it; a stratum with fewer than two tools or
     * a constant outcome adds its wafers only. Pools each tool's counts ({@code pooled}: n, Σv, Σy) and
     * its observed-minus-expected sum and variance ({@code post}).
     */
    private static void addStratum(Map<String, double[]> byT, TreeSet<String> eligible, boolean binary,
                                   Map<String, double[]> pooled, Map<String, double[]> post, double[] acc) {
        double ns = 0;
        double sv = 0;
        double sv2 = 0;
        int groups = 0;
        for (String t : eligible) {
            double[] c = byT.get(t);
            if (c == null || c[CommonalityPartial.N] == 0) {
                continue;
            }
            groups++;
            ns += c[CommonalityPartial.N];
            sv += c[CommonalityPartial.SV];
            sv2 += c[CommonalityPartial.SV2];
            double[] pl = pooled.get(t);
            pl[0] += c[CommonalityPartial.N];
            pl[1] += c[CommonalityPartial.SV];
            pl[2] += c[CommonalityPartial.SY];
        }
        acc[2] += (long) ns;
        if (groups < 2) {
            return;
        }
        double m = sv / ns;
        double varPop = sv2 / ns - m * m;
        if (!(varPop > 1e-12 * Math.max(1, m * m))) {
            return;
        }
        double h = 0;
        for (String t : eligible) {
            double[] c = byT.get(t);
            if (c == null || c[CommonalityPartial.N] == 0) {
                continue;
            }
            double n = c[CommonalityPartial.N];
            double o = c[CommonalityPartial.SV];
            if (binary) {
                double eb = n * m;
                double eg = n * (1 - m);
                double ob = o;
                double og = n - o;
                h += (ob > 0 ? 2 * ob * Math.log(ob / eb) : 0) + (og > 0 ? 2 * og * Math.log(og / eg) : 0);
            } else {
                double mi = o / n;
                h += n * (mi - m) * (mi - m);
            }
            double[] ps = post.get(t);
            ps[0] += o - n * m;
            ps[1] += ns > 1 ? n * (ns - n) / (ns - 1) * varPop : 0;
        }
        if (!binary) {
            h = (ns - 1) * h / (ns * varPop);
        }
        acc[0] += h;
        acc[1] += groups - 1;
    }

    /**
     * The binary outcome's test: the stratified G-test, or, when an expected pooled count is below
     * {@link CommonalityConfig#sparseExpected()}, Fisher's exact test of each tool against the rest
     * (Bonferroni over the tools; each tool's one-sided p and z go to {@code tools}).
     */
    private Pending binaryTest(String step, Map<String, double[]> pooled, double stat, double df,
                               List<ToolSummary> tools, List<String> dropped) {
        double bad = 0;
        double n = 0;
        for (double[] pl : pooled.values()) {
            bad += pl[1];
            n += pl[0];
        }
        double rate = bad / n;
        double minExp = Double.POSITIVE_INFINITY;
        double chi2 = 0;
        for (double[] pl : pooled.values()) {
            double eb = pl[0] * rate;
            double eg = pl[0] * (1 - rate);
            minExp = Math.min(minExp, Math.min(eb, eg));
            if (eb > 0) {
                chi2 += (pl[1] - eb) * (pl[1] - eb) / eb;
            }
            if (eg > 0) {
                chi2 += (pl[0] - pl[1] - eg) * (pl[0] - pl[1] - eg) / eg;
            }
        }
        double effect = n > 0 ? Math.sqrt(chi2 / n) : 0;
        if (!(minExp < config.sparseExpected())) {
            return new Pending(step, "g-test", stat, df, chiSquareP(stat, df), effect, "cramers-v", tools, dropped);
        }
        double minP = 1;
        for (Map.Entry<String, double[]> e : pooled.entrySet()) {
            double[] pl = e.getValue();
            long a = Math.round(pl[1]);
            long b = Math.round(pl[0] - pl[1]);
            long c = Math.round(bad - pl[1]);
            long d = Math.round(n - bad - (pl[0] - pl[1]));
            minP = Math.min(minP, FisherExact.twoSided(a, b, c, d));
            double pg = FisherExact.greater(a, b, c, d);
            tools.add(new ToolSummary(e.getKey(), (long) pl[0], pl[0] > 0 ? pl[1] / pl[0] : Double.NaN,
                    zFromUpperP(pg), pg));
        }
        return new Pending(step, "fisher-exact", minP, 0, Math.min(1, minP * pooled.size()), effect, "cramers-v", tools,
                dropped);
    }

    private static double chiSquareP(double stat, double df) {
        if (df <= 0 || !(stat > 0)) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2, stat / 2);
    }

    private static double zFromUpperP(double p) {
        double q = Math.max(1e-300, Math.min(1 - 1e-16, p));
        return -STD_NORMAL.inverseCumulativeProbability(q);
    }
}
