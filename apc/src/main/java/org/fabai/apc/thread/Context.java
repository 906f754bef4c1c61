package org.fabai.apc.thread;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.fabai.core.process.Tool;

/**
 * The key of a control thread: named dimensions and their values, e.g. {@code tool=ETCH01},
 * {@code chamber=B}, {@code product=P7}, {@code layer=M1} — any set of dimensions. Its canonical
 * text form {@link #key()} lists the dimensions sorted by name: {@code chamber=B;product=P7;tool=ETCH01}.
 * Values are kept in Unicode NFC (composed and decomposed spellings of one name are one thread);
 * unpaired surrogates and control characters are refused, and the key is at most
 * {@value #MAX_KEY_BYTES} UTF-8 bytes (the JDBC store indexes a key longer than 1 KiB by its
 * SHA-256, so distinct long keys stay distinct threads).
 * Immutable, thread-safe.
 */
public final class Context {

    /** The dimension naming a tool ({@link #of(Tool)}). */
    public static final String TOOL = "tool";
    /** The dimension naming a tool's chamber ({@link #of(Tool)}). */
    public static final String CHAMBER = "chamber";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final SortedMap<String, String> dims;
    private final String key;

    /**
     * Longest key, in UTF-8 bytes (64 KiB): a sanity bound only. Stores index keys beyond a
     * database's index-entry limit by digest ({@link JdbcThreadStateStore#INDEX_KEY_BYTES}).
     */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    private Context(SortedMap<String, String> given) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException("a context needs at least one dimension");
        }
        TreeMap<String, String> dims = new TreeMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey() == null || !NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("context dimension name must match [A-Za-z0-9_.-]+, got '" + e.getKey() + "'");
            }
            String v = e.getValue();
            if (v == null || v.isEmpty() || v.indexOf(';') >= 0 || v.indexOf('=') >= 0 || v.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("context value of '" + e.getKey()
                        + "' must be non-empty without ';', '=' or control characters, got '" + v + "'");
            }
            dims.put(e.getKey(), normalize("context value of '" + e.getKey() + "'", v));
        }
        this.dims = Collections.unmodifiableSortedMap(dims);
        StringBuilder b = new StringBuilder();
        dims.forEach((k, v) -> b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(v));
        this.key = b.toString();
        int bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("context key is " + bytes + " UTF-8 bytes, more than the " + MAX_KEY_BYTES
                    + " allowed: '" + key.substring(0, 60) + "...'");
        }
    }

    /**
     * The one spelling fabai stores of a text that names something (context values, run ids):
     * Unicode NFC, so that composed and decomposed spellings of one name are one name. A lone
     * surrogate (not text; a database would store it as '?') and NUL are refused.
     *
     * @param what  what the text is, for the message
     * @param value the text
     * @return its NFC form
     * @throws IllegalArgumentException on a lone surrogate or NUL
     */
    static String normalize(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(what + " contains NUL (at char " + i + ")");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at char " + i + "; not valid Unicode text");
            }
        }
        return java.text.Normalizer.normalize(value, java.text.Normalizer.Form.NFC);
    }

    /**
     * @param dimensionsAndValues name, value, name, value, ...
     * @return the context
     * @throws IllegalArgumentException for an odd count, a repeated name or a bad name or value
     */
    public static Context of(String... dimensionsAndValues) {
        if (dimensionsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("context needs name/value pairs, got " + dimensionsAndValues.length + " strings");
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < dimensionsAndValues.length; i += 2) {
            if (m.put(Objects.requireNonNull(dimensionsAndValues[i], "dimension name"), dimensionsAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("context dimension '" + dimensionsAndValues[i] + "' given twice");
            }
        }
        return new Context(m);
    }

    /**
     * @param dimensions name → value
     * @return the context
     */
    public static Context of(Map<String, String> dimensions) {
        return new Context(new TreeMap<>(dimensions));
    }

    /**
     * The context of a process tool (or one chamber of it), in the dimensions RCA's histories name
     * it by: {@value #TOOL}, and {@value #CHAMBER} when the tool has a chamber. This is where an APC
     * thread and an RCA candidate cause ({@code step tool/chamber}) meet: add more dimensions with
     * {@link #with(String, String)}, read the tool back with {@link #tool()}.
     *
     * @param tool a tool, with or without chamber
     * @return {@code tool=ID} or {@code chamber=C;tool=ID}
     * @throws IllegalArgumentException if the id or chamber is not a valid context value
     */
    public static Context of(Tool tool) {
        TreeMap<String, String> m = new TreeMap<>();
        m.put(TOOL, tool.id());
        if (!tool.chamber().isEmpty()) {
            m.put(CHAMBER, tool.chamber());
        }
        return new Context(m);
    }

    /**
     * @param dimension a dimension this context lacks
     * @param value     its value
     * @return this context with one more dimension
     * @throws IllegalArgumentException if the dimension is already there, or the name or value is bad
     */
    public Context with(String dimension, String value) {
        if (dims.containsKey(dimension)) {
            throw new IllegalArgumentException("context " + key + " already has dimension '" + dimension + "'");
        }
        TreeMap<String, String> m = new TreeMap<>(dims);
        m.put(Objects.requireNonNull(dimension, "dimension name"), value);
        return new Context(m);
    }

    /** @return the tool this context names ({@value #TOOL}, with {@value #CHAMBER} if present), or empty */
    public Optional<Tool> tool() {
        String id = dims.get(TOOL);
        return id == null ? Optional.empty() : Optional.of(new Tool(id, dims.getOrDefault(CHAMBER, "")));
    }

    /**
     * Parses the canonical form.
     *
     * @param key e.g. {@code product=P7;tool=ETCH01}
     * @return the context
     * @throws IllegalArgumentException naming the bad part
     */
    public static Context parse(String key) {
        TreeMap<String, String> m = new TreeMap<>();
        for (String part : key.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("context key part '" + part + "' of '" + key + "' is not name=value");
            }
            if (m.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("context key '" + key + "' repeats dimension '" + part.substring(0, eq) + "'");
            }
        }
        return new Context(m);
    }

    /** @return the canonical text form */
    public String key() {
        return key;
    }

    /** @return the dimensions, sorted by name (unmodifiable) */
    public SortedMap<String, String> dimensions() {
        return dims;
    }

    /**
     * @param dimension a dimension name
     * @return its value, or null when this context lacks it
     */
    public String get(String dimension) {
        return dims.get(dimension);
    }

    /**
     * @param other another context
     * @return true when both have the same dimension names
     */
    public boolean sameDimensions(Context other) {
        return dims.keySet().equals(other.dims.keySet());
    }

    /**
     * @param other another context
     * @return how many dimensions both have with equal values
     */
    public int shared(Context other) {
        int n = 0;
        for (Map.Entry<String, String> e : dims.entrySet()) {
            if (e.getValue().equals(other.dims.get(e.getKey()))) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Context c && c.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }
}
