package org.fabai.rca.synth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.rca.Cause;
import org.fabai.rca.CauseRanker;
import org.fabai.rca.baseline.RobustZRanker;
import org.fabai.rca.commonality.CommonalityRanker;
import org.fabai.rca.scm.ScmAttributionRanker;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.discovery.PcConfig;

/**
 * Top-k accuracy (AC@1, AC@3) of root-cause methods on {@link SyntheticFab}s over many seeds: a
 * scorer only; the methods are {@link CauseRanker}s ({@link #ranker}). A method ranks candidates {@code "step tool/chamber"}; it is right at k when the planted chamber
 * is among its first k. All methods see the same data: the histories and yields of every wafer;
 * the "reference" period is the first half of the release span and the "anomalous" period the
 * last fifth (the fault starts at a time the methods are not told).
 *
 * <p>Stateless and thread-safe.
 */
public final class FabEvaluation {

    /** The methods compared. Immutable and thread-safe. */
    public enum Method {
        /**
         * robust z-score baseline: per candidate, the median yield of its anomalous-period wafers
         * against the median/MAD of its reference-period wafers' yields
         */
        ROBUST_Z_BASELINE,
        /** tool commonality (Kruskal-Wallis and one-vs-rest post-hoc) on yield over all wafers */
        COMMONALITY,
        /** the same, stratified by 1-day windows */
        COMMONALITY_WINDOWED,
        /**
         * SCM on the true graph fitted on all wafers; Shapley attribution of the 10 lowest yields
         * of the anomalous period; a step's credit goes to the chamber each wafer used there
         */
        SCM_ATTRIBUTION,
        /**
         * the same on a graph discovered by PC (mixed-data test, alpha 0.01, depth 3) under the
         * fab's process-order knowledge ({@link SyntheticFab#knowledge()})
         */
        SCM_DISCOVERED
    }

    /**
     * One row of the accuracy table.
     *
     * Immutable and thread-safe.
     *
     * @param method the method
     * @param seeds  number of fabs (seeds)
     * @param ac1    fraction with the planted chamber ranked first
     * @param ac3    fraction with it in the first three
     */
    public record Accuracy(Method method, int seeds, double ac1, double ac3) {
    }

    private FabEvaluation() {
    }

    /**
     * Evaluates methods over seeds {@code firstSeed .. firstSeed + seeds - 1}.
     *
     * @param template  fab configuration (its seed is replaced)
     * @param firstSeed first seed
     * @param seeds     number of seeds, at least 1
     * @param methods   methods to evaluate
     * @return one row per method, in the given order
     */
    public static List<Accuracy> evaluate(FabConfig template, long firstSeed, int seeds, List<Method> methods) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        Map<Method, int[]> hits = new LinkedHashMap<>();
        methods.forEach(m -> hits.put(m, new int[2]));
        for (int s = 0; s < seeds; s++) {
            SyntheticFab fab = SyntheticFab.generate(template.withSeed(firstSeed + s));
            String truth = fab.plantedCause();
            for (Method m : methods) {
                List<Cause> r = rank(m, fab, firstSeed + s);
                int pos = -1;
                for (int i = 0; i < r.size(); i++) {
                    if (r.get(i).name().equals(truth)) {
                        pos = i;
                        break;
                    }
                }
                if (pos == 0) {
                    hits.get(m)[0]++;
                }
                if (pos >= 0 && pos < 3) {
                    hits.get(m)[1]++;
                }
            }
        }
        List<Accuracy> out = new ArrayList<>();
        hits.forEach((m, h) -> out.add(new Accuracy(m, seeds, (double) h[0] / seeds, (double) h[1] / seeds)));
        return out;
    }

    /**
     * The ranker behind a method.
     *
     * @param method the method
     * @param fab    the fab (for the true graph of {@link Method#SCM_ATTRIBUTION})
     * @param seed   seed for the method's own randomness
     * @return the ranker
     */
    public static CauseRanker ranker(Method method, SyntheticFab fab, long seed) {
        Objects.requireNonNull(method, "method");
        return switch (method) {
            case ROBUST_Z_BASELINE -> new RobustZRanker();
            case COMMONALITY -> CommonalityRanker.continuous(true);
            case COMMONALITY_WINDOWED -> new CommonalityRanker(CommonalityConfig.continuous(false).withWindow(Duration.ofDays(1)),
                    "commonality-windowed");
            case SCM_ATTRIBUTION -> new ScmAttributionRanker("scm-true-graph", p -> fab.trueGraph(), seed);
            case SCM_DISCOVERED -> ScmAttributionRanker.discovered(PC, seed);
        };
    }

    /** PC as the discovered-graph method runs it: mixed-data test, alpha 0.01, depth 3. */
    public static final PcConfig PC = new PcConfig(0.01, 3, 1, PcConfig.ColliderRule.SEPSETS);

    /**
     * Ranks candidate causes on one fab with one method ({@link #ranker} on {@link SyntheticFab#problem()}).
     *
     * @param method the method
     * @param fab    the fab
     * @param seed   seed for the method's own randomness
     * @return candidates {@code "step tool/chamber"}, most likely first
     */
    public static List<Cause> rank(Method method, SyntheticFab fab, long seed) {
        return ranker(method, fab, seed).rank(fab.problem()).asCauses();
    }

    /**
     * Discovers the fab's causal graph from its table under its process-order knowledge.
     *
     * @param fab the fab
     * @return a DAG in the discovered equivalence class
     */
    public static org.jgrapht.graph.DirectedAcyclicGraph<String, org.jgrapht.graph.DefaultEdge> discover(SyntheticFab fab) {
        return ScmAttributionRanker.discover(fab.problem(), PC);
    }
}
