package org.fabai.core.io.csv;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.fabai.core.io.FormatException;

/** Shared helpers: header lookup, strict number parsing, quoting. Stateless. */
final class Csv {

    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?(?:Infinity|inf|Inf|INF)");

    /** Cell texts read as a missing value where missing values are allowed (case-insensitive). */
    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none");

    private Csv() {
    }

    /** Column name (lower case) to index, from a header record. */
    static Map<String, Integer> header(CsvReader.Record h, String source) throws FormatException {
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (int i = 0; i < h.fields().size(); i++) {
            String name = h.fields().get(i).trim();
            if (name.isEmpty()) {
                throw new FormatException(source, "line " + h.line() + ", header column " + (i + 1),
                        "empty column name in the header; every column needs a name");
            }
            Integer old = idx.put(name.toLowerCase(Locale.ROOT), i);
            if (old != null) {
                throw new FormatException(source, "line " + h.line() + ", header", "column '" + name
                        + "' appears twice (columns " + (old + 1) + " and " + (i + 1) + ")");
            }
        }
        return idx;
    }

    static int require(Map<String, Integer> idx, String column, CsvReader.Record h, String source)
            throws FormatException {
        Integer i = idx.get(column);
        if (i == null) {
            throw new FormatException(source, "line " + h.line() + ", header", "missing column '" + column
                    + "'; found columns " + h.fields());
        }
        return i;
    }

    static void checkWidth(CsvReader.Record r, CsvReader.Record header, String source) throws FormatException {
        if (r.fields().size() != header.fields().size()) {
            throw new FormatException(source, "line " + r.line(), "expected " + header.fields().size()
                    + " fields (columns " + header.fields() + "), found " + r.fields().size());
        }
    }

    static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Parses a decimal number strictly (no hex, no type suffixes).
     *
     * @return the value, NaN for a missing cell when allowed
     */
    static double number(String cell, boolean allowMissing, String source, long line, String column)
            throws FormatException {
        String t = cell.trim();
        if (isMissing(t)) {
            if (allowMissing) {
                return Double.NaN;
            }
            throw new FormatException(source, "line " + line + ", column '" + column + "'",
                    "expected a number, found " + (t.isEmpty() ? "an empty cell" : "'" + t + "'")
                            + " (missing values are not allowed here)");
        }
        if (!NUMBER.matcher(t).matches()) {
            throw new FormatException(source, "line " + line + ", column '" + column + "'",
                    "expected a number, found '" + abbreviate(t) + "'");
        }
        String u = t.replace("Infinity", "inf").replace("INF", "inf").replace("Inf", "inf");
        if (u.endsWith("inf")) {
            return u.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(t);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Writes one record, quoting fields as RFC 4180 requires, and a line break. */
    static void writeRecord(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(quote(fields.get(i)));
        }
        w.write("\r\n");
    }

    static String quote(String f) {
        boolean q = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0
                || (!f.isEmpty() && (Character.isWhitespace(f.charAt(0)) || Character.isWhitespace(f.charAt(f.length() - 1))));
        return q ? '"' + f.replace("\"", "\"\"") + '"' : f;
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
