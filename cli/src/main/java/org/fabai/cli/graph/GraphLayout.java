package org.fabai.cli.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a layout put the nodes and edges of a {@link Diagram}, in pixels, y downwards.
 *
 * @param width  drawing width
 * @param height drawing height
 * @param nodes  node name to its box
 * @param routes one route per diagram edge, in the diagram's edge order
 * @param engine which layout made it ("dot" or "elk")
 */
public record GraphLayout(double width, double height, Map<String, Box> nodes, List<Route> routes, String engine) {

    /** Copies. */
    public GraphLayout {
        nodes = Map.copyOf(nodes);
        routes = List.copyOf(routes);
    }

    /**
     * A node's box.
     *
     * @param x left
     * @param y top
     * @param w width
     * @param h height
     */
    public record Box(double x, double y, double w, double h) {
        /** @return centre x */
        public double cx() {
            return x + w / 2;
        }

        /** @return centre y */
        public double cy() {
            return y + h / 2;
        }

        /**
         * Whether the segment (x1,y1)-(x2,y2) enters this box shrunk by {@code inset} on every
         * side (Liang-Barsky clipping); touching the border does not count.
         */
        boolean crossedBy(double x1, double y1, double x2, double y2, double inset) {
            double xmin = x + inset;
            double xmax = x + w - inset;
            double ymin = y + inset;
            double ymax = y + h - inset;
            if (xmin >= xmax || ymin >= ymax) {
                return false;
            }
            double dx = x2 - x1;
            double dy = y2 - y1;
            double t0 = 0;
            double t1 = 1;
            double[] p = {-dx, dx, -dy, dy};
            double[] q = {x1 - xmin, xmax - x1, y1 - ymin, ymax - y1};
            for (int i = 0; i < 4; i++) {
                if (p[i] == 0) {
                    if (q[i] <= 0) {
                        return false;
                    }
                } else {
                    double r = q[i] / p[i];
                    if (p[i] < 0) {
                        t0 = Math.max(t0, r);
                    } else {
                        t1 = Math.min(t1, r);
                    }
                }
            }
            return t0 < t1;
        }
    }

    /**
     * The route of an edge.
     *
     * @param from     source node
     * @param to       target node
     * @param directed whether an arrowhead is drawn at {@code to}
     * @param bezier   true: {@code points} are a cubic B&eacute;zier chain (start, then three
     *                 points per piece); false: a polyline
     * @param points   the points, each {@code {x, y}}, from {@code from} to {@code to}
     */
    public record Route(String from, String to, boolean directed, boolean bezier, List<double[]> points) {
        /** Validates and copies. */
        public Route {
            points = List.copyOf(points);
            if (points.size() < 2 || (bezier && (points.size() - 1) % 3 != 0)) {
                throw new IllegalArgumentException("route " + from + " -> " + to + ": " + points.size()
                        + " points do not make a " + (bezier ? "Bezier chain" : "polyline"));
            }
        }

        /** @return the route as a polyline (B&eacute;zier pieces sampled at 24 points each) */
        public List<double[]> polyline() {
            if (!bezier) {
                return points;
            }
            List<double[]> out = new ArrayList<>();
            out.add(points.get(0));
            for (int i = 0; i + 3 < points.size(); i += 3) {
                double[] a = points.get(i);
                double[] b = points.get(i + 1);
                double[] c = points.get(i + 2);
                double[] d = points.get(i + 3);
                for (int k = 1; k <= 24; k++) {
                    double t = k / 24.0;
                    double u = 1 - t;
                    out.add(new double[] {
                        u * u * u * a[0] + 3 * u * u * t * b[0] + 3 * u * t * t * c[0] + t * t * t * d[0],
                        u * u * u * a[1] + 3 * u * u * t * b[1] + 3 * u * t * t * c[1] + t * t * t * d[1]});
                }
            }
            return out;
        }

        /** @return an SVG path {@code d} attribute */
        String svgPath() {
            StringBuilder s = new StringBuilder();
            double[] p0 = points.get(0);
            s.append(String.format(Locale.ROOT, "M%.1f,%.1f", p0[0], p0[1]));
            if (bezier) {
                for (int i = 1; i + 2 < points.size(); i += 3) {
                    double[] a = points.get(i);
                    double[] b = points.get(i + 1);
                    double[] c = points.get(i + 2);
                    s.append(String.format(Locale.ROOT, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", a[0], a[1], b[0], b[1], c[0], c[1]));
                }
            } else {
                for (int i = 1; i < points.size(); i++) {
                    double[] a = points.get(i);
                    s.append(String.format(Locale.ROOT, " L%.1f,%.1f", a[0], a[1]));
                }
            }
            return s.toString();
        }
    }

    /**
     * Every place where an edge passes through a node that is not one of its ends: the geometric
     * check that the layout is readable (an edge drawn through a node reads as two edges).
     *
     * @param inset pixels a route may graze a node's border by (1 is enough for rounding)
     * @return one line per crossing, e.g. {@code "S01 -> M1 crosses S02"}; empty when none
     */
    public List<String> edgesThroughNodes(double inset) {
        List<String> out = new ArrayList<>();
        for (Route r : routes) {
            List<double[]> pl = r.polyline();
            for (Map.Entry<String, Box> n : nodes.entrySet()) {
                if (n.getKey().equals(r.from()) || n.getKey().equals(r.to())) {
                    continue;
                }
                for (int i = 0; i + 1 < pl.size(); i++) {
                    double[] a = pl.get(i);
                    double[] b = pl.get(i + 1);
                    if (n.getValue().crossedBy(a[0], a[1], b[0], b[1], inset)) {
                        out.add(r.from() + (r.directed() ? " -> " : " - ") + r.to() + " crosses " + n.getKey());
                        break;
                    }
                }
            }
        }
        return out;
    }
}
