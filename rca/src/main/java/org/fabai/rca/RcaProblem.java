package org.fabai.rca;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.Knowledge;

/**
 * What every {@link CauseRanker} is given: wafer histories (which tool/chamber ran each step, when),
 * outcomes per wafer ({@link Outcome}: yield, metrology, a pattern indicator from ADC, ...), the
 * outcome to explain and which direction is bad, and the reference (normal) and anomalous periods
 * by release time (a wafer's first step). Immutable, thread-safe.
 *
 * <p>Methods that work on a table (causal discovery, SCM attribution) use {@link #table()}: one row
 * per wafer in history order, a categorical column per step (its {@code tool/chamber} label), then
 * a continuous column per outcome name, the target last; and {@link #knowledge()}: steps tiered in
 * route order (the order of the first history), the other outcomes after every step, the target
 * last, and no edge between two steps (tools are assigned per lot, so their assignments correlate
 * by chance). A caller who knows better (e.g. which step each metrology follows) passes its own
 * table and knowledge with {@link #withTable}.
 *
 * @param histories      wafer histories, non-empty
 * @param outcomes       outcomes of the wafers
 * @param target         name of the outcome to explain
 * @param lowIsBad       true when low values of the target are bad (yield), false when high values are
 * @param referenceEnd   wafers released before this are the reference period
 * @param anomalousStart wafers released at or after this are the anomalous period (not before referenceEnd)
 * @param givenTable     a prepared table, or null to build one from the histories and outcomes
 * @param givenKnowledge knowledge for that table, or null for the default
 */
