package org.fabai.core.wafer;

/**
 * The policy that brings a wafer map of any grid size to a model's square input of {@code n x n}
 * cells without losing its pattern. Real maps come from 20 to 300 dies across and are rarely
 * square; a model sees one fixed grid.
 *
 * <ol>
 *   <li><b>Pad to square, centred, with OFF cells.</b> The longer side sets the square; the shorter
 *       side gets OFF margins split evenly (the extra cell, if any, after the map). The wafer stays
 *       round: stretching a 26 x 30 map to a square would make a round wafer an ellipse and move every
 *       edge pattern inward on one axis.</li>
 *   <li><b>Resize the square to {@code n x n}</b> ({@link WaferMap.ResizeMode#MAX}). When shrinking,
 *       each target cell covers a block of source cells and takes the most severe state in it
 *       (FAIL over GOOD over OFF): a one-die-wide scratch stays connected and no failing die is lost,
 *       at the price of a denser look for dense random failures. When enlarging, each target cell takes
 *       the state of its nearest source cell (centre sampling), so every die becomes a block of equal
 *       cells and states are never interpolated.</li>
 * </ol>
 *
 * <p>Ids, bins (of the chosen source cell) and the notch are kept. Stateless and thread-safe.
 */
public final class MapSizing {

    private MapSizing() {
    }

    /**
     * @param map any wafer map
     * @param n   side of the square model input, at least 1
     * @return the map padded to square and resized to {@code n x n}; the map itself when it already is
     */
    public static WaferMap toSquare(WaferMap map, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("input size must be at least 1, got " + n);
        }
        if (map.rows() == n && map.cols() == n) {
            return map;
        }
        WaferMap sq = padToSquare(map);
        return sq.rows() == n ? sq : sq.resize(n, n, WaferMap.ResizeMode.MAX);
    }

    /**
     * @param map any wafer map
     * @return the map centred in a square of OFF cells whose side is the map's longer side; the map
     *         itself when it is square
     */
    public static WaferMap padToSquare(WaferMap map) {
        int rows = map.rows();
        int cols = map.cols();
        if (rows == cols) {
            return map;
        }
        int side = Math.max(rows, cols);
        return map.pad(side, side, (side - rows) / 2, (side - cols) / 2);
    }

    /** The smallest side {@link #dieGrid} reduces a map to. */
    public static final int MIN_DIE_GRID_SIDE = 8;

    /**
     * The die grid of a map that was drawn as an image of die blocks: the coarsest grid that
     * reproduces the map exactly when each of its rows is repeated {@code gr} times and each column
     * {@code gc} times. A map enlarged by an integer factor with nearest-neighbour sampling (every
     * die a {@code k x k} block of equal cells, as {@code numpy.kron(map, ones((k, k)))} makes it)
     * comes back to its dies; a map already on its die grid has rows or columns that differ from
     * both neighbours and is returned as it is.
     *
     * <p>How: the lengths of the runs of identical consecutive rows (states and bins) have a greatest
     * common divisor {@code gr}, those of identical consecutive columns {@code gc}; when either is
     * above 1 every block of {@code gr x gc} cells is uniform and one cell of each is kept. The
     * reduction is lossless by construction. It is not made when it would leave fewer than
     * {@value #MIN_DIE_GRID_SIDE} rows or columns (a uniform map, all rows alike, is not a wafer
     * of one die). Maps enlarged by a non-integer factor (39 to 64 dies, say) have runs of unequal
     * length and are returned as they are.
     *
     * @param map any wafer map
     * @return the map reduced to its die grid (ids, bins and notch kept, die pitch scaled), or the
     *         map itself when no exact reduction exists
     */
    public static WaferMap dieGrid(WaferMap map) {
        int rows = map.rows();
        int cols = map.cols();
        byte[] c = map.codes();
        int gr = 0;
        int run = 1;
        for (int r = 1; r <= rows; r++) {
            if (r < rows && sameRow(map, c, cols, r)) {
                run++;
                continue;
            }
            gr = gcd(gr, run);
            run = 1;
            if (gr == 1) {
                break;
            }
        }
        int gc = 0;
        run = 1;
        for (int k = 1; k <= cols; k++) {
            if (k < cols && sameColumn(map, c, rows, cols, k)) {
                run++;
                continue;
            }
            gc = gcd(gc, run);
            run = 1;
            if (gc == 1) {
                break;
            }
        }
        if ((gr == 1 && gc == 1) || rows / gr < MIN_DIE_GRID_SIDE || cols / gc < MIN_DIE_GRID_SIDE) {
            return map;
        }
        // centre sampling picks a cell inside each uniform block: the reduction is exact
        return map.resize(rows / gr, cols / gc, WaferMap.ResizeMode.NEAREST);
    }

    /** Row {@code r} equals row {@code r - 1} (states, and bins when the map has them). */
    private static boolean sameRow(WaferMap map, byte[] c, int cols, int r) {
        if (!java.util.Arrays.equals(c, r * cols, r * cols + cols, c, (r - 1) * cols, r * cols)) {
            return false;
        }
        if (map.hasBins()) {
            for (int k = 0; k < cols; k++) {
                if (map.bin(r, k) != map.bin(r - 1, k)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Column {@code k} equals column {@code k - 1} (states, and bins when the map has them). */
    private static boolean sameColumn(WaferMap map, byte[] c, int rows, int cols, int k) {
        for (int r = 0; r < rows; r++) {
            int i = r * cols + k;
            if (c[i] != c[i - 1] || (map.hasBins() && map.bin(r, k) != map.bin(r, k - 1))) {
                return false;
            }
        }
        return true;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * The grid sizes a set of maps spans, as a model records them to tell later maps of another size.
     *
     * @param maps maps (at least one)
     * @return {@code {"minRows..maxRows", "minCols..maxCols"}}
     */
    public static String[] sizeRanges(java.util.List<WaferMap> maps) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("no maps: no size range");
        }
        int minR = Integer.MAX_VALUE;
        int maxR = 0;
        int minC = Integer.MAX_VALUE;
        int maxC = 0;
        for (WaferMap m : maps) {
            minR = Math.min(minR, m.rows());
            maxR = Math.max(maxR, m.rows());
            minC = Math.min(minC, m.cols());
            maxC = Math.max(maxC, m.cols());
        }
        return new String[] {minR + ".." + maxR, minC + ".." + maxC};
    }
}
