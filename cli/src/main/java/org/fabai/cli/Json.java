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
}
