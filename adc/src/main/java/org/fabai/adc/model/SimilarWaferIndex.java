package org.fabai.adc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.fabai.adc.features.WaferFeatureExtractor;
import org.fabai.core.wafer.WaferMap;

/**
 * "Show me wafers like this one": exact k-nearest-neighbour search over wafer maps in the
 * standardised feature space of {@link WaferFeatureExtractor} (Euclidean distance after scaling
 * every feature to zero mean and unit variance over the indexed maps), the similarity ranking of
 * Wu et al. 2015 on fabai's features.
 *
 * <p>Search is a linear scan: {@code O(n * d)} per query, about 80 multiply-adds per indexed map,
 * comfortable up to a few hundred thousand maps.
 *
 * <p>Immutable after construction and thread-safe for {@link #nearest(double[], int)};
 * {@link #nearest(WaferMap, int)} extracts features with a new native extractor per call.
 */
public final class SimilarWaferIndex {

    /**
     * One search result. Immutable and thread-safe.
     *
     * @param index    position of the map in the indexed list
     * @param id       its id as given at indexing
     * @param label    its label as given at indexing (may be null)
     * @param distance standardised Euclidean distance to the query
     */
    public record Neighbour(int index, String id, String label, double distance) {
    }

    private final double[][] z;
    private final double[] mean;
    private final double[] scale;
    private final List<String> ids;
    private final List<String> labels;

    private SimilarWaferIndex(double[][] z, double[] mean, double[] scale, List<String> ids, List<String> labels) {
        this.z = z;
        this.mean = mean;
        this.scale = scale;
        this.ids = ids;
        this.labels = labels;
    }

    /**
     * Indexes wafer maps.
     *
     * @param maps   maps to index
     * @param ids    one id per map (e.g. {@code lot/wafer})
     * @param labels one label per map, or null
     * @return the index
     */
    public static SimilarWaferIndex build(List<WaferMap> maps, List<String> ids, List<String> labels) {
        return fromFeatures(org.fabai.adc.features.ParallelFeatures.extract(maps), ids, labels);
    }

    /**
     * Indexes feature vectors from {@link WaferFeatureExtractor}.
     *
     * @param features one vector per map
     * @param ids      one id per map
     * @param labels   one label per map, or null
     * @return the index
     */
    public static SimilarWaferIndex fromFeatures(double[][] features, List<String> ids, List<String> labels) {
        Objects.requireNonNull(ids, "ids");
        if (features.length == 0) {
            throw new IllegalArgumentException("cannot index 0 maps");
        }
        if (ids.size() != features.length || (labels != null && labels.size() != features.length)) {
            throw new IllegalArgumentException("features has " + features.length + " rows, ids " + ids.size()
                    + (labels == null ? "" : ", labels " + labels.size()));
        }
        int d = features[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] f : features) {
            if (f.length != d) {
                throw new IllegalArgumentException("ragged features: row of " + f.length + ", expected " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(f[j])) {
                    throw new IllegalArgumentException("feature " + j + " is " + f[j]);
                }
                mean[j] += f[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= features.length;
        }
        for (double[] f : features) {
            for (int j = 0; j < d; j++) {
                scale[j] += (f[j] - mean[j]) * (f[j] - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = Math.sqrt(scale[j] / features.length);
            if (scale[j] < 1e-12) {
                scale[j] = 1;
            }
        }
        double[][] z = new double[features.length][d];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (features[i][j] - mean[j]) / scale[j];
            }
        }
        return new SimilarWaferIndex(z, mean, scale, List.copyOf(ids), labels == null ? null : new ArrayList<>(labels));
    }

    /** @return number of indexed maps */
    public int size() {
        return z.length;
    }

    /**
     * @param query a wafer map
     * @param k     neighbours wanted, at least 1
     * @return up to {@code k} nearest indexed maps, nearest first
     */
    public List<Neighbour> nearest(WaferMap query, int k) {
        try (WaferFeatureExtractor x = new WaferFeatureExtractor()) {
            return nearest(x.extract(query), k);
        }
    }

    /**
     * @param features the query's feature vector
     * @param k        neighbours wanted, at least 1
     * @return up to {@code k} nearest indexed maps, nearest first (ties by index)
     */
    public List<Neighbour> nearest(double[] features, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (features.length != mean.length) {
            throw new IllegalArgumentException("query has " + features.length + " features, index " + mean.length);
        }
        double[] q = new double[mean.length];
        for (int j = 0; j < q.length; j++) {
            if (!Double.isFinite(features[j])) {
                throw new IllegalArgumentException("query feature " + j + " is " + features[j]);
            }
            q[j] = (features[j] - mean[j]) / scale[j];
        }
        // max-heap of the best k (largest distance on top; ties: larger index on top)
        PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(b[1], a[1]));
        for (int i = 0; i < z.length; i++) {
            double s = 0;
            double[] row = z[i];
            for (int j = 0; j < q.length; j++) {
                double t = row[j] - q[j];
                s += t * t;
            }
            if (heap.size() < k) {
                heap.add(new double[] {s, i});
            } else if (s < heap.peek()[0]) {
                heap.poll();
                heap.add(new double[] {s, i});
            }
        }
        List<Neighbour> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) {
            double[] e = heap.poll();
            int i = (int) e[1];
            out.add(0, new Neighbour(i, ids.get(i), labels == null ? null : labels.get(i), Math.sqrt(e[0])));
        }
        return out;
    }
}
