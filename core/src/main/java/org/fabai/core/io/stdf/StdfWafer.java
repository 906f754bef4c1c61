package org.fabai.core.io.stdf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fabai.core.wafer.WaferMap;

/**
 * One wafer of an STDF V4 file: its bin map and what the file says about it.
 *
 * <p>The {@link #map()} has one cell per die position of the bounding box of the tested dies' X/Y
 * coordinates. Row 0 is at the top. Passing dies are {@code GOOD}, failing dies {@code FAIL}; dies
 * tested without a pass/fail indication (PART_FLG bit 4) and untested positions are {@code OFF}.
 * Every tested die carries its HARD_BIN as the map's bin; SOFT_BIN is in {@link #softBins()}, on the
 * same grid. A die tested more than once (same X/Y within the wafer) keeps its last test; the number
 * of such retests is {@link #retestCount()}.
 *
 * <p>Orientation: when the file's WCR says x grows to the left (POS_X = 'L') or y grows downwards
 * (POS_Y = 'D'), the grid is mirrored so that the picture shows the wafer as the file describes it.
 * Otherwise (POS_X 'R' or unknown, POS_Y 'U' or unknown) x grows to the right and y upwards. In every
 * case {@link WaferMap#originX()} and {@link WaferMap#originY()} are the die coordinates of column 0
 * and row 0, and {@link #dieX(int)}, {@link #dieY(int)}, {@link #col(int)} and {@link #row(int)} map
 * between cells and die coordinates exactly. ({@link WaferMap#dieX(int)} and {@link WaferMap#dieY(int)}
 * assume x right and y up, so they agree only when neither axis is mirrored.)
 *
 * <p>Immutable and thread-safe (the arrays are copied in and out).
 *
 * @param map                   the hard-bin map
 * @param softBins              SOFT_BIN per cell, row-major, {@link WaferMap#NO_BIN} where none
 * @param partIds               PART_ID per cell, row-major, null where none
 * @param waferId               WRR WAFER_ID, or WIR WAFER_ID when WRR lacks it, or ""
 * @param head                  HEAD_NUM of the WIR (or of the first PRR when there is no WIR)
 * @param partCount             PRRs of this wafer, retests and dies without coordinates included
 * @param retestCount           PRRs whose X/Y had already been tested on this wafer
 * @param goodCount             dies whose last test passed
 * @param failCount             dies whose last test failed
 * @param noPassFailCount       dies whose last test had no pass/fail indication
 * @param unplacedCount         PRRs with X or Y unknown (-32768); they are counted, not mapped
 * @param sites                 parts per head and site, sorted by head then site
 * @param startTime             WIR START_T, empty when absent or 0
 * @param finishTime            WRR FINISH_T, empty when absent or 0
 * @param hasWir                whether a WIR opened this wafer (false: PRRs outside any WIR)
 * @param hasWrr                whether a WRR closed it (false: the input ended or a new WIR came first)
 * @param reportedPartCount     WRR PART_CNT, -1 when absent
 * @param reportedRetestCount   WRR RTST_CNT, -1 when absent
 * @param reportedGoodCount     WRR GOOD_CNT, -1 when absent
 * @param xIncreasesToLeft      whether columns were mirrored because x grows to the left
 * @param yIncreasesDownward    whether rows were mirrored because y grows downwards
 */
