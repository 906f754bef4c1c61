package org.fabai.rca.commonality;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fabai.rca.CauseRanker;
import org.fabai.rca.RcaProblem;
import org.fabai.rca.Ranking;

/**
 * Tool commonality as a {@link CauseRanker}: the {@link CommonalityScreen} on every wafer's target
 * (periods are not used; a time window in the configuration stratifies), one cause per tested step,
 * its culprit tool, scored by the culprit's post-hoc z. Confidence: {@code 1 − q}, with {@code q}
 * the culprit's Benjamini–Hochberg adjusted post-hoc p over all (step, tool) comparisons.
 * Immutable and thread-safe.
 */
public final class CommonalityRanker implements CauseRanker {

    private final CommonalityConfig config;
    private final String name;

    /**
     * @param config the screen's configuration (its direction should match the problem's)
     * @param name   the method's name, e.g. {@code "commonality"} or {@code "commonality-windowed"}
     */
    public CommonalityRanker(CommonalityConfig config, String name) {
        this.config = Objects.requireNonNull(config, "config");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * @param lowIsBad true for yield-like outcomes
     * @return the Kruskal-Wallis screen over all wafers, named {@code "commonality"}
     */
    public static CommonalityRanker continuous(boolean lowIsBad) {
        return new CommonalityRanker(CommonalityConfig.continuous(!lowIsBad), "commonality");
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the configuration */
    public CommonalityConfig config() {
        return config;
    }

    /**
     * @param problem the problem
     * @return the full screen result (tests, effect sizes, skipped steps) behind {@link #rank}
     */
    public CommonalityResult screen(RcaProblem problem) {
        return newScreen().run(problem.histories(), problem.targetValues());
    }

    /** @return a new screen with this ranker's configuration (for the detail, or {@link CommonalityScreen#bootstrap}) */
    public CommonalityScreen newScreen() {
        return new CommonalityScreen(config);
    }

    @Override
    public Ranking rank(RcaProblem problem) {
        return ranking(screen(problem));
    }

    /**
     * @param r a screen result
     * @return it as a ranking
     */
    public Ranking ranking(CommonalityResult r) {
        List<Ranking.Ranked> out = new ArrayList<>();
        for (StepFinding f : r.ranked()) {
            double q = Double.isNaN(f.culpritQ()) ? 1 : Math.min(1, Math.max(0, f.culpritQ()));
            out.add(new Ranking.Ranked(f.step() + " " + f.culprit().tool(), f.culprit().z(), 1 - q));
        }
        return new Ranking(name, out, "1 - BH-adjusted post-hoc p of the culprit");
    }
}
