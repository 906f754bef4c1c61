package org.fabai.core.io.npy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Reads label strings as other people's scripts write them: surrounding whitespace, a Python
 * repr of WM-811K's nested {@code failureType} ({@code "[['Edge-Loc']]"}, {@code "[]"} for an
 * unlabelled map), a bytes repr ({@code "b'none'"}), and the nine WM-811K class names in any
 * case and with {@code -}, {@code _}, a space or nothing between their words ({@code edge_loc},
 * {@code EDGE-LOC}, {@code Near-Full}, {@code NearFull}; {@code normal} is {@code none}, as
 * MixedWM38 names it; {@code nan}, pandas' missing value as text, is no label). Any other label
 * is kept as it is, trimmed. Every rewrite is counted and
 * logged once per array. Package-private; stateless and thread-safe.
 */
final class LabelSpelling {

    /** Normalised key (lower case, no separators) to the WM-811K spelling. */
    private static final Map<String, String> BY_KEY = new HashMap<>();

    static {
        for (String c : WaferMapArrays.WM811K_CLASSES) {
            BY_KEY.put(key(c), c);
        }
        BY_KEY.put("normal", "none");
        // pandas' missing value written as text (astype(str) of a column with NaN): no label
        BY_KEY.put("nan", "");
    }

    private LabelSpelling() {
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /**
     * @param raw a label as stored
     * @return its canonical spelling: unwrapped, trimmed, a WM-811K class name in WM-811K's spelling
     */
    static String canonical(String raw) {
        String s = raw.strip();
        while (true) {
            String before = s;
            if (s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
                s = s.substring(1, s.length() - 1).strip();
            }
            if (s.length() >= 3 && (s.startsWith("b'") && s.endsWith("'") || s.startsWith("b\"") && s.endsWith("\""))) {
                s = s.substring(2, s.length() - 1).strip();
            }
            if (s.length() >= 2 && (s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\''
                    || s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"')) {
                s = s.substring(1, s.length() - 1).strip();
            }
            if (s.equals(before)) {
                break;
            }
        }
        String c = BY_KEY.get(key(s));
        return c != null ? c : s;
    }

    /**
     * Canonicalises labels in place and logs one WARN naming the first few rewrites and how many
     * labels each touched.
     *
     * @param labels the labels (rewritten)
     * @param log    where to warn
     * @param source the file and array, for the message
     */
    static void canonicalise(String[] labels, Logger log, String source) {
        Map<String, int[]> rewrites = new LinkedHashMap<>();
        Map<String, String> to = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            String raw = labels[i];
            String c = to.computeIfAbsent(raw, LabelSpelling::canonical);
            if (!c.equals(raw)) {
                rewrites.computeIfAbsent(raw, r -> new int[1])[0]++;
                labels[i] = c;
            }
        }
        if (rewrites.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, int[]> e : rewrites.entrySet()) {
            total += e.getValue()[0];
            if (shown.size() < WaferMapArrays.DESCRIBED_ARRAYS) {
                shown.add("'" + e.getKey() + "' -> '" + to.get(e.getKey()) + "' (" + e.getValue()[0] + ")");
            }
        }
        log.warn("{}: read {} label(s) in {} other spelling(s) as {}{}", source, total, rewrites.size(),
                String.join(", ", shown), rewrites.size() > shown.size()
                        ? " and " + (rewrites.size() - shown.size()) + " more" : "");
    }
}
