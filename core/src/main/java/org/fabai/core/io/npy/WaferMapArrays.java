package org.fabai.core.io.npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts between numpy arrays in the form WM-811K and MixedWM38 exchange wafer maps and
 * {@link WaferMap}s with labels.
 *
 * <p>Maps are a 3-d array {@code [n, rows, cols]} (or one 2-d map {@code [rows, cols]}) of die
 * codes 0 (off-wafer), 1 (good die), 2 (failing die), in any integer or float dtype with integral
 * values. Labels are either a multi-hot (or one-hot) array {@code [n, k]} of 0/1 with class names
 * for its k columns, a string array {@code [n]} (one label per map; an empty string is no label:
 * WM-811K's unlabelled maps),
 * or an integer array {@code [n]} of class indices. The map at position i gets wafer id
 * {@code "i"}.
 *
 * <p>Maps of many sizes (WM-811K as it ships) come in the per-map layout: one 2-d array per map
 * under {@code map_00000}, {@code map_00001}, ... with {@code labels}, {@code lot_name} and
 * {@code wafer_index} beside them ({@link #readNpz(Path)} reads it, {@link #writePerMapNpz} writes
 * it; {@code examples/python/} turns WM-811K's pickle and MixedWM38's NPZ into it). The lot name
 * becomes {@link WaferMap#lotId()}, the wafer index {@link WaferMap#waferId()}.
 *
 * <p>Files from other people's scripts read as well: a singleton axis on the maps
 * ({@code [n, 1, rows, cols]}, {@code [n, rows, cols, 1]}, or {@code [1, rows, cols]} and
 * {@code [rows, cols, 1]} per map), labels under {@link #LABEL_KEYS} ({@code failureType}, {@code y},
 * ...), {@code [n, 1]} string labels, and labels in other spellings (see {@link #toLabels}); lot
 * names and wafer indices beside a stacked array too. Arrays that are not read are named in a WARN.
 *
 * <p>MixedWM38's {@code Wafer_Map_Datasets.npz} holds {@code arr_0} ({@code n x 52 x 52} codes)
 * and {@code arr_1} ({@code n x 8} multi-hot, classes {@link #MIXEDWM38_CLASSES}); 105 of its
 * Near-Full maps carry a stray code 3 in one cell (reported on the dataset's issue tracker),
 * which {@link DieCodes#MIXEDWM38} maps to FAIL. Any other unknown code is a
 * {@link FormatException} naming the map, row, column and value.
 *
 * <p>Stateless and thread-safe.
 */
public final class WaferMapArrays {

    private static final Logger LOG = LoggerFactory.getLogger(WaferMapArrays.class);

    /**
     * The eight basic defect classes of MixedWM38, in the column order of its {@code arr_1}
     * labels (Wang et al., IEEE TSM 2020): an all-zero row is a normal wafer.
     */
    public static final List<String> MIXEDWM38_CLASSES = List.of(
            "Center", "Donut", "Edge-Loc", "Edge-Ring", "Loc", "Near-full", "Scratch", "Random");

    /**
     * The nine WM-811K classes in WM-811K's spelling, which labels read from a file are brought to
     * (see {@link #toLabels}).
     */
    public static final List<String> WM811K_CLASSES = List.of(
            "Center", "Donut", "Edge-Loc", "Edge-Ring", "Loc", "Near-full", "Random", "Scratch", "none");

    /** Key of the class-name array written by {@link #writeNpz} and read back by {@link #readNpz(Path)}. */
    public static final String CLASS_NAMES_KEY = "class_names";

    /** Most cells (and most rows or columns) of one map: 64Mi, as {@link WaferMap} allows. */
    private static final long MAX_SIDE = 64L * 1024 * 1024;

    /** Key of the per-map lot names in the per-map layout (WM-811K's {@code lotName}). */
    public static final String LOT_KEY = "lot_name";

    /** Key of the per-map wafer numbers in the per-map layout (WM-811K's {@code waferIndex}). */
    public static final String WAFER_KEY = "wafer_index";

    /** Most label columns (classes) accepted. */
    private static final long MAX_CLASSES = 1 << 16;

    private WaferMapArrays() {
    }

    /**
     * Which numeric codes besides 0, 1 and 2 are accepted, and as which die state. Immutable and
     * thread-safe.
     *
     * @param extra code to die state for codes other than 0/1/2 (copied; empty: strict)
     */
    public record DieCodes(Map<Integer, DieState> extra) {
        /** Only 0, 1 and 2. */
        public static final DieCodes STRICT = new DieCodes(Map.of());
        /** 0, 1, 2, and MixedWM38's stray 3 read as FAIL. */
        public static final DieCodes MIXEDWM38 = new DieCodes(Map.of(3, DieState.FAIL));

        /** Validates the mapping. */
        public DieCodes {
            extra = Map.copyOf(extra);
            for (Integer c : extra.keySet()) {
                if (c >= 0 && c <= 2) {
                    throw new IllegalArgumentException("extra die codes must not redefine 0, 1 or 2, got " + c);
                }
            }
        }
    }

    /**
     * Maps with their labels, as read from or written to an NPZ file. Immutable and thread-safe.
     *
     * @param maps       the wafer maps
     * @param labels     per map, its labels (empty list: none / normal); empty when the file has no labels
     * @param classNames the class names of a multi-hot label array (empty for string labels or none)
     */
    public record LabeledWaferMaps(List<WaferMap> maps, List<List<String>> labels, List<String> classNames) {
        /** Validates and copies. */
        public LabeledWaferMaps {
            maps = List.copyOf(maps);
            List<List<String>> l = new ArrayList<>();
            for (List<String> x : labels) {
                l.add(List.copyOf(x));
            }
            labels = Collections.unmodifiableList(l);
            classNames = List.copyOf(classNames);
            if (!labels.isEmpty() && labels.size() != maps.size()) {
                throw new IllegalArgumentException("labels must be empty or one per map: " + labels.size()
                        + " labels for " + maps.size() + " maps");
            }
        }

        /** @return true when the maps carry labels */
        public boolean hasLabels() {
            return !labels.isEmpty();
        }
    }

    /**
     * Converts a code array with {@link DieCodes#STRICT} codes.
     *
     * @param maps   {@code [n, rows, cols]} or {@code [rows, cols]} codes
     * @param source name for messages (file and key)
     * @return one map per slice, wafer id = its index
     * @throws FormatException if the shape or a code is not valid
     */
    public static List<WaferMap> toWaferMaps(NpyArray maps, String source) throws FormatException {
        return toWaferMaps(maps, DieCodes.STRICT, source);
    }

    /**
     * Converts a code array.
     *
     * @param maps   {@code [n, rows, cols]} or {@code [rows, cols]} codes, integer or float dtype
     * @param codes  accepted codes
     * @param source name for messages (file and key)
     * @return one map per slice, wafer id = its index
     * @throws FormatException if the shape or a code is not valid; the message names the map, row,
     *                         column and value
     */
    public static List<WaferMap> toWaferMaps(NpyArray maps, DieCodes codes, String source) throws FormatException {
        Objects.requireNonNull(codes, "codes");
        NpyDtype.Kind k = maps.dtype().kind();
        if (!k.isInteger() && !k.isFloat()) {
            throw new FormatException(source, "array header", "wafer maps must be an integer or float array of"
                    + " codes 0/1/2, got dtype " + maps.dtype() + (k == NpyDtype.Kind.BOOL ? " (a fail/pass mask cannot"
                    + " tell off-wafer dies from good ones: write codes, e.g. numpy.where(mask, 2, 1) with 0 off the"
                    + " wafer)" : ""));
        }
        if (maps.ndim() == 4 && (maps.dim(1) == 1 || maps.dim(3) == 1)) {
            // a channel axis ([n, 1, rows, cols] as PyTorch stacks images, [n, rows, cols, 1] as Keras does)
            long[] s = maps.shape();
            maps = maps.reshape(s[0], s[1] == 1 ? s[2] : s[1], s[1] == 1 ? s[3] : s[2]);
        }
        long n;
        long rows;
        long cols;
        if (maps.ndim() == 3) {
            n = maps.dim(0);
            rows = maps.dim(1);
            cols = maps.dim(2);
        } else if (maps.ndim() == 2) {
            n = 1;
            rows = maps.dim(0);
            cols = maps.dim(1);
        } else {
            throw new FormatException(source, "array header", "wafer maps must be a 3-d array [n, rows, cols]"
                    + " (or [n, 1, rows, cols], [n, rows, cols, 1]) or one 2-d map, got shape "
                    + Arrays.toString(maps.shape()));
        }
        if (rows > MAX_SIDE || cols > MAX_SIDE || rows * cols > MAX_SIDE) {
            throw new FormatException(source, "array header", "wafer maps of " + rows + "x" + cols + " cells exceed the "
                    + MAX_SIDE + " cells a map may hold, got shape " + Arrays.toString(maps.shape()));
        }
        if (n > 0 && (rows < 1 || cols < 1)) {
            throw new FormatException(source, "array header", "wafer maps need at least 1 row and 1 column, got shape "
                    + Arrays.toString(maps.shape()));
        }
        int cells = (int) (rows * cols);
        List<WaferMap> out = new ArrayList<>((int) n);
        byte[] buf = new byte[cells];
        Map<Integer, Integer> remapped = new HashMap<>();
        for (int m = 0; m < n; m++) {
            long base = (long) m * cells;
            for (int c = 0; c < cells; c++) {
                double v = maps.getDouble(base + c);
                int code = (int) v;
                DieState st = null;
                if (code == v) {
                    if (code >= 0 && code <= 2) {
                        buf[c] = (byte) code;
                        continue;
                    }
                    st = codes.extra().get(code);
                }
                if (st == null) {
                    throw new FormatException(source, (n == 1 && maps.ndim() == 2 ? "" : "map " + m + ", ")
                            + "row " + (c / cols) + ", col " + (c % cols) + " (flat index " + (base + c) + ")",
                            "die code " + format(v)
                            + " is not 0 (off), 1 (good) or 2 (fail)"
                            + (codes.extra().isEmpty() ? "" : " or one of " + codes.extra().keySet()));
                }
                buf[c] = (byte) st.code();
                remapped.merge(code, 1, Integer::sum);
            }
            out.add(WaferMap.fromCodes((int) rows, (int) cols, buf).withIds("", Integer.toString(m)));
        }
        if (!remapped.isEmpty()) {
            LOG.warn("{}: read extra die codes as {} (code=cells)", source, remapped);
        }
        return out;
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Converts a label array to per-map label lists.
     *
     * @param labels     {@code [n, k]} multi-hot 0/1 (numeric or bool), {@code [n]} (or {@code [n, 1]})
     *                   strings, or {@code [n]} integer class indices; strings are trimmed, unwrapped from a
     *                   Python repr ({@code "[['Edge-Loc']]"}, {@code "[]"}: no label) and the nine WM-811K
     *                   class names read in any case and with any of {@code - _ space} between words
     *                   ({@code edge_loc} is {@code Edge-Loc}, {@code normal} is {@code none}; {@code nan}, pandas'
     *                   missing value as text, is no label), with a WARN
     *                   that counts the rewrites
     * @param classNames names of the k columns or of the class indices; null for {@code "class_0"}...
     *                   (ignored for string labels)
     * @param source     name for messages
     * @return per map, its labels (multi-hot: in column order, an all-zero row an empty list; an
     *         empty string label: an empty list, which for string labels means unlabelled)
     * @throws FormatException if the shape or a value is not valid
     */
    public static List<List<String>> toLabels(NpyArray labels, List<String> classNames, String source)
            throws FormatException {
        NpyDtype.Kind k = labels.dtype().kind();
        List<List<String>> out = new ArrayList<>();
        if (k.isString() && (labels.ndim() == 1 || labels.ndim() == 2 && labels.dim(1) == 1)) {
            // [n, 1]: WM-811K's nested failureType ([['none']]) stacked by a script
            String[] all = labels.toStringArray();
            LabelSpelling.canonicalise(all, LOG, source);
            // one list per distinct label, shared by its maps (800,000 maps, nine classes)
            Map<String, List<String>> distinct = new HashMap<>();
            for (String s : all) {
                out.add(distinct.computeIfAbsent(s, x -> x.isEmpty() ? List.of() : List.of(x)));
            }
            return out;
        }
        if (labels.ndim() == 1 && (k.isInteger() || k == NpyDtype.Kind.BOOL)) {
            for (int i = 0; i < labels.size(); i++) {
                long c = labels.getLong(i);
                if (classNames != null && (c < 0 || c >= classNames.size())) {
                    throw new FormatException(source, "label " + i, "class index " + c + " outside the "
                            + classNames.size() + " class names " + classNames);
                }
                out.add(List.of(classNames == null ? Long.toString(c) : classNames.get((int) c)));
            }
            return out;
        }
        if (labels.ndim() == 2 && !k.isString()) {
            if (labels.dim(1) > MAX_CLASSES) {
                throw new FormatException(source, "array header", "multi-hot labels with " + labels.dim(1)
                        + " columns; at most " + MAX_CLASSES + " classes are accepted");
            }
            long n = labels.dim(0);
            int kk = (int) labels.dim(1);
            List<String> names = classNames;
            if (names == null) {
                String[] g = new String[kk];
                for (int j = 0; j < kk; j++) {
                    g[j] = "class_" + j;
                }
                names = List.of(g);
            } else if (names.size() != kk) {
                throw new FormatException(source, "array header", "multi-hot labels have " + kk
                        + " columns but " + names.size() + " class names were given: " + names);
            }
            for (int i = 0; i < n; i++) {
                List<String> l = new ArrayList<>();
                for (int j = 0; j < kk; j++) {
                    double v = labels.getDouble((long) i * kk + j);
                    if (v == 1) {
                        l.add(names.get(j));
                    } else if (v != 0) {
                        throw new FormatException(source, "label row " + i + ", column " + j + " (" + names.get(j) + ")",
                                "multi-hot label value " + format(v) + " is not 0 or 1");
                    }
                }
                out.add(Collections.unmodifiableList(l));
            }
            return out;
        }
        throw new FormatException(source, "array header", "labels must be [n, k] multi-hot, [n] strings or [n]"
                + " class indices, got " + labels.dtype() + " of shape " + Arrays.toString(labels.shape()));
    }

    /**
     * Reads maps and labels from NPZ arrays, detecting the layout: maps under {@code arr_0} or
     * {@code maps} (else the only 3-d numeric array), labels under {@code arr_1} or {@code labels}
     * (optional), class names under {@value #CLASS_NAMES_KEY} (optional). When the arrays look like
     * MixedWM38 ({@code arr_0} of 52x52 maps and {@code arr_1} with 8 columns, no class names), the
     * classes are {@link #MIXEDWM38_CLASSES} and codes {@link DieCodes#MIXEDWM38}; otherwise codes
     * are strict.
     *
     * @param arrays arrays of one NPZ file
     * @param source name for messages
     * @return maps and labels
     * @throws FormatException if no maps array is found or arrays do not fit together
     */
    public static LabeledWaferMaps fromArrays(Map<String, NpyArray> arrays, String source) throws FormatException {
        if (PerMapLayout.isPerMap(arrays.keySet())) {
            return PerMapLayout.read(arrays, source);
        }
        String mapsKey = arrays.containsKey("arr_0") ? "arr_0" : arrays.containsKey("maps") ? "maps" : null;
        if (mapsKey == null) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                NpyDtype.Kind k = e.getValue().dtype().kind();
                if (e.getValue().ndim() == 3 && (k.isInteger() || k.isFloat())) {
                    if (mapsKey != null) {
                        throw new FormatException(source, "arrays " + describe(arrays), "several 3-d arrays ('"
                                + mapsKey + "', '" + e.getKey() + "'); name the maps array explicitly");
                    }
                    mapsKey = e.getKey();
                }
            }
        }
        if (mapsKey == null) {
            throw new FormatException(source, "arrays " + describe(arrays), "no wafer-map array: expected one array"
                    + " per map named map_00000, map_00001, ..., or 'arr_0', 'maps' or another 3-d numeric array"
                    + " [n, rows, cols]");
        }
        String labelsKey = arrays.containsKey("arr_1") && !"arr_1".equals(mapsKey) ? "arr_1"
                : labelsKey(arrays.keySet(), source);
        List<String> unused = new ArrayList<>();
        for (String key : arrays.keySet()) {
            if (!key.equals(mapsKey) && !key.equals(labelsKey) && !key.equals(CLASS_NAMES_KEY)
                    && !key.equals(LOT_KEY) && !key.equals(WAFER_KEY)) {
                unused.add(key);
            }
        }
        if (!unused.isEmpty()) {
            LOG.warn("{}: read maps from '{}'{}; ignoring {} other array(s): {}", source, mapsKey,
                    labelsKey == null ? " and no labels" : " and labels from '" + labelsKey + "'", unused.size(),
                    unused.subList(0, Math.min(DESCRIBED_ARRAYS, unused.size())));
        }
        List<String> names = classNames(arrays, source);
        NpyArray maps = arrays.get(mapsKey);
        NpyArray labels = labelsKey == null ? null : arrays.get(labelsKey);
        DieCodes codes = DieCodes.STRICT;
        if (names == null && "arr_0".equals(mapsKey) && "arr_1".equals(labelsKey) && maps.ndim() == 3
                && maps.dim(1) == 52 && maps.dim(2) == 52 && labels.ndim() == 2 && labels.dim(1) == 8) {
            names = MIXEDWM38_CLASSES;
            codes = DieCodes.MIXEDWM38;
        }
        LabeledWaferMaps read = fromArrays(maps, labels, names, codes, source + ": '" + mapsKey + "'",
                source + ": '" + labelsKey + "'");
        if (!arrays.containsKey(LOT_KEY) && !arrays.containsKey(WAFER_KEY)) {
            return read;
        }
        // lot and wafer ids beside a stacked array, as in the per-map layout
        int n = read.maps().size();
        String[] lots = PerMapLayout.sideStrings(arrays.get(LOT_KEY), n, source, LOT_KEY);
        String[] wafers = PerMapLayout.sideStrings(arrays.get(WAFER_KEY), n, source, WAFER_KEY);
        List<WaferMap> withIds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WaferMap m = read.maps().get(i);
            withIds.add(m.withIds(lots == null ? m.lotId() : lots[i],
                    wafers == null || wafers[i].isEmpty() ? m.waferId() : wafers[i]));
        }
        return new LabeledWaferMaps(withIds, read.labels(), read.classNames());
    }

    /**
     * Keys read as the labels array, in this order of preference (besides {@code arr_1} beside
     * {@code arr_0}): {@code labels}, {@code label}, WM-811K's column name {@code failureType},
     * {@code failure_type} and {@code y}.
     */
    public static final List<String> LABEL_KEYS = List.of("labels", "label", "failureType", "failure_type", "y");

    /** The first of {@link #LABEL_KEYS} among the keys (a WARN names any other one that is ignored), or null. */
    static String labelsKey(java.util.Collection<String> keys, String source) {
        String found = null;
        for (String k : LABEL_KEYS) {
            if (keys.contains(k)) {
                if (found == null) {
                    found = k;
                } else {
                    LOG.warn("{}: labels read from '{}'; ignoring the array '{}' beside it", source, found, k);
                }
            }
        }
        return found;
    }

    /**
     * Combines a maps array and an optional labels array.
     *
     * @param maps         code array
     * @param labels       label array, or null
     * @param classNames   class names for multi-hot or index labels, or null
     * @param codes        accepted codes
     * @param mapsSource   name of the maps array for messages
     * @param labelsSource name of the labels array for messages
     * @return maps and labels
     * @throws FormatException if an array is not valid or the counts differ
     */
    public static LabeledWaferMaps fromArrays(NpyArray maps, NpyArray labels, List<String> classNames, DieCodes codes,
            String mapsSource, String labelsSource) throws FormatException {
        List<WaferMap> m = toWaferMaps(maps, codes, mapsSource);
        if (labels == null) {
            return new LabeledWaferMaps(m, List.of(), List.of());
        }
        if (labels.ndim() == 0 || labels.dim(0) != m.size()) {
            throw new FormatException(labelsSource, "array header", "expected one label row per map (" + m.size()
                    + "), got shape " + Arrays.toString(labels.shape()));
        }
        List<List<String>> l = toLabels(labels, classNames, labelsSource);
        List<String> names = List.of();
        if (labels.ndim() == 2) {
            names = classNames != null ? classNames : generic((int) labels.dim(1));
        }
        return new LabeledWaferMaps(m, l, names);
    }

    static List<String> generic(int k) {
        String[] g = new String[k];
        for (int j = 0; j < k; j++) {
            g[j] = "class_" + j;
        }
        return List.of(g);
    }

    /** The {@value #CLASS_NAMES_KEY} array as names, or null when the file has none. */
    static List<String> classNames(Map<String, NpyArray> arrays, String source) throws FormatException {
        NpyArray cn = arrays.get(CLASS_NAMES_KEY);
        if (cn == null) {
            return null;
        }
        if (cn.ndim() != 1 || !cn.dtype().kind().isString()) {
            throw new FormatException(source, "array '" + CLASS_NAMES_KEY + "'", "class names must be a 1-d"
                    + " string array, got " + cn);
        }
        String[] names = cn.toStringArray();
        LabelSpelling.canonicalise(names, LOG, source + ": '" + CLASS_NAMES_KEY + "'");
        return List.of(names);
    }

    /** At most this many arrays are named in a message about a file's arrays. */
    static final int DESCRIBED_ARRAYS = 5;

    /**
     * Names the first few arrays of a file with dtype and shape, and how many more there are, so a
     * message stays short for an archive of thousands of per-map arrays.
     */
    static String describe(Map<String, NpyArray> arrays) {
        StringBuilder sb = new StringBuilder("{");
        int shown = 0;
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            if (shown == DESCRIBED_ARRAYS) {
                sb.append(", ... ").append(arrays.size() - shown).append(" more");
                break;
            }
            if (shown > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(": ").append(e.getValue().dtype()).append(Arrays.toString(e.getValue().shape()));
            shown++;
        }
        return sb.append('}').toString();
    }

    /**
     * Reads an NPZ file of wafer maps (and labels, when present), detecting the layout as
     * {@link #fromArrays(Map, String)} does.
     *
     * @param file the {@code .npz} file
     * @return maps and labels
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid NPZ of wafer maps
     */
    public static LabeledWaferMaps readNpz(Path file) throws IOException, FormatException {
        return readNpz(file, NpyLimits.DEFAULT);
    }

    /**
     * Reads an NPZ file of wafer maps within a memory budget, as {@link #readNpz(Path)} does.
     *
     * @param file   the {@code .npz} file
     * @param limits the budget per array and for the archive
     * @return maps and labels
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid NPZ of wafer maps or is over budget
     */
    public static LabeledWaferMaps readNpz(Path file, NpyLimits limits) throws IOException, FormatException {
        java.util.Set<String> keys;
        try (NpzArchive z = NpzArchive.open(file, limits)) {
            keys = z.keys();
        }
        return fromArrays(NpzReader.read(file, limits, PerMapLayout.needed(keys)), file.toString());
    }

    /** Receives the maps of a file batch by batch ({@link #eachNpz}). */
    @FunctionalInterface
    public interface BatchSink {
        /**
         * @param first the position in the file of the batch's first map
         * @param batch the maps (and their labels, when the file has labels)
         * @throws IOException     to stop reading
         * @throws FormatException to stop reading
         */
        void accept(int first, LabeledWaferMaps batch) throws IOException, FormatException;
    }

    /**
     * Reads an NPZ of wafer maps batch by batch. In the per-map layout (one array per map: all of
     * WM-811K in one file) only the side arrays and one batch of maps are in memory at a time, each
     * array within {@link NpyLimits#maxArrayBytes()}, so the file may be larger than
     * {@link NpyLimits#maxTotalBytes()}; the other layouts hold one big array and are read whole
     * ({@link #readNpz(Path, NpyLimits)}), then handed out in batches. The maps, their ids and
     * labels are those {@link #readNpz(Path)} gives, in the same order, with the same errors.
     *
     * @param file      the {@code .npz} file
     * @param batchSize maps per batch, at least 1
     * @param limits    the budget
     * @param sink      receives each batch
     * @return the number of maps read
     * @throws IOException     if the file cannot be read, or the sink says so
     * @throws FormatException if it is not a valid NPZ of wafer maps, or the sink says so
     */
    public static int eachNpz(Path file, int batchSize, NpyLimits limits, BatchSink sink)
            throws IOException, FormatException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        try (NpzArchive z = NpzArchive.open(file, limits)) {
            if (PerMapLayout.isPerMap(z.keys())) {
                return PerMapLayout.each(z, batchSize, sink);
            }
        }
        LabeledWaferMaps all = readNpz(file, limits);
        int n = all.maps().size();
        for (int first = 0; first < n; first += batchSize) {
            int end = Math.min(n, first + batchSize);
            sink.accept(first, new LabeledWaferMaps(all.maps().subList(first, end),
                    all.labels().isEmpty() ? List.of() : all.labels().subList(first, end), all.classNames()));
        }
        return n;
    }

    /**
     * @param maps maps of one size
     * @return a {@code uint8} array {@code [n, rows, cols]} of codes 0/1/2
     * @throws IllegalArgumentException if the list is empty or the maps differ in size
     */
    public static NpyArray toArray(List<WaferMap> maps) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("need at least one map to know the array's rows and columns");
        }
        int rows = maps.get(0).rows();
        int cols = maps.get(0).cols();
        int cells = rows * cols;
        if ((long) cells * maps.size() > NpyArray.MAX_BYTES) {
            throw new IllegalArgumentException(maps.size() + " maps of " + rows + "x" + cols + " exceed one array");
        }
        byte[] data = new byte[cells * maps.size()];
        for (int i = 0; i < maps.size(); i++) {
            WaferMap m = maps.get(i);
            if (m.rows() != rows || m.cols() != cols) {
                throw new IllegalArgumentException("map " + i + " is " + m.rows() + "x" + m.cols() + ", map 0 is "
                        + rows + "x" + cols + "; resize them to one size first");
            }
            System.arraycopy(m.codes(), 0, data, i * cells, cells);
        }
        return NpyArray.ofUnsignedBytes(data, maps.size(), rows, cols);
    }

    /**
     * @param labels     per map, its labels (each one of {@code classNames})
     * @param classNames the k classes, in column order
     * @return a {@code uint8} multi-hot array {@code [n, k]}
     */
    public static NpyArray toMultiHot(List<List<String>> labels, List<String> classNames) {
        Map<String, Integer> col = new LinkedHashMap<>();
        for (String c : classNames) {
            if (col.put(c, col.size()) != null) {
                throw new IllegalArgumentException("class name '" + c + "' appears twice in " + classNames);
            }
        }
        int k = classNames.size();
        byte[] data = new byte[labels.size() * k];
        for (int i = 0; i < labels.size(); i++) {
            for (String l : labels.get(i)) {
                Integer j = col.get(l);
                if (j == null) {
                    throw new IllegalArgumentException("label '" + l + "' of map " + i + " is not one of " + classNames);
                }
                data[i * k + j] = 1;
            }
        }
        return NpyArray.ofUnsignedBytes(data, labels.size(), k);
    }

    /**
     * @param labels per map, at most one label (none is written as an empty string)
     * @return a unicode string array {@code [n]}
     */
    public static NpyArray toStrings(List<List<String>> labels) {
        String[] s = new String[labels.size()];
        for (int i = 0; i < s.length; i++) {
            List<String> l = labels.get(i);
            if (l.size() > 1) {
                throw new IllegalArgumentException("map " + i + " has " + l.size() + " labels " + l
                        + "; string labels hold one per map, use multi-hot class names");
            }
            s[i] = l.isEmpty() ? "" : l.get(0);
        }
        return NpyArray.ofStrings(s);
    }

    /**
     * Writes maps and labels as an NPZ that numpy and {@link #readNpz(Path)} read: {@code arr_0}
     * the codes {@code [n, rows, cols]}; {@code arr_1} the labels, multi-hot {@code [n, k]} with
     * {@value #CLASS_NAMES_KEY} when class names are given, else strings {@code [n]}; no
     * {@code arr_1} when there are no labels.
     *
     * @param data       maps (one size) and labels
     * @param file       destination
     * @param compressed deflate entries (true) or store them
     * @throws IOException if writing fails
     */
    public static void writeNpz(LabeledWaferMaps data, Path file, boolean compressed) throws IOException {
        if (!oneSize(data.maps())) {
            writePerMapNpz(data, file, compressed);
            return;
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("arr_0", toArray(data.maps()));
        if (data.hasLabels()) {
            if (data.classNames().isEmpty()) {
                arrays.put("arr_1", toStrings(data.labels()));
            } else {
                arrays.put("arr_1", toMultiHot(data.labels(), data.classNames()));
                arrays.put(CLASS_NAMES_KEY, NpyArray.ofStrings(data.classNames().toArray(new String[0])));
            }
        }
        NpzWriter.write(arrays, file, compressed);
    }

    private static boolean oneSize(List<WaferMap> maps) {
        for (WaferMap m : maps) {
            if (m.rows() != maps.get(0).rows() || m.cols() != maps.get(0).cols()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes maps of any sizes in the per-map layout that {@link #readNpz(Path)} reads: one
     * {@code uint8} array per map ({@code map_00000}, ...), {@code labels} (strings, or multi-hot with
     * {@value #CLASS_NAMES_KEY} when class names are given), {@value #LOT_KEY} and
     * {@value #WAFER_KEY} (strings, from each map's ids). {@link #writeNpz} picks this layout when the
     * maps differ in size.
     *
     * @param data       maps and labels
     * @param file       destination
     * @param compressed deflate entries (true) or store them
     * @throws IOException if writing fails
     */
    public static void writePerMapNpz(LabeledWaferMaps data, Path file, boolean compressed) throws IOException {
        PerMapLayout.write(data, file, compressed);
    }
}
