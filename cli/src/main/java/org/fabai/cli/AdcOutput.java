package org.fabai.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.MultiLabelMetrics;
import org.fabai.adc.eval.InputShift;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.ensemble.EnsembleClassifier;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.core.wafer.WaferMap;

/**
 * What {@code fabai adc train} and {@code fabai adc classify} print: text for people, one JSON
 * object ({@code --json}; schemas {@code fabai/adc-train} and {@code fabai/adc-classify}, see
 * cli/JSON.md) and a predictions CSV ({@code --out}) for pipelines. JSON and CSV hold every wafer;
 * the text lists {@code --limit} of them and says how many more there are.
 */
final class AdcOutput {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdcOutput.class);

    private AdcOutput() {
    }

    /**
     * Prints what {@code adc train} did.
     *
     * @param w          stdout
     * @param json       JSON instead of text
     * @param model      "small" or "cnn"
     * @param multiLabel multi-label CNN
     * @param count      training maps
     * @param c          the trained classifier
     * @param seconds    training time
     * @param out        model file written
     */
    static void trained(PrintWriter w, boolean json, String model, boolean multiLabel, int count, WaferMapClassifier c,
                        double seconds, Path out) {
        Map<String, String> prov = provenanceOf(c);
        if (json) {
            Map<String, Object> j = Json.object("adc train", 1);
            j.put("model", model.toLowerCase(Locale.ROOT));
            j.put("multiLabel", multiLabel);
            j.put("maps", count);
            j.put("classes", c.classNames());
            j.put("seconds", Json.num(seconds));
            j.put("modelFile", out.toString());
            Map<String, String> metrics = new LinkedHashMap<>();
            prov.entrySet().stream().filter(e -> e.getKey().startsWith("metric") || e.getKey().startsWith("validation"))
                    .forEach(e -> metrics.put(e.getKey(), e.getValue()));
            j.put("metrics", metrics);
            j.put("provenance", new LinkedHashMap<>(prov));
            Json.print(w, j);
            return;
        }
        w.printf(Locale.ROOT, "trained %s on %d maps, %d %s, in %.1fs; saved %s%n", model, count,
                c.classNames().size(), multiLabel ? "labels" : "classes", seconds, out);
        prov.entrySet().stream().filter(e -> e.getKey().startsWith("metric") || e.getKey().startsWith("validation"))
                .forEach(e -> w.println("  " + e.getKey() + " = " + e.getValue()));
        w.flush();
    }

    /** The provenance of a model; an ensemble's members' under {@code member.i.}. */
    static Map<String, String> provenanceOf(WaferMapClassifier c) {
        if (c instanceof EnsembleClassifier e) {
            Map<String, String> p = new LinkedHashMap<>();
            for (int i = 0; i < e.members().size(); i++) {
                int k = i;
                provenanceOf(e.members().get(i)).forEach((key, v) -> p.put(
                        key.startsWith("metric") || key.startsWith("validation") ? key + ".member" + k : "member." + k + "." + key, v));
            }
            return p;
        }
        if (c instanceof CnnClassifier cc) {
            return cc.provenance().facts();
        }
        return c instanceof FeatureClassifier fc ? fc.provenance().facts() : Map.of();
    }

    /** The provenance that describes a model's training maps (an ensemble's: its first member's). */
    static Map<String, String> trainingProvenance(WaferMapClassifier c) {
        return c instanceof EnsembleClassifier e ? trainingProvenance(e.members().get(0)) : provenanceOf(c);
    }

    /** The reject rate a model's threshold was calibrated for. */
    static double expectedRejectRate(WaferMapClassifier c) {
        if (c instanceof EnsembleClassifier e) {
            return expectedRejectRate(e.members().get(0));
        }
        if (c instanceof CnnClassifier cnn) {
            return cnn.unknownThreshold().targetRejectRate();
        }
        return c instanceof FeatureClassifier f ? f.threshold().targetRejectRate() : 0;
    }

    /**
     * Prints a learning curve as JSON: every point, the mean and spread per family and size, the
     * winner at each size.
     *
     * @param w   stdout
     * @param r   the curve
     * @param png the chart written
     */
    static void curve(PrintWriter w, org.fabai.adc.eval.LearningCurve.Result r, Path png) {
        Map<String, Object> j = Json.object("adc curve", 1);
        j.put("sizes", r.config().sizes());
        j.put("repeats", r.config().repeats());
        j.put("seed", r.config().seed());
        j.put("families", r.families());
        List<Map<String, Object>> pts = new ArrayList<>();
        for (org.fabai.adc.eval.LearningCurve.Point p : r.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("family", p.family());
            m.put("size", p.size());
            m.put("repeat", p.repeat());
            m.put("seed", p.seed());
            m.put("macroF1", Json.num(p.macroF1()));
            m.put("fitSeconds", Json.num(p.fitSeconds()));
            pts.add(m);
        }
        j.put("points", pts);
        List<Map<String, Object>> summary = new ArrayList<>();
        for (int size : r.config().sizes()) {
            for (String f : r.families()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("family", f);
                m.put("size", size);
                m.put("meanMacroF1", Json.num(r.mean(f, size)));
                m.put("stdMacroF1", Json.num(r.std(f, size)));
                summary.add(m);
            }
        }
        j.put("summary", summary);
        Map<String, String> winners = new LinkedHashMap<>();
        for (int size : r.config().sizes()) {
            winners.put(String.valueOf(size), r.winnerAt(size));
        }
        j.put("winnerAt", winners);
        j.put("chart", png.toString());
        Json.print(w, j);
    }

    /**
     * Exact match and per-label F1 of a multi-label model's predictions ("A+B", or "none") against label sets.
     *
     * @param file   the file the wafers came from (for the error message)
     * @param labels the model's labels
     * @param truth  each wafer's true labels
     * @param preds  the predicted labels ("A+B", "none" or unknown)
     * @return the metrics
     */
    static MultiLabelMetrics multiLabelMetrics(Path file, List<String> labels, List<List<String>> truth, List<String> preds) {
        int[][] t = new int[truth.size()][labels.size()];
        int[][] p = new int[truth.size()][labels.size()];
        for (int i = 0; i < truth.size(); i++) {
            for (String l : truth.get(i)) {
                int k = labels.indexOf(l);
                if (k < 0 && !"none".equals(l)) {
                    throw new BadInputException(file + ": wafer " + i + " has label '" + l
                            + "', which the model does not know; its labels: " + labels);
                }
                if (k >= 0) {
                    t[i][k] = 1;
                }
            }
            String predicted = preds.get(i);
            if (!CnnClassifier.NONE.equals(predicted) && !Prediction.UNKNOWN.equals(predicted)) {
                for (String l : predicted.split("\\+")) {
                    p[i][labels.indexOf(l)] = 1;
                }
            }
        }
        return MultiLabelMetrics.of(labels, t, p);
    }

    /**
     * The output of one {@code adc classify} run, file by file and batch by batch: the CSV and the
     * JSON document are written as predictions come (the JSON's per-file {@code wafers},
     * {@code metrics} and {@code inputShift} follow the file's {@code predictions}), the text keeps
     * only the rows it lists, and each file's metrics and input-shift check are tallied from labels
     * alone, so a file of any number of wafers classifies in bounded memory. When a file fails
     * half-way, {@link #abort} closes the JSON document with its {@code error}, so stdout stays one
     * valid JSON object. Not thread-safe; close it.
     */
    static final class Predictions implements java.io.Closeable {
        private final PrintWriter w;
        private final boolean json;
        private final int limit;
        private final Path csv;
        private final Path model;
        private final WaferMapClassifier c;
        private final boolean multi;
        private final Map<String, String> trainingProvenance;
        private final double expectedRejectRate;
        private final com.google.gson.stream.JsonWriter jw;
        private final BufferedWriter csvWriter;
        private long csvRows;
        // the file being reported
        private Path file;
        private int wafers;
        private final List<String> listed = new ArrayList<>();
        private final List<String> truth = new ArrayList<>();
        private final List<List<String>> truthSets = new ArrayList<>();
        private final List<String> predicted = new ArrayList<>();
        private InputShift shift;
        /** The file's truth labels that are none of the model's classes, said in one line; null when none. */
        private String foreignTruth;
        /** JSON: a file's object is open (between {@link #begin} and {@link #end}). */
        private boolean inFile;
        /** JSON: the document is closed (finished or aborted). */
        private boolean closed;

        /**
         * @param w     stdout
         * @param json  JSON instead of text
         * @param limit wafers listed per file in the text (0: all)
         * @param csv   predictions CSV to write, or null
         * @param model the model file
         * @param c     the classifier
         * @throws IOException when the CSV cannot be created
         */
        Predictions(PrintWriter w, boolean json, int limit, Path csv, Path model, WaferMapClassifier c) throws IOException {
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must be >= 0 (0: all), got " + limit);
            }
            this.w = w;
            this.json = json;
            this.limit = limit;
            this.csv = csv;
            this.model = model;
            this.c = c;
            this.multi = c instanceof CnnClassifier cnn && cnn.multiLabel();
            this.trainingProvenance = trainingProvenance(c);
            this.expectedRejectRate = expectedRejectRate(c);
            if (json) {
                // the document's head now, every prediction as it comes, each file's summary at its end
                jw = Json.GSON.newJsonWriter(w);
                jw.beginObject();
                jw.name("schema").value("fabai/adc-classify");
                jw.name("version").value(1);
                jw.name("model").value(model.toString());
                Json.GSON.toJson(c.classNames(), List.class, jw.name("classes"));
                jw.name("multiLabel").value(multi);
                jw.name("predictionsCsv").value(csv == null ? null : csv.toString());
                jw.name("files").beginArray();
            } else {
                jw = null;
            }
            if (csv == null) {
                csvWriter = null;
                return;
            }
            if (csv.getParent() != null) {
                Files.createDirectories(csv.getParent());
            }
            csvWriter = Files.newBufferedWriter(csv);
            StringBuilder h = new StringBuilder("file,index,lot_id,wafer_id,label,best_class,confidence,truth");
            for (String n : c.classNames()) {
                h.append(',').append(Csv.field("p_" + n));
            }
            csvWriter.write(h.toString());
            csvWriter.write('\n');
        }

        /**
         * Starts the report of a file.
         *
         * @param f the file
         * @throws IOException when the JSON cannot be written
         */
        void begin(Path f) throws IOException {
            file = f;
            wafers = 0;
            listed.clear();
            truth.clear();
            truthSets.clear();
            predicted.clear();
            shift = null;
            foreignTruth = null;
            if (json) {
                jw.beginObject();
                jw.name("file").value(f.toString());
                jw.name("predictions").beginArray();
                inFile = true;
            }
        }

        /**
         * Reports the next wafers of the file {@link #begin} started.
         *
         * @param maps       the wafers
         * @param truthBatch their true labels ("A+B" for several), or empty when the file has none
         * @param setsBatch  their true label sets (multi-label), or empty
         * @param preds      one prediction per wafer
         * @throws IOException when the CSV cannot be written
         */
        void batch(List<WaferMap> maps, List<String> truthBatch, List<List<String>> setsBatch, List<Prediction> preds)
                throws IOException {
            for (int j = 0; j < maps.size(); j++) {
                int i = wafers + j;
                WaferMap m = maps.get(j);
                Prediction p = preds.get(j);
                String t = truthBatch.isEmpty() ? null : truthBatch.get(j);
                double[] pr = p.probabilities();
                if (json) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("index", i);
                    r.put("lot", m.lotId());
                    r.put("wafer", m.waferId());
                    r.put("label", p.label());
                    r.put("bestClass", p.bestClass());
                    r.put("confidence", Json.num(p.confidence()));
                    r.put("truth", t);
                    Map<String, Double> probs = new LinkedHashMap<>();
                    for (int k = 0; k < pr.length; k++) {
                        probs.put(p.classNames().get(k), Json.num(pr[k]));
                    }
                    r.put("probabilities", probs);
                    Json.GSON.toJson(r, Map.class, jw);
                } else if (limit == 0 || i < limit) {
                    listed.add(String.format(Locale.ROOT, "  %-12s %-10s %-10s p=%.3f%s", show(m.lotId()),
                            show(m.waferId()), p.label(), p.confidence(), t == null ? "" : "  true " + t));
                }
                if (csvWriter != null) {
                    StringBuilder sb = new StringBuilder();
                    sb.append(Csv.field(file.toString())).append(',').append(i).append(',').append(Csv.field(m.lotId()))
                            .append(',').append(Csv.field(m.waferId())).append(',').append(Csv.field(p.label()))
                            .append(',').append(Csv.field(p.bestClass())).append(',')
                            .append(String.format(Locale.ROOT, "%.6f", p.confidence())).append(',')
                            .append(t == null ? "" : Csv.field(t));
                    for (double v : pr) {
                        sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
                    }
                    csvWriter.write(sb.toString());
                    csvWriter.write('\n');
                    csvRows++;
                }
                predicted.add(p.label());
            }
            if (json) {
                jw.flush();
            }
            truth.addAll(truthBatch);
            truthSets.addAll(setsBatch);
            InputShift s = InputShift.check(trainingProvenance, maps, preds, expectedRejectRate);
            shift = shift == null ? s : shift.plus(s);
            wafers += maps.size();
        }

        /**
         * Ends the report of the file {@link #begin} started: its metrics, shift check and listing.
         *
         * @throws IOException when the JSON cannot be written
         */
        void end() throws IOException {
            if (shift == null) {
                shift = InputShift.check(trainingProvenance, List.of(), List.of(), expectedRejectRate);
            }
            Map<String, Object> metrics = metrics(file, multi, truth, truthSets, predicted);
            if (json) {
                jw.endArray();
                inFile = false;
                jw.name("wafers").value(wafers);
                Json.GSON.toJson(metrics, Map.class, jw.name("metrics"));
                Map<String, Object> js = new LinkedHashMap<>();
                js.put("flagged", shift.shifted());
                js.put("outsideTrainingSizes", shift.outsideSizeRange());
                js.put("rejectRate", Json.num(shift.rejectRate()));
                js.put("calibratedRejectRate", Json.num(shift.expectedRejectRate()));
                js.put("message", shift.message());
                Json.GSON.toJson(js, Map.class, jw.name("inputShift"));
                jw.endObject();
                jw.flush();
                return;
            }
            w.printf(Locale.ROOT, "%s: %d wafers%n", file, wafers);
            listed.forEach(w::println);
            if (wafers > listed.size()) {
                w.printf(Locale.ROOT, "  ... %d more (--limit 0 lists all; --json or --out FILE.csv for every prediction)%n",
                        wafers - listed.size());
            }
            if (shift.shifted()) {
                w.println("  " + shift.message());
            }
            if (foreignTruth != null) {
                w.println("  " + foreignTruth);
            }
            if (metrics != null && (Integer) metrics.get("labelledWafers") < wafers) {
                w.printf(Locale.ROOT, "  metrics over the %d labelled wafers (%d without a label)%n",
                        metrics.get("labelledWafers"), wafers - (Integer) metrics.get("labelledWafers"));
            }
            if (metrics != null && multi) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  exact match %.4f  macro-F1 %.4f  label F1",
                        (Double) metrics.get("exactMatch"), (Double) metrics.get("macroF1")));
                @SuppressWarnings("unchecked")
                Map<String, Double> f1 = (Map<String, Double>) metrics.get("labelF1");
                f1.forEach((l, v) -> sb.append(String.format(Locale.ROOT, " %s=%.4f", l, v)));
                w.println(sb);
            } else if (metrics != null) {
                w.printf(Locale.ROOT, "  macro-F1 %.4f  accuracy %.4f  balanced accuracy %.4f  rejected %.4f%n",
                        metrics.get("macroF1"), metrics.get("accuracy"), metrics.get("balancedAccuracy"),
                        metrics.get("rejected"));
            }
            w.flush();
        }

        /** Metrics against the file's labels; null when it has none. */
        private Map<String, Object> metrics(Path f, boolean multi, List<String> truth, List<List<String>> truthSets,
                                            List<String> predicted) {
            // maps without a truth (unlabelled in a partly labelled file) are left out of the metrics
            List<String> t = new ArrayList<>();
            List<List<String>> ts = new ArrayList<>();
            List<String> p = new ArrayList<>();
            for (int i = 0; i < truth.size(); i++) {
                if (truth.get(i) != null) {
                    t.add(truth.get(i));
                    ts.add(truthSets.get(i));
                    p.add(predicted.get(i));
                }
            }
            if (t.isEmpty()) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labelledWafers", t.size());
            if (multi) {
                MultiLabelMetrics ml = multiLabelMetrics(f, c.classNames(), ts, p);
                m.put("exactMatch", Json.num(ml.exactMatchRatio()));
                m.put("macroF1", Json.num(ml.macroF1()));
                Map<String, Double> f1 = new LinkedHashMap<>();
                for (String l : c.classNames()) {
                    f1.put(l, Json.num(ml.f1(l)));
                }
                m.put("labelF1", f1);
                return m;
            }
            List<String> classes = new ArrayList<>(c.classNames());
            Map<String, Integer> foreign = new LinkedHashMap<>();
            t.stream().filter(x -> !c.classNames().contains(x)).forEach(x -> foreign.merge(x, 1, Integer::sum));
            if (!foreign.isEmpty()) {
                // e.g. class indices or one-hot columns without class names ('8', 'class_8'): say so, not just score 0
                int n = foreign.values().stream().mapToInt(Integer::intValue).sum();
                foreignTruth = String.format(Locale.ROOT, "%d of %d labelled wafers carry labels the model does not"
                        + " know, scored as misclassified: %s%s; the model's classes are %s", n, t.size(),
                        foreign.entrySet().stream().limit(5).map(e -> "'" + e.getKey() + "' (" + e.getValue() + ")")
                                .toList(), foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "",
                        c.classNames());
                if (json) {
                    LOG.warn("{}: {}", f, foreignTruth);
                }
            }
            foreign.keySet().forEach(classes::add);
            ConfusionMatrix cm = ConfusionMatrix.of(classes, t, p);
            m.put("macroF1", Json.num(cm.macroF1()));
            m.put("accuracy", Json.num(cm.accuracy()));
            m.put("balancedAccuracy", Json.num(cm.balancedAccuracy()));
            m.put("rejected", Json.num(cm.rejectRate()));
            return m;
        }

        /**
         * Closes the CSV and the JSON document ({@code "error": null}), when asked for.
         *
         * @throws IOException when the CSV or the JSON cannot be written
         */
        void finish() throws IOException {
            if (csvWriter != null) {
                csvWriter.close();
                if (!json) {
                    w.printf(Locale.ROOT, "wrote %d predictions to %s%n", csvRows, csv);
                }
            }
            if (json) {
                closeDocument(null);
            }
            w.flush();
        }

        /**
         * After a failure: closes the JSON document with the error, so that what was written stays
         * one valid JSON object (the predictions made so far, the failing file's summary left
         * {@code null}). Nothing to do for text, or when the document is already closed.
         *
         * @param error what went wrong
         */
        void abort(String error) {
            if (!json || closed) {
                return;
            }
            try {
                if (inFile) {
                    jw.endArray();
                    inFile = false;
                    jw.name("wafers").value(wafers);
                    jw.name("metrics").nullValue();
                    jw.name("inputShift").nullValue();
                    jw.endObject();
                }
                closeDocument(error);
            } catch (IOException | IllegalStateException e) {
                // stdout is gone or the writer is in an unexpected state: the error still reaches stderr
            }
            w.flush();
        }

        private void closeDocument(String error) throws IOException {
            jw.endArray();
            jw.name("error").value(error);
            jw.endObject();
            jw.flush();
            w.println();
            closed = true;
        }

        @Override
        public void close() throws IOException {
            if (csvWriter != null) {
                csvWriter.close();
            }
        }

        private static String show(String s) {
            return s.isEmpty() ? "-" : s;
        }
    }

    /** RFC 4180 fields. */
    static final class Csv {
        private Csv() {
        }

        static String field(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
                return s;
            }
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }
}
