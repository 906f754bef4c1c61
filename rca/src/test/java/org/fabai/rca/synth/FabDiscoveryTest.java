package org.fabai.rca.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.data.DataTable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** End to end on one synthetic fab: discover the graph under process-order tiers, then attribute. */
class FabDiscoveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(FabDiscoveryTest.class);

    @Test
    void discoveredGraphLeadsToThePlantedStep() {
        SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(21));
        DataTable t = fab.table();
        Cpdag g = new Pc(new PcConfig(0.01, 3, 2, PcConfig.ColliderRule.SEPSETS)).search(new MixedLinearTest(t), fab.knowledge());
        LOG.info("fab seed 21, planted {}: discovered {}", fab.plantedCause(), g);
        String step = fab.plantedStep().id();
        String metro = fab.metrologySteps().entrySet().stream().filter(e -> e.getValue().contains(step))
                .findFirst().orElseThrow().getKey();
        assertTrue(g.isDirected(step, metro), "expected " + step + " -> " + metro + " in " + g);
        assertTrue(g.edges().stream().anyMatch(e -> e.to().equals(SyntheticFab.YIELD) && e.directed()), g.toString());
    }
}
