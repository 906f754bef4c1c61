package org.fabai.core.io.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dictionary encoding of strings: each distinct string gets a small int code (0, 1, 2, ... in
 * order of first interning), so a column of repeated ids (wafers, steps, tools) is held as an
 * {@code int[]} and each distinct text once. Thread-safe: codes may be interned from several
 * threads at once; a code, once given, never changes.
 */
public final class StringDictionary {

    private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();
    private final List<String> values = new ArrayList<>();

    /** Creates an empty dictionary. */
    public StringDictionary() {
    }

    /**
     * @param s a string
     * @return its code, given now if the string is new
     */
    public int intern(String s) {
        Integer c = codes.get(s);
        if (c != null) {
            return c;
        }
        synchronized (values) {
            c = codes.get(s);
            if (c == null) {
                c = values.size();
                values.add(s);
                codes.put(s, c);
            }
            return c;
        }
    }

    /**
     * @param s a string
     * @return its code, or -1 when it was never interned
     */
    public int code(String s) {
        Integer c = codes.get(s);
        return c == null ? -1 : c;
    }

    /**
     * @param code a code given by {@link #intern}
     * @return its string
     */
    public String value(int code) {
        synchronized (values) {
            return values.get(code);
        }
    }

    /** @return the number of distinct strings */
    public int size() {
        synchronized (values) {
            return values.size();
        }
    }
}
