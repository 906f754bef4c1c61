package org.fabai.rca.commonality;

import java.util.ArrayList;
import java.util.List;
import org.fabai.rca.Cause;

/**
 * The result of a commonality screen: tested steps ranked worst first (by the culprit's post-hoc
 * z-score), and skipped steps with their reasons. Immutable and thread-safe.
 *
 * @param ranked             tested steps, most suspicious first
 * @param skipped            steps not tested, with reasons
 * @param config             the configuration used
 * @param wafers             wafers with both a history and an outcome
 * @param wafersNoOutcome    wafers with a history but no outcome (left out, counted here)
 * @param strata             number of time windows (1 without stratification)
 */
public record CommonalityResult(List<StepFinding> ranked, List<SkippedStep> skipped, CommonalityConfig config,
                                long wafers, long wafersNoOutcome, int strata) {
    /** Copies the lists. */
    public CommonalityResult {
        ranked = List.copyOf(ranked);
        skipped = List.copyOf(skipped);
    }

    /** @return the ranking as causes named {@code "step tool"}, scored by the culprit's z */
    public List<Cause> causes() {
        List<Cause> out = new ArrayList<>();
        for (StepFinding f : ranked) {
            out.add(new Cause(f.step() + " " + f.culprit().tool(), f.culprit().z()));
        }
        return out;
    }
}
