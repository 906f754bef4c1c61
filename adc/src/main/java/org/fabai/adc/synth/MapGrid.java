package org.fabai.adc.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fabai.core.wafer.WaferMap;

/**
 * The dies of one map for {@link MapStatistics#compute}: which are on the wafer and which fail,
 * counted, with their bounding box, and the measures taken on them (outline, neighbourhood,
 * dense regions, the pattern). Package-private; one per map.
 */
final class MapGrid {
    private static final int HALF_WINDOW = 2;
    private static final int MIN_WINDOW_DIES = 6;
    private static final int ARC_BINS = 72;

    final int rows;
    final int cols;
    final int n;
    final boolean[] on;
    final boolean[] fail;
    final int dies;
    final int fails;
    /** Bounding box of the on-wafer dies: rows r0..r1, columns c0..c1. */
    final int r0;
    final int r1;
    final int c0;
    final int c1;

    private MapGrid(int rows, int cols, boolean[] on, boolean[] fail, int dies, int fails, int r0, int r1, int c0,
                 int c1) {
        this.rows = rows;
        this.cols = cols;
        this.n = rows * cols;
        this.on = on;
        this.fail = fail;
        this.dies = dies;
        this.fails = fails;
        this.r0 = r0;
        this.r1 = r1;
        this.c0 = c0;
        this.c1 = c1;
    }

