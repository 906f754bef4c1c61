package org.fabai.cli.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's key figures: each printed on the terminal when it is known, kept in order for the
 * report and {@code summary.json}, which show the same values. Not thread-safe.
 */
final class Figures {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Progress progress;

    Figures(Progress progress) {
        this.progress = progress;
    }

    void put(String key, String value) {
        values.put(key, value);
        progress.figure(key, value);
    }

    String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("no figure '" + key + "'");
        }
        return v;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** @return key and value pairs of the given figures, for {@code HtmlReport.figures} */
    String[] pairs(String... keys) {
        String[] out = new String[2 * keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[2 * i] = keys[i];
            out[2 * i + 1] = get(keys[i]);
        }
        return out;
    }

    Map<String, String> all() {
        return Collections.unmodifiableMap(values);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String g3(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
