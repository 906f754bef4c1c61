package org.fabai.benchmarks.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.GraphComparison;
import org.junit.jupiter.api.Test;

/** The RCA benchmarks compute what they claim: PC recovers the DAG, the screens find the planted tool. */
class RcaBenchTest {

    @Test
    void pcRecoversTheSkeletonOfTheSachsSizedDag() {
        PcBench b = new PcBench();
        b.setUp();
        assertEquals(PcBench.ROWS, b.data.rows());
        assertEquals(PcBench.VARIABLES, b.data.columns());
        Cpdag g = b.pcFisherZ7466x11();
        GraphComparison c = GraphComparison.compare(g, b.dag.truth());
        assertTrue(c.trueEdges() >= 10 && c.trueEdges() <= 25, "true edges " + c.trueEdges());
        assertTrue(c.recall() > 0.8 && c.precision() > 0.8, c.toString());
    }

    @Test
    void screensRankThePlantedToolFirst() {
        CommonalityBench b = new CommonalityBench();
        b.setUp();
        assertEquals(CommonalityBench.WAFERS, b.histories.size());
        assertEquals(CommonalityBench.STEPS, b.histories.get(0).runs().size());
        double failRate = b.passFail.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(0.19, failRate, 0.03);
        for (CommonalityResult r : new CommonalityResult[] {b.kruskalWallis5000x40(), b.chiSquare5000x40()}) {
            assertEquals(CommonalityBench.STEPS, r.ranked().size(), r.skipped().toString());
            StepFinding top = r.ranked().get(0);
            assertEquals(CommonalityBench.stepId(CommonalityBench.BAD_STEP), top.step());
            assertEquals(CommonalityBench.toolId(CommonalityBench.BAD_STEP, CommonalityBench.BAD_TOOL), top.culprit().tool());
            assertTrue(top.q() < 1e-3, top.toString());
        }
        assertEquals("kruskal-wallis", b.kruskalWallis5000x40().ranked().get(0).test());
        assertEquals("g-test", b.chiSquare5000x40().ranked().get(0).test());
    }
}
