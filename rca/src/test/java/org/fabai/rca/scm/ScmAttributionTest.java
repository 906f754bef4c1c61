package org.fabai.rca.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;

class ScmAttributionTest {

    static DirectedAcyclicGraph<String, DefaultEdge> chain() {
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        for (String v : new String[] {"X", "Y", "Z"}) {
            g.addVertex(v);
        }
        g.addEdge("X", "Y");
        g.addEdge("Y", "Z");
        return g;
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** X ~ N(0,1); Y = 2X + N(0,1); Z = Y + yShift + N(0,1) (+ mechanism shift of Y by yMeanShift). */
    static DataTable data(int n, long seed, double yMeanShift) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = gauss(r);
            y[i] = 2 * x[i] + yMeanShift + gauss(r);
            z[i] = y[i] + gauss(r);
        }
        return DataTable.builder().continuous("X", x).continuous("Y", y).continuous("Z", z).build();
    }

    @Test
    void fitRecoversLinearMechanism() {
        StructuralCausalModel m = StructuralCausalModel.fit(chain(), data(4000, 1, 0), ScmConfig.defaults());
        Mechanism.Linear y = (Mechanism.Linear) m.mechanism("Y");
        assertEquals(2.0, y.beta()[1], 0.08);
        assertEquals(0.0, y.beta()[0], 0.08);
        assertEquals(4000, m.provenance().rows());
        assertEquals(java.util.List.of("X -> Y", "Y -> Z"), m.provenance().edges());
    }

    @Test
    void anomalyIsAttributedToTheNodeWhoseNoiseWasExtreme() {
        StructuralCausalModel m = StructuralCausalModel.fit(chain(), data(3000, 2, 0), ScmConfig.defaults());
        AttributionConfig cfg = new AttributionConfig(20, 300, AttributionConfig.Tail.HIGH, 9);
        // root cause at X: X = 3.5, Y = 7 (normal given X), Z = 7 (normal given Y)
        Attribution ax = AnomalyAttribution.explain(m, "Z", new double[] {3.5, 7.0, 7.0}, cfg);
        assertEquals("X", ax.contributions().get(0).name(), ax.toString());
        // root cause at Y: X = 0, Y = 5 (noise +5), Z = 5
        Attribution ay = AnomalyAttribution.explain(m, "Z", new double[] {0.0, 5.0, 5.0}, cfg);
        assertEquals("Y", ay.contributions().get(0).name(), ay.toString());
        // root cause at Z itself
        Attribution az = AnomalyAttribution.explain(m, "Z", new double[] {0.0, 0.0, 4.5}, cfg);
        assertEquals("Z", az.contributions().get(0).name(), az.toString());
        // efficiency: contributions add up to the (sampled) outlier score, close to the training one
        double sum = ay.contributions().stream().mapToDouble(c -> c.score()).sum();
        assertTrue(sum > 0 && Math.abs(sum - ay.outlierScore()) < 1.5, "sum " + sum + " vs score " + ay.outlierScore());
        // same seed, same result
        assertEquals(ay, AnomalyAttribution.explain(m, "Z", new double[] {0.0, 5.0, 5.0}, cfg));
    }

    @Test
    void distributionChangeFindsTheChangedMechanism() {
        DistributionChange.Result r = DistributionChange.attribute(chain(), data(3000, 3, 0), data(3000, 4, 1.5), "Z",
                2000, 10, 5);
        assertEquals("Y", r.contributions().get(0).name(), r.toString());
        double total = r.contributions().stream().mapToDouble(c -> c.score()).sum();
        assertEquals(r.meanAfter() - r.meanBefore(), total, 0.25);
        assertEquals(1.5, r.contributions().get(0).score(), 0.3);
        for (int i = 1; i < r.contributions().size(); i++) {
            assertTrue(Math.abs(r.contributions().get(i).score()) < 0.25, r.toString());
        }
    }

    @Test
    void badInputIsRefused() {
        DirectedAcyclicGraph<String, DefaultEdge> g = chain();
        g.addVertex("W");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StructuralCausalModel.fit(g, data(100, 1, 0), ScmConfig.defaults()));
        assertTrue(e.getMessage().contains("'W'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AttributionConfig(0, 100, AttributionConfig.Tail.LOW, 1));
        assertEquals("ridge must be finite and >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ScmConfig(-1)).getMessage());
    }

    @Test
    void interventionsAndArrowStrength() {
        StructuralCausalModel m = StructuralCausalModel.fit(chain(), data(4000, 6, 0), ScmConfig.defaults());
        // Y = 2X + N, Z = Y + N: do(X = 3) moves Z's mean to about 6, do(Y = -1) to about -1
        assertEquals(6.0, m.interventionalMean("Z", java.util.Map.of("X", 3.0), 20000, 1), 0.15);
        assertEquals(-1.0, m.interventionalMean("Z", java.util.Map.of("Y", -1.0), 20000, 1), 0.1);
        assertEquals(0.0, m.interventionalMean("X", java.util.Map.of("Z", 5.0), 20000, 1), 0.1);
        // the arrow X -> Y carries b^2 Var(X) = 4; Y -> Z carries Var(Y) = 5
        assertEquals(4.0, m.arrowStrength("Y", 20000, 2).get("X"), 0.4);
        assertEquals(5.0, m.arrowStrength("Z", 20000, 2).get("Y"), 0.5);
        assertThrows(IllegalArgumentException.class, () -> m.sampleInterventional(10, java.util.Map.of("W", 1.0),
                new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> m.sampleInterventional(10, java.util.Map.of("X", Double.NaN),
                new SplittableRandom(1)));
    }

    @Test
    void goodnessOfFitReportsEachMechanism() {
        StructuralCausalModel m = StructuralCausalModel.fit(chain(), data(3000, 7, 0), ScmConfig.defaults());
        java.util.List<StructuralCausalModel.NodeFit> f = m.goodnessOfFit(data(2000, 8, 0));
        assertEquals(java.util.List.of("X", "Y", "Z"), f.stream().map(StructuralCausalModel.NodeFit::node).toList());
        assertEquals("root", f.get(0).mechanism());
        // Y = 2X + N(0,1): R^2 = 4/5; Z = Y + N(0,1): R^2 = 5/6 (held-out rows)
        assertEquals(0.8, f.get(1).r2(), 0.03);
        assertEquals(5.0 / 6, f.get(2).r2(), 0.03);
        // a model fitted with the wrong mechanism shift fits held-out data worse
        assertTrue(m.goodnessOfFit(data(2000, 9, 3.0)).get(1).r2() < 0.5);
    }
}
