package org.fabai.rca.rootcause;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.core.io.FormatException;
import org.fabai.rca.SharedData;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.scm.ScmConfig;
import org.fabai.rca.scm.StructuralCausalModel;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCauseRankerTest {

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Reference: X ~ N(0,1), Y = 2X + N(0,1), flag F = (Y > 4) is always False in normal data... plus Z = Y + N(0,1). */
    static DataTable reference(int n) {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = gauss(r);
            y[i] = 2 * x[i] + gauss(r);
            z[i] = y[i] + gauss(r);
        }
        return DataTable.builder().continuous("X", x).continuous("Y", y).continuous("Z", z).build();
    }

    static DirectedAcyclicGraph<String, DefaultEdge> chain(boolean edges) {
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        for (String v : new String[] {"X", "Y", "Z"}) {
            g.addVertex(v);
        }
        if (edges) {
            g.addEdge("X", "Y");
            g.addEdge("Y", "Z");
        }
        return g;
    }

    @Test
    void theGraphExplainsAwayDownstreamDeviations() {
        DataTable ref = reference(3000);
        // X pushed 6 sd up; Y and Z follow their mechanisms: all three are marginal outliers
        double[] row = {6.0, 12.2, 12.0};
        StructuralCausalModel m = StructuralCausalModel.fit(chain(true), ref, ScmConfig.defaults());
        List<RootCauseRanker.RankedCause> r = RootCauseRanker.rank(m, ref, new double[][] {row}, Map.of());
        assertEquals("X", r.get(0).name(), r.toString());
        assertTrue(r.get(1).score() < 0.5 * r.get(0).score(), r.toString());
        for (RootCauseRanker.RankedCause c : r) {
            assertTrue(c.marginal() > 5, c.toString());
        }
        // Y's own mechanism misbehaves: X normal, Y pushed, Z follows
        r = RootCauseRanker.rank(m, ref, new double[][] {{0.1, 6.0, 6.1}}, Map.of());
        assertEquals("Y", r.get(0).name(), r.toString());
    }

    @Test
    void withoutAGraphItFallsBackToTheMarginalScoreAndOnsets() {
        DataTable ref = reference(3000);
        double[] row = {6.0, 12.2, 12.0};
        StructuralCausalModel m = StructuralCausalModel.fit(chain(false), ref, ScmConfig.defaults());
        List<RootCauseRanker.RankedCause> r = RootCauseRanker.rank(m, ref, new double[][] {row}, Map.of("Z", 0, "X", 3));
        // all three are beyond every reference value: tied scores, ordered by onset (Z first, X, then Y never)
        assertEquals(r.get(0).score(), r.get(2).score(), 1e-12, r.toString());
        assertEquals(List.of("Z", "X", "Y"), r.stream().map(RootCauseRanker.RankedCause::name).toList());
    }

    @Test
    void onsetsAndTiersFollowTheRun() {
        DataTable ref = reference(500);
        DataTable run = DataTable.builder().continuous("X", new double[] {0, 9, 9, 9})
                .continuous("Y", new double[] {0, 0, 18, 18}).continuous("Z", new double[] {0, 0, 0, 0}).build();
        Map<String, Integer> on = RootCauseRanker.onsets(ref, run, -Math.log(0.01));
        assertEquals(Map.of("X", 1, "Y", 2), on);
        assertEquals(Map.of("X", 0, "Y", 1, "Z", 2), RootCauseRanker.tiers(List.of("X", "Y", "Z"), on));
    }

    @Test
    void expectedAccuracyCountsTiesFairly() {
        List<List<String>> g = List.of(List.of("a", "b", "c", "d"), List.of("e"));
        assertEquals(0.25, CausRca.expectedHit(g, List.of("a"), 1), 1e-12);
        assertEquals(0.75, CausRca.expectedHit(g, List.of("a"), 3), 1e-12);
        assertEquals(0.5, CausRca.expectedHit(g, List.of("a", "b"), 1), 1e-12);
        assertEquals(0.0, CausRca.expectedHit(g, List.of("e"), 4), 1e-12);
        assertEquals(1.0, CausRca.expectedHit(g, List.of("e"), 5), 1e-12);
    }

    @Test
    void subsystemGraphFilesAreReadAsRfc4180AndARaggedRowIsAFormatError(@TempDir Path d) throws Exception {
        // a quoted comment with a comma and an escaped quote, as causRCA's node files have
        Files.writeString(d.resolve("s_nodes.csv"), "id,label,type,examples\n"
                + "1,A_1,Alarm,\"True (=alarm), \"\"False\"\"\"\n2,V_1,Variable,\"True, False\"\n");
        Files.writeString(d.resolve("s_edges.csv"), "source_label,target_label\nV_1,A_1\n");
        CausRca.Subsystem s = CausRca.readSubsystem(d);
        assertEquals(List.of("A_1", "V_1"), s.variables());
        assertEquals(List.of("A_1"), s.alarms());
        assertEquals(1, s.expert().edgeSet().size());
        Files.writeString(d.resolve("s_edges.csv"), "source_label,target_label\nV_1,A_1\nV_1\n");
        FormatException e = assertThrows(FormatException.class, () -> CausRca.readSubsystem(d));
        assertTrue(e.getMessage().contains("s_edges.csv") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void readsTheSharedCoolantSubsystem() throws Exception {
        Path d = SharedData.dir().map(p -> p.resolve("causrca/exp_coolant")).filter(Files::isDirectory).orElse(null);
        Assumptions.assumeTrue(d != null, "../shared/data/causrca is absent: skipping");
        CausRca.Subsystem s = CausRca.readSubsystem(d);
        assertEquals(15, s.variables().size());
        assertEquals(6, s.alarms().size());
        assertEquals(10, s.expert().edgeSet().size());
        assertEquals(25, s.runs().size());
        assertEquals(List.of("HP_Pump_Ok", "LT_Level_Ok"), s.runs().get(0).causes());
        // the GML copy of the expert graph reads to the same edges
        org.fabai.rca.discovery.Cpdag gml = org.fabai.rca.discovery.TetradGraphFormat.readAny(d.resolve("coolant_expert_graph.gml"));
        assertEquals(10, gml.edges().size());
        for (org.jgrapht.graph.DefaultEdge e : s.expert().edgeSet()) {
            assertTrue(gml.isDirected(s.expert().getEdgeSource(e), s.expert().getEdgeTarget(e)), e.toString());
        }
    }

    @Test
    void discoveryForRankingKeepsItsTimeLimit() {
        java.util.Random r = new java.util.Random(1);
        int n = 600;
        String[] a = new String[n];
        String[] b = new String[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            boolean x = r.nextBoolean();
            boolean y = r.nextDouble() < 0.9 ? x : !x;
            boolean z = r.nextDouble() < 0.9 ? y : !y;
            a[i] = String.valueOf(x);
            b[i] = String.valueOf(y);
            c[i] = String.valueOf(z);
        }
        DataTable t = DataTable.builder().categorical("a", a).categorical("b", b).categorical("c", c).build();
        CausRca.Config cfg = CausRca.Config.defaults();
        var plain = CausRca.discover(t, Map.of(), cfg, false);
        var limited = CausRca.discover(t, Map.of(), cfg, false, java.time.Duration.ofMinutes(5));
        assertEquals(2, plain.edgeSet().size(), plain.toString());
        assertEquals(plain.toString(), limited.toString());
        // a limit the search cannot keep stops it with the typed error that names the limit
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.fabai.rca.discovery.SearchTooLongException.class,
                () -> CausRca.discover(t, Map.of(), cfg, true, java.time.Duration.ofNanos(1)));
        assertTrue(e.getMessage().contains("time limit"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(org.fabai.rca.discovery.SearchTooLongException.class,
                () -> CausRca.discoverLagged(t, new int[] {n}, cfg, java.time.Duration.ofNanos(1)));
    }
}
