package org.fabai.benchmarks.tools;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH's JSON results ({@code -rf json}) and peer scripts' results (same shape plus
 * {@code peerOf} and {@code peerName}), and reads and writes {@code benchmarks/baseline.json}.
 *
 * <p>Baseline format (version 1): an object with {@code "format": 1}, free-text {@code about},
 * {@code created} and {@code machine}, and {@code benchmarks}: an object from result key (see
 * {@link BenchResult#key()}) to {@code {"mode": ..., "score": ..., "unit": ...}}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ResultsJson {

    /** Version written to and expected in baseline files. */
    public static final int BASELINE_FORMAT = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ResultsJson() {
    }

    /**
     * @param file a JMH or peer result file
     * @return its results, in file order
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a result array (naming the file and entry)
     */
    public static List<BenchResult> readResults(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readResults(r, file.toString());
        }
    }

    /**
     * @param json   result JSON text
     * @param source name of the source for messages
     * @return its results
     */
    public static List<BenchResult> readResults(String json, String source) {
        try {
            return readResults(new StringReader(json), source);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private static List<BenchResult> readResults(Reader reader, String source) throws IOException {
        JsonElement root;
        try {
            root = com.google.gson.JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(source + ": expected a JSON array of results, got "
                    + (root.isJsonNull() ? "nothing" : root.getClass().getSimpleName()));
        }
        JsonArray arr = root.getAsJsonArray();
        List<BenchResult> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            String where = source + " entry " + i;
            if (!arr.get(i).isJsonObject()) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            JsonObject o = arr.get(i).getAsJsonObject();
            String name = string(o, "benchmark", where);
            JsonObject pm = object(o, "primaryMetric", where + " (" + name + ")");
            Map<String, String> params = new TreeMap<>();
            if (o.has("params") && o.get("params").isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("params").entrySet()) {
                    params.put(e.getKey(), e.getValue().getAsString());
                }
            }
            String unit = string(pm, "scoreUnit", where + " (" + name + ")");
            out.add(new BenchResult(name, params, string(o, "mode", where),
                    number(pm, "score", where + " (" + name + ")"),
                    pm.has("scoreError") ? number(pm, "scoreError", where + " (" + name + ")") : Double.NaN,
                    unit, optString(o, "peerOf"), optString(o, "peerName"), best(pm, unit)));
        }
        return out;
    }

    /**
     * @param file a baseline file
     * @return its entries by result key, each as a result without error
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a valid baseline (naming the entry)
     */
    public static Map<String, BenchResult> readBaseline(Path file) throws IOException {
        return readBaseline(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * @param json   baseline JSON text
     * @param source name of the source for messages
     * @return its entries by result key
     */
    public static Map<String, BenchResult> readBaseline(String json, String source) {
        JsonElement root;
        try {
            root = com.google.gson.JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected a baseline object");
        }
        JsonObject o = root.getAsJsonObject();
        double format = number(o, "format", source);
        if (format != BASELINE_FORMAT) {
            throw new IllegalArgumentException(source + ": baseline format must be " + BASELINE_FORMAT
                    + ", got " + o.get("format"));
        }
        JsonObject b = object(o, "benchmarks", source);
        Map<String, BenchResult> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : b.entrySet()) {
            String where = source + " benchmark '" + e.getKey() + "'";
            if (!e.getValue().isJsonObject()) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            JsonObject v = e.getValue().getAsJsonObject();
            BenchResult r = new BenchResult(e.getKey(), Map.of(), string(v, "mode", where),
                    number(v, "score", where), Double.NaN, string(v, "unit", where), null, null);
            if (!r.valid()) {
                throw new IllegalArgumentException(where + ": score must be finite and > 0, got " + r.score());
            }
            try {
                r.secondsPerOp();
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
            out.put(e.getKey(), r);
        }
        return out;
    }

    /**
     * Writes a baseline holding the given results (sorted by key).
     *
     * @param results results of a run, all valid
     * @param about   free text describing the run
     * @param created timestamp text
     * @param machine machine description
     * @param out     where to write
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a result has no valid score
     */
    public static void writeBaseline(List<BenchResult> results, String about, String created, String machine,
                                     Writer out) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", BASELINE_FORMAT);
        root.addProperty("about", about);
        root.addProperty("created", created);
        root.addProperty("machine", machine);
        Map<String, BenchResult> sorted = new TreeMap<>();
        for (BenchResult r : results) {
            if (!r.valid()) {
                throw new IllegalArgumentException("cannot baseline " + r.key() + ": score " + r.score()
                        + " " + r.unit() + " is not a valid measurement");
            }
            if (sorted.put(r.key(), r) != null) {
                throw new IllegalArgumentException("result " + r.key() + " appears twice");
            }
        }
        JsonObject b = new JsonObject();
        for (BenchResult r : sorted.values()) {
            JsonObject v = new JsonObject();
            v.addProperty("mode", r.mode());
            v.add("score", new JsonPrimitive(round(r.score())));
            v.addProperty("unit", r.unit());
            b.add(r.key(), v);
        }
        root.add("benchmarks", b);
        GSON.toJson(root, out);
        out.write('\n');
    }

    /** The best of {@code rawData} (all forks): lowest for time units, highest for throughput. */
    private static double best(JsonObject pm, String unit) {
        JsonElement raw = pm.get("rawData");
        if (raw == null || !raw.isJsonArray()) {
            return Double.NaN;
        }
        boolean throughput = unit.trim().toLowerCase(java.util.Locale.ROOT).startsWith("ops/");
        double best = Double.NaN;
        for (JsonElement fork : raw.getAsJsonArray()) {
            if (!fork.isJsonArray()) {
                continue;
            }
            for (JsonElement it : fork.getAsJsonArray()) {
                double v;
                try {
                    v = Double.parseDouble(it.getAsString());
                } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
                    continue;
                }
                if (Double.isFinite(v) && (Double.isNaN(best) || (throughput ? v > best : v < best))) {
                    best = v;
                }
            }
        }
        return best;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v));
    }

    private static String string(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(where + ": missing text field '" + field + "'");
        }
        return e.getAsString();
    }

    private static String optString(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonObject object(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(where + ": missing object field '" + field + "'");
        }
        return e.getAsJsonObject();
    }

    private static double number(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(where + ": missing number field '" + field + "'");
        }
        try {
            // JMH writes NaN and infinities as strings
            return Double.parseDouble(e.getAsString());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(where + ": field '" + field + "' is not a number: " + e, ex);
        }
    }
}
