package org.fabai.core.io.npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-map NPZ layout of {@link WaferMapArrays} (maps of many sizes, WM-811K as it ships): one
 * 2-d array per map under {@code map_00000}, {@code map_00001}, ... with {@code labels},
 * {@code lot_name} and {@code wafer_index} beside them. Package-private; stateless.
 */
final class PerMapLayout {

    /** Under {@link WaferMapArrays}' name: these are its messages. */
    private static final Logger LOG = LoggerFactory.getLogger(WaferMapArrays.class);

    /** Key pattern of one map in the per-map layout ({@code map_00000}, ...). */
    private static final Pattern PER_MAP_KEY = Pattern.compile("map_(\\d{1,18})");

    /** Arrays besides {@code map_N} that the per-map layout may hold. */
    private static final Set<String> PER_MAP_SIDE_KEYS;

    static {
        Set<String> k = new java.util.HashSet<>(WaferMapArrays.LABEL_KEYS);
        k.addAll(List.of(WaferMapArrays.LOT_KEY, WaferMapArrays.WAFER_KEY, WaferMapArrays.CLASS_NAMES_KEY, "label_sets"));
        PER_MAP_SIDE_KEYS = Set.copyOf(k);
    }

    private PerMapLayout() {
    }

    /**
     * Reads the per-map layout: one 2-d array per map under {@code map_00000}, {@code map_00001},
     * ... (numbered from 0 without gaps, any width of zero padding), each of its own size; optional
     * {@code labels} ({@code [n]} strings, {@code [n]} class indices or {@code [n, k]} multi-hot
     * with {@value WaferMapArrays#CLASS_NAMES_KEY}), {@value WaferMapArrays#LOT_KEY} ({@code [n]}
     * strings, the lot of each map, kept as {@link WaferMap#lotId()}) and
     * {@value WaferMapArrays#WAFER_KEY} ({@code [n]} numbers or strings, kept as
     * {@link WaferMap#waferId()}; NaN or empty: the map's index).
     */
    static WaferMapArrays.LabeledWaferMaps read(Map<String, NpyArray> arrays, String source)
            throws FormatException {
        TreeMap<Long, String> byIndex = index(arrays.keySet(), source, () -> WaferMapArrays.describe(arrays));
        Side side = Side.of(arrays, byIndex.size(), source);
        List<WaferMap> maps = new ArrayList<>(byIndex.size());
        int i = 0;
        for (String key : byIndex.values()) {
            maps.add(side.map(arrays.get(key), key, i++, source));
        }
        return new WaferMapArrays.LabeledWaferMaps(maps, side.labels(), side.classNames());
    }

    /**
     * Reads the layout from an open archive batch by batch (see {@link WaferMapArrays#eachNpz}):
     * the side arrays once, then {@code batchSize} maps at a time.
     *
     * @return the number of maps
     */
    static int each(NpzArchive z, int batchSize, WaferMapArrays.BatchSink sink) throws IOException, FormatException {
        String source = z.source();
        Set<String> keys = z.keys();
        String[] order = index(keys, source, () -> describeKeys(keys)).values().toArray(new String[0]);
        int n = order.length;
        Side side = readSide(z, n);
        for (int first = 0; first < n; first += batchSize) {
            int end = Math.min(n, first + batchSize);
            List<WaferMap> maps = new ArrayList<>(end - first);
            for (int i = first; i < end; i++) {
                maps.add(side.map(z.read(order[i]), order[i], i, source));
            }
            sink.accept(first, new WaferMapArrays.LabeledWaferMaps(maps,
                    side.labels().isEmpty() ? List.of() : side.labels().subList(first, end), side.classNames()));
        }
        return n;
    }

    /** The side arrays of an open archive, read and converted; the arrays themselves are not kept. */
    private static Side readSide(NpzArchive z, int n) throws IOException, FormatException {
        Map<String, NpyArray> sideArrays = new java.util.HashMap<>();
        java.util.function.Predicate<String> needed = needed(z.keys());
        for (String k : PER_MAP_SIDE_KEYS) {
            if (z.keys().contains(k)) {
                try {
                    sideArrays.put(k, z.read(k));
                } catch (PickledArrayException p) {
                    if (needed.test(k)) {
                        throw p;
                    }
                    NpzReader.skipped(z.source(), k);
                }
            }
        }
        return Side.of(sideArrays, n, z.source());
    }