    static MapGrid of(WaferMap map) {
        int rows = map.rows();
        int cols = map.cols();
        int n = rows * cols;
        byte[] codes = map.codes();
        boolean[] on = new boolean[n];
        boolean[] fail = new boolean[n];
        int r0 = rows;
        int r1 = -1;
        int c0 = cols;
        int c1 = -1;
        int dies = 0;
        int fails = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (codes[i] != 0) {
                    on[i] = true;
                    dies++;
                    r0 = Math.min(r0, r);
                    r1 = Math.max(r1, r);
                    c0 = Math.min(c0, c);
                    c1 = Math.max(c1, c);
                    if (codes[i] == 2) {
                        fail[i] = true;
                        fails++;
                    }
                }
            }
        }
        if (dies == 0) {
            throw new IllegalArgumentException("map of " + rows + "x" + cols + " has no on-wafer die");
        }
        return new MapGrid(rows, cols, on, fail, dies, fails, r0, r1, c0, c1);
    }

    /** Bounding box, die count, fill and how well the outline matches the inscribed ellipse. */
    Outline outline(double[] out) {
        int bRows = r1 - r0 + 1;
        int bCols = c1 - c0 + 1;
        double cy = (r0 + r1 + 1) / 2.0;
        double cx = (c0 + c1 + 1) / 2.0;
        double ay = bRows / 2.0;
        double ax = bCols / 2.0;
        double radiusDies = (ax + ay) / 2.0;
        double[] u = new double[n];
        double[] v = new double[n];
        int inter = 0;
        int union = 0;
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int i = r * cols + c;
                u[i] = (c + 0.5 - cx) / ax;
                v[i] = (cy - r - 0.5) / ay;
                boolean inE = u[i] * u[i] + v[i] * v[i] <= 1.0;
                if (inE && on[i]) {
                    inter++;
                }
                if (inE || on[i]) {
                    union++;
                }
            }
        }
        set(out, "rows", bRows);
        set(out, "cols", bCols);
        set(out, "aspect", (double) bRows / bCols);
        set(out, "die_count", dies);
        set(out, "bbox_fill", (double) dies / (bRows * bCols));
        set(out, "outline_match", (double) inter / union);
        return new Outline(u, v, radiusDies);
    }

    /** Edge versus inner fail rates, and how failing dies neighbour each other. */
    void neighbourhood(double failRatio, double[] out) {
        int edge = 0;
        int edgeFail = 0;
        double nbShare = 0;
        int isolated = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (!on[i]) {
                    continue;
                }
                boolean isEdge = !onAt(on, rows, cols, r - 1, c) || !onAt(on, rows, cols, r + 1, c)
                        || !onAt(on, rows, cols, r, c - 1) || !onAt(on, rows, cols, r, c + 1);
                if (isEdge) {
                    edge++;
                    if (fail[i]) {
                        edgeFail++;
                    }
                }
                if (!fail[i]) {
                    continue;
                }
                int nOn = 0;
                int nFail = 0;
                int[][] four = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
                for (int[] p : four) {
                    if (onAt(on, rows, cols, p[0], p[1])) {
                        nOn++;
                        if (fail[p[0] * cols + p[1]]) {
                            nFail++;
                        }
                    }
                }
                if (nOn > 0) {
                    nbShare += (double) nFail / nOn;
                }
                boolean alone = true;
                for (int dr = -1; dr <= 1 && alone; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        if ((dr != 0 || dc != 0) && onAt(on, rows, cols, r + dr, c + dc) && fail[(r + dr) * cols + c + dc]) {
                            alone = false;
                            break;
                        }
                    }
                }
                if (alone) {
                    isolated++;
                }
            }
        }
        double edgeRate = edge > 0 ? (double) edgeFail / edge : Double.NaN;
        double innerRate = dies - edge > 0 ? (double) (fails - edgeFail) / (dies - edge) : Double.NaN;
        set(out, "edge_fail_rate", edgeRate);
        set(out, "inner_fail_rate", innerRate);
        set(out, "edge_excess", edgeRate - innerRate);
        if (fails > 0) {
            set(out, "neighbour_fail_excess", nbShare / fails - failRatio);
            set(out, "isolated_fail_fraction", (double) isolated / fails);
        }

    }

    /**
     * Dies whose 5x5 window (through integral images) fails clearly more than the wafer's median
     * window: the candidates of a pattern.
     */
    boolean[] denseDies() {
        int[] iOn = new int[(rows + 1) * (cols + 1)];
        int[] iFail = new int[(rows + 1) * (cols + 1)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = (r + 1) * (cols + 1) + c + 1;
                int i = r * cols + c;
                iOn[k] = iOn[k - 1] + iOn[k - cols - 1] - iOn[k - cols - 2] + (on[i] ? 1 : 0);
                iFail[k] = iFail[k - 1] + iFail[k - cols - 1] - iFail[k - cols - 2] + (fail[i] ? 1 : 0);
            }
        }
        double[] share = new double[n];
        int[] count = new int[n];
        double[] onShares = new double[dies];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (!on[i]) {
                    continue;
                }
                int ra = Math.max(0, r - HALF_WINDOW);
                int rb = Math.min(rows, r + HALF_WINDOW + 1);
                int ca = Math.max(0, c - HALF_WINDOW);
                int cb = Math.min(cols, c + HALF_WINDOW + 1);
                count[i] = box(iOn, cols, ra, rb, ca, cb);
                share[i] = (double) box(iFail, cols, ra, rb, ca, cb) / count[i];
                onShares[k++] = share[i];
            }
        }
        Arrays.sort(onShares);
        double b = MapStatistics.quantileSorted(onShares, 0.5);
        boolean[] dense = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (on[i] && count[i] >= MIN_WINDOW_DIES) {
                double thr = Math.max(b + 3 * Math.sqrt(Math.max(b, 0.02) * (1 - b) / count[i]), 1.5 * b);
                dense[i] = share[i] >= thr;
            }
        }
        return dense;
    }

    Regions regions(boolean[] dense) {
        int[] label = new int[n];
        Arrays.fill(label, -1);
        int[] queue = new int[n];
        int minFails = Math.max(6, (int) Math.ceil(0.005 * dies));
        boolean[] region = new boolean[n];
        int largest = -1;
        int largestFails = 0;
        int comp = 0;
        for (int s = 0; s < n; s++) {
            if (!dense[s] || label[s] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            label[s] = comp;
            int cf = 0;
            while (head < tail) {
                int i = queue[head++];
                if (fail[i]) {
                    cf++;
                }
                int r = i / cols;
                int c = i % cols;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
                            int j = rr * cols + cc;
                            if (dense[j] && label[j] < 0) {
                                label[j] = comp;
                                queue[tail++] = j;
                            }
                        }
                    }
                }
            }
            if (cf >= minFails) {
                for (int q = 0; q < tail; q++) {
                    region[queue[q]] = true;
                }
                if (cf > largestFails) {
                    largestFails = cf;
                    largest = comp;
                }
            }
            comp++;
        }
        return new Regions(label, region, largest);
    }

    /** Background rate, and the pattern region's area, intensity, radius, radial width, arc span and shape. */
    void pattern(Outline o, Regions regions, double[] out) {
        boolean[] region = regions.region();
        int[] label = regions.label();
        int largest = regions.largest();
        double[] u = o.u();
        double[] v = o.v();
        double radiusDies = o.radiusDies();
        int regionDies = 0;
        int regionFails = 0;
        List<Double> radii = new ArrayList<>();
        boolean[] arcBins = new boolean[ARC_BINS];
        int arcDies = 0;
        double sr = 0;
        double sc = 0;
        double srr = 0;
        double scc = 0;
        double src = 0;
        int lf = 0;
        for (int i = 0; i < n; i++) {
            if (!region[i]) {
                continue;
            }
            regionDies++;
            if (!fail[i]) {
                continue;
            }
            regionFails++;
            double rad = Math.hypot(u[i], v[i]);
            radii.add(rad);
            if (rad >= 0.2) {
                double ang = Math.atan2(v[i], u[i]);
                int bin = (int) Math.floor((ang + Math.PI) / (2 * Math.PI) * ARC_BINS);
                arcBins[Math.min(ARC_BINS - 1, Math.max(0, bin))] = true;
                arcDies++;
            }
            if (label[i] == largest) {
                double rr = i / cols;
                double cc = i % cols;
                sr += rr;
                sc += cc;
                srr += rr * rr;
                scc += cc * cc;
                src += rr * cc;
                lf++;
            }
        }
        int outside = dies - regionDies;
        set(out, "background_rate", outside > 0 ? (double) (fails - regionFails) / outside : Double.NaN);
        set(out, "pattern_area", (double) regionDies / dies);
        if (regionFails > 0) {
            set(out, "pattern_intensity", (double) regionFails / regionDies);
            double[] rs = radii.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            set(out, "pattern_radius", Arrays.stream(rs).average().orElse(Double.NaN));
            double width = MapStatistics.quantileSorted(rs, 0.9) - MapStatistics.quantileSorted(rs, 0.1);
            set(out, "pattern_radial_width", width);
            set(out, "pattern_radial_width_dies", width * radiusDies);
            if (arcDies >= 2) {
                set(out, "pattern_arc_span", arcSpan(arcBins));
            }
            if (lf >= 3) {
                double mr = sr / lf;
                double mc = sc / lf;
                double vrr = srr / lf - mr * mr;
                double vcc = scc / lf - mc * mc;
                double vrc = src / lf - mr * mc;
                double tr = vrr + vcc;
                double det = vrr * vcc - vrc * vrc;
                double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
                double l1 = tr / 2 + disc;
                double l2 = Math.max(0, tr / 2 - disc);
                set(out, "pattern_thickness_dies", Math.sqrt(12 * l2));
                set(out, "pattern_elongation", Math.sqrt(l1 / Math.max(l2, 1.0 / 12)));
            }
        }
    }

    /** Each die's position in the wafer's ellipse (unit radius on the bounding box) and the radius in dies. */
    record Outline(double[] u, double[] v, double radiusDies) {
    }

    /**
     * The 8-connected components of dense dies: each component's label, the dies of those with
     * enough failing dies to count as a pattern region, and the label of the one with most.
     */
    record Regions(int[] label, boolean[] region, int largest) {
    }

    /** Degrees of the smallest circular arc holding every occupied bin. */
    private static double arcSpan(boolean[] bins) {
        int m = bins.length;
        int longestGap = 0;
        int run = 0;
        for (int t = 0; t < 2 * m; t++) {
            if (!bins[t % m]) {
                run++;
                longestGap = Math.max(longestGap, Math.min(run, m));
            } else {
                run = 0;
            }
        }
        return 360.0 * (m - longestGap) / m;
    }

    private static int box(int[] integral, int cols, int ra, int rb, int ca, int cb) {
        int w = cols + 1;
        return integral[rb * w + cb] - integral[ra * w + cb] - integral[rb * w + ca] + integral[ra * w + ca];
    }

    private static boolean onAt(boolean[] on, int rows, int cols, int r, int c) {
        return r >= 0 && r < rows && c >= 0 && c < cols && on[r * cols + c];
    }

    static void set(double[] out, String name, double value) {
        out[MapStatistics.index(name)] = value;
    }
}
