package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.synth.RandomDag;
import org.junit.jupiter.api.Test;

class BossTest {

    @Test
    void recoversRandomLinearGaussianGraphs() {
        for (long seed = 2; seed <= 5; seed++) {
            RandomDag rd = RandomDag.linearGaussian(10, 2.0, 5000, seed);
            Cpdag g = new Boss(1.0, 0, 1).search(rd.data());
            GraphComparison c = GraphComparison.compare(g, rd.truth());
            assertEquals(1.0, c.precision(), 1e-12, "seed " + seed + ": " + c);
            assertEquals(1.0, c.recall(), 1e-12, "seed " + seed + ": " + c);
            // a CPDAG: only the edges the equivalence class leaves undirected may differ from the true DAG
            for (Cpdag.Edge e : g.edges()) {
                if (e.directed()) {
                    assertTrue(rd.truth().isDirected(e.from(), e.to()), "seed " + seed + ": wrong orientation " + e);
                }
            }
        }
    }

    @Test
    void isDeterministicAndRestartsNeverScoreWorse() {
        RandomDag rd = RandomDag.linearGaussian(12, 3.0, 2000, 9);
        Cpdag a = new Boss(1.0, 3, 7).search(rd.data());
        Cpdag b = new Boss(1.0, 3, 7).search(rd.data());
        assertEquals(a.edges(), b.edges());
        GraphComparison one = GraphComparison.compare(new Boss(1.0, 0, 7).search(rd.data()), rd.truth());
        GraphComparison four = GraphComparison.compare(a, rd.truth());
        assertTrue(four.recall() >= 0.8 && four.precision() >= 0.8, one + " / " + four);
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Boss(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Boss(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Boss(Double.POSITIVE_INFINITY, 0, 1));
    }
}
