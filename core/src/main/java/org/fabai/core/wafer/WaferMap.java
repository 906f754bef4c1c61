package org.fabai.core.wafer;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable die grid of one wafer: {@code rows x cols} cells, each {@link DieState#OFF},
 * {@link DieState#GOOD} or {@link DieState#FAIL}, with optional per-die bin codes.
 *
 * <p>Row 0 is drawn at the top. A cell maps to the die coordinates of its source file by
 * {@code x = originX + col} and {@code y = originY - row} (y grows upwards, as in KLARF and STDF
 * maps); readers set the origin so that nothing of the source's coordinates is lost.
 *
 * <p>Instances are immutable and thread-safe. Operations return new maps.
 */
public final class WaferMap {

    /** Bin code of a cell that has none. */
    public static final int NO_BIN = -1;

    /** How {@link #resize(int, int, ResizeMode)} picks a target cell's state. */
    public enum ResizeMode {
        /** The state of the nearest source cell (centre sampling); exact states, no interpolation. */
        NEAREST,
        /**
         * Each target cell covers a block of source cells and takes the most severe state present
         * (FAIL over GOOD over OFF), so no failing die disappears when a map is shrunk.
         * Upscaling behaves like {@link #NEAREST}.
         */
        MAX
    }

    private final int rows;
    private final int cols;
    private final byte[] states;
    private final int[] bins;
    private final String lotId;
    private final String waferId;
    private final Notch notch;
    private final double diePitchX;
    private final double diePitchY;
    private final int originX;
    private final int originY;

    private WaferMap(Builder b, byte[] states, int[] bins) {
        this.rows = b.rows;
        this.cols = b.cols;
        this.states = states;
        this.bins = bins;
        this.lotId = b.lotId;
        this.waferId = b.waferId;
        this.notch = b.notch;
        this.diePitchX = b.diePitchX;
        this.diePitchY = b.diePitchY;
        this.originX = b.originX;
        this.originY = b.originY;
    }

    /**
     * Starts a builder for an all-OFF grid.
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @return a new builder
     */
    public static Builder builder(int rows, int cols) {
        return new Builder(rows, cols);
    }

    /**
     * A map from WM-811K codes (0 off, 1 good, 2 fail), indexed {@code codes[row][col]}.
     *
     * @param codes a rectangular array of codes
     * @return the map
     * @throws IllegalArgumentException if the array is empty, ragged or holds another code
     */
    public static WaferMap fromCodes(int[][] codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.length == 0 || codes[0].length == 0) {
            throw new IllegalArgumentException("codes must have at least one row and one column");
        }
        Builder b = builder(codes.length, codes[0].length);
        for (int r = 0; r < codes.length; r++) {
            if (codes[r].length != b.cols) {
                throw new IllegalArgumentException("codes row " + r + " has " + codes[r].length
                        + " columns, expected " + b.cols);
            }
            for (int c = 0; c < b.cols; c++) {
                b.state(r, c, DieState.ofCode(codes[r][c]));
            }
        }
        return b.build();
    }

    /**
     * A map from row-major WM-811K codes.
     *
     * @param rows  rows
     * @param cols  columns
     * @param codes {@code rows*cols} codes, row-major
     * @return the map
     */
    public static WaferMap fromCodes(int rows, int cols, byte[] codes) {
        if (codes.length != (long) rows * cols) {
            throw new IllegalArgumentException("codes length must be rows*cols = " + ((long) rows * cols)
                    + ", got " + codes.length);
        }
        Builder b = builder(rows, cols);
        for (int i = 0; i < codes.length; i++) {
            b.states[i] = (byte) DieState.ofCode(codes[i]).code();
        }
        return b.build();
    }

    /** @return number of rows */
    public int rows() {
        return rows;
    }

    /** @return number of columns */
    public int cols() {
        return cols;
    }

    /**
     * @param row row index
     * @param col column index
     * @return the state of the cell
     */
    public DieState state(int row, int col) {
        return DieState.ofCode(states[index(row, col)]);
    }

    /**
     * @param row row index
     * @param col column index
     * @return the WM-811K code of the cell (0, 1, 2)
     */
    public int code(int row, int col) {
        return states[index(row, col)];
    }

    /** @return true when the map carries bin codes */
    public boolean hasBins() {
        return bins != null;
    }

    /**
     * @param row row index
     * @param col column index
     * @return the bin code of the cell, or {@link #NO_BIN}
     */
    public int bin(int row, int col) {
        return bins == null ? NO_BIN : bins[index(row, col)];
    }

    /** @return lot id, or an empty string */
    public String lotId() {
        return lotId;
    }

    /** @return wafer id, or an empty string */
    public String waferId() {
        return waferId;
    }

    /** @return notch position */
    public Notch notch() {
        return notch;
    }

    /** @return die pitch along x in micrometres, NaN when unknown */
    public double diePitchX() {
        return diePitchX;
    }

    /** @return die pitch along y in micrometres, NaN when unknown */
    public double diePitchY() {
        return diePitchY;
    }

    /** @return die x coordinate of column 0 */
    public int originX() {
        return originX;
    }

    /** @return die y coordinate of row 0 */
    public int originY() {
        return originY;
    }

    /**
     * @param col column index
     * @return the source die x coordinate
     */
    public int dieX(int col) {
        return originX + col;
    }

    /**
     * @param row row index
     * @return the source die y coordinate
     */
    public int dieY(int row) {
        return originY - row;
    }

    /** @return number of cells that are dies (GOOD or FAIL) */
    public int dieCount() {
        int n = 0;
        for (byte s : states) {
            if (s != 0) {
                n++;
            }
        }
        return n;
    }

    /** @return number of FAIL cells */
    public int failCount() {
        int n = 0;
        for (byte s : states) {
            if (s == 2) {
                n++;
            }
        }
        return n;
    }

    /** @return failing dies over all dies, 0 when the map has no dies */
    public double failRatio() {
        int dies = dieCount();
        return dies == 0 ? 0.0 : (double) failCount() / dies;
    }

    /** @return a copy of the state codes, row-major */
    public byte[] codes() {
        return states.clone();
    }

    /** @return the state codes (0, 1, 2) as floats, row-major */
    public float[] toFloatArray() {
        float[] out = new float[states.length];
        for (int i = 0; i < states.length; i++) {
            out[i] = states[i];
        }
        return out;
    }

    /**
     * Writes a one-hot encoding with one channel per die state (channel order OFF, GOOD, FAIL),
     * channel-major ({@code [3][rows][cols]}), as models take it.
     *
     * @param dst    destination, at least {@code offset + 3*rows*cols} long
     * @param offset where to start writing
     */
    public void toOneHot(float[] dst, int offset) {
        int n = states.length;
        if (offset < 0 || dst.length - offset < 3L * n) {
            throw new IllegalArgumentException("dst needs " + (3L * n) + " floats from offset " + offset
                    + ", has " + (dst.length - offset));
        }
        Arrays.fill(dst, offset, offset + 3 * n, 0f);
        for (int i = 0; i < n; i++) {
            dst[offset + states[i] * n + i] = 1f;
        }
    }

    /**
     * Resizes to {@code n x n} with {@link ResizeMode#NEAREST}.
     *
     * @param n target size, at least 1
     * @return the resized map (bins and ids kept)
     */
    public WaferMap resize(int n) {
        return resize(n, n, ResizeMode.NEAREST);
    }

    /**
     * Resizes to {@code newRows x newCols}. States stay exact (never interpolated).
     *
     * @param newRows target rows, at least 1
     * @param newCols target columns, at least 1
     * @param mode    how a target cell picks its state
     * @return the resized map; bins follow the chosen source cell
     */
    public WaferMap resize(int newRows, int newCols, ResizeMode mode) {
        if (newRows < 1 || newCols < 1) {
            throw new IllegalArgumentException("resize target must be at least 1x1, got " + newRows + "x" + newCols);
        }
        Objects.requireNonNull(mode, "mode");
        Builder b = copyMeta(newRows, newCols);
        int[] nb = bins == null ? null : new int[newRows * newCols];
        boolean block = mode == ResizeMode.MAX && (rows > newRows || cols > newCols);
        // source column of each target column, computed once per call (centre sampling)
        int[] srcCol = new int[newCols];
        int[] c0s = new int[newCols];
        int[] c1s = new int[newCols];
        for (int c = 0; c < newCols; c++) {
            srcCol[c] = (int) (((2L * c + 1) * cols) / (2L * newCols));
            c0s[c] = (int) ((long) c * cols / newCols);
            c1s[c] = Math.max(c0s[c] + 1, (int) ((long) (c + 1) * cols / newCols));
        }
        byte[] dst = b.states;
        for (int r = 0; r < newRows; r++) {
            int out = r * newCols;
            if (!block) {
                int rowBase = (int) (((2L * r + 1) * rows) / (2L * newRows)) * cols;
                for (int c = 0; c < newCols; c++) {
                    int src = rowBase + srcCol[c];
                    dst[out + c] = states[src];
                    if (nb != null) {
                        nb[out + c] = bins[src];
                    }
                }
                continue;
            }
            int r0 = (int) ((long) r * rows / newRows);
            int r1 = Math.max(r0 + 1, (int) ((long) (r + 1) * rows / newRows));
            for (int c = 0; c < newCols; c++) {
                int src = r0 * cols + c0s[c];
                for (int rr = r0; rr < r1 && states[src] != 2; rr++) {
                    for (int cc = c0s[c], i = rr * cols + cc; cc < c1s[c]; cc++, i++) {
                        if (states[i] > states[src]) {
                            src = i;
                        }
                    }
                }
                dst[out + c] = states[src];
                if (nb != null) {
                    nb[out + c] = bins[src];
                }
            }
        }
        b.bins = nb;
        b.diePitchX = diePitchX * cols / newCols;
        b.diePitchY = diePitchY * rows / newRows;
        return b.build();
    }

    /**
     * Rotates clockwise by a multiple of 90 degrees.
     *
     * @param degrees 0, 90, 180 or 270 (negative multiples of 90 rotate anticlockwise)
     * @return the rotated map; the notch turns with it
     */
    public WaferMap rotate(int degrees) {
        if (degrees % 90 != 0) {
            throw new IllegalArgumentException("rotation must be a multiple of 90 degrees, got " + degrees);
        }
        int q = Math.floorMod(degrees / 90, 4);
        if (q == 0) {
            return this;
        }
        int nr = (q % 2 == 0) ? rows : cols;
        int nc = (q % 2 == 0) ? cols : rows;
        Builder b = copyMeta(nr, nc);
        int[] nb = bins == null ? null : new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int tr;
                int tc;
                if (q == 1) {
                    tr = c;
                    tc = rows - 1 - r;
                } else if (q == 2) {
                    tr = rows - 1 - r;
                    tc = cols - 1 - c;
                } else {
                    tr = cols - 1 - c;
                    tc = r;
                }
                b.states[tr * nc + tc] = states[r * cols + c];
                if (nb != null) {
                    nb[tr * nc + tc] = bins[r * cols + c];
                }
            }
        }
        b.bins = nb;
        b.notch = notch.rotatedClockwise(q);
        if (q % 2 == 1) {
            b.diePitchX = diePitchY;
            b.diePitchY = diePitchX;
        }
        return b.build();
    }

    /** @return the map mirrored left-right (columns reversed) */
    public WaferMap flipHorizontal() {
        Builder b = copyMeta(rows, cols);
        int[] nb = bins == null ? null : new int[bins.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                b.states[r * cols + (cols - 1 - c)] = states[r * cols + c];
                if (nb != null) {
                    nb[r * cols + (cols - 1 - c)] = bins[r * cols + c];
                }
            }
        }
        b.bins = nb;
        b.notch = notch == Notch.LEFT ? Notch.RIGHT : notch == Notch.RIGHT ? Notch.LEFT : notch;
        return b.build();
    }

    /** @return the map mirrored top-bottom (rows reversed) */
    public WaferMap flipVertical() {
        Builder b = copyMeta(rows, cols);
        int[] nb = bins == null ? null : new int[bins.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(states, r * cols, b.states, (rows - 1 - r) * cols, cols);
            if (nb != null) {
                System.arraycopy(bins, r * cols, nb, (rows - 1 - r) * cols, cols);
            }
        }
        b.bins = nb;
        b.notch = notch == Notch.UP ? Notch.DOWN : notch == Notch.DOWN ? Notch.UP : notch;
        return b.build();
    }

    /**
     * Places this map in a larger grid of OFF cells (die coordinates follow: the origin moves so
     * that every die keeps its x and y).
     *
     * @param newRows rows of the new grid, at least {@code top + rows()}
     * @param newCols columns of the new grid, at least {@code left + cols()}
     * @param top     OFF rows above the map, at least 0
     * @param left    OFF columns left of the map, at least 0
     * @return the padded map; bins kept, new cells without bins
     */
    public WaferMap pad(int newRows, int newCols, int top, int left) {
        if (top < 0 || left < 0 || newRows < top + rows || newCols < left + cols) {
            throw new IllegalArgumentException("cannot place a " + rows + "x" + cols + " map at (" + top + ", " + left
                    + ") in a " + newRows + "x" + newCols + " grid");
        }
        Builder b = copyMeta(newRows, newCols);
        int[] nb = null;
        if (bins != null) {
            nb = new int[newRows * newCols];
            Arrays.fill(nb, NO_BIN);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(states, r * cols, b.states, (r + top) * newCols + left, cols);
            if (nb != null) {
                System.arraycopy(bins, r * cols, nb, (r + top) * newCols + left, cols);
            }
        }
        b.bins = nb;
        b.originX = originX - left;
        b.originY = originY + top;
        return b.build();
    }

    /**
     * @param lot   lot id
     * @param wafer wafer id
     * @return a copy with other ids
     */
    public WaferMap withIds(String lot, String wafer) {
        Builder b = toBuilder();
        b.lotId(lot).waferId(wafer);
        return b.build();
    }

    /** @return a builder initialised with this map's cells and metadata */
    public Builder toBuilder() {
        Builder b = copyMeta(rows, cols);
        System.arraycopy(states, 0, b.states, 0, states.length);
        b.bins = bins == null ? null : bins.clone();
        return b;
    }

    private Builder copyMeta(int nr, int nc) {
        Builder b = new Builder(nr, nc);
        b.lotId = lotId;
        b.waferId = waferId;
        b.notch = notch;
        b.diePitchX = diePitchX;
        b.diePitchY = diePitchY;
        b.originX = originX;
        b.originY = originY;
        return b;
    }

    private int index(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + col + ") outside " + rows + "x" + cols + " map");
        }
        return row * cols + col;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WaferMap)) {
            return false;
        }
        WaferMap m = (WaferMap) o;
        return rows == m.rows && cols == m.cols && Arrays.equals(states, m.states) && Arrays.equals(bins, m.bins)
                && lotId.equals(m.lotId) && waferId.equals(m.waferId) && notch == m.notch
                && Double.compare(diePitchX, m.diePitchX) == 0 && Double.compare(diePitchY, m.diePitchY) == 0
                && originX == m.originX && originY == m.originY;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, Arrays.hashCode(states), Arrays.hashCode(bins), lotId, waferId, notch);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "WaferMap[lot=%s, wafer=%s, %dx%d, dies=%d, fail=%d (%.2f%%)]",
                lotId, waferId, rows, cols, dieCount(), failCount(), 100 * failRatio());
    }

    /** Mutable builder of a {@link WaferMap}. Not thread-safe. */
    public static final class Builder {
        private final int rows;
        private final int cols;
        private final byte[] states;
        private int[] bins;
        private String lotId = "";
        private String waferId = "";
        private Notch notch = Notch.UNKNOWN;
        private double diePitchX = Double.NaN;
        private double diePitchY = Double.NaN;
        private int originX;
        private int originY;

        private Builder(int rows, int cols) {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException("wafer map must be at least 1x1, got " + rows + "x" + cols);
            }
            if ((long) rows * cols > 64L * 1024 * 1024) {
                throw new IllegalArgumentException("wafer map of " + rows + "x" + cols + " cells exceeds 64Mi cells");
            }
            this.rows = rows;
            this.cols = cols;
            this.states = new byte[rows * cols];
        }

        /** @return rows of the grid being built */
        public int rows() {
            return rows;
        }

        /** @return columns of the grid being built */
        public int cols() {
            return cols;
        }

        /**
         * @param row   row
         * @param col   column
         * @param state state to set
         * @return this builder
         */
        public Builder state(int row, int col, DieState state) {
            states[check(row, col)] = (byte) state.code();
            return this;
        }

        /**
         * @param row row
         * @param col column
         * @return the state set so far
         */
        public DieState state(int row, int col) {
            return DieState.ofCode(states[check(row, col)]);
        }

        /**
         * Sets a bin code; the map then carries bins (cells never set have {@link #NO_BIN}).
         *
         * @param row row
         * @param col column
         * @param bin bin code, non-negative
         * @return this builder
         */
        public Builder bin(int row, int col, int bin) {
            if (bin < 0) {
                throw new IllegalArgumentException("bin must be >= 0, got " + bin);
            }
            if (bins == null) {
                bins = new int[rows * cols];
                Arrays.fill(bins, NO_BIN);
            }
            bins[check(row, col)] = bin;
            return this;
        }

        /**
         * @param id lot id (null becomes empty)
         * @return this builder
         */
        public Builder lotId(String id) {
            this.lotId = id == null ? "" : id;
            return this;
        }

        /**
         * @param id wafer id (null becomes empty)
         * @return this builder
         */
        public Builder waferId(String id) {
            this.waferId = id == null ? "" : id;
            return this;
        }

        /**
         * @param n notch position
         * @return this builder
         */
        public Builder notch(Notch n) {
            this.notch = Objects.requireNonNull(n, "notch");
            return this;
        }

        /**
         * @param x die pitch along x, micrometres (NaN when unknown)
         * @param y die pitch along y, micrometres (NaN when unknown)
         * @return this builder
         */
        public Builder diePitch(double x, double y) {
            if (x <= 0 || y <= 0) {
                throw new IllegalArgumentException("die pitch must be > 0 or NaN, got " + x + ", " + y);
            }
            this.diePitchX = x;
            this.diePitchY = y;
            return this;
        }

        /**
         * @param x die x coordinate of column 0
         * @param y die y coordinate of row 0
         * @return this builder
         */
        public Builder origin(int x, int y) {
            this.originX = x;
            this.originY = y;
            return this;
        }

        /** @return the immutable map */
        public WaferMap build() {
            return new WaferMap(this, states.clone(), bins == null ? null : bins.clone());
        }

        private int check(int row, int col) {
            if (row < 0 || row >= rows || col < 0 || col >= cols) {
                throw new IndexOutOfBoundsException("cell (" + row + ", " + col + ") outside " + rows + "x" + cols + " map");
            }
            return row * cols + col;
        }
    }
}
