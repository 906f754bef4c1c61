package org.fabai.rca.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import org.fabai.core.io.FormatException;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.Test;

class ScmFormatTest {

    @Test
    void roundTripGivesTheSameAttribution() throws Exception {
        SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(4).withLots(20));
        DataTable t = fab.table();
        // add a categorical node with parents so that all three mechanism kinds are saved
        org.jgrapht.graph.DirectedAcyclicGraph<String, org.jgrapht.graph.DefaultEdge> g = fab.trueGraph();
        StructuralCausalModel m = StructuralCausalModel.fit(g, t, ScmConfig.defaults());
        StringWriter w = new StringWriter();
        ScmFormat.write(m, w);
        assertTrue(w.toString().startsWith("fabai-scm\t1\n"));
        StructuralCausalModel back = ScmFormat.read(new StringReader(w.toString()), "mem");
        assertEquals(m.nodes(), back.nodes());
        assertEquals(m.provenance().edges(), back.provenance().edges());
        double[] row = new double[t.columns()];
        for (int j = 0; j < row.length; j++) {
            row[j] = t.get(7, j);
        }
        AttributionConfig cfg = new AttributionConfig(3, 50, AttributionConfig.Tail.LOW, 1);
        assertEquals(AnomalyAttribution.explain(m, SyntheticFab.YIELD, row, cfg),
                AnomalyAttribution.explain(back, SyntheticFab.YIELD, row, cfg));
        StringWriter w2 = new StringWriter();
        ScmFormat.write(back, w2);
        assertEquals(w.toString(), w2.toString());
    }

    @Test
    void categoricalNodeWithParentsRoundTrips() throws Exception {
        int n = 400;
        int[] a = new int[n];
        double[] x = new double[n];
        int[] b = new int[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(2);
            x[i] = r.nextDouble();
            b[i] = (a[i] + (x[i] > 0.5 ? 1 : 0)) % 3;
        }
        DataTable t = DataTable.builder().categorical("A", a, java.util.List.of("p", "q")).continuous("X", x)
                .categorical("B", b, java.util.List.of("u", "v", "w")).build();
        var g = new org.jgrapht.graph.DirectedAcyclicGraph<String, org.jgrapht.graph.DefaultEdge>(org.jgrapht.graph.DefaultEdge.class);
        g.addVertex("A");
        g.addVertex("X");
        g.addVertex("B");
        g.addEdge("A", "B");
        g.addEdge("X", "B");
        StructuralCausalModel m = StructuralCausalModel.fit(g, t, ScmConfig.defaults());
        StringWriter w = new StringWriter();
        ScmFormat.write(m, w);
        assertTrue(w.toString().contains("\ncpt\tB\t"), w.toString());
        StructuralCausalModel back = ScmFormat.read(new StringReader(w.toString()), "mem");
        double[][] s1 = m.sample(50, new java.util.SplittableRandom(3));
        double[][] s2 = back.sample(50, new java.util.SplittableRandom(3));
        for (int i = 0; i < 50; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(s1[i], s2[i]);
        }
    }

    @Test
    void badFilesAreRefusedWithTheLine() {
        FormatException v = assertThrows(FormatException.class,
                () -> ScmFormat.read(new StringReader("fabai-scm\t9\n"), "m.scm"));
        assertTrue(v.getMessage().contains("unsupported version 9"), v.getMessage());
        FormatException t = assertThrows(FormatException.class,
                () -> ScmFormat.read(new StringReader("fabai-scm\t1\nrows\t5\n"), "m.scm"));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        FormatException b = assertThrows(FormatException.class,
                () -> ScmFormat.read(new StringReader("fabai-scm\t1\nrows\tfive\n"), "m.scm"));
        assertEquals("line 2", b.location());
        assertThrows(FormatException.class, () -> ScmFormat.read(new StringReader("hello"), "m.scm"));
    }
}
