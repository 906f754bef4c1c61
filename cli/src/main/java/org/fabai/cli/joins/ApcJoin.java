package org.fabai.cli.joins;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.rca.Cause;
import org.fabai.rca.baseline.RobustZScore;

/**
 * APC → RCA: the intercept each APC thread estimated over time as a candidate cause. Per thread,
 * the median estimate of the anomalous period against the median and MAD of its reference-period
 * estimates (a robust z, both directions: a process shift either way is suspicious); the threads
 * then join the tools' ranking by |z|. Stateless and thread-safe.
 */
public final class ApcJoin {

    private ApcJoin() {
    }

    /**
     * One estimate of a thread.
     *
     * @param thread    the thread's candidate name, e.g. {@code "APC thread S07T2/B intercept"}
     * @param time      when (the run's time)
     * @param intercept the thread's estimated intercept after the update
     */
    public record Estimate(String thread, Instant time, double intercept) {
        /** Validates the estimate. */
        public Estimate {
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(time, "time");
            if (!Double.isFinite(intercept)) {
                throw new IllegalArgumentException("intercept of " + thread + " at " + time + " is " + intercept);
            }
        }
    }

    /**
     * The join's answer. Immutable and thread-safe.
     *
     * @param byThread the estimates of each thread in time order
     * @param threads  the threads ranked by |robust z| of their anomalous-period estimates
     * @param joined   tools and threads in one ranking by |score|, highest first
     */
    public record Result(Map<String, List<Estimate>> byThread, List<Cause> threads, List<Cause> joined) {
        /** Copies the collections. */
        public Result {
            Map<String, List<Estimate>> m = new LinkedHashMap<>();
            byThread.forEach((k, v) -> m.put(k, List.copyOf(v)));
            byThread = java.util.Collections.unmodifiableMap(m);
            threads = List.copyOf(threads);
            joined = List.copyOf(joined);
        }

        /** @return the first cause of the joined ranking, or {@code "-"} */
        public String top() {
            return joined.isEmpty() ? "-" : joined.get(0).name();
        }
    }

    /**
     * @param trace          estimates in time order
     * @param referenceEnd   estimates before this are the reference period
     * @param anomalousStart estimates at or after this are the anomalous period
     * @param toolRanking    the tools' ranking to join (scores taken as |score|)
     * @return the joined ranking
     */
    public static Result join(List<Estimate> trace, Instant referenceEnd, Instant anomalousStart, List<Cause> toolRanking) {
        if (anomalousStart.isBefore(referenceEnd)) {
            throw new IllegalArgumentException("anomalous period starts at " + anomalousStart
                    + ", before the reference period ends at " + referenceEnd);
        }
        Map<String, List<Estimate>> byThread = new LinkedHashMap<>();
        Map<String, List<Double>> ref = new LinkedHashMap<>();
        Map<String, List<Double>> cur = new LinkedHashMap<>();
        for (Estimate e : trace) {
            byThread.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e);
            Map<String, List<Double>> into = e.time().isBefore(referenceEnd) ? ref
                    : !e.time().isBefore(anomalousStart) ? cur : null;
            if (into != null) {
                into.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e.intercept());
            }
        }
        Map<String, double[]> refArr = new LinkedHashMap<>();
        ref.forEach((k, v) -> refArr.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        Map<String, Double> curMed = new LinkedHashMap<>();
        cur.forEach((k, v) -> curMed.put(k, RobustZScore.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        List<Cause> threads = RobustZScore.rankCandidates(refArr, curMed, 0);
        List<Cause> all = new ArrayList<>();
        for (Cause c : toolRanking) {
            all.add(new Cause(c.name(), Math.abs(c.score())));
        }
        for (Cause c : threads) {
            all.add(new Cause(c.name(), Math.abs(c.score())));
        }
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        return new Result(byThread, threads, all);
    }
}
