package org.fabai.benchmarks.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.discovery.Cpdag;
import org.junit.jupiter.api.Test;

class ScaleBenchTest {

    @Test
    void theFabScaleScanFindsThePlantedTool() {
        CommonalityScanBench b = new CommonalityScanBench();
        b.setUp();
        CommonalityResult r = b.scan100kWafers500Steps10Tools();
        assertEquals(CommonalityScanBench.STEPS, r.ranked().size() + r.skipped().size());
        assertEquals("S250", r.ranked().get(0).step());
        assertEquals("S250T3", r.ranked().get(0).culprit().tool());
    }

    @Test
    void pcRecoversMostOfA50VariableGraph() {
        PcScaleBench.Graph50 g = new PcScaleBench.Graph50();
        g.setUp();
        Cpdag c = new PcScaleBench().pc50Variables(g);
        // expected degree 2 over 50 variables: about 50 edges
        assertTrue(c.edges().size() > 30 && c.edges().size() < 70, "edges: " + c.edges().size());
    }
}
