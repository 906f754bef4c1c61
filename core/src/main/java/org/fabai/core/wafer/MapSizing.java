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
}
