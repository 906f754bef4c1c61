package org.fabai.core.io.stdf;

import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_COORD;
import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_U2;
import static org.fabai.core.io.stdf.StdfRecordStream.MISSING_U4;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * The wafer layer of {@link StdfReader}: turns the decoded WIR, PIR, PRR and WRR records into
 * {@link StdfWafer}s. Parts are matched PIR-to-PRR per HEAD_NUM and SITE_NUM; a PRR goes to the
 * wafer its head's WIR opened (or the only open one; PRRs outside any WIR gather into one wafer
 * without id); a die tested twice keeps its last result and counts as a retest. The grid is laid
 * out by the current WCR's orientation. Not thread-safe.
 */
final class StdfWaferAssembler {

    private final StdfRecordStream records;
    private final StdfReadOptions options;
    private final Consumer<String> warn;
    private StdfWcr wcr;
    private String lotId = "";

    private final Map<Integer, WaferAcc> openWafers = new LinkedHashMap<>();
    private WaferAcc looseParts;
    private final Map<Integer, Integer> openParts = new HashMap<>();
    private long prrWithoutPir;
    private long pirWithoutPrr;
    private final Deque<StdfWafer> ready = new ArrayDeque<>();

    /**
     * @param records the record stream, for messages (record number, location)
     * @param options the limits (map cells)
     * @param warn    receives irregularities that do not stop reading
     */
    StdfWaferAssembler(StdfRecordStream records, StdfReadOptions options, Consumer<String> warn) {
        this.records = records;
        this.options = options;
        this.warn = warn;
    }

    /** @param wcr the wafer configuration for the wafers closed from now on */
    void wcr(StdfWcr wcr) {
        this.wcr = wcr;
    }

    /** @param lotId the MIR's lot id for the wafers closed from now on */
    void lotId(String lotId) {
        this.lotId = lotId;
    }

    /** @return the next finished wafer, or null */
    StdfWafer poll() {
        return ready.poll();
    }

    /** @return whether no finished wafer is waiting */
    boolean noneReady() {
        return ready.isEmpty();
    }

    private void warn(String message) {
        warn.accept(message);
    }

    /** A WIR: opens a wafer on its head (closing one left open there without a WRR). */
    void waferStart(int head, String id, long start) throws FormatException {
        WaferAcc prev = openWafers.remove(head);
        if (prev != null) {
            warn("record " + records.recordNumber() + ": WIR on head " + head + " while wafer '" + prev.wirId
                    + "' was still open without a WRR; that wafer is closed here");
            closeWafer(prev, null);
        }
        WaferAcc acc = new WaferAcc(head, true);
        acc.wirId = id;
        acc.startTime = StdfRecordStream.time(start);
        openWafers.put(head, acc);
    }

    /** A WRR: closes the wafer of its head (or the only open one, or the loose parts) into a finished wafer. */
    void waferEnd(int head, String id, long finish, long partCnt, long rtstCnt, long goodCnt) throws FormatException {
        WaferAcc acc = openWafers.remove(head);
        if (acc == null && openWafers.size() == 1) {
            Iterator<WaferAcc> it = openWafers.values().iterator();
            acc = it.next();
            it.remove();
        }
        if (acc == null && looseParts != null) {
            acc = looseParts;
            looseParts = null;
        }
        if (acc == null) {
            warn("record " + records.recordNumber() + ": WRR on head " + head + " for wafer '" + id
                    + "' without a WIR or any parts; no wafer made from it");
            return;
        }
        WrrInfo info = new WrrInfo(StdfRecordStream.time(finish), id, partCnt == MISSING_U4 ? -1 : partCnt,
                rtstCnt == MISSING_U4 ? -1 : rtstCnt, goodCnt == MISSING_U4 ? -1 : goodCnt);
        closeWafer(acc, info);
    }

    /** A PIR: a part starts on a head and site. */
    void partStart(int head, int site) {
        Integer before = openParts.put(head << 8 | site, 1);
        if (before != null) {
            pirWithoutPrr++;
        }
    }

    /** A PRR: a part's result, added to its wafer. */
    void partEnd(int head, int site, int flags, int hard, int soft, int x, int y, String partId) throws FormatException {
        if (openParts.remove(head << 8 | site) == null) {
            prrWithoutPir++;
        }
        WaferAcc acc = openWafers.get(head);
        if (acc == null) {
            if (openWafers.size() == 1) {
                acc = openWafers.values().iterator().next();
            } else if (openWafers.isEmpty()) {
                if (looseParts == null) {
                    looseParts = new WaferAcc(head, false);
                }
                acc = looseParts;
            } else {
                throw records.fail("PRR on HEAD_NUM " + head + " but the open wafers (WIR) are on heads "
                        + openWafers.keySet() + "; expected a PRR of one of those heads");
            }
        }
        acc.add(head, site, flags, hard, soft == MISSING_U2 ? WaferMap.NO_BIN : soft, x, y,
                partId.isEmpty() ? null : partId);
        checkGrid(acc, acc.wirId);
    }

    /** Refuses a wafer whose die coordinates span an implausibly large grid, before anything is allocated. */
    private void checkGrid(WaferAcc acc, String waferId) throws FormatException {
        if (acc.dies.isEmpty()) {
            return;
        }
        long cols = (long) acc.maxX - acc.minX + 1;
        long rows = (long) acc.maxY - acc.minY + 1;
        long cells = rows * cols;
        if (cells > options.maxMapCells()) {
            throw records.fail("wafer '" + waferId + "' has die coordinates X " + acc.minX + ".." + acc.maxX + ", Y "
                    + acc.minY + ".." + acc.maxY + ": a " + rows + "x" + cols + " grid of " + cells
                    + " cells exceeds the limit of " + options.maxMapCells()
                    + " (StdfReadOptions.maxMapCells); expected plausible die coordinates");
        }
    }

