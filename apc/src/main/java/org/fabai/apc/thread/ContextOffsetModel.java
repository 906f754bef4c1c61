package org.fabai.apc.thread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Additive context model of thread levels: {@code level(ctx) = μ + Σ_d c_d[ctx(d)]}, with each
 * dimension's offsets centred to weighted mean zero, fitted by least squares (backfitting) over the
 * threads that share one set of dimensions. A context with a value never seen gets offset 0 for that
 * dimension, so a new tool × product combination borrows the tool's and the product's offsets
 * (the idea behind JADE-style context estimation). Immutable after fitting, thread-safe.
 */
public final class ContextOffsetModel {

    private final Set<String> dimensions;
    private final double mean;
    private final Map<String, Map<String, Double>> offsets;
    private final int threads;

    private ContextOffsetModel(Set<String> dimensions, double mean, Map<String, Map<String, Double>> offsets, int threads) {
        this.dimensions = dimensions;
        this.mean = mean;
        this.offsets = offsets;
        this.threads = threads;
    }

    /**
     * Fits the model.
     *
     * @param contexts contexts, all with the same dimension names
     * @param levels   level of each context
     * @return the fitted model
     * @throws IllegalArgumentException when the lists are empty, differ in length, mix dimension sets
     *                                  or hold a non-finite level
     */
    public static ContextOffsetModel fit(List<Context> contexts, double[] levels) {
        if (contexts.isEmpty() || contexts.size() != levels.length) {
            throw new IllegalArgumentException("need one level per context and at least one, got " + contexts.size()
                    + " contexts and " + levels.length + " levels");
        }
        Set<String> dims = new TreeSet<>(contexts.get(0).dimensions().keySet());
        double mu = 0;
        for (int i = 0; i < levels.length; i++) {
            if (!contexts.get(i).dimensions().keySet().equals(dims)) {
                throw new IllegalArgumentException("context " + contexts.get(i) + " does not have dimensions " + dims);
            }
            if (!Double.isFinite(levels[i])) {
                throw new IllegalArgumentException("level of " + contexts.get(i) + " must be finite, got " + levels[i]);
            }
            mu += levels[i] / levels.length;
        }
        Map<String, Map<String, Double>> off = new HashMap<>();
        for (String d : dims) {
            off.put(d, new HashMap<>());
        }
        for (int sweep = 0; sweep < 200; sweep++) {
            double change = 0;
            for (String d : dims) {
                Map<String, double[]> acc = new HashMap<>();
                for (int i = 0; i < levels.length; i++) {
                    Context c = contexts.get(i);
                    double others = mu;
                    for (String e : dims) {
                        if (!e.equals(d)) {
                            others += off.get(e).getOrDefault(c.get(e), 0.0);
                        }
                    }
                    double[] a = acc.computeIfAbsent(c.get(d), k -> new double[2]);
                    a[0] += levels[i] - others;
                    a[1] += 1;
                }
                Map<String, Double> od = off.get(d);
                for (Map.Entry<String, double[]> e : acc.entrySet()) {
                    double v = e.getValue()[0] / e.getValue()[1];
                    change = Math.max(change, Math.abs(v - od.getOrDefault(e.getKey(), 0.0)));
                    od.put(e.getKey(), v);
                }
            }
            if (change < 1e-12) {
                break;
            }
        }
        // centre each dimension's offsets (weighted by thread counts) into the mean
        for (String d : dims) {
            double s = 0;
            for (Context c : contexts) {
                s += off.get(d).get(c.get(d)) / contexts.size();
            }
            final double shift = s;
            off.get(d).replaceAll((k, v) -> v - shift);
            mu += shift;
        }
        return new ContextOffsetModel(dims, mu, off, contexts.size());
    }

    /**
     * @param context a context with the model's dimensions
     * @return the predicted level
     * @throws IllegalArgumentException when the dimensions differ
     */
    public double predict(Context context) {
        if (!context.dimensions().keySet().equals(dimensions)) {
            throw new IllegalArgumentException("context " + context + " does not have the model's dimensions " + dimensions);
        }
        double v = mean;
        for (String d : dimensions) {
            v += offsets.get(d).getOrDefault(context.get(d), 0.0);
        }
        return v;
    }

    /**
     * @param dimension dimension name
     * @param value     value
     * @return its fitted offset (0 when unseen)
     */
    public double offset(String dimension, String value) {
        Map<String, Double> m = offsets.get(dimension);
        return m == null ? 0 : m.getOrDefault(value, 0.0);
    }

    /** @return the grand mean μ */
    public double mean() {
        return mean;
    }

    /** @return how many threads it was fitted on */
    public int threads() {
        return threads;
    }

    /** @return the dimensions, sorted */
    public List<String> dimensions() {
        return new ArrayList<>(dimensions);
    }
}
