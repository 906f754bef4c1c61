package org.fabai.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What produced a fitted or stored thing: the producing artifact, its version, and named facts
 * (configuration, data summary, seed) in the order they were added. Immutable and thread-safe.
 *
 * <h2>Text form</h2>
 * One line, what a database column, a log line or a model header holds ({@link #toText()},
 * {@link #parse(String)}):
 * <pre>
 * PRODUCER VERSION[; KEY=VALUE]...
 * </pre>
 * e.g. {@code fabai-apc 0.1.0; estimator=ewma; estimator.config=EwmaConfig[lambda=0.3, gain=-0.8]}.
 * The producer and version are free of blanks and {@code ;}; keys match {@code [A-Za-z0-9._-]+};
 * in a value, {@code \} is written {@code \\}, {@code ;} is written {@code \;} and a line break
 * {@code \n}. Text written before this form existed (free text after {@code PRODUCER VERSION;})
 * parses too, its rest kept whole under {@link #LEGACY}.
 *
 * @param producer the artifact, e.g. {@code fabai-apc}
 * @param version  its version ({@link FabaiVersion#get()} for fabai's own)
 * @param facts    the facts, key to value (copied; iteration in insertion order)
 */
public record Provenance(String producer, String version, Map<String, String> facts) {

    /** The key under which {@link #parse(String)} keeps the rest of a text in the earlier free form. */
    public static final String LEGACY = "legacy";

    private static final Pattern WORD = Pattern.compile("[^\\s;]+");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");

    /** Validates and copies. */
    public Provenance {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(facts, "facts");
        if (!WORD.matcher(producer).matches()) {
            throw new IllegalArgumentException("provenance producer must be non-empty without blanks or ';', got '"
                    + producer + "'");
        }
        if (!WORD.matcher(version).matches()) {
            throw new IllegalArgumentException("provenance version must be non-empty without blanks or ';', got '"
                    + version + "'");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        facts.forEach((k, v) -> {
            if (k == null || !KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("provenance key must match [A-Za-z0-9._-]+, got '" + k + "'");
            }
            copy.put(k, Objects.requireNonNull(v, () -> "provenance value of '" + k + "'"));
        });
        facts = Collections.unmodifiableMap(copy);
    }

    /**
     * @param producer the artifact, e.g. {@code fabai-apc}
     * @return its provenance at the fabai version on the class path, no facts yet
     */
    public static Provenance of(String producer) {
        return new Provenance(producer, FabaiVersion.get(), Map.of());
    }

    /**
     * @param key   a fact's name
     * @param value its value (any text; {@code toString()} of a config record is typical)
     * @return this provenance with the fact added (or replaced, keeping its place)
     */
    public Provenance with(String key, Object value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(facts);
        m.put(key, String.valueOf(value));
        return new Provenance(producer, version, m);
    }

    /**
     * @param key a fact's name
     * @return its value, or empty
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(facts.get(key));
    }

    /** @return the one-line text form (class javadoc) */
    public String toText() {
        StringBuilder b = new StringBuilder(producer).append(' ').append(version);
        facts.forEach((k, v) -> {
            b.append("; ").append(k).append('=');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case ';' -> b.append("\\;");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
        });
        return b.toString();
    }

    /**
     * Reads the text form, or the earlier free form ({@code PRODUCER VERSION; free text}, its rest
     * kept under {@link #LEGACY}).
     *
     * @param text a provenance line
     * @return the provenance
     * @throws IllegalArgumentException if the text does not start with {@code PRODUCER VERSION}
     */
    public static Provenance parse(String text) {
        int semi = text.indexOf(';');
        String head = (semi < 0 ? text : text.substring(0, semi)).strip();
        String[] pv = head.split(" ", -1);
        if (pv.length != 2 || !WORD.matcher(pv[0]).matches() || !WORD.matcher(pv[1]).matches()) {
            throw new IllegalArgumentException("provenance must start with 'PRODUCER VERSION', got '" + text + "'");
        }
        LinkedHashMap<String, String> facts = new LinkedHashMap<>();
        if (semi >= 0 && !readFacts(text.substring(semi + 1), facts)) {
            facts.clear();
            facts.put(LEGACY, text.substring(semi + 1).strip());
        }
        return new Provenance(pv[0], pv[1], facts);
    }

    /** Reads {@code ; KEY=VALUE} parts; false when the text is not in that form. */
    private static boolean readFacts(String rest, Map<String, String> into) {
        int i = 0;
        while (i < rest.length()) {
            while (i < rest.length() && rest.charAt(i) == ' ') {
                i++;
            }
            int eq = rest.indexOf('=', i);
            if (eq < 0 || !KEY.matcher(rest.substring(i, eq)).matches()) {
                return false;
            }
            String key = rest.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 1;
            for (; j < rest.length() && rest.charAt(j) != ';'; j++) {
                char c = rest.charAt(j);
                if (c == '\\' && j + 1 < rest.length()) {
                    char d = rest.charAt(++j);
                    v.append(d == 'n' ? '\n' : d);
                } else {
                    v.append(c);
                }
            }
            if (into.put(key, v.toString()) != null) {
                return false;
            }
            i = j + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return toText();
    }
}