    /**
     * Which arrays of an archive with these keys a reader needs: all but the lot and wafer ids, and in
     * the per-map layout also but the arrays outside it (ignored anyway). A pickled array (numpy
     * dtype {@code 'O'}, as {@code numpy.savez} writes a pandas column of strings) that is not needed
     * is left out with a warning instead of refusing the file; the maps then have no lot or wafer id.
     */
    static java.util.function.Predicate<String> needed(java.util.Set<String> keys) {
        boolean perMap = isPerMap(keys);
        return k -> !k.equals(WaferMapArrays.LOT_KEY) && !k.equals(WaferMapArrays.WAFER_KEY) && (!perMap || isLayoutKey(k));
    }

    /** @return whether an archive with these keys is in the per-map layout */
    static boolean isPerMap(java.util.Set<String> keys) {
        return !keys.contains("arr_0") && !keys.contains("maps") && matchesKeys(keys);
    }

    /** @return whether the per-map layout reads the array of this key (a map, labels or class names) */
    static boolean isLayoutKey(String key) {
        return PER_MAP_KEY.matcher(key).matches() || PER_MAP_SIDE_KEYS.contains(key);
    }

    /** @return whether these keys hold at least one {@code map_N} */
    static boolean matchesKeys(Set<String> keys) {
        return keys.stream().anyMatch(k -> PER_MAP_KEY.matcher(k).matches());
    }

    /** The first few keys of an archive and how many more, for messages. */
    private static String describeKeys(Set<String> keys) {
        List<String> first = keys.stream().limit(WaferMapArrays.DESCRIBED_ARRAYS).toList();
        return first + (keys.size() > first.size() ? " ... " + (keys.size() - first.size()) + " more" : "");
    }

