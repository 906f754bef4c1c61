package org.fabai.adc.features;

import static org.fabai.adc.features.WaferFeatureExtractor.COS;
import static org.fabai.adc.features.WaferFeatureExtractor.COVERAGE_BINS;
import static org.fabai.adc.features.WaferFeatureExtractor.EDGE_SECTORS;
import static org.fabai.adc.features.WaferFeatureExtractor.INNER_SECTORS;
import static org.fabai.adc.features.WaferFeatureExtractor.RADIAL_BINS;
import static org.fabai.adc.features.WaferFeatureExtractor.RADON_ANGLES;
import static org.fabai.adc.features.WaferFeatureExtractor.RADON_BINS;
import static org.fabai.adc.features.WaferFeatureExtractor.SIN;

/**
 * Per-grid constants of {@link WaferFeatureExtractor}: each die's normalised position on the wafer's
 * ellipse, its radial, angular, edge-sector, inner-sector and Radon-projection bins, and the die count
 * of every bin. Depends only on the grid size and the wafer outline, so the extractor caches it while
 * consecutive maps share both. Immutable after construction.
 */
final class GridGeometry {
    final int rows;
    final int cols;
    final boolean[] on;
    final int onCount;
    final double scale;
    final double[] uu;
    final double[] vv;
    final double[] th;
    final byte[] on4;
    final byte[] radialBin;
    final byte[] angBin;
    final byte[] edgeSector;
    final byte[] innerSector;
    final boolean[] inEdgeBand;
    final byte[] radonBin;
    final int[] radN = new int[RADIAL_BINS];
    final int[] edgeN = new int[EDGE_SECTORS];
    final int[] inN = new int[INNER_SECTORS];
    final int[] covN = new int[COVERAGE_BINS];
    final int[][] bandN = new int[RADIAL_BINS][COVERAGE_BINS];
    final int[][] pn = new int[RADON_ANGLES][RADON_BINS];
    int edgeBandN;

    GridGeometry(int rows, int cols, boolean[] on, int onCount, int minR, int maxR, int minC, int maxC) {
        this.rows = rows;
        this.cols = cols;
        this.on = on;
        this.onCount = onCount;
        int n = rows * cols;
        double cx = (minC + maxC + 1) / 2.0;
        double cy = (minR + maxR + 1) / 2.0;
        double ax = (maxC - minC + 1) / 2.0;
        double ay = (maxR - minR + 1) / 2.0;
        scale = Math.sqrt(ax * ay);
        uu = new double[n];
        vv = new double[n];
        th = new double[n];
        on4 = new byte[n];
        radialBin = new byte[n];
        angBin = new byte[n];
        edgeSector = new byte[n];
        innerSector = new byte[n];
        inEdgeBand = new boolean[n];
        radonBin = new byte[RADON_ANGLES * n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double u = (c + 0.5 - cx) / ax;
                double v = (cy - r - 0.5) / ay;
                uu[i] = u;
                vv[i] = v;
                double t = Math.atan2(v, u);
                th[i] = t;
                edgeSector[i] = -1;
                innerSector[i] = -1;
                if (!on[i]) {
                    continue;
                }
                int o4 = 0;
                if (r > 0 && on[i - cols]) {
                    o4++;
                }
                if (r < rows - 1 && on[i + cols]) {
                    o4++;
                }
                if (c > 0 && on[i - 1]) {
                    o4++;
                }
                if (c < cols - 1 && on[i + 1]) {
                    o4++;
                }
                on4[i] = (byte) o4;
                double rad = Math.sqrt(u * u + v * v);
                double tp = (t < 0 ? t + 2 * Math.PI : t) / (2 * Math.PI);
                int rb = Math.min(RADIAL_BINS - 1, (int) (rad * RADIAL_BINS));
                int ab = Math.min(COVERAGE_BINS - 1, (int) (tp * COVERAGE_BINS));
                radialBin[i] = (byte) rb;
                angBin[i] = (byte) ab;
                radN[rb]++;
                bandN[rb][ab]++;
                if (rad >= 0.75) {
                    int s = Math.min(EDGE_SECTORS - 1, (int) (tp * EDGE_SECTORS));
                    edgeSector[i] = (byte) s;
                    edgeN[s]++;
                } else if (rad >= 0.2) {
                    int s = Math.min(INNER_SECTORS - 1, (int) (tp * INNER_SECTORS));
                    innerSector[i] = (byte) s;
                    inN[s]++;
                }
                if (rad >= 0.8) {
                    inEdgeBand[i] = true;
                    edgeBandN++;
                    covN[ab]++;
                }
                for (int a = 0; a < RADON_ANGLES; a++) {
                    int b = Math.min(RADON_BINS - 1, (int) (Math.abs(u * COS[a] + v * SIN[a]) * RADON_BINS));
                    radonBin[i * RADON_ANGLES + a] = (byte) b;
                    pn[a][b]++;
                }
            }
        }
    }

    boolean matches(int rows2, int cols2, byte[] codes2) {
        if (rows2 != rows || cols2 != cols) {
            return false;
        }
        for (int i = 0; i < on.length; i++) {
            if (on[i] != (codes2[i] != 0)) {
                return false;
            }
        }
        return true;
    }
}
