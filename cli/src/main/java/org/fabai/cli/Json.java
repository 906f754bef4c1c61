package org.fabai.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --json} output of the commands: one JSON object on stdout whose first keys are
 * {@code "schema": "fabai/COMMAND"} and {@code "version": N}. Within a version the keys are stable
 * (a key whose value is unknown is written as {@code null}, never left out); non-finite numbers are
 * written as {@code null}. The schemas are documented in {@code cli/JSON.md}.
 */
final class Json {

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapter(Double.class, FiniteOrNull.INSTANCE)
            .registerTypeAdapter(double.class, FiniteOrNull.INSTANCE)
            .create();

    /** Writes NaN and infinite doubles, also inside records and maps, as {@code null}. */
    private static final class FiniteOrNull extends com.google.gson.TypeAdapter<Double> {
        static final FiniteOrNull INSTANCE = new FiniteOrNull();

        @Override
        public void write(com.google.gson.stream.JsonWriter w, Double v) throws java.io.IOException {
            if (v == null || !Double.isFinite(v)) {
                w.nullValue();
            } else {
                w.value(v.doubleValue());
            }
        }

        @Override
        public Double read(com.google.gson.stream.JsonReader r) throws java.io.IOException {
            if (r.peek() == com.google.gson.stream.JsonToken.NULL) {
                r.nextNull();
                return Double.NaN;
            }
            return r.nextDouble();
        }
    }

    private Json() {
    }

    /**
     * A new top-level object.
     *
     * @param command e.g. "adc classify"
     * @param version the schema version
     * @return an ordered map with schema and version set
     */
    static Map<String, Object> object(String command, int version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "fabai/" + command.replace(' ', '-'));
        m.put("version", version);
        return m;
    }

    /**
     * @param v a number
     * @return v, or null when it is NaN or infinite (JSON has no such numbers)
     */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Prints the object on one command's stdout.
     *
     * @param out the command's stdout
     * @param o   what to print
     */
    static void print(PrintWriter out, Object o) {
        out.println(GSON.toJson(o));
        out.flush();
    }

    /**
     * Writes rows as CSV (RFC 4180, header row): the rows are what the command's JSON lists (maps or
     * records), one line each; the columns are their keys, in the first row's order (keys first met
     * in a later row are appended); null is an empty field, a nested list or object its JSON text.
     *
     * @param file where to write
     * @param rows a list of maps or records
     * @throws java.io.IOException if the file cannot be written
     */
    static void writeCsv(java.nio.file.Path file, Object rows) throws java.io.IOException {
        com.google.gson.JsonArray a = GSON.toJsonTree(rows).getAsJsonArray();
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
        for (com.google.gson.JsonElement e : a) {
            cols.addAll(e.getAsJsonObject().keySet());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", cols.stream().map(Json::csvField).toList())).append('\n');
        Gson compact = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        for (com.google.gson.JsonElement e : a) {
            com.google.gson.JsonObject o = e.getAsJsonObject();
            int k = 0;
            for (String c : cols) {
                if (k++ > 0) {
                    sb.append(',');
                }
                com.google.gson.JsonElement v = o.get(c);
                if (v == null || v.isJsonNull()) {
                    continue;
                }
                sb.append(csvField(v.isJsonPrimitive() ? v.getAsString() : compact.toJson(v)));
            }
            sb.append('\n');
        }
        if (file.getParent() != null) {
            java.nio.file.Files.createDirectories(file.getParent());
        }
        java.nio.file.Files.writeString(file, sb, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String csvField(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** {@code --csv FILE}: the command's rows as CSV beside (or instead of) its text or JSON output. */
    static final class CsvOption {
        @picocli.CommandLine.Option(names = "--csv", paramLabel = "FILE", description = "also write the output's rows (the"
                + " list cli/JSON.md names for this command) as CSV to FILE, one line each, columns as the JSON keys"
                + " (default: none)")
        java.nio.file.Path file;

        /**
         * Writes the rows when {@code --csv} was given.
         *
         * @param rows the rows
         * @throws java.io.IOException if the file cannot be written
         */
        void write(Object rows) throws java.io.IOException {
            if (file != null) {
                writeCsv(file, rows);
            }
        }

        /** @return whether {@code --csv} was given */
        boolean given() {
            return file != null;
        }
    }
}