public record RcaProblem(List<WaferHistory> histories, List<Outcome> outcomes, String target, boolean lowIsBad,
                         Instant referenceEnd, Instant anomalousStart, DataTable givenTable, Knowledge givenKnowledge) {

    /** Validates the problem and copies the lists. */
    public RcaProblem {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(referenceEnd, "referenceEnd");
        Objects.requireNonNull(anomalousStart, "anomalousStart");
        histories = List.copyOf(histories);
        outcomes = List.copyOf(outcomes);
        if (histories.isEmpty()) {
            throw new IllegalArgumentException("no wafer histories");
        }
        if (anomalousStart.isBefore(referenceEnd)) {
            throw new IllegalArgumentException("anomalous period starts at " + anomalousStart
                    + ", before the reference period ends at " + referenceEnd);
        }
        if (outcomes.stream().noneMatch(o -> o.name().equals(target))) {
            throw new IllegalArgumentException("no outcome named '" + target + "'");
        }
        if (givenTable != null && !givenTable.names().contains(target)) {
            throw new IllegalArgumentException("the given table has no column '" + target + "'");
        }
    }

    /**
     * A problem with low target values bad, the first half of the release span as reference and
     * its last fifth as the anomalous period.
     *
     * @param histories wafer histories
     * @param outcomes  outcomes
     * @param target    outcome to explain
     * @return the problem
     */
    public static RcaProblem of(List<WaferHistory> histories, List<Outcome> outcomes, String target) {
        Instant first = null;
        Instant last = null;
        for (WaferHistory h : histories) {
            Instant t = release(h);
            first = first == null || t.isBefore(first) ? t : first;
            last = last == null || t.isAfter(last) ? t : last;
        }
        if (first == null) {
            throw new IllegalArgumentException("no wafer histories");
        }
        long span = Duration.between(first, last).toMillis();
        return new RcaProblem(histories, outcomes, target, true, first.plusMillis(span / 2),
                first.plusMillis((long) (0.8 * span)), null, null);
    }

    /**
     * @param referenceEnd   end of the reference period (exclusive)
     * @param anomalousStart start of the anomalous period (inclusive)
     * @return this problem with those periods
     */
    public RcaProblem withPeriods(Instant referenceEnd, Instant anomalousStart) {
        return new RcaProblem(histories, outcomes, target, lowIsBad, referenceEnd, anomalousStart, givenTable, givenKnowledge);
    }

    /**
     * @param lowBad true when low target values are bad
     * @return this problem with that direction
     */
    public RcaProblem withLowIsBad(boolean lowBad) {
        return new RcaProblem(histories, outcomes, target, lowBad, referenceEnd, anomalousStart, givenTable, givenKnowledge);
    }

    /**
     * @param table     a table of the wafers in history order, with the target as a column
     * @param knowledge background knowledge for discovery on it
     * @return this problem with that table
     */
    public RcaProblem withTable(DataTable table, Knowledge knowledge) {
        if (table.rows() != histories.size()) {
            throw new IllegalArgumentException("table has " + table.rows() + " rows, there are " + histories.size()
                    + " wafer histories");
        }
        return new RcaProblem(histories, outcomes, target, lowIsBad, referenceEnd, anomalousStart,
                Objects.requireNonNull(table, "table"), Objects.requireNonNull(knowledge, "knowledge"));
    }

    /**
     * @param h a wafer history
     * @return its release time: the time of its first step run
     */
    public static Instant release(WaferHistory h) {
        if (h.runs().isEmpty()) {
            throw new IllegalArgumentException("wafer " + h.waferId() + " has no step runs");
        }
        return h.runs().get(0).time();
    }

    /** @return wafer id to target value (wafers without one are absent) */
    public Map<String, Double> targetValues() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.name().equals(target)) {
                m.put(o.waferId(), o.value());
            }
        }
        return m;
    }

    /** @return -1 when low target values are bad, +1 when high ones are */
    public int badDirection() {
        return lowIsBad ? -1 : 1;
    }

    /**
     * @param h a wafer history
     * @return true when it was released in the reference period
     */
    public boolean inReference(WaferHistory h) {
        return release(h).isBefore(referenceEnd);
    }

    /**
     * @param h a wafer history
     * @return true when it was released in the anomalous period
     */
    public boolean inAnomalous(WaferHistory h) {
        return !release(h).isBefore(anomalousStart);
    }

    /** @return the steps in route order: the first history's order, then steps first seen later */
    public List<String> steps() {
        Set<String> s = new LinkedHashSet<>();
        for (WaferHistory h : histories) {
            for (StepRun r : h.runs()) {
                s.add(r.step().id());
            }
        }
        return new ArrayList<>(s);
    }

    /**
     * @return the given table, or one built from the histories and outcomes (see the class comment)
     * @throws IllegalArgumentException naming the wafer when one lacks a step run or an outcome
     */
    public DataTable table() {
        if (givenTable != null) {
            return givenTable;
        }
        List<String> steps = steps();
        int n = histories.size();
        DataTable.Builder b = DataTable.builder();
        for (String s : steps) {
            TreeSet<String> labels = new TreeSet<>();
            for (WaferHistory h : histories) {
                h.run(s).ifPresent(r -> labels.add(r.tool().label()));
            }
            List<String> levels = new ArrayList<>(labels);
            Map<String, Integer> code = new HashMap<>();
            for (int i = 0; i < levels.size(); i++) {
                code.put(levels.get(i), i);
            }
            int[] col = new int[n];
            for (int i = 0; i < n; i++) {
                WaferHistory h = histories.get(i);
                StepRun r = h.run(s).orElseThrow(() -> new IllegalArgumentException("wafer " + h.waferId()
                        + " has no run of step " + s + ": a table needs every wafer at every step"));
                col[i] = code.get(r.tool().label());
            }
            b.categorical(s, col, levels);
        }
        Map<String, Map<String, Double>> byName = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            byName.computeIfAbsent(o.name(), k -> new HashMap<>()).put(o.waferId(), o.value());
        }
        List<String> names = new ArrayList<>(byName.keySet());
        names.remove(target);
        names.add(target);
        for (String name : names) {
            double[] v = new double[n];
            Map<String, Double> m = byName.get(name);
            for (int i = 0; i < n; i++) {
                Double x = m.get(histories.get(i).waferId());
                if (x == null) {
                    throw new IllegalArgumentException("wafer " + histories.get(i).waferId() + " has no outcome '" + name
                            + "': a table needs every outcome of every wafer");
                }
                v[i] = x;
            }
            b.continuous(name, v);
        }
        return b.build();
    }

    /** @return the given knowledge, or the default (see the class comment) */
    public Knowledge knowledge() {
        if (givenKnowledge != null) {
            return givenKnowledge;
        }
        List<String> steps = steps();
        Knowledge.Builder k = Knowledge.builder();
        for (int i = 0; i < steps.size(); i++) {
            k.tier(steps.get(i), i);
            for (String other : steps) {
                if (!other.equals(steps.get(i))) {
                    k.forbid(steps.get(i), other);
                }
            }
        }
        for (String name : table().names()) {
            if (!steps.contains(name) && !name.equals(target)) {
                k.tier(name, steps.size());
            }
        }
        k.tier(target, steps.size() + 1);
        return k.build();
    }
}
