package org.fabai.benchmarks.tools;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One benchmark result as JMH writes it with {@code -rf json} (and as peer scripts under
 * {@code benchmarks/peers/} write it): name, parameters, mode, score, error and unit, plus what a
 * peer script adds — the fabai benchmark it is the peer of and the peer's display name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param benchmark  fully qualified benchmark name ({@code package.Class.method})
 * @param params     JMH parameters (sorted; empty when none)
 * @param mode       JMH mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param score      primary score
 * @param scoreError half-width of JMH's 99.9% confidence interval; NaN when not computed
 * @param unit       score unit, e.g. {@code us/op} or {@code ops/s}
 * @param peerOf     fully qualified name of the benchmark this result is the peer of, or null
 * @param peerName   the peer's display name, or null
 * @param best       the best measurement iteration in the score's unit (lowest time, highest
 *                   throughput), NaN when the iterations are not known
 */
public record BenchResult(String benchmark, Map<String, String> params, String mode, double score,
                          double scoreError, String unit, String peerOf, String peerName, double best) {

    /** Validates names and copies the parameters into a sorted, unmodifiable map. */
    public BenchResult {
        Objects.requireNonNull(benchmark, "benchmark");
        if (benchmark.isBlank()) {
            throw new IllegalArgumentException("benchmark name must not be blank");
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unit, "unit");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * A result whose iterations are not known.
     *
     * @param benchmark  name
     * @param params     parameters
     * @param mode       mode
     * @param score      score
     * @param scoreError error
     * @param unit       unit
     * @param peerOf     fabai benchmark this is the peer of, or null
     * @param peerName   peer display name, or null
     */
    public BenchResult(String benchmark, Map<String, String> params, String mode, double score,
                       double scoreError, String unit, String peerOf, String peerName) {
        this(benchmark, params, mode, score, scoreError, unit, peerOf, peerName, Double.NaN);
    }

    /**
     * A result without parameters that is nobody's peer.
     *
     * @param benchmark name
     * @param mode      mode
     * @param score     score
     * @param unit      unit
     * @return the result
     */
    public static BenchResult of(String benchmark, String mode, double score, String unit) {
        return new BenchResult(benchmark, Map.of(), mode, score, Double.NaN, unit, null, null);
    }

    /**
     * The key a result is matched by, in baselines and peer pairs: the name, followed by the
     * parameters in braces when there are any, e.g. {@code a.B.c{size=64}}.
     *
     * @return the key
     */
    public String key() {
        return key(benchmark, params);
    }

    /**
     * @param benchmark fully qualified name
     * @param params    parameters
     * @return the key of a result with that name and those parameters
     */
    public static String key(String benchmark, Map<String, String> params) {
        if (params == null || params.isEmpty()) {
            return benchmark;
        }
        StringBuilder sb = new StringBuilder(benchmark).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        return sb.append('}').toString();
    }

    /** @return true when the score is a finite positive number */
    public boolean valid() {
        return Double.isFinite(score) && score > 0;
    }

    /**
     * The score as seconds per operation, whatever the mode and unit.
     *
     * @return seconds per operation
     * @throws IllegalArgumentException if the unit is not a time per op or ops per time
     */
    public double secondsPerOp() {
        return Units.secondsPerOp(score, unit);
    }

    /**
     * The best iteration as seconds per operation.
     *
     * @return seconds per operation of the best iteration, NaN when unknown
     */
    public double bestSecondsPerOp() {
        return Double.isFinite(best) && best > 0 ? Units.secondsPerOp(best, unit) : Double.NaN;
    }

    /**
     * The score's error as seconds per operation (first-order for throughput units).
     *
     * @return the error in seconds per operation, NaN when unknown
     */
    public double errorSecondsPerOp() {
        if (!Double.isFinite(scoreError) || !valid()) {
            return Double.NaN;
        }
        return secondsPerOp() * scoreError / score;
    }
}
