package org.fabai.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.scm.AnomalyAttribution;
import org.fabai.rca.scm.AttributionConfig;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void scmAttributionRankingIsStableUnderResampling() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int n = 800;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() - 0.5;
            y[i] = x[i] + 0.3 * (r.nextDouble() - 0.5);
        }
        DataTable t = DataTable.builder().continuous("X", x).continuous("Y", y).build();
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        g.addVertex("X");
        g.addVertex("Y");
        g.addEdge("X", "Y");
        double[] anomalous = {2.0, 2.0};   // X far out, Y as expected given X
        List<Bootstrap.CauseConfidence> conf = Bootstrap.rankings(n, 15, 0.9, 3, idx -> {
            StructuralCausalModel m = StructuralCausalModel.fit(g, t.rows(idx), ScmConfig.defaults());
            return AnomalyAttribution.explain(m, "Y", anomalous, new AttributionConfig(5, 100, AttributionConfig.Tail.HIGH, 1))
                    .contributions();
        });
        assertEquals("X", conf.get(0).name());
        assertEquals(1.0, conf.get(0).firstRate());
        assertTrue(conf.get(0).scoreLow() > conf.get(1).scoreHigh(), conf.toString());
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.rankings(10, 1, 0.9, 1, idx -> List.of()));
    }
}
