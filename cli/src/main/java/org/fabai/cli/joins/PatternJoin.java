package org.fabai.cli.joins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Cause;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.StepFinding;

/**
 * ADC → RCA: a predicted defect pattern per wafer as a pass/fail outcome, screened by tool
 * commonality (G-test or Fisher's exact test per step, Benjamini–Hochberg). Stateless and
 * thread-safe.
 */
public final class PatternJoin {

    private PatternJoin() {
    }

    /**
     * One chamber at the culprit step.
     *
     * @param tool        tool/chamber label
     * @param wafers      wafers it ran (with a prediction)
     * @param withPattern of those, wafers predicted with the pattern
     */
    public record ChamberRate(String tool, int wafers, int withPattern) {
        /** @return the pattern rate, {@code withPattern / wafers} */
        public double rate() {
            return wafers == 0 ? 0 : (double) withPattern / wafers;
        }
    }

    /**
     * The join's answer. Immutable and thread-safe.
     *
     * @param pattern  the pattern class
     * @param outcomes one {@code class=PATTERN} outcome (1/0) per wafer with a prediction
     * @param screen   the commonality screen on that outcome
     * @param rates    pattern rate of each chamber at the culprit step (empty when no step was tested)
     */
    public record Result(String pattern, List<Outcome> outcomes, CommonalityResult screen, List<ChamberRate> rates) {
        /** Copies the lists. */
        public Result {
            outcomes = List.copyOf(outcomes);
            rates = List.copyOf(rates);
        }

        /** @return the step whose tool goes most with the pattern, or null when no step was tested */
        public StepFinding culpritStep() {
            return screen.ranked().isEmpty() ? null : screen.ranked().get(0);
        }

        /** @return the culprit {@code "step tool/chamber"}, or {@code "-"} when no step was tested */
        public String culprit() {
            List<Cause> c = screen.causes();
            return c.isEmpty() ? "-" : c.get(0).name();
        }

        /** @return the p-value of the culprit step's test (NaN when none) */
        public double p() {
            StepFinding f = culpritStep();
            return f == null ? Double.NaN : f.p();
        }

        /** @return the culprit's Benjamini–Hochberg adjusted post-hoc p (NaN when none) */
        public double culpritQ() {
            StepFinding f = culpritStep();
            return f == null ? Double.NaN : f.culpritQ();
        }

        /** @return wafers predicted with the pattern */
        public long patternWafers() {
            return outcomes.stream().filter(o -> o.value() == 1).count();
        }
    }

    /**
     * @param pattern a class name
     * @return the outcome name for it, {@code class=PATTERN}
     */
    public static String outcomeName(String pattern) {
        return "class=" + pattern;
    }

    /**
     * @param predicted wafer id to predicted class
     * @param pattern   the pattern of interest
     * @return one outcome per wafer: 1 when predicted as the pattern, else 0
     */
    public static List<Outcome> outcomes(Map<String, String> predicted, String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<Outcome> out = new ArrayList<>(predicted.size());
        predicted.forEach((w, c) -> out.add(new Outcome(w, outcomeName(pattern), pattern.equals(c) ? 1 : 0)));
        return out;
    }

    /**
     * @param histories wafer histories
     * @param predicted wafer id to predicted class (wafers without a prediction are left out, counted
     *                  in the screen's {@code wafersNoOutcome})
     * @param pattern   the pattern of interest
     * @return the chamber that goes with the pattern, the rates of its step's chambers and the p-value
     */
    public static Result join(List<WaferHistory> histories, Map<String, String> predicted, String pattern) {
        List<Outcome> outs = outcomes(predicted, pattern);
        Map<String, Double> y = new LinkedHashMap<>();
        outs.forEach(o -> y.put(o.waferId(), o.value()));
        CommonalityResult r = new CommonalityScreen(CommonalityConfig.binary()).run(histories, y);
        List<ChamberRate> rates = new ArrayList<>();
        if (!r.ranked().isEmpty()) {
            String step = r.ranked().get(0).step();
            Map<String, int[]> counts = new TreeMap<>();
            for (WaferHistory h : histories) {
                Double v = y.get(h.waferId());
                StepRun run = h.run(step).orElse(null);
                if (v == null || run == null) {
                    continue;
                }
                int[] c = counts.computeIfAbsent(run.tool().label(), k -> new int[2]);
                c[0]++;
                c[1] += v == 1 ? 1 : 0;
            }
            counts.forEach((t, c) -> rates.add(new ChamberRate(t, c[0], c[1])));
        }
        return new Result(pattern, outs, r, rates);
    }
}
