package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabai.rca.synth.RandomDag;
import org.junit.jupiter.api.Test;

class GesTest {

    @Test
    void recoversRandomLinearGaussianGraphs() {
        for (long seed = 2; seed <= 5; seed++) {
            RandomDag rd = RandomDag.linearGaussian(10, 2.0, 5000, seed);
            Cpdag g = new Ges(1.0, 4).search(rd.data());
            GraphComparison c = GraphComparison.compare(g, rd.truth());
            assertEquals(1.0, c.precision(), 1e-12, "seed " + seed + ": " + c);
            assertEquals(1.0, c.recall(), 1e-12, "seed " + seed + ": " + c);
            // against the true DAG only the edges the equivalence class leaves undirected may differ
            Cpdag pc = new Pc(new PcConfig(0.01, -1, 1, PcConfig.DEFAULT_COLLIDERS)).search(new FisherZTest(rd.data()),
                    Knowledge.none());
            assertTrue(c.shd() <= GraphComparison.compare(pc, rd.truth()).shd(), "seed " + seed + ": GES " + c);
            for (Cpdag.Edge e : g.edges()) {
                if (e.directed()) {
                    assertTrue(rd.truth().isDirected(e.from(), e.to()), "seed " + seed + ": wrong orientation " + e);
                }
            }
        }
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Ges(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Ges(1, -1));
    }

    @Test
    void stopsAtItsTimeLimit() {
        RandomDag rd = RandomDag.linearGaussian(10, 2.0, 2000, 4);
        Cpdag free = new Ges(1.0, 4).withTimeLimit(null).search(rd.data());
        org.junit.jupiter.api.Assertions.assertEquals(new Ges(1.0, 4).search(rd.data()).edges(), free.edges());
        SearchTooLongException e = assertThrows(SearchTooLongException.class,
                () -> new Ges(1.0, 4).withTimeLimit(java.time.Duration.ofNanos(1)).search(rd.data()));
        assertTrue(e.getMessage().startsWith("GES on 10 variables ran past its time limit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ges(1.0, 4).withTimeLimit(java.time.Duration.ofSeconds(-1)));
    }
}
