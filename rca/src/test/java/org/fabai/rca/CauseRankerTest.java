package org.fabai.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.baseline.RobustZRanker;
import org.fabai.rca.commonality.CommonalityRanker;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.scm.ScmAttributionRanker;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.FabEvaluation;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.Test;

/** The front door: every ranker on a problem built from histories and outcomes alone. */
class CauseRankerTest {

    private static final SyntheticFab FAB = SyntheticFab.generate(FabConfig.defaults(3).withLots(40));

    @Test
    void everyRankerFindsThePlantedChamberFromHistoriesAndOutcomesAlone() {
        // no fab-specific table or knowledge: the problem builds its own from the histories
        RcaProblem p = RcaProblem.of(FAB.histories(), FAB.outcomes(), SyntheticFab.YIELD);
        // the halves of the wafers' release span (first step of each wafer), close to the fab's lot-release span
        assertTrue(Math.abs(java.time.Duration.between(FAB.timeAt(0.5), p.referenceEnd()).toHours()) < 1, p.referenceEnd().toString());
        DataTable t = p.table();
        assertEquals(FAB.route().steps().size() + FAB.metrologySteps().size() + 1, t.columns());
        assertEquals("yield", t.names().get(t.columns() - 1));
        List<CauseRanker> rankers = List.of(new RobustZRanker(), CommonalityRanker.continuous(true),
                ScmAttributionRanker.discovered(FabEvaluation.PC, 3));
        for (CauseRanker r : rankers) {
            Ranking k = r.rank(p);
            assertEquals(r.name(), k.method());
            assertEquals(FAB.plantedCause(), k.top().name(), r.name() + ": " + k.causes().subList(0, 3));
            for (Ranking.Ranked c : k.causes()) {
                assertTrue(c.confidence() >= 0 && c.confidence() <= 1, c.toString());
            }
            if (r instanceof ScmAttributionRanker) {
                // shares of the positive credit
                assertEquals(1, k.causes().stream().mapToDouble(Ranking.Ranked::confidence).sum(), 1e-9);
            } else {
                assertTrue(k.top().confidence() > 0.9, r.name() + " confidence " + k.top());
            }
            for (int i = 1; i < k.causes().size(); i++) {
                assertTrue(k.causes().get(i - 1).score() >= k.causes().get(i).score(), r.name() + " sorted");
            }
        }
    }

    @Test
    void fabEvaluationScoresTheSameRankersTheFrontDoorServes() {
        RcaProblem p = FAB.problem();
        assertEquals(new RobustZRanker().rank(p).asCauses(),
                FabEvaluation.rank(FabEvaluation.Method.ROBUST_Z_BASELINE, FAB, 1));
        assertEquals(CommonalityRanker.continuous(true).rank(p).asCauses(),
                FabEvaluation.rank(FabEvaluation.Method.COMMONALITY, FAB, 1));
    }

    @Test
    void highIsBadFlipsTheBaseline() {
        RcaProblem low = RcaProblem.of(FAB.histories(), FAB.outcomes(), SyntheticFab.YIELD);
        Ranking a = new RobustZRanker().rank(low);
        Ranking b = new RobustZRanker().rank(low.withLowIsBad(false));
        assertEquals(a.top().score(), -b.causes().get(b.causes().size() - 1).score(), 1e-12);
    }

    @Test
    void badProblemsAreRefusedWithTheReason() {
        List<WaferHistory> hs = FAB.histories();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RcaProblem.of(hs, FAB.outcomes(), "nosuch"));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
        Instant t = FAB.timeAt(0.5);
        e = assertThrows(IllegalArgumentException.class, () -> RcaProblem.of(hs, FAB.outcomes(), "yield")
                .withPeriods(t, t.minusSeconds(1)));
        assertTrue(e.getMessage().contains("before the reference period ends"), e.getMessage());
        // a wafer without yield cannot be a table row: named
        List<Outcome> missing = new ArrayList<>(FAB.outcomes());
        String w = hs.get(5).waferId();
        missing.removeIf(o -> o.waferId().equals(w) && o.name().equals("yield"));
        e = assertThrows(IllegalArgumentException.class, () -> RcaProblem.of(hs, missing, "yield").table());
        assertTrue(e.getMessage().contains(w) && e.getMessage().contains("yield"), e.getMessage());
        // the baseline and commonality need no table: the wafer is left out of both periods' samples
        assertEquals(FAB.plantedCause(), new RobustZRanker().rank(RcaProblem.of(hs, missing, "yield")).top().name());
    }
}
