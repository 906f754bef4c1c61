package org.fabai.adc.model.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.fabai.core.wafer.WaferMap;

/**
 * Similar-wafer search: the embeddings (last hidden dense layer) of a reference set of maps,
 * centred on their mean, queried by cosine similarity. Immutable after construction and thread-safe (as long as the
 * classifier it embeds with is open).
 */
public final class EmbeddingIndex {

    /**
     * One hit of a search. Immutable and thread-safe.
     *
     * @param id         the reference map's id
     * @param index      its position in the reference list
     * @param similarity cosine similarity of the embeddings, in [-1, 1]
     */
    public record Neighbor(String id, int index, double similarity) {
    }

    private final CnnClassifier classifier;
    private final List<String> ids;
    private final float[][] unit;
    private final float[] mean;

    private EmbeddingIndex(CnnClassifier classifier, List<String> ids, float[][] unit, float[] mean) {
        this.classifier = classifier;
        this.ids = List.copyOf(ids);
        this.unit = unit;
        this.mean = mean;
    }

    /**
     * Embeds and indexes reference maps.
     *
     * @param classifier a trained classifier
     * @param maps       reference maps
     * @param ids        their ids (e.g. lot and wafer), same order
     * @return the index
     */
    public static EmbeddingIndex build(CnnClassifier classifier, List<WaferMap> maps, List<String> ids) {
        Objects.requireNonNull(classifier, "classifier");
        if (maps.size() != ids.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, ids " + ids.size());
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("cannot index 0 maps");
        }
        float[][] e = classifier.embed(maps);
        // centre on the reference set's mean: ReLU activations are all >= 0, so raw cosine
        // similarities crowd near 1; centred ones spread over [-1, 1]
        float[] mean = new float[e[0].length];
        for (float[] v : e) {
            for (int j = 0; j < v.length; j++) {
                mean[j] += v[j] / e.length;
            }
        }
        for (float[] v : e) {
            centre(v, mean);
            normalise(v);
        }
        return new EmbeddingIndex(classifier, ids, e, mean);
    }

    /** @return number of indexed maps */
    public int size() {
        return ids.size();
    }

    /**
     * The {@code k} most similar reference maps.
     *
     * @param query a map
     * @param k     how many, at least 1
     * @return up to {@code k} neighbours, most similar first
     */
    public List<Neighbor> nearest(WaferMap query, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        float[] q = classifier.embed(List.of(query))[0];
        centre(q, mean);
        normalise(q);
        PriorityQueue<Neighbor> heap = new PriorityQueue<>((a, b) -> Double.compare(a.similarity(), b.similarity()));
        for (int i = 0; i < unit.length; i++) {
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += q[j] * unit[i][j];
            }
            heap.add(new Neighbor(ids.get(i), i, s));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Neighbor> out = new ArrayList<>(heap);
        out.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
        return out;
    }

    private static void centre(float[] v, float[] mean) {
        for (int j = 0; j < v.length; j++) {
            v[j] -= mean[j];
        }
    }

    private static void normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        if (n == 0) {
            return;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }
}
