package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fabai.rca.SharedData;
import org.fabai.rca.data.DataTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PC on the real Sachs et al. (2005) protein-signalling data (7466 x 11) against its 20-edge
 * accepted graph, compared with CMU Tetrad's PC (tetrad-lib 7.6.5, {@code new Pc(new
 * IndTestFisherZ(data, 0.01)).search()}, defaults) on the same data, transform and alpha. Tetrad's
 * figures were measured once with a throw-away harness outside the build (tetrad-lib is GPL and
 * not a dependency) and scored with the same {@link GraphComparison} definitions:
 * <ul>
 *   <li>raw data: 24 edges, 11 true, precision 0.458, recall 0.55, SHD 24;</li>
 *   <li>log data: 23 edges, 10 true, precision 0.435, recall 0.50, SHD 29;</li>
 *   <li>normal scores (nonparanormal): 22 edges, 11 true, precision 0.50, recall 0.55, SHD 23.</li>
 * </ul>
 */
class SachsPcTest {

    private static final Logger LOG = LoggerFactory.getLogger(SachsPcTest.class);

    static DataTable raw;
    static Cpdag truth;

    @BeforeAll
    static void load() throws Exception {
        Path dir = SharedData.dir().map(d -> d.resolve("sachs")).orElse(null);
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("sachs.2005.continuous.txt")),
                "shared/data/sachs not found above the working directory: Sachs test skipped");
        raw = DataTable.read(dir.resolve("sachs.2005.continuous.txt"), '\t', List.of());
        truth = TetradGraphFormat.read(dir.resolve("sachs.2005.ground.truth.graph.txt"));
    }

    private static GraphComparison run(String label, DataTable d, PcConfig.ColliderRule rule) {
        Cpdag g = new Pc(new PcConfig(0.01, -1, 2, rule)).search(new FisherZTest(d), Knowledge.none());
        GraphComparison c = GraphComparison.compare(g, truth);
        LOG.info("Sachs {} / {}: {} edges, {} true, precision {}, recall {}, SHD {}, {} tests; {}", label, rule,
                c.estimatedEdges(), c.truePositives(), String.format("%.3f", c.precision()),
                String.format("%.3f", c.recall()), c.shd(), g.testsRun(), g);
        return c;
    }

    private static void atLeastAsGood(GraphComparison c, double precision, double recall, int shd) {
        assertTrue(c.precision() >= precision - 1e-9, "precision " + c.precision() + " < Tetrad's " + precision);
        assertTrue(c.recall() >= recall - 1e-9, "recall " + c.recall() + " < Tetrad's " + recall);
        assertTrue(c.shd() <= shd, "SHD " + c.shd() + " > Tetrad's " + shd);
    }

    @Test
    void dataAndTruthAreAsDocumented() {
        assertEquals(7466, raw.rows());
        assertEquals(11, raw.columns());
        assertEquals(20, truth.edges().size());
        assertTrue(truth.edges().stream().allMatch(Cpdag.Edge::directed));
    }

    @Test
    void rawDataMatchesTetradSkeletonAndOrientsNoWorse() {
        GraphComparison c = run("raw", raw, PcConfig.ColliderRule.SEPSETS);
        assertEquals(24, c.estimatedEdges());
        atLeastAsGood(c, 11.0 / 24, 11.0 / 20, 24);
    }

    @Test
    void logDataAtLeastAsGoodAsTetradOnLogData() {
        GraphComparison c = run("log", raw.mapContinuous(Math::log), PcConfig.ColliderRule.MAX_P);
        atLeastAsGood(c, 10.0 / 23, 10.0 / 20, 29);
    }

    @Test
    void normalScoresWithMaxPIsTheRecommendedSetting() {
        GraphComparison c = run("normal scores", raw.normalScores(), PcConfig.ColliderRule.MAX_P);
        // no worse than Tetrad on the same transformed data ...
        atLeastAsGood(c, 11.0 / 22, 11.0 / 20, 23);
        // ... and no worse than Tetrad's PC on the raw data (the project's reference figures)
        atLeastAsGood(c, 11.0 / 24, 11.0 / 20, 24);
    }

    @Test
    void searchIsOrderIndependentAndParallelSafe() {
        DataTable d = raw.normalScores();
        Cpdag one = new Pc(new PcConfig(0.01, -1, 1, PcConfig.ColliderRule.SEPSETS)).search(new FisherZTest(d), Knowledge.none());
        Cpdag two = new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.SEPSETS)).search(new FisherZTest(d), Knowledge.none());
        assertEquals(one.edges(), two.edges());
        // reversed column order: same skeleton (PC-stable)
        DataTable.Builder b = DataTable.builder();
        for (int j = d.columns() - 1; j >= 0; j--) {
            b.continuous(d.names().get(j), d.column(j));
        }
        Cpdag rev = new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.SEPSETS)).search(new FisherZTest(b.build()), Knowledge.none());
        for (Cpdag.Edge e : one.edges()) {
            assertTrue(rev.adjacent(e.from(), e.to()), "missing after reordering: " + e);
        }
        assertEquals(one.edges().size(), rev.edges().size());
    }

    /**
     * The 3-level discretised file (5400 rows). Tetrad 7.6.5's PC with IndTestGSquare or
     * IndTestChiSquare at 0.01 (measured the same way): 30 edges, 19 true, precision 0.633, recall
     * 0.95, SHD 26. Ours is not uniformly better here: G² gives 32 edges (precision 0.594, recall
     * 0.95, SHD 22), χ² 28 edges (precision 0.643, recall 0.90, SHD 22). The assertions guard our
     * own measured figures against regressions.
     */
    @Test
    void discreteDataWithGSquareAndChiSquare() throws Exception {
        Path file = SharedData.dir().orElseThrow().resolve("sachs").resolve("sachs.2005.discrete.txt");
        DataTable d = DataTable.read(file, '\t', raw.names());
        assertEquals(5400, d.rows());
        for (DiscreteTest.Statistic st : DiscreteTest.Statistic.values()) {
            Cpdag g = new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.MAX_P)).search(new DiscreteTest(d, st), Knowledge.none());
            GraphComparison c = GraphComparison.compare(g, truth);
            LOG.info("Sachs discrete / {}: {} edges, {} true, precision {}, recall {}, SHD {}", st, c.estimatedEdges(),
                    c.truePositives(), String.format("%.3f", c.precision()), String.format("%.3f", c.recall()), c.shd());
            if (st == DiscreteTest.Statistic.G_SQUARE) {
                atLeastAsGood(c, 19.0 / 32, 19.0 / 20, 22);
            } else {
                atLeastAsGood(c, 18.0 / 28, 18.0 / 20, 22);
            }
        }
        Cpdag m = new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.MAX_P)).search(new MixedLinearTest(d), Knowledge.none());
        GraphComparison mc = GraphComparison.compare(m, truth);
        LOG.info("Sachs discrete / mixed-linear (indicators): {} edges, {} true, precision {}, recall {}, SHD {}",
                mc.estimatedEdges(), mc.truePositives(), String.format("%.3f", mc.precision()),
                String.format("%.3f", mc.recall()), mc.shd());
    }
}
