package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.synth.RandomDag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class PcRandomGraphTest {
    private static final Logger LOG = LoggerFactory.getLogger(PcRandomGraphTest.class);

    @Test
    void recoversA50VariableLinearGaussianGraph() {
        RandomDag d = RandomDag.linearGaussian(50, 2, 2000, 3);
        Cpdag g = new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.SEPSETS)).search(new FisherZTest(d.data()), Knowledge.none());
        GraphComparison c = GraphComparison.compare(g, d.truth());
        LOG.info("50 variables, {} true edges: {} found, precision {}, recall {}, SHD {}, {} tests", c.trueEdges(),
                c.estimatedEdges(), c.precision(), c.recall(), c.shd(), g.testsRun());
        assertTrue(c.precision() >= 0.95, c.toString());
        assertTrue(c.recall() >= 0.85, c.toString());
    }
}
