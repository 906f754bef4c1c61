package org.fabai.rca.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class FabEvaluationTest {
    private static final Logger LOG = LoggerFactory.getLogger(FabEvaluationTest.class);

    @Test
    void table() {
        List<FabEvaluation.Method> all = List.of(FabEvaluation.Method.values());
        for (FabConfig c : List.of(FabConfig.defaults(0), FabConfig.defaults(0).withRouting(FabConfig.Routing.CONFOUNDED),
                FabConfig.defaults(0).withFaultShift(1.0), FabConfig.defaults(0).withFaultShift(0.5), FabConfig.defaults(0).withLots(40))) {
            long t = System.nanoTime();
            List<FabEvaluation.Accuracy> acc = FabEvaluation.evaluate(c, 1, 50, all);
            LOG.info("{} shift {} lots {}: {} ({} s)", c.routing(), c.faultShift(), c.lots(), acc, (System.nanoTime() - t) / 1e9);
        }
        assertTrue(true);
    }
}
