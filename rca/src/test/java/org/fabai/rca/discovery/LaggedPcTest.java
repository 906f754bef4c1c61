package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;

/** Issue 18: a time-aware discovery (lagged PC) that uses the order of the rows. */
class LaggedPcTest {

    /** x white noise; y(t) = 0.8 x(t-1) + e; z(t) = 0.8 y(t-2) + e; w independent — in two recordings. */
    private static DataTable series(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        double[] w = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = r.nextGaussian();
            y[t] = (t >= 1 ? 0.8 * x[t - 1] : 0) + r.nextGaussian();
            z[t] = (t >= 2 ? 0.8 * y[t - 2] : 0) + r.nextGaussian();
            w[t] = r.nextGaussian();
        }
        return DataTable.builder().continuous("x", x).continuous("y", y).continuous("z", z).continuous("w", w).build();
    }

    private static Set<String> edges(DirectedAcyclicGraph<String, DefaultEdge> g) {
        Set<String> s = new TreeSet<>();
        g.edgeSet().forEach(e -> s.add(g.getEdgeSource(e) + "->" + g.getEdgeTarget(e)));
        return s;
    }

    @Test
    void findsTheLaggedCausesAndTheirDirectionFromTimeAlone() {
        DataTable t = series(3000, 3);
        LaggedPc.Result r = new LaggedPc(2, 1, PcConfig.of(0.01)).search(t, new int[] {1500, 1500}, FisherZTest::new);
        assertEquals(Set.of("x->y", "y->z"), edges(r.summary()));
        assertTrue(r.lagged().isDirected("x@1", "y"), r.lagged().edges().toString());
        assertTrue(r.lagged().isDirected("y@2", "z"), r.lagged().edges().toString());
        assertEquals(List.of(), r.dropped());
        // plain PC on the same rows finds no edge at all: the effects are not contemporaneous
        assertEquals(0, new Pc(PcConfig.of(0.01)).search(new FisherZTest(t), Knowledge.none()).edges().size());
    }

    @Test
    void lagsNeverCrossFromOneSegmentIntoTheNext() {
        double[] v = {0, 1, 2, 10, 11, 12, 13};
        DataTable t = DataTable.builder().continuous("a", v).build();
        DataTable l = LaggedPc.lagged(t, new int[] {3, 4}, 1, 1);
        assertEquals(List.of("a", "a@1"), l.names());
        // rows t = 1, 2 of the first segment and 4, 5, 6 of the second: never (10, 2)
        assertEquals(List.of(1.0, 2.0, 11.0, 12.0, 13.0), boxed(l.column(0)));
        assertEquals(List.of(0.0, 1.0, 10.0, 11.0, 12.0), boxed(l.column(1)));
        DataTable l2 = LaggedPc.lagged(t, new int[] {3, 4}, 1, 2);
        assertEquals(List.of(2.0, 12.0, 13.0), boxed(l2.column(0)));
        assertEquals(List.of(0.0, 10.0, 11.0), boxed(l2.column(1)));
        assertThrows(IllegalArgumentException.class, () -> LaggedPc.lagged(t, new int[] {3, 3}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LaggedPc.lagged(t, new int[] {3, 4}, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> LaggedPc.lagged(
                DataTable.builder().continuous("a@1", v).build(), new int[] {7}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaggedPc(0, 1, PcConfig.of(0.01)));
    }

    @Test
    void categoricalColumnsKeepTheirLevels() {
        DataTable t = DataTable.builder().categorical("f", new String[] {"True", "False", "True", "True"}).build();
        DataTable l = LaggedPc.lagged(t, new int[] {4}, 1, 1);
        assertEquals(List.of("False", "True"), l.levels(1));
        // lagged rows are t = 1, 2, 3; their lag-1 values are rows 0, 1, 2: True, False, True
        assertEquals("True", l.format(0, 1));
        assertEquals("False", l.format(1, 1));
        assertEquals("False", l.format(0, 0));
    }

    private static List<Double> boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
