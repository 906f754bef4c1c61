package org.fabai.cli.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphLayoutTest {

    /** The Sachs et al. (2005) consensus network: 11 proteins, 20 edges, no tiers. */
    static Diagram sachs() {
        String[] e = {"erk>akt", "mek>erk", "pip2>pkc", "pip3>akt", "pip3>pip2", "pip3>plc", "pka>akt", "pka>erk", "pka>jnk",
            "pka>mek", "pka>p38", "pka>raf", "pkc>jnk", "pkc>mek", "pkc>p38", "pkc>pka", "pkc>raf", "plc>pip2", "plc>pkc",
            "raf>mek"};
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (String n : "raf mek plc pip2 pip3 erk akt pka pkc p38 jnk".split(" ")) {
            nodes.put(n, 0);
        }
        List<Diagram.Edge> es = new ArrayList<>();
        for (String s : e) {
            String[] ab = s.split(">");
            es.add(new Diagram.Edge(ab[0], ab[1], true, null));
        }
        return Diagram.of(nodes, es, Map.of());
    }

    /**
     * A fab graph in three tiers: step chambers, then metrology, then yield; several chambers
     * of one tier feed one measurement (the case drawn as a false chain S01-S02-S03 by a
     * one-column-per-tier drawing), a long edge from the first tier to the last, an undirected
     * edge inside a tier.
     */
    static Diagram fab() {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (String n : new String[] {"S01", "S02", "S03", "S04"}) {
            nodes.put(n, 0);
        }
        nodes.put("M1_thickness", 1);
        nodes.put("M2_cd", 1);
        nodes.put("yield", 2);
        List<Diagram.Edge> es = List.of(
                new Diagram.Edge("S01", "M1_thickness", true, null),
                new Diagram.Edge("S02", "M1_thickness", true, null),
                new Diagram.Edge("S03", "M1_thickness", true, null),
                new Diagram.Edge("S03", "M2_cd", true, "bootstrap: adjacent in 97%"),
                new Diagram.Edge("S01", "S04", false, null),
                new Diagram.Edge("S02", "yield", true, null),
                new Diagram.Edge("M1_thickness", "yield", true, null),
                new Diagram.Edge("M2_cd", "yield", true, null));
        return new Diagram(Diagram.of(nodes, es, Map.of("S03", "rank 1")).nodes(), es, Map.of(0, "etch chambers"));
    }

    private static void assertReadable(Diagram d, GraphLayout lay) {
        assertEquals(d.nodes().size(), lay.nodes().size());
        assertEquals(d.edges().size(), lay.routes().size());
        assertEquals(List.of(), lay.edgesThroughNodes(1.0), lay.engine() + " drew edges through nodes");
        // nodes do not overlap one another
        List<GraphLayout.Box> b = new ArrayList<>(lay.nodes().values());
        for (int i = 0; i < b.size(); i++) {
            for (int j = i + 1; j < b.size(); j++) {
                GraphLayout.Box p = b.get(i);
                GraphLayout.Box q = b.get(j);
                boolean overlap = p.x() < q.x() + q.w() && q.x() < p.x() + p.w() && p.y() < q.y() + q.h() && q.y() < p.y() + p.h();
                assertFalse(overlap, lay.engine() + ": nodes overlap " + p + " " + q);
            }
        }
        // every route starts on its source's border and ends on its target's
        for (GraphLayout.Route r : lay.routes()) {
            assertOnBorder(lay.nodes().get(r.from()), r.points().get(0), r.from());
            assertOnBorder(lay.nodes().get(r.to()), r.points().get(r.points().size() - 1), r.to());
        }
        // every node and every edge inside the drawing
        for (GraphLayout.Box x : lay.nodes().values()) {
            assertTrue(x.x() >= 0 && x.y() >= 0 && x.x() + x.w() <= lay.width() + 0.5 && x.y() + x.h() <= lay.height() + 0.5,
                    lay.engine() + ": " + x + " outside " + lay.width() + "x" + lay.height());
        }
    }

    private static void assertOnBorder(GraphLayout.Box b, double[] p, String node) {
        double dx = Math.max(Math.max(b.x() - p[0], p[0] - (b.x() + b.w())), 0);
        double dy = Math.max(Math.max(b.y() - p[1], p[1] - (b.y() + b.h())), 0);
        double outside = Math.hypot(dx, dy);
        double inside = Math.min(Math.min(p[0] - b.x(), b.x() + b.w() - p[0]), Math.min(p[1] - b.y(), b.y() + b.h() - p[1]));
        assertTrue(outside <= 3 && inside <= 3, "route end " + p[0] + "," + p[1] + " not on the border of " + node + " " + b);
    }

    private static void assertTiersInOrder(Diagram d, GraphLayout lay) {
        Map<Integer, double[]> span = new java.util.TreeMap<>();
        for (Diagram.Node n : d.nodes()) {
            GraphLayout.Box b = lay.nodes().get(n.name());
            span.merge(n.tier(), new double[] {b.x(), b.x() + b.w()},
                    (a, c) -> new double[] {Math.min(a[0], c[0]), Math.max(a[1], c[1])});
        }
        double[] prev = null;
        for (double[] s : span.values()) {
            if (prev != null) {
                assertTrue(prev[1] < s[0], lay.engine() + ": a tier starts at x=" + s[0] + " before the previous ends at " + prev[1]);
            }
            prev = s;
        }
    }

    @Test
    void elkLaysSachsOutInLayersWithNoEdgeThroughANode() {
        Diagram d = sachs();
        GraphLayout lay = LayoutEngine.ELK.layout(d);
        assertEquals("elk", lay.engine());
        assertReadable(d, lay);
        // not one column: the 11 proteins spread over several layers along the edges' direction
        long columns = lay.nodes().values().stream().mapToLong(b -> Math.round(b.cx())).distinct().count();
        assertTrue(columns >= 4, "layers: " + columns);
        // every edge points rightwards on average (layered: pkc -> pka -> raf -> mek -> erk -> akt)
        for (Diagram.Edge e : d.edges()) {
            assertTrue(lay.nodes().get(e.from()).cx() < lay.nodes().get(e.to()).cx(), e + " drawn leftwards");
        }
    }

    @Test
    void elkKeepsTiersApartAndRoutesAroundNodes() {
        Diagram d = fab();
        GraphLayout lay = LayoutEngine.ELK.layout(d);
        assertReadable(d, lay);
        assertTiersInOrder(d, lay);
        // S01, S02, S03 -> M1 are three edges into M1, not a chain: no S0x lies on another's route
        assertTrue(lay.edgesThroughNodes(1.0).isEmpty());
    }

    @Test
    void dotWhenInstalledIsAsReadable() {
        assumeTrue(LayoutEngine.dotExecutable() != null, "Graphviz dot not installed; the ELK tests cover the layout");
        for (Diagram d : List.of(sachs(), fab())) {
            GraphLayout lay = LayoutEngine.DOT.layout(d);
            assertEquals("dot", lay.engine());
            assertTrue(lay.routes().stream().allMatch(GraphLayout.Route::bezier));
            assertReadable(d, lay);
            assertTiersInOrder(d, lay);
        }
        assertTrue(LayoutEngine.AUTO.layout(fab()).edgesThroughNodes(1.0).isEmpty());
    }

    @Test
    void theGeometricCheckFindsAnEdgeThroughANode() {
        // S01, S02, S03 on one line with S01 -> S03 drawn straight: it runs through S02
        Map<String, GraphLayout.Box> boxes = Map.of(
                "S01", new GraphLayout.Box(0, 0, 60, 28),
                "S02", new GraphLayout.Box(100, 0, 60, 28),
                "S03", new GraphLayout.Box(200, 0, 60, 28));
        GraphLayout bad = new GraphLayout(300, 40, boxes, List.of(new GraphLayout.Route("S01", "S03", true, false,
                List.of(new double[] {60, 14}, new double[] {200, 14}))), "test");
        assertEquals(List.of("S01 -> S03 crosses S02"), bad.edgesThroughNodes(1.0));
        // the same edge bent over S02 crosses nothing; grazing a border by under the inset is not a crossing
        GraphLayout good = new GraphLayout(300, 60, boxes, List.of(new GraphLayout.Route("S01", "S03", true, false,
                List.of(new double[] {30, 0}, new double[] {30, -10}, new double[] {230, -10}, new double[] {230, 0}))), "test");
        assertEquals(List.of(), good.edgesThroughNodes(1.0));
        GraphLayout curve = new GraphLayout(300, 60, boxes, List.of(new GraphLayout.Route("S01", "S03", true, true,
                List.of(new double[] {60, 14}, new double[] {100, 60}, new double[] {160, -40}, new double[] {200, 14}))), "test");
        assertEquals(1, curve.edgesThroughNodes(1.0).size(), "a Bezier through S02 is found by sampling");
    }

    @Test
    void svgCarriesTooltipsOnEveryNodeAndEdge() {
        Diagram d = fab();
        String svg = DiagramRenderer.svg(d, LayoutEngine.ELK);
        Matcher node = Pattern.compile("<g class=\"node\"><title>([^<]*)</title>").matcher(svg);
        List<String> nodeTips = new ArrayList<>();
        while (node.find()) {
            nodeTips.add(node.group(1));
        }
        assertEquals(d.nodes().size(), nodeTips.size());
        String m1 = nodeTips.stream().filter(t -> t.startsWith("M1_thickness")).findFirst().orElseThrow();
        assertTrue(m1.contains("parents: S01, S02, S03") && m1.contains("children: yield") && m1.contains("tier 2"), m1);
        assertTrue(nodeTips.stream().anyMatch(t -> t.startsWith("S03") && t.contains("rank 1") && t.contains("etch chambers")),
                nodeTips.toString());
        Matcher edge = Pattern.compile("<g class=\"edge\"><title>([^<]*)</title>").matcher(svg);
        List<String> edgeTips = new ArrayList<>();
        while (edge.find()) {
            edgeTips.add(edge.group(1));
        }
        assertEquals(d.edges().size(), edgeTips.size());
        assertTrue(edgeTips.contains("S03 \u2192 M2_cd\ndirected: S03 is a direct cause of M2_cd in this graph\n"
                + "bootstrap: adjacent in 97%"), edgeTips.toString());
        assertTrue(edgeTips.stream().anyMatch(t -> t.startsWith("S01 \u2014 S04\nundirected")), edgeTips.toString());
        assertEquals(d.edges().size() - 1, svg.split("marker-end=").length - 1, "arrowheads on the directed edges only");
        assertTrue(svg.contains(">etch chambers</text>") && svg.contains(">tier 3</text>"), "tier labels");
    }

    @Test
    void pngIsDrawnAndBadDiagramsAreRefused(@TempDir Path tmp) throws Exception {
        Diagram d = sachs();
        Path png = tmp.resolve("g.png");
        DiagramRenderer.png(d, LayoutEngine.ELK.layout(d), png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > img.getHeight(), "layers left to right: " + img.getWidth() + "x" + img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> new Diagram(List.of(new Diagram.Node("a", 0, null, null)),
                List.of(new Diagram.Edge("a", "b", true, null)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Diagram.Node("a", -1, null, null));
        assertThrows(IllegalArgumentException.class, () -> LayoutEngine.parse("neato"));
    }
}