    /** The end of input: closes what is still open, with a warning for each irregularity. */
    void finish() throws FormatException {
        for (WaferAcc acc : new ArrayList<>(openWafers.values())) {
            warn("wafer '" + acc.wirId + "' (head " + acc.head + ") has no WRR before the end of input");
            closeWafer(acc, null);
        }
        openWafers.clear();
        if (looseParts != null) {
            warn(looseParts.partCount + " PRRs outside any WIR/WRR pair were gathered into one wafer without id");
            closeWafer(looseParts, null);
            looseParts = null;
        }
        if (!openParts.isEmpty()) {
            pirWithoutPrr += openParts.size();
            openParts.clear();
        }
        if (pirWithoutPrr > 0) {
            warn(pirWithoutPrr + " PIRs had no matching PRR (parts started but never finished)");
        }
        if (prrWithoutPir > 0) {
            warn(prrWithoutPir + " PRRs had no matching PIR before them");
        }
    }

    private static final class WrrInfo {
        final Optional<Instant> finish;
        final String waferId;
        final long partCount;
        final long retestCount;
        final long goodCount;

        WrrInfo(Optional<Instant> finish, String waferId, long partCount, long retestCount, long goodCount) {
            this.finish = finish;
            this.waferId = waferId;
            this.partCount = partCount;
            this.retestCount = retestCount;
            this.goodCount = goodCount;
        }
    }

    private static final class Die {
        final int x;
        final int y;
        int flags;
        int hard;
        int soft;
        String partId;

        Die(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    private static final class WaferAcc {
        final int head;
        final boolean hasWir;
        String wirId = "";
        Optional<Instant> startTime = Optional.empty();
        final Map<Integer, Die> dies = new HashMap<>();
        final TreeMap<Integer, int[]> sites = new TreeMap<>();
        int partCount;
        int retests;
        int unplaced;
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;

        WaferAcc(int head, boolean hasWir) {
            this.head = head;
            this.hasWir = hasWir;
        }

        void add(int h, int site, int flags, int hard, int soft, int x, int y, String partId) {
            partCount++;
            int[] sc = sites.computeIfAbsent(h << 8 | site, k -> new int[3]);
            sc[0]++;
            if ((flags & 0x10) == 0) {
                sc[(flags & 0x08) == 0 ? 1 : 2]++;
            }
            if (x == MISSING_COORD || y == MISSING_COORD) {
                unplaced++;
                return;
            }
            int key = x << 16 | (y & 0xffff);
            Die d = dies.get(key);
            if (d == null) {
                d = new Die(x, y);
                dies.put(key, d);
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            } else {
                retests++;
            }
            d.flags = flags;
            d.hard = hard;
            d.soft = soft;
            d.partId = partId;
        }
    }

    private void closeWafer(WaferAcc acc, WrrInfo wrr) throws FormatException {
        String waferId = wrr != null && !wrr.waferId.isEmpty() ? wrr.waferId : acc.wirId;
        boolean left = wcr != null && wcr.xIncreasesToLeft();
        boolean down = wcr != null && wcr.yIncreasesDownward();
        int rows;
        int cols;
        int originX;
        int originY;
        if (acc.dies.isEmpty()) {
            rows = 1;
            cols = 1;
            originX = 0;
            originY = 0;
        } else {
            checkGrid(acc, waferId);
            cols = acc.maxX - acc.minX + 1;
            rows = acc.maxY - acc.minY + 1;
            originX = left ? acc.maxX : acc.minX;
            originY = down ? acc.minY : acc.maxY;
        }
        WaferMap.Builder b = WaferMap.builder(rows, cols).lotId(lotId)
                .waferId(waferId).origin(originX, originY);
        int[] soft = new int[rows * cols];
        Arrays.fill(soft, WaferMap.NO_BIN);
        String[] ids = new String[rows * cols];
        int good = 0;
        int failed = 0;
        int noPf = 0;
        for (Die d : acc.dies.values()) {
            int c = left ? originX - d.x : d.x - originX;
            int r = down ? d.y - originY : originY - d.y;
            DieState s;
            if ((d.flags & 0x10) != 0) {
                s = DieState.OFF;
                noPf++;
            } else if ((d.flags & 0x08) != 0) {
                s = DieState.FAIL;
                failed++;
            } else {
                s = DieState.GOOD;
                good++;
            }
            b.state(r, c, s).bin(r, c, d.hard);
            soft[r * cols + c] = d.soft;
            ids[r * cols + c] = d.partId;
        }
        if (wcr != null) {
            b.notch(wcr.notch());
            double px = wcr.dieWidthMicrons();
            double py = wcr.dieHeightMicrons();
            if (!Double.isNaN(px) || !Double.isNaN(py)) {
                b.diePitch(px, py);
            }
        }
        List<StdfSiteCount> sites = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : acc.sites.entrySet()) {
            int[] v = e.getValue();
            sites.add(new StdfSiteCount(e.getKey() >>> 8, e.getKey() & 0xff, v[0], v[1], v[2]));
        }
        if (acc.unplaced > 0) {
            warn("wafer '" + waferId + "': " + acc.unplaced + " PRRs without X/Y coordinates are counted but not "
                    + "on the map");
        }
        ready.add(new StdfWafer(b.build(), soft, ids, waferId, acc.head, acc.partCount, acc.retests, good, failed,
                noPf, acc.unplaced, sites, acc.startTime, wrr == null ? Optional.empty() : wrr.finish,
                acc.hasWir, wrr != null, wrr == null ? -1 : wrr.partCount, wrr == null ? -1 : wrr.retestCount,
                wrr == null ? -1 : wrr.goodCount, left, down));
    }
}