public record StdfWafer(WaferMap map, int[] softBins, String[] partIds, String waferId, int head, int partCount,
        int retestCount, int goodCount, int failCount, int noPassFailCount, int unplacedCount,
        List<StdfSiteCount> sites, Optional<Instant> startTime, Optional<Instant> finishTime, boolean hasWir,
        boolean hasWrr, long reportedPartCount, long reportedRetestCount, long reportedGoodCount,
        boolean xIncreasesToLeft, boolean yIncreasesDownward) {

    /** Validates sizes and copies the arrays. */
    public StdfWafer {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(waferId, "waferId");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(finishTime, "finishTime");
        int cells = map.rows() * map.cols();
        if (softBins.length != cells || partIds.length != cells) {
            throw new IllegalArgumentException("softBins and partIds must have rows*cols = " + cells
                    + " entries, got " + softBins.length + " and " + partIds.length);
        }
        softBins = softBins.clone();
        partIds = partIds.clone();
        sites = List.copyOf(sites);
    }

    /** @return a copy of the soft bins, row-major, {@link WaferMap#NO_BIN} where none */
    @Override
    public int[] softBins() {
        return softBins.clone();
    }

    /** @return a copy of the part ids, row-major, null where none */
    @Override
    public String[] partIds() {
        return partIds.clone();
    }

    /**
     * @param row row
     * @param col column
     * @return SOFT_BIN of the die there, {@link WaferMap#NO_BIN} when none
     */
    public int softBin(int row, int col) {
        return softBins[index(row, col)];
    }

    /**
     * @param row row
     * @param col column
     * @return HARD_BIN of the die there, {@link WaferMap#NO_BIN} when none
     */
    public int hardBin(int row, int col) {
        return map.bin(row, col);
    }

    /**
     * @param row row
     * @param col column
     * @return PART_ID of the die there, empty when none
     */
    public String partId(int row, int col) {
        String s = partIds[index(row, col)];
        return s == null ? "" : s;
    }

    /**
     * @param col column index
     * @return the die X coordinate of that column
     */
    public int dieX(int col) {
        return xIncreasesToLeft ? map.originX() - col : map.originX() + col;
    }

    /**
     * @param row row index
     * @return the die Y coordinate of that row
     */
    public int dieY(int row) {
        return yIncreasesDownward ? map.originY() + row : map.originY() - row;
    }

    /**
     * @param x die X coordinate
     * @return its column (may lie outside the grid)
     */
    public int col(int x) {
        return xIncreasesToLeft ? map.originX() - x : x - map.originX();
    }

    /**
     * @param y die Y coordinate
     * @return its row (may lie outside the grid)
     */
    public int row(int y) {
        return yIncreasesDownward ? y - map.originY() : map.originY() - y;
    }

    /** @return dies tested on the map (good, failed and without pass/fail indication) */
    public int testedDieCount() {
        return goodCount + failCount + noPassFailCount;
    }

    private int index(int row, int col) {
        if (row < 0 || row >= map.rows() || col < 0 || col >= map.cols()) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + col + ") outside " + map.rows() + "x"
                    + map.cols() + " map");
        }
        return row * map.cols() + col;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StdfWafer)) {
            return false;
        }
        StdfWafer w = (StdfWafer) o;
        return map.equals(w.map) && java.util.Arrays.equals(softBins, w.softBins)
                && java.util.Arrays.equals(partIds, w.partIds) && waferId.equals(w.waferId) && head == w.head
                && partCount == w.partCount && retestCount == w.retestCount && goodCount == w.goodCount
                && failCount == w.failCount && noPassFailCount == w.noPassFailCount
                && unplacedCount == w.unplacedCount && sites.equals(w.sites) && startTime.equals(w.startTime)
                && finishTime.equals(w.finishTime) && hasWir == w.hasWir && hasWrr == w.hasWrr
                && reportedPartCount == w.reportedPartCount && reportedRetestCount == w.reportedRetestCount
                && reportedGoodCount == w.reportedGoodCount && xIncreasesToLeft == w.xIncreasesToLeft
                && yIncreasesDownward == w.yIncreasesDownward;
    }

    @Override
    public int hashCode() {
        return Objects.hash(map, java.util.Arrays.hashCode(softBins), waferId, partCount, retestCount);
    }

    @Override
    public String toString() {
        return "StdfWafer[id=" + waferId + ", head=" + head + ", parts=" + partCount + ", retests=" + retestCount
                + ", good=" + goodCount + ", fail=" + failCount + ", noPassFail=" + noPassFailCount
                + ", unplaced=" + unplacedCount + ", " + map + "]";
    }
}
