package org.fabai.cli.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Layout by Eclipse ELK's layered algorithm: layers left to right, tiers as ELK partitions (a
 * node of a later tier is never in an earlier layer than one of an earlier tier), orthogonal
 * edge routing between the layers, so no edge passes through a node. Undirected edges are laid
 * out from the earlier tier (or as given) and drawn without an arrowhead.
 */
final class ElkLayout {

    private ElkLayout() {
    }

    static GraphLayout layout(Diagram d) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(tierBand(d) ? 30 : 16, 16, 16, 16));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 48.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 14.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 8.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE, 10.0);
        root.setProperty(CoreOptions.RANDOM_SEED, 1);
        boolean tiers = d.tierCount() > 1;
        if (tiers) {
            root.setProperty(CoreOptions.PARTITIONING_ACTIVATE, true);
        }
        Map<String, ElkNode> en = new LinkedHashMap<>();
        for (Diagram.Node n : d.nodes()) {
            ElkNode k = ElkGraphUtil.createNode(root);
            k.setIdentifier(n.name());
            double[] wh = LayoutEngine.nodeSize(n);
            k.setDimensions(wh[0], wh[1]);
            if (tiers) {
                k.setProperty(CoreOptions.PARTITIONING_PARTITION, n.tier());
            }
            en.put(n.name(), k);
        }
        Map<String, Diagram.Node> byName = d.byName();
        List<ElkEdge> ee = new ArrayList<>();
        List<Boolean> flipped = new ArrayList<>();
        for (Diagram.Edge e : d.edges()) {
            boolean flip = !e.directed() && byName.get(e.from()).tier() > byName.get(e.to()).tier();
            ee.add(ElkGraphUtil.createSimpleEdge(en.get(flip ? e.to() : e.from()), en.get(flip ? e.from() : e.to())));
            flipped.add(flip);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        Map<String, GraphLayout.Box> boxes = new HashMap<>();
        en.forEach((name, k) -> boxes.put(name, new GraphLayout.Box(k.getX(), k.getY(), k.getWidth(), k.getHeight())));
        List<GraphLayout.Route> routes = new ArrayList<>();
        for (int i = 0; i < ee.size(); i++) {
            Diagram.Edge e = d.edges().get(i);
            List<double[]> pts = new ArrayList<>();
            for (ElkEdgeSection s : ee.get(i).getSections()) {
                if (pts.isEmpty()) {
                    pts.add(new double[] {s.getStartX(), s.getStartY()});
                }
                for (ElkBendPoint b : s.getBendPoints()) {
                    pts.add(new double[] {b.getX(), b.getY()});
                }
                pts.add(new double[] {s.getEndX(), s.getEndY()});
            }
            if (pts.size() < 2) {
                throw new IllegalStateException("ELK gave edge " + e.from() + " -> " + e.to() + " no route");
            }
            if (flipped.get(i)) {
                java.util.Collections.reverse(pts);
            }
            routes.add(new GraphLayout.Route(e.from(), e.to(), e.directed(), false, pts));
        }
        return new GraphLayout(root.getWidth(), root.getHeight(), boxes, routes, "elk");
    }

    /** Whether tier labels are drawn above the nodes (room is left for them). */
    static boolean tierBand(Diagram d) {
        return d.tierCount() > 1;
    }
}
