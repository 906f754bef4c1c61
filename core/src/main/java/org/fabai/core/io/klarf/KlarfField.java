package org.fabai.core.io.klarf;

import java.util.List;
import java.util.Objects;

/**
 * One named value of a KLARF file: a keyword statement of KLARF 1.1/1.2
 * ({@code DiePitch 1.5e5 1.5e5;}) or a {@code Field} of KLARF 1.8
 * ({@code Field DiePitch 2 {5744150, 5410203}}).
 *
 * <p>Values are the source tokens as written: quoted strings keep their quotes
 * ({@code "\"aLot\""}), numbers and bare words are as they appear. Immutable and thread-safe.
 *
 * @param name   the keyword, as written in the source
 * @param values the value tokens, in order
 */
public record KlarfField(String name, List<String> values) {

    /** Validates and copies. */
    public KlarfField {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name must not be blank");
        }
        values = List.copyOf(Objects.requireNonNull(values, "values"));
    }

    /**
     * @param name   the keyword
     * @param values the value tokens
     * @return the field
     */
    public static KlarfField of(String name, String... values) {
        return new KlarfField(name, List.of(values));
    }

    /**
     * @param i index
     * @return value {@code i} without quotes
     */
    public String text(int i) {
        return KlarfTokenizer.unquote(values.get(i));
    }

    /** @return the values joined by single spaces, quotes kept */
    public String joined() {
        return String.join(" ", values);
    }

    /**
     * @param other a keyword
     * @return true when this field has that name, ignoring case
     */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }
}
