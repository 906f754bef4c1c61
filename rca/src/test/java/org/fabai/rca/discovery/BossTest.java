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

    @Test
    void sachsAsMeasured() throws Exception {
        java.nio.file.Path dir = org.fabai.rca.SharedData.dir().map(d -> d.resolve("sachs")).orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null
                && java.nio.file.Files.isRegularFile(dir.resolve("sachs.2005.continuous.txt")), "shared/data/sachs absent: skipped");
        org.fabai.rca.data.DataTable raw = org.fabai.rca.data.DataTable.read(dir.resolve("sachs.2005.continuous.txt"), '\t',
                java.util.List.of());
        Cpdag truth = TetradGraphFormat.read(dir.resolve("sachs.2005.ground.truth.graph.txt"));
        GraphComparison c = GraphComparison.compare(new Boss(1.0, 0, 1).search(raw), truth);
        GraphComparison ns = GraphComparison.compare(new Boss(1.0, 0, 1).search(raw.normalScores()), truth);
        // benchmarks/RESULTS.md: raw 35 edges, 16 true (P 0.457, R 0.80, SHD 35); normal scores 39, 18 (0.462, 0.90, 31)
        assertEquals(16, c.truePositives(), c.toString());
        assertEquals(35, c.estimatedEdges(), c.toString());
        assertEquals(18, ns.truePositives(), ns.toString());
        assertEquals(39, ns.estimatedEdges(), ns.toString());
    }

    @Test
    void stopsAtItsTimeLimit() {
        RandomDag rd = RandomDag.linearGaussian(10, 2.0, 2000, 4);
        Cpdag free = new Boss(1.0, 0, 1).withTimeLimit(null).search(rd.data());
        org.junit.jupiter.api.Assertions.assertEquals(new Boss(1.0, 0, 1).search(rd.data()).edges(), free.edges());
        SearchTooLongException e = assertThrows(SearchTooLongException.class,
                () -> new Boss(1.0, 0, 1).withTimeLimit(java.time.Duration.ofNanos(1)).search(rd.data()));
        assertTrue(e.getMessage().startsWith("BOSS on 10 variables ran past its time limit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Boss(1.0, 0, 1).withTimeLimit(java.time.Duration.ofSeconds(-1)));
    }
}