    /**
     * The map arrays by number, checked: numbered from 0 without gaps, no number twice; keys that
     * are neither maps nor side arrays are logged and ignored.
     */
    private static TreeMap<Long, String> index(java.util.Collection<String> keys, String source,
                                               java.util.function.Supplier<String> described) throws FormatException {
        TreeMap<Long, String> byIndex = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String key : keys) {
            Matcher m = PER_MAP_KEY.matcher(key);
            if (m.matches()) {
                long idx;
                try {
                    idx = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    throw new FormatException(source, "array '" + key + "'", "map number out of range");
                }
                String prev = byIndex.put(idx, key);
                if (prev != null) {
                    throw new FormatException(source, "arrays '" + prev + "' and '" + key + "'",
                            "two arrays for map " + idx);
                }
            } else if (!PER_MAP_SIDE_KEYS.contains(key)) {
                unexpected.add(key);
            }
        }
        if (!unexpected.isEmpty()) {
            LOG.warn("{}: ignoring {} array(s) that are not part of the per-map layout: {}", source, unexpected.size(),
                    unexpected.subList(0, Math.min(WaferMapArrays.DESCRIBED_ARRAYS, unexpected.size())));
        }
        int n = byIndex.size();
        if (byIndex.lastKey() != n - 1) {
            long expected = 0;
            for (long idx : byIndex.keySet()) {
                if (idx != expected) {
                    break;
                }
                expected++;
            }
            throw new FormatException(source, "arrays " + described.get(), "per-map arrays must be numbered 0.."
                    + (n - 1) + " without gaps; map " + expected + " is missing (" + n + " map arrays, the highest is '"
                    + byIndex.lastEntry().getValue() + "')");
        }
        return byIndex;
    }

    /** The side arrays, read once: lot and wafer ids, labels and class names. */
    private record Side(String[] lots, String[] wafers, List<List<String>> labels, List<String> classNames) {

        static Side of(Map<String, NpyArray> arrays, int n, String source) throws FormatException {
            String[] lots = sideStrings(arrays.get(WaferMapArrays.LOT_KEY), n, source, WaferMapArrays.LOT_KEY);
            String[] wafers = sideStrings(arrays.get(WaferMapArrays.WAFER_KEY), n, source, WaferMapArrays.WAFER_KEY);
            List<String> names = WaferMapArrays.classNames(arrays, source);
            // a multi-hot 'label_sets' with class names (mixed-type maps) wins over display strings in 'labels'
            boolean sets = names != null && arrays.containsKey("label_sets");
            String key = sets ? "label_sets" : WaferMapArrays.labelsKey(arrays.keySet(), source);
            NpyArray labels = key == null ? null : arrays.get(key);
            if (labels == null) {
                return new Side(lots, wafers, List.of(), List.of());
            }
            String ls = source + ": '" + key + "'";
            if (labels.ndim() == 0 || labels.dim(0) != n) {
                throw new FormatException(ls, "array header", "expected one label row per map (" + n + "), got shape "
                        + Arrays.toString(labels.shape()));
            }
            List<List<String>> l = WaferMapArrays.toLabels(labels, names, ls);
            List<String> classNames = labels.ndim() == 2
                    ? (names != null ? names : WaferMapArrays.generic((int) labels.dim(1))) : List.of();
            return new Side(lots, wafers, l, classNames);
        }

        /** Map {@code i} of the file from its array, with its lot and wafer ids. */
        WaferMap map(NpyArray a, String key, int i, String source) throws FormatException {
            if (a.ndim() == 3 && (a.dim(0) == 1 || a.dim(2) == 1)) {
                // a singleton axis a script left on: [1, rows, cols] or [rows, cols, 1]
                a = a.reshape(a.dim(0) == 1 ? a.dim(1) : a.dim(0), a.dim(0) == 1 ? a.dim(2) : a.dim(1));
            }
            if (a.ndim() != 2) {
                throw new FormatException(source, "array '" + key + "'", "a per-map array must be 2-d"
                        + " [rows, cols] (or [1, rows, cols], [rows, cols, 1]), got shape " + Arrays.toString(a.shape()));
            }
            String lot = lots == null ? "" : lots[i];
            String wafer = wafers == null || wafers[i].isEmpty() ? Integer.toString(i) : wafers[i];
            return WaferMapArrays.toWaferMaps(a, WaferMapArrays.DieCodes.STRICT, source + ": '" + key + "'").get(0)
                    .withIds(lot, wafer);
        }
    }

    /** A side array of the per-map layout as one string per map (numbers integral without ".0"; NaN empty). */
    static String[] sideStrings(NpyArray a, int n, String source, String key) throws FormatException {
        if (a == null) {
            return null;
        }
        if (a.ndim() != 1 || a.dim(0) != n) {
            throw new FormatException(source, "array '" + key + "'", "expected one entry per map (" + n
                    + "), got shape " + Arrays.toString(a.shape()));
        }
        NpyDtype.Kind k = a.dtype().kind();
        // lots and wafer numbers repeat (25 wafers a lot): one String per distinct value, not per map
        Map<String, String> distinct = new java.util.HashMap<>();
        if (k.isString()) {
            String[] out = a.toStringArray();
            for (int i = 0; i < n; i++) {
                out[i] = distinct.computeIfAbsent(out[i], x -> x);
            }
            return out;
        }
        if (!k.isInteger() && !k.isFloat()) {
            throw new FormatException(source, "array '" + key + "'", "expected strings or numbers, got dtype "
                    + a.dtype());
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            double v = a.getDouble(i);
            out[i] = distinct.computeIfAbsent(Double.isNaN(v) ? "" : WaferMapArrays.format(v), x -> x);
        }
        return out;
    }

    /** Writes the layout {@link #read} reads (see {@link WaferMapArrays#writePerMapNpz}). */
    static void write(WaferMapArrays.LabeledWaferMaps data, Path file, boolean compressed) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        int digits = Math.max(5, Integer.toString(Math.max(0, data.maps().size() - 1)).length());
        String[] lots = new String[data.maps().size()];
        String[] wafers = new String[lots.length];
        for (int i = 0; i < lots.length; i++) {
            WaferMap m = data.maps().get(i);
            arrays.put(String.format(Locale.ROOT, "map_%0" + digits + "d", i),
                    NpyArray.ofUnsignedBytes(m.codes(), m.rows(), m.cols()));
            lots[i] = m.lotId();
            wafers[i] = m.waferId();
        }
        if (data.hasLabels()) {
            if (data.classNames().isEmpty()) {
                arrays.put("labels", WaferMapArrays.toStrings(data.labels()));
            } else {
                arrays.put("labels", WaferMapArrays.toMultiHot(data.labels(), data.classNames()));
                arrays.put(WaferMapArrays.CLASS_NAMES_KEY, NpyArray.ofStrings(data.classNames().toArray(new String[0])));
            }
        }
        arrays.put(WaferMapArrays.LOT_KEY, NpyArray.ofStrings(lots));
        arrays.put(WaferMapArrays.WAFER_KEY, NpyArray.ofStrings(wafers));
        NpzWriter.write(arrays, file, compressed);
    }
}
