package org.fabai.rca.commonality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.rca.data.Ranks;

/**
 * The small, global first pass of a commonality screen: for each wafer with an outcome, its time
 * stratum and the value the per-step scan accumulates — the outcome's mid-rank within its stratum
 * (continuous outcome) or its fail indicator (binary). One value per wafer: cheap to build on one
 * machine and to broadcast to every partition. Immutable and thread-safe.
 */
public final class OutcomeIndex {

    private final Map<String, Integer> stratum;
    private final Map<String, double[]> values;
    private final int strata;

    private OutcomeIndex(Map<String, Integer> stratum, Map<String, double[]> values, int strata) {
        this.stratum = stratum;
        this.values = values;
        this.strata = strata;
    }

    /**
     * @param config   the screen's configuration
     * @param outcome  wafer id to outcome (binary: 0 or 1)
     * @param waferTime wafer id to its start time; needed only when the configuration has a window
     *                 (then every wafer with an outcome needs one)
     * @return the index
     * @throws IllegalArgumentException for a non-finite outcome, a binary outcome other than 0/1, or a
     *                                  missing time when stratifying; the message names the wafer
     */
    public static OutcomeIndex build(CommonalityConfig config, Map<String, Double> outcome, Map<String, Instant> waferTime) {
        Objects.requireNonNull(outcome, "outcome");
        Map<String, Integer> st = new HashMap<>();
        int strata = 1;
        if (config.window() != null) {
            Objects.requireNonNull(waferTime, "waferTime (needed when stratifying by time window)");
            Instant origin = null;
            for (String w : outcome.keySet()) {
                Instant t = waferTime.get(w);
                if (t == null) {
                    throw new IllegalArgumentException("wafer " + w + " has an outcome but no time; stratification by "
                            + config.window() + " windows needs one");
                }
                origin = origin == null || t.isBefore(origin) ? t : origin;
            }
            Duration win = config.window();
            for (String w : outcome.keySet()) {
                long k = Duration.between(origin, waferTime.get(w)).toMillis() / win.toMillis();
                st.put(w, (int) k);
                strata = Math.max(strata, (int) k + 1);
            }
        } else {
            for (String w : outcome.keySet()) {
                st.put(w, 0);
            }
        }
        Map<Integer, List<String>> byStratum = new HashMap<>();
        for (Map.Entry<String, Double> e : outcome.entrySet()) {
            double v = Objects.requireNonNull(e.getValue(), "outcome of wafer " + e.getKey());
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("outcome of wafer " + e.getKey() + " is not finite: " + v);
            }
            if (config.outcome() == CommonalityConfig.OutcomeKind.BINARY && v != 0 && v != 1) {
                throw new IllegalArgumentException("binary outcome of wafer " + e.getKey() + " must be 0 or 1, got " + v);
            }
            byStratum.computeIfAbsent(st.get(e.getKey()), k -> new ArrayList<>()).add(e.getKey());
        }
        Map<String, double[]> vals = new HashMap<>();
        for (List<String> ws : byStratum.values()) {
            double[] y = new double[ws.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = outcome.get(ws.get(i));
            }
            double[] r = config.outcome() == CommonalityConfig.OutcomeKind.CONTINUOUS ? Ranks.midRanks(y) : y;
            for (int i = 0; i < y.length; i++) {
                vals.put(ws.get(i), new double[] {r[i], y[i]});
            }
        }
        return new OutcomeIndex(st, vals, strata);
    }

    /** @return number of time strata */
    public int strata() {
        return strata;
    }

    /** @return number of wafers indexed */
    public int size() {
        return values.size();
    }

    /**
     * @param waferId a wafer
     * @return {rank or fail indicator, raw outcome}, or null when the wafer has no outcome
     */
    public double[] values(String waferId) {
        return values.get(waferId);
    }

    /**
     * @param waferId a wafer with an outcome
     * @return its stratum
     */
    public int stratum(String waferId) {
        return stratum.get(waferId);
    }
}
