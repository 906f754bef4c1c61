package org.fabai.rca.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Erf;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Cause;
import org.fabai.rca.CauseRanker;
import org.fabai.rca.RcaProblem;
import org.fabai.rca.Ranking;

/**
 * The robust z-score baseline as a {@link CauseRanker}: per candidate {@code "step tool/chamber"},
 * the median target of its anomalous-period wafers against the median and MAD of its
 * reference-period wafers' targets ({@link RobustZScore#rankCandidates}), signed so that the bad
 * direction is positive. Confidence: {@code Φ(z)}, the normal probability below the z-score (how
 * unusual the shift would be for normal data; not corrected for the number of candidates).
 * Stateless and thread-safe.
 */
public final class RobustZRanker implements CauseRanker {

    /** Name of the method. */
    public static final String NAME = "robust-z";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Ranking rank(RcaProblem problem) {
        Map<String, Double> y = problem.targetValues();
        Map<String, List<Double>> ref = new HashMap<>();
        Map<String, List<Double>> cur = new HashMap<>();
        for (WaferHistory h : problem.histories()) {
            Double v = y.get(h.waferId());
            if (v == null) {
                continue;
            }
            Map<String, List<Double>> into = problem.inReference(h) ? ref : problem.inAnomalous(h) ? cur : null;
            if (into == null) {
                continue;
            }
            for (StepRun r : h.runs()) {
                into.computeIfAbsent(r.step().id() + " " + r.tool().label(), k -> new ArrayList<>()).add(v);
            }
        }
        if (ref.isEmpty() || cur.isEmpty()) {
            throw new IllegalArgumentException("robust-z needs wafers with a '" + problem.target()
                    + "' outcome in both periods; reference has " + ref.size() + " candidates, anomalous " + cur.size());
        }
        Map<String, double[]> refArr = new HashMap<>();
        ref.forEach((k, v) -> refArr.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        Map<String, Double> curMed = new HashMap<>();
        cur.forEach((k, v) -> curMed.put(k, RobustZScore.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        List<Ranking.Ranked> out = new ArrayList<>();
        for (Cause c : RobustZScore.rankCandidates(refArr, curMed, problem.badDirection())) {
            out.add(new Ranking.Ranked(c.name(), c.score(), normalBelow(c.score())));
        }
        return new Ranking(NAME, out, "normal probability below the robust z (uncorrected)");
    }

    /**
     * @param z a standard normal deviate
     * @return {@code Φ(z)}
     */
    static double normalBelow(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? 1 : 0;
        }
        return Math.min(1, Math.max(0, 0.5 * Erf.erfc(-z / Math.sqrt(2.0))));
    }
}
