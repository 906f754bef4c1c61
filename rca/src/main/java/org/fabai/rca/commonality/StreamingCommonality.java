package org.fabai.rca.commonality;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistoryChunk;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.io.csv.HistorySource;
import org.fabai.core.process.Tool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CommonalityScreen} over a history CSV streamed from disk: rows go from the parallel,
 * dictionary-encoding {@link HistoryCsvScanner} straight into the screen's sufficient statistics
 * (per step, time stratum and tool: count and sums), so memory is O(wafers + steps x tools x
 * strata), not O(rows); no object is made per row. With a time window the file is read twice
 * (wafer start times first). The result equals {@link CommonalityScreen#run} on the same file read
 * with {@link org.fabai.core.io.csv.WaferHistoryCsv} (sums of ranks are exact; sums of raw
 * outcomes may differ in the last bits when the file's rows are not grouped by wafer).
 *
 * <p>The file is checked as {@link org.fabai.core.io.csv.WaferHistoryCsv} checks it (field count,
 * empty ids, timestamps, a step twice for one wafer, two lots for one wafer, a wafer with some rows
 * timed and some not), each a {@link FormatException} naming the line; the columns
 * {@code step_name} and extra columns are not read.
 *
 * <p>Immutable and thread-safe; each run uses its own threads.
 */
public final class StreamingCommonality {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingCommonality.class);
    private static final int BITS = 21;
    private static final long MAX_CODE = (1L << BITS) - 1;

    private final CommonalityScreen screen;
    private final HistoryCsvScanner.Options options;

    /**
     * @param config  the screen's configuration
     * @param options how to scan (threads, progress)
     */
    public StreamingCommonality(CommonalityConfig config, HistoryCsvScanner.Options options) {
        this.screen = new CommonalityScreen(config);
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * What a streaming run found and read.
     *
     * @param result  the screen's result
     * @param rows    history rows read (per pass)
     * @param wafers  distinct wafers in the histories (with or without an outcome)
     * @param steps   distinct steps
     * @param seconds wall time of the whole run
     */
    public record Run(CommonalityResult result, long rows, long wafers, int steps, double seconds) {
    }

    /**
     * Runs the screen.
     *
     * @param histories history CSV
     * @param outcome   wafer id to outcome
     * @return the result and what was read
     * @throws IOException              if the file cannot be read
     * @throws FormatException          on bad input, naming file and line
     * @throws IllegalArgumentException on bad outcomes (as {@link OutcomeIndex#build})
     */
    public Run run(Path histories, Map<String, Double> outcome) throws IOException, FormatException {
        return run(HistorySource.csv(histories), outcome);
    }

    /**
     * Runs the screen over histories from any source (a CSV, a Parquet file of {@code fabai-parquet}).
     *
     * @param histories where the histories stream from
     * @param outcome   wafer id to outcome
     * @return the result and what was read
     * @throws IOException              if the source cannot be read
     * @throws FormatException          on bad input, naming source and line (or row)
     * @throws IllegalArgumentException on bad outcomes (as {@link OutcomeIndex#build})
     */
    public Run run(HistorySource histories, Map<String, Double> outcome) throws IOException, FormatException {
        Objects.requireNonNull(histories, "histories");
        long t0 = System.nanoTime();
        CommonalityConfig config = screen.config();
        HistoryCsvScanner.Dictionaries dicts = HistoryCsvScanner.Dictionaries.create();
        String[] outWafers = outcome.keySet().toArray(new String[0]);
        for (String w : outWafers) {
            dicts.wafers().intern(w);
        }
        Accumulator acc = new Accumulator(histories.name(), histories.rowWord(), dicts, outWafers.length);
        HistoryCsvScanner.Summary s;
        OutcomeIndex idx;
        if (config.window() != null) {
            acc.validating = true;
            acc.trackTime = true;
            histories.scan(dicts, options, acc);
            acc.finishValidation();
            Map<String, Instant> start = new HashMap<>();
            for (int w = 0; w < outWafers.length; w++) {
                if (acc.minTime[w] != HistoryChunk.NO_TIME) {
                    start.put(outWafers[w], Instant.ofEpochSecond(Math.floorDiv(acc.minTime[w], 1_000_000_000L),
                            Math.floorMod(acc.minTime[w], 1_000_000_000L)));
                }
            }
            idx = screen.index(outcome, start);
            acc.setIndex(idx, outWafers, config.level());
            acc.validating = false;
            acc.trackTime = false;
            s = histories.scan(dicts, options, acc);
        } else {
            idx = screen.index(outcome, null);
            acc.setIndex(idx, outWafers, config.level());
            acc.validating = true;
            s = histories.scan(dicts, options, acc);
            acc.finishValidation();
        }
        CommonalityPartial p = screen.newPartial(idx);
        acc.into(p, config.level());
        CommonalityResult r = screen.finish(p);
        double sec = (System.nanoTime() - t0) / 1e9;
        LOG.debug("streaming commonality of {}: {} rows, {} wafers, {} cells in {} s", histories, s.rows(),
                acc.wafersSeen(), acc.cells.size(), String.format(java.util.Locale.ROOT, "%.1f", sec));
        return new Run(r, s.rows(), acc.wafersSeen(), dicts.steps().size(), sec);
    }

    /** Per-wafer checks and the cell sums; runs on the scanning thread. */
    private static final class Accumulator implements HistoryCsvScanner.Sink {
        final String src;
        final String unit;
        final HistoryCsvScanner.Dictionaries d;
        final int nOut;
        boolean validating;
        boolean trackTime;
        // per wafer code
        int[] lot = new int[0];
        long[] lotLine = new long[0];
        int[] rows = new int[0];
        int[] timed = new int[0];
        long[] untimedLine = new long[0];
        long[][] stepSeen = new long[0][];
        long[] minTime = new long[0];
        // per outcome wafer
        double[] value;
        double[] raw;
        int[] stratum;
        boolean byTool;
        // cells
        final LongIntMap cells = new LongIntMap(1 << 12);
        double[] sums = new double[5 << 12];
        final LongIntMap pairs = new LongIntMap(256);
        int[] pairTool = new int[256];
        int[] pairChamber = new int[256];

        Accumulator(String src, String unit, HistoryCsvScanner.Dictionaries d, int nOut) {
            this.src = src;
            this.unit = unit;
            this.d = d;
            this.nOut = nOut;
        }

        void setIndex(OutcomeIndex idx, String[] outWafers, CommonalityConfig.Level level) {
            value = new double[nOut];
            raw = new double[nOut];
            stratum = new int[nOut];
            for (int w = 0; w < nOut; w++) {
                double[] v = idx.values(outWafers[w]);
                value[w] = v[0];
                raw[w] = v[1];
                stratum[w] = idx.stratum(outWafers[w]);
                if (stratum[w] > MAX_CODE) {
                    throw new IllegalArgumentException("more than " + MAX_CODE + " time windows; use a longer window");
                }
            }
            byTool = level == CommonalityConfig.Level.TOOL;
        }

        private void ensureWafers(int n) {
            if (n <= rows.length) {
                return;
            }
            int cap = Math.max(n, rows.length * 3 / 2 + 16);
            int old = rows.length;
            lot = Arrays.copyOf(lot, cap);
            Arrays.fill(lot, old, cap, -1);
            lotLine = Arrays.copyOf(lotLine, cap);
            rows = Arrays.copyOf(rows, cap);
            timed = Arrays.copyOf(timed, cap);
            untimedLine = Arrays.copyOf(untimedLine, cap);
            stepSeen = Arrays.copyOf(stepSeen, cap);
            minTime = Arrays.copyOf(minTime, cap);
            Arrays.fill(minTime, old, cap, HistoryChunk.NO_TIME);
        }

        @Override
        public void accept(HistoryChunk c) throws FormatException {
            int n = c.size();
            if (validating || trackTime) {
                int maxW = -1;
                for (int i = 0; i < n; i++) {
                    maxW = Math.max(maxW, c.wafer(i));
                }
                ensureWafers(maxW + 1);
            }
            if (validating) {
                validate(c);
            }
            if (trackTime) {
                for (int i = 0; i < n; i++) {
                    long t = c.time(i);
                    int w = c.wafer(i);
                    if (t != HistoryChunk.NO_TIME && (minTime[w] == HistoryChunk.NO_TIME || t < minTime[w])) {
                        minTime[w] = t;
                    }
                }
            }
            if (value != null) {
                accumulate(c);
            }
        }

        private void validate(HistoryChunk c) throws FormatException {
            for (int i = 0, n = c.size(); i < n; i++) {
                int w = c.wafer(i);
                int l = c.lot(i);
                if (lot[w] < 0) {
                    lot[w] = l;
                    lotLine[w] = c.line(i);
                } else if (lot[w] != l) {
                    throw new FormatException(src, unit + " " + c.line(i) + ", column 'lot_id'", "wafer "
                            + d.wafers().value(w) + " has lot_id '" + d.lots().value(l) + "' but '"
                            + d.lots().value(lot[w]) + "' on " + unit + " " + lotLine[w] + "; expected one lot per wafer");
                }
                int s = c.step(i);
                long[] seen = stepSeen[w];
                if (seen == null || (s >> 6) >= seen.length) {
                    seen = stepSeen[w] = Arrays.copyOf(seen == null ? new long[0] : seen,
                            Math.max((s >> 6) + 1, d.steps().size() + 63 >> 6));
                }
                long bit = 1L << (s & 63);
                if ((seen[s >> 6] & bit) != 0) {
                    throw new FormatException(src, unit + " " + c.line(i) + ", column 'step'", "step '" + d.steps().value(s)
                            + "' of wafer " + d.wafers().value(w) + " already given on an earlier " + unit
                            + "; expected each step at most once per wafer (model rework as its own step)");
                }
                seen[s >> 6] |= bit;
                rows[w]++;
                if (c.time(i) != HistoryChunk.NO_TIME) {
                    timed[w]++;
                } else if (untimedLine[w] == 0) {
                    untimedLine[w] = c.line(i);
                }
            }
        }

        void finishValidation() throws FormatException {
            int bad = -1;
            for (int w = 0; w < rows.length; w++) {
                if (timed[w] > 0 && timed[w] < rows[w] && (bad < 0 || untimedLine[w] < untimedLine[bad])) {
                    bad = w;
                }
            }
            if (bad >= 0) {
                throw new FormatException(src, unit + " " + untimedLine[bad] + ", column 'timestamp'", "wafer "
                        + d.wafers().value(bad) + " has timestamps on " + timed[bad] + " of its " + rows[bad]
                        + " rows but none here; expected all or none of a wafer's rows timed");
            }
            stepSeen = new long[0][];   // no longer needed
        }

        private void accumulate(HistoryChunk c) {
            for (int i = 0, n = c.size(); i < n; i++) {
                int w = c.wafer(i);
                if (w >= nOut) {
                    continue;
                }
                int pair = byTool ? c.tool(i) : pair(c.tool(i), c.chamber(i));
                int step = c.step(i);
                if (pair > MAX_CODE || step > MAX_CODE) {
                    throw new IllegalStateException("more than " + MAX_CODE + " steps or tools; the streaming screen"
                            + " holds at most that many");
                }
                long key = ((long) stratum[w] << (2 * BITS)) | ((long) step << BITS) | pair;
                int slot = cells.get(key);
                if (slot < 0) {
                    slot = cells.size();
                    cells.putNew(key, slot);
                    if (5 * (slot + 1) > sums.length) {
                        sums = Arrays.copyOf(sums, sums.length * 2);
                    }
                }
                double v = value[w];
                double y = raw[w];
                int o = 5 * slot;
                sums[o] += 1;
                sums[o + 1] += v;
                sums[o + 2] += v * v;
                sums[o + 3] += y;
                sums[o + 4] += y * y;
            }
        }

        private int pair(int tool, int chamber) {
            long k = ((long) tool << 32) | chamber;
            int p = pairs.get(k);
            if (p < 0) {
                p = pairs.size();
                pairs.putNew(k, p);
                if (p >= pairTool.length) {
                    pairTool = Arrays.copyOf(pairTool, p * 2);
                    pairChamber = Arrays.copyOf(pairChamber, p * 2);
                }
                pairTool[p] = tool;
                pairChamber[p] = chamber;
            }
            return p;
        }

        long wafersSeen() {
            long n = 0;
            for (int r : rows) {
                if (r > 0) {
                    n++;
                }
            }
            return n;
        }

        /** Moves the sums into a partial, keyed as {@link CommonalityPartial#add} keys them. */
        void into(CommonalityPartial p, CommonalityConfig.Level level) {
            long[] keys = new long[cells.size()];
            // recover keys by slot: rescan is cheaper than storing them twice
            collectKeys(keys);
            Map<Integer, Object> toolKeys = new HashMap<>();
            double[] cell = new double[5];
            for (int slot = 0; slot < keys.length; slot++) {
                long key = keys[slot];
                int stratumK = (int) (key >>> (2 * BITS));
                int step = (int) ((key >>> BITS) & MAX_CODE);
                int pair = (int) (key & MAX_CODE);
                Object tool = toolKeys.computeIfAbsent(pair, k -> level == CommonalityConfig.Level.TOOL
                        ? d.tools().value(k) : new Tool(d.tools().value(pairTool[k]), d.chambers().value(pairChamber[k])));
                System.arraycopy(sums, 5 * slot, cell, 0, 5);
                p.addCell(d.steps().value(step), stratumK, tool, cell);
            }
            long with = 0;
            long without = 0;
            for (int w = 0; w < rows.length; w++) {
                if (rows[w] > 0) {
                    if (w < nOut) {
                        with++;
                    } else {
                        without++;
                    }
                }
            }
            p.addWafers(with, without);
        }

        private void collectKeys(long[] out) {
            cells.forEach((k, v) -> out[v] = k);
        }
    }

}
