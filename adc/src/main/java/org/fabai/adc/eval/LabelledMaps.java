package org.fabai.adc.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled set of wafer maps (single-label), with an optional per-map cache of feature vectors
 * shared by every {@link #subset(int[]) subset} of the same pool, so that learning curves extract
 * each map's features once however many training sizes and seeds draw it.
 *
 * <p>Thread-safe: the maps and labels are immutable; the feature cache is filled lazily, and
 * concurrent fills at worst compute the same vector twice (a slot only ever receives the vector of
 * its map). The cache assumes one feature extractor per pool.
 */
public final class LabelledMaps {

    private static final Logger LOG = LoggerFactory.getLogger(LabelledMaps.class);

    private final List<WaferMap> maps;
    private final List<String> labels;
    private final int[] poolIndex;
    private final double[][] cache;

    private LabelledMaps(List<WaferMap> maps, List<String> labels, int[] poolIndex, double[][] cache) {
        this.maps = maps;
        this.labels = labels;
        this.poolIndex = poolIndex;
        this.cache = cache;
    }

    /**
     * @param maps   maps
     * @param labels their class names, same length
     * @return the set
     */
    public static LabelledMaps of(List<WaferMap> maps, List<String> labels) {
        if (maps.size() != labels.size()) {
            throw new IllegalArgumentException("maps has " + maps.size() + " entries, labels " + labels.size());
        }
        for (int i = 0; i < labels.size(); i++) {
            Objects.requireNonNull(maps.get(i), "map " + i);
            Objects.requireNonNull(labels.get(i), "label " + i);
        }
        int[] idx = new int[maps.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return new LabelledMaps(List.copyOf(maps), List.copyOf(labels), idx, new double[maps.size()][]);
    }

    /**
     * Reads a labelled NPZ of wafer maps (any layout {@link WaferMapArrays#readNpz(Path)} reads: one
     * array per map of its own size, or one stacked array) for single-label training and evaluation.
     * A map with an empty multi-hot row is class {@code none}; a map whose string label is empty
     * (WM-811K's unlabelled maps, as {@code examples/python/lswmd_to_npz.py} writes them) has no
     * label and is left out, with a warning that counts them ({@code none} is a class of its own).
     * Each map keeps its lot name (the {@code lot_name} array, when present) for lot-grouped splits.
     *
     * @param npz the file
     * @return its maps and their labels
     * @throws FormatException when the file has no labels (or only empty ones), or a map has more than one label
     * @throws IOException     when it cannot be read
     */
    public static LabelledMaps readNpz(Path npz) throws IOException, FormatException {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(npz);
        if (d.maps().isEmpty()) {
            throw new FormatException(npz.toString(), "maps", "the file holds no wafer maps (0 maps)");
        }
        if (!d.hasLabels()) {
            throw new FormatException(npz.toString(), "labels", "no labels in the file (expected arr_1 beside arr_0, or one of "
                    + WaferMapArrays.LABEL_KEYS + ")");
        }
        // string labels (WM-811K's failureType): an empty string is a map nobody labelled, not a
        // normal one ('none' is a class of its own); multi-hot labels: an empty row is a normal map
        boolean strings = d.classNames().isEmpty();
        List<WaferMap> maps = new ArrayList<>(d.maps().size());
        List<String> labels = new ArrayList<>(d.labels().size());
        List<Integer> unlabelled = new ArrayList<>();
        for (int i = 0; i < d.labels().size(); i++) {
            List<String> l = d.labels().get(i);
            if (l.size() > 1) {
                throw new FormatException(npz.toString(), "map " + i, "has several labels " + l
                        + "; single-label training needs one per map");
            }
            if (l.isEmpty() && strings) {
                unlabelled.add(i);
                continue;
            }
            maps.add(d.maps().get(i));
            labels.add(l.isEmpty() ? "none" : l.get(0));
        }
        if (maps.isEmpty()) {
            throw new FormatException(npz.toString(), "labels", "none of its " + d.maps().size()
                    + " maps has a label (every label is an empty string)");
        }
        if (!unlabelled.isEmpty()) {
            LOG.warn("{}: {} of {} maps have an empty label (unlabelled) and are left out; the first: map {}",
                    npz, unlabelled.size(), d.maps().size(),
                    unlabelled.subList(0, Math.min(5, unlabelled.size())));
        }
        return of(maps, labels);
    }

    /**
     * @param wafers generated wafers
     * @return their maps with their single labels ({@link SyntheticWafer#label()})
     */
    public static LabelledMaps ofSynthetic(List<SyntheticWafer> wafers) {
        List<WaferMap> m = new ArrayList<>(wafers.size());
        List<String> l = new ArrayList<>(wafers.size());
        for (SyntheticWafer w : wafers) {
            m.add(w.map());
            l.add(w.label());
        }
        return of(m, l);
    }

    /** @return number of maps */
    public int size() {
        return maps.size();
    }

    /** @return the maps */
    public List<WaferMap> maps() {
        return maps;
    }

    /** @return the labels */
    public List<String> labels() {
        return labels;
    }

    /** @return distinct labels in first-seen order */
    public List<String> classes() {
        return List.copyOf(new LinkedHashSet<>(labels));
    }

    /**
     * A subset sharing this pool's feature cache.
     *
     * @param indices indices into this set
     * @return the subset, in the given order
     */
    public LabelledMaps subset(int[] indices) {
        List<WaferMap> m = new ArrayList<>(indices.length);
        List<String> l = new ArrayList<>(indices.length);
        int[] p = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            m.add(maps.get(indices[i]));
            l.add(labels.get(indices[i]));
            p[i] = poolIndex[indices[i]];
        }
        return new LabelledMaps(List.copyOf(m), List.copyOf(l), p, cache);
    }

    /**
     * Feature vectors of every map, computed once per pool map and cached: the maps without a
     * cached vector are passed to {@code extractor} in one batch.
     *
     * @param extractor maps to feature vectors, one per map in order (the same function for
     *                  every call on a pool)
     * @return one vector per map (the cached arrays themselves: do not modify)
     */
    public double[][] features(Function<List<WaferMap>, double[][]> extractor) {
        List<Integer> missing = new ArrayList<>();
        List<WaferMap> todo = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            if (cache[poolIndex[i]] == null) {
                missing.add(i);
                todo.add(maps.get(i));
            }
        }
        if (!todo.isEmpty()) {
            double[][] got = extractor.apply(todo);
            if (got.length != todo.size()) {
                throw new IllegalStateException("extractor returned " + got.length + " vectors for " + todo.size() + " maps");
            }
            for (int j = 0; j < got.length; j++) {
                cache[poolIndex[missing.get(j)]] = got[j];
            }
        }
        double[][] out = new double[maps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = cache[poolIndex[i]];
        }
        return out;
    }
}
