package org.fabai.rca.commonality;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;

/**
 * Sufficient statistics of a commonality screen over one partition of wafers: for every
 * (step, time stratum, tool) the wafer count and the sums of the scanned value and its square
 * (ranks or fail indicators) and of the raw outcome. Partitions are merged by adding; the screen's
 * {@link CommonalityScreen#finish finish} turns the merged statistics into tests. This is the unit
 * a distributed run (e.g. on Spark) maps over partitions and reduces.
 *
 * <p>Not thread-safe: one partial per thread, merged afterwards.
 */
public final class CommonalityPartial {

    /** Index of the sums in a cell. */
    static final int N = 0;
    static final int SV = 1;
    static final int SV2 = 2;
    static final int SY = 3;
    static final int SY2 = 4;

    private final OutcomeIndex index;
    private final CommonalityConfig.Level level;
    /** step -> stratum -> tool key (tool id, or the Tool record for chambers) -> {n, Σv, Σv², Σy, Σy²}. */
    private final Map<String, Map<Integer, Map<Object, double[]>>> cells = new HashMap<>();
    private long wafers;
    private long wafersNoOutcome;

    CommonalityPartial(OutcomeIndex index, CommonalityConfig.Level level) {
        this.index = Objects.requireNonNull(index, "index");
        this.level = level;
    }

    /**
     * Adds one wafer's history; a wafer without an outcome is counted and otherwise ignored.
     *
     * @param h the history
     */
    public void add(WaferHistory h) {
        double[] v = index.values(h.waferId());
        if (v == null) {
            wafersNoOutcome++;
            return;
        }
        wafers++;
        int s = index.stratum(h.waferId());
        for (StepRun r : h.runs()) {
            Object tool = level == CommonalityConfig.Level.TOOL ? r.tool().id() : r.tool();
            double[] c = cells.computeIfAbsent(r.step().id(), k -> new HashMap<>())
                    .computeIfAbsent(s, k -> new HashMap<>())
                    .computeIfAbsent(tool, k -> new double[5]);
            c[N] += 1;
            c[SV] += v[0];
            c[SV2] += v[0] * v[0];
            c[SY] += v[1];
            c[SY2] += v[1] * v[1];
        }
    }

    /**
     * Adds another partition's statistics into this one.
     *
     * @param other a partial built on the same index and level
     * @return this
     */
    public CommonalityPartial merge(CommonalityPartial other) {
        if (other.index != index || other.level != level) {
            throw new IllegalArgumentException("cannot merge partials built on different outcome indexes or levels");
        }
        other.cells.forEach((step, byS) -> byS.forEach((s, byT) -> byT.forEach((t, c) -> {
            double[] d = cells.computeIfAbsent(step, k -> new HashMap<>()).computeIfAbsent(s, k -> new HashMap<>())
                    .computeIfAbsent(t, k -> new double[5]);
            for (int i = 0; i < 5; i++) {
                d[i] += c[i];
            }
        })));
        wafers += other.wafers;
        wafersNoOutcome += other.wafersNoOutcome;
        return this;
    }

    /**
     * Adds sums for one (step, stratum, tool) cell, as a streaming scan computed them.
     *
     * @param step    step id
     * @param stratum time stratum
     * @param tool    tool id (level TOOL) or the {@link org.fabai.core.process.Tool} (level CHAMBER)
     * @param sums    {n, Σv, Σv², Σy, Σy²}
     */
    void addCell(String step, int stratum, Object tool, double[] sums) {
        double[] d = cells.computeIfAbsent(step, k -> new HashMap<>()).computeIfAbsent(stratum, k -> new HashMap<>())
                .computeIfAbsent(tool, k -> new double[5]);
        for (int i = 0; i < 5; i++) {
            d[i] += sums[i];
        }
    }

    /**
     * Adds the sums of one (step, stratum, tool) cell computed elsewhere, e.g. by a distributed job
     * that aggregated them per partition and merged them ({@code fabai-spark}).
     *
     * @param step    step id
     * @param stratum time stratum (0 without a window)
     * @param tool    the tool (its chamber counts at level CHAMBER only)
     * @param sums    {n, Σv, Σv², Σy, Σy²} with v the scanned value of {@link OutcomeIndex#values} and y the raw outcome
     */
    public void addCell(String step, int stratum, org.fabai.core.process.Tool tool, double[] sums) {
        if (sums.length != 5) {
            throw new IllegalArgumentException("sums must be {n, sum v, sum v^2, sum y, sum y^2}, got " + sums.length + " values");
        }
        addCell(step, stratum, level == CommonalityConfig.Level.TOOL ? tool.id() : tool, sums);
    }

    /**
     * Adds wafer counts computed elsewhere (a streaming scan, a distributed job).
     *
     * @param withOutcome wafers in the histories with an outcome
     * @param noOutcome   wafers in the histories without one
     */
    public void addWafers(long withOutcome, long noOutcome) {
        wafers += withOutcome;
        wafersNoOutcome += noOutcome;
    }

    /** @return the statistics with tools keyed by their label ({@code tool} or {@code tool/chamber}) */
    Map<String, Map<Integer, Map<String, double[]>>> cells() {
        Map<String, Map<Integer, Map<String, double[]>>> out = new HashMap<>();
        cells.forEach((step, byS) -> byS.forEach((s, byT) -> byT.forEach((t, c) -> {
            String label = t instanceof org.fabai.core.process.Tool tool ? tool.label() : (String) t;
            double[] d = out.computeIfAbsent(step, k -> new HashMap<>()).computeIfAbsent(s, k -> new HashMap<>())
                    .computeIfAbsent(label, k -> new double[5]);
            for (int i = 0; i < 5; i++) {
                d[i] += c[i];
            }
        })));
        return out;
    }

    long wafers() {
        return wafers;
    }

    long wafersNoOutcome() {
        return wafersNoOutcome;
    }

    OutcomeIndex index() {
        return index;
    }
}
