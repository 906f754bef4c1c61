package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.fabai.rca.data.DataTable;
import org.junit.jupiter.api.Test;

class PcKnowledgeTest {

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A -> B -> C, D -> C (collider at C), n rows. */
    static DataTable chainWithCollider(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = gauss(r);
            b[i] = a[i] + gauss(r);
            d[i] = gauss(r);
            c[i] = b[i] + d[i] + gauss(r);
        }
        return DataTable.builder().continuous("A", a).continuous("B", b).continuous("C", c).continuous("D", d).build();
    }

    static Pc pc() {
        return new Pc(new PcConfig(0.01, -1, 2, PcConfig.ColliderRule.SEPSETS));
    }

    @Test
    void recoversSkeletonCollidersAndMeekOrientation() {
        Cpdag g = pc().search(new FisherZTest(chainWithCollider(3000, 1)), Knowledge.none());
        assertEquals(3, g.edges().size(), g.toString());
        assertTrue(g.isDirected("B", "C") && g.isDirected("D", "C"), g.toString());
        // A - B is not oriented by data alone... except Meek R1 does not apply (A -> B would need an arrow into A)
        assertTrue(g.isUndirected("A", "B"), g.toString());
        assertTrue(g.toDot().contains("\"A\" -> \"B\" [dir=none]"), g.toDot());
    }

    @Test
    void tiersOrientEdgesAndRestrictConditioning() {
        Knowledge k = Knowledge.builder().tier("A", 0).tier("B", 1).tier("C", 2).tier("D", 0).build();
        Cpdag g = pc().search(new FisherZTest(chainWithCollider(3000, 1)), k);
        assertTrue(g.isDirected("A", "B"), g.toString());
        assertTrue(k.isForbidden("C", "A"));
        assertFalse(k.mayCondition("C", "A", "B"));
        assertTrue(k.mayCondition("B", "A", "C"));
    }

    @Test
    void requiredAndForbiddenEdges() {
        Knowledge k = Knowledge.builder().require("A", "D").forbid("B", "C").forbid("C", "B").build();
        Cpdag g = pc().search(new FisherZTest(chainWithCollider(3000, 2)), k);
        assertTrue(g.isDirected("A", "D"), g.toString());
        assertFalse(g.adjacent("B", "C"), g.toString());
        assertThrows(IllegalArgumentException.class,
                () -> Knowledge.builder().tier("A", 1).tier("B", 0).require("A", "B").build());
    }

    @Test
    void depthCapKeepsEdgesThatNeedConditioning() {
        DataTable d = chainWithCollider(3000, 3);
        Cpdag capped = new Pc(new PcConfig(0.01, 0, 1, PcConfig.ColliderRule.SEPSETS)).search(new FisherZTest(d), Knowledge.none());
        assertTrue(capped.adjacent("A", "C"), capped.toString());   // A and C only separate given B
        Cpdag full = pc().search(new FisherZTest(d), Knowledge.none());
        assertFalse(full.adjacent("A", "C"));
    }

    @Test
    void mixedAndDiscreteTests() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 2000;
        int[] x = new int[n];
        double[] y = new double[n];
        double[] z = new double[n];
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(3);
            y[i] = x[i] * 1.0 + gauss(r);
            z[i] = y[i] + gauss(r);
            w[i] = z[i] > 1 ? 1 : 0;
        }
        DataTable t = DataTable.builder().categorical("X", x, List.of("a", "b", "c")).continuous("Y", y)
                .continuous("Z", z).categorical("W", w, List.of("lo", "hi")).build();
        MixedLinearTest m = new MixedLinearTest(t);
        assertTrue(m.pValue(0, 2, new int[0]) < 1e-6);
        assertTrue(m.pValue(0, 2, new int[] {1}) > 0.01);
        assertTrue(m.pValue(0, 3, new int[0]) < 1e-6);
        DataTable disc = DataTable.builder().categorical("X", x, List.of("a", "b", "c")).categorical("W", w, List.of("lo", "hi")).build();
        DiscreteTest g = new DiscreteTest(disc, DiscreteTest.Statistic.G_SQUARE);
        DiscreteTest c = new DiscreteTest(disc, DiscreteTest.Statistic.CHI_SQUARE);
        assertTrue(g.pValue(0, 1, new int[0]) < 1e-6 && c.pValue(0, 1, new int[0]) < 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new FisherZTest(disc));
        assertEquals("alpha must be in (0, 1), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> PcConfig.of(1.5)).getMessage());
    }

    @Test
    void toDagIsAConsistentExtension() {
        Cpdag g = pc().search(new FisherZTest(chainWithCollider(3000, 1)), Knowledge.none());
        var dag = g.toDag();
        assertEquals(3, dag.edgeSet().size());
        assertTrue(dag.containsEdge("B", "C") && dag.containsEdge("D", "C"));
    }

    @Test
    void tiersFromTheProcessRoute() {
        org.fabai.core.process.Route route = org.fabai.core.process.Route.linear(List.of(
                org.fabai.core.process.Step.of("LITHO"), org.fabai.core.process.Step.of("ETCH"),
                org.fabai.core.process.Step.of("CMP")));
        Knowledge k = Knowledge.fromRoute(route, java.util.Map.of("A", "LITHO", "B", "ETCH", "C", "CMP"))
                .tier("D", 0).build();
        assertEquals(0, k.tier("A"));
        assertEquals(2, k.tier("C"));
        assertEquals(-1, k.tier("unknown"));
        Cpdag g = pc().search(new FisherZTest(chainWithCollider(3000, 1)), k);
        assertTrue(g.isDirected("A", "B") && g.isDirected("B", "C"), g.toString());
        assertThrows(IllegalArgumentException.class,
                () -> Knowledge.fromRoute(route, java.util.Map.of("A", "NOPE")));
    }
}
