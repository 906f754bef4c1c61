package org.fabai.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.RcaProblem;
import org.fabai.rca.Ranking;
import org.fabai.rca.baseline.RobustZRanker;
import org.fabai.rca.commonality.CommonalityRanker;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.scm.ScmAttributionRanker;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.FabEvaluation;
import org.fabai.rca.synth.SyntheticFab;

/**
 * Stage 4: root cause on a synthetic fab with a planted bad chamber, through the
 * {@link org.fabai.rca.CauseRanker} front door: the robust z baseline, commonality and SCM
 * attribution on a discovered graph; bootstrap confidence of the commonality ranking; accuracy of
 * the rankers over more fabs. Stateless.
 */
final class RootCauseStage {

    /**
     * What stage 4 produced.
     *
     * @param fab         the fab
     * @param screen      the commonality screen behind {@code commonality}
     * @param graph       the graph PC discovered (drawn in the report)
     * @param baseline    the robust z baseline's ranking
     * @param commonality commonality's ranking
     * @param scm         SCM attribution's ranking on the discovered graph
     * @param bootstrap   bootstrap confidence of the commonality ranking
     * @param accuracy    AC@1/AC@3 of the rankers over other fabs
     * @param firstAccuracySeed first seed of those fabs
     */
    record Result(SyntheticFab fab, CommonalityResult screen, Cpdag graph, Ranking baseline, Ranking commonality, Ranking scm,
                  List<Bootstrap.CauseConfidence> bootstrap, List<FabEvaluation.Accuracy> accuracy, long firstAccuracySeed) {

        /** @return the rankings in report order: baseline first, as RCAEval advises */
        List<Ranking> rankings() {
            return List.of(baseline, commonality, scm);
        }

        /** @return the display name of a ranking's method */
        /** @return the labels of the methods that rank the planted cause first, in report order */
        List<String> rankedFirstBy() {
            List<String> out = new ArrayList<>();
            for (Ranking r : rankings()) {
                if (r.position(fab.plantedCause()) == 0) {
                    out.add(label(r));
                }
            }
            return out;
        }

        static String label(Ranking r) {
            return Map.of(RobustZRanker.NAME, "robust z baseline", "commonality", "commonality",
                    "scm-discovered", "SCM attribution").getOrDefault(r.method(), r.method());
        }
    }

    private RootCauseStage() {
    }

    static Result run(DemoConfig cfg, Progress progress) {
        FabConfig fc = FabConfig.defaults(cfg.seed()).withLots(cfg.fabLots());
        SyntheticFab fab = SyntheticFab.generate(fc);
        progress.step("fab: %d steps, %d wafers, planted cause %s", fab.route().steps().size(), fab.histories().size(),
                fab.plantedCause());
        RcaProblem problem = fab.problem();
        CommonalityRanker commonalityRanker = CommonalityRanker.continuous(true);
        CommonalityResult cr = commonalityRanker.screen(problem);
        Ranking commonality = commonalityRanker.ranking(cr);
        progress.step("commonality on yield: %d steps tested, %d skipped", cr.ranked().size(), cr.skipped().size());
        Cpdag graph = new Pc(new PcConfig(0.01, 3, 2, PcConfig.ColliderRule.SEPSETS))
                .search(new MixedLinearTest(fab.table()), fab.knowledge());
        progress.step("PC under process-order tiers: %d edges, %d CI tests", graph.edges().size(), graph.testsRun());
        Ranking scm = ScmAttributionRanker.discovered(FabEvaluation.PC, cfg.seed()).rank(problem);
        Ranking baseline = new RobustZRanker().rank(problem);
        progress.step("SCM attribution on the discovered graph; robust z baseline");
        List<Bootstrap.CauseConfidence> conf = commonalityRanker.newScreen()
                .bootstrap(fab.histories(), problem.targetValues(), cfg.bootstrap(), cfg.seed());
        progress.step("bootstrap: %d replicates", cfg.bootstrap());
        long first = cfg.seed() + 1000;
        List<FabEvaluation.Accuracy> acc = FabEvaluation.evaluate(fc, first, cfg.accuracySeeds(),
                List.of(FabEvaluation.Method.ROBUST_Z_BASELINE, FabEvaluation.Method.COMMONALITY,
                        FabEvaluation.Method.COMMONALITY_WINDOWED, FabEvaluation.Method.SCM_DISCOVERED));
        progress.step("AC@1/AC@3 over %d fabs", cfg.accuracySeeds());
        return new Result(fab, cr, graph, baseline, commonality, scm, conf, acc, first);
    }
}
