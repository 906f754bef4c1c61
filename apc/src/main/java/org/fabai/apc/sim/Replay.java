package org.fabai.apc.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.control.UpdateOutcome;
import org.fabai.apc.thread.Context;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.CsvReader;

/**
 * What-if replay: feeds recorded runs through a controller configuration and reports what it would
 * have recommended before each run. The controller learns from what really happened (the recorded
 * input and output), so its recommendations are the ones it would have made had it been watching.
 *
 * <p>Runs CSV: a header line, then one run per line. Required columns {@code run_id}, {@code input},
 * {@code output}; optional {@code context} (a {@link Context} key such as {@code tool=T1;product=P1},
 * one controller per context; default one thread) and {@code sequence} (run order within a
 * context; default file order). Fields follow RFC 4180 as {@link CsvReader} reads them (a run id or
 * context holding a comma is quoted). Blank lines and comment lines (a {@code #} at the start of
 * a line outside a quoted field) are skipped.
 *
 * <p>Stateless and thread-safe.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * One recorded run.
     *
     * @param runId    run id
     * @param context  context key ("" for the single default thread)
     * @param sequence run order
     * @param input    input used
     * @param output   output measured
     */
    public record Run(String runId, String context, long sequence, double input, double output) {
    }

    /**
     * What the controller would have done for one run.
     *
     * @param run             the recorded run
     * @param recommended     input it would have recommended before the run
     * @param predictedAtUsed its prediction of the output at the input actually used
     * @param whatIfOutput    model estimate of the output had the recommendation been used:
     *                        {@code output + b (recommended − input)}
     * @param recommendation  the full recommendation (clipping, fallback)
     * @param status          what it did with the measurement
     */
    public record Step(Run run, double recommended, double predictedAtUsed, double whatIfOutput,
                       Recommendation recommendation, UpdateOutcome.Status status) {
    }

    /**
     * The replay's steps and summary.
     *
     * @param steps      one per run, in input order
     * @param target     the controller target
     * @param actualMse  MSE of the recorded outputs about the target
     * @param whatIfMse  MSE of the what-if outputs about the target
     */
    public record Report(List<Step> steps, double target, double actualMse, double whatIfMse) {
        /** Copies the list. */
        public Report {
            steps = List.copyOf(steps);
        }

        /** @return CSV of the steps with a header */
        public String toCsv() {
            StringBuilder b = new StringBuilder("run_id,context,sequence,input,output,recommended,predicted_at_used,"
                    + "what_if_output,clipped,fallback,status\n");
            for (Step s : steps) {
                Run r = s.run();
                b.append(r.runId()).append(',').append(r.context()).append(',').append(r.sequence()).append(',')
                        .append(r.input()).append(',').append(r.output()).append(',').append(s.recommended()).append(',')
                        .append(s.predictedAtUsed()).append(',').append(s.whatIfOutput()).append(',')
                        .append(s.recommendation().clips().isEmpty() ? "" : s.recommendation().clips().toString().replace(",", ";"))
                        .append(',').append(s.recommendation().fallback()).append(',').append(s.status()).append('\n');
            }
            return b.toString();
        }

        /** @return a short plain-text summary */
        public String summary() {
            return String.format(Locale.ROOT, "%d runs; MSE about target %.6g as run, %.6g had the recommendations been used"
                    + " (model estimate)", steps.size(), actualMse, whatIfMse);
        }
    }

    /**
     * Reads a runs CSV.
     *
     * @param file the file
     * @return the runs in file order
     * @throws IOException     when the file cannot be read
     * @throws FormatException naming the line and column when a value is missing or malformed
     */
    public static List<Run> readCsv(Path file) throws IOException, FormatException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(r, file.toString());
        }
    }

    /**
     * Reads runs CSV text.
     *
     * @param in     the text
     * @param source name used in error messages
     * @return the runs in input order
     * @throws IOException     on read failure
     * @throws FormatException naming the line and column when a value is missing or malformed
     */
    public static List<Run> readCsv(Reader in, String source) throws IOException, FormatException {
        CsvReader csv = new CsvReader(new StringReader(withoutComments(
                in instanceof BufferedReader b ? b : new BufferedReader(in))), source, ',');
        Map<String, Integer> cols = null;
        List<Run> runs = new ArrayList<>();
        Map<String, Long> order = new HashMap<>();
        Map<String, Long> seen = new HashMap<>();
        for (CsvReader.Record rec = csv.next(); rec != null; rec = csv.next()) {
            long lineNo = rec.line();
            String[] f = rec.fields().toArray(new String[0]);
            if (f.length == 1 && f[0].isBlank()) {
                continue;
            }
            if (cols == null) {
                cols = new HashMap<>();
                for (int i = 0; i < f.length; i++) {
                    cols.put(f[i].trim().toLowerCase(Locale.ROOT), i);
                }
                for (String req : List.of("run_id", "input", "output")) {
                    if (!cols.containsKey(req)) {
                        throw new FormatException(source, "line " + lineNo, "header lacks column '" + req
                                + "' (need run_id, input, output; optional context, sequence)");
                    }
                }
                continue;
            }
            if (f.length != cols.size()) {
                throw new FormatException(source, "line " + lineNo, "expected " + cols.size() + " fields, got " + f.length);
            }
            String runId = f[cols.get("run_id")].trim();
            if (runId.isEmpty()) {
                throw new FormatException(source, "line " + lineNo, "run_id is empty");
            }
            String ctx = cols.containsKey("context") ? f[cols.get("context")].trim() : "";
            if (!ctx.isEmpty()) {
                try {
                    ctx = Context.parse(ctx).key();
                } catch (IllegalArgumentException e) {
                    throw new FormatException(source, "line " + lineNo + ", column context", e.getMessage(), e);
                }
            }
            double input = number(f[cols.get("input")], source, lineNo, "input");
            double output = number(f[cols.get("output")], source, lineNo, "output");
            long seq;
            if (cols.containsKey("sequence")) {
                String s = f[cols.get("sequence")].trim();
                try {
                    seq = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new FormatException(source, "line " + lineNo + ", column sequence", "not an integer: '" + s + "'", e);
                }
            } else {
                seq = order.merge(ctx, 1L, Long::sum);
            }
            Long first = seen.putIfAbsent(ctx + "\u0000" + java.text.Normalizer.normalize(runId,
                    java.text.Normalizer.Form.NFC), lineNo);
            if (first != null) {
                throw new FormatException(source, "line " + lineNo, "run_id '" + runId + "'"
                        + (ctx.isEmpty() ? "" : " of context " + ctx) + " was already recorded on line " + first
                        + "; a run is applied once (the live store reports the replay as DUPLICATE)");
            }
            runs.add(new Run(runId, ctx, seq, input, output));
        }
        if (cols == null) {
            throw new FormatException(source, "line 1", "empty file: expected a header with run_id, input, output");
        }
        return runs;
    }

    /**
     * The text with every comment line (a {@code #} at the start of a line that is not inside a
     * quoted field) left empty, so that the remaining lines keep their numbers.
     */
    private static String withoutComments(BufferedReader r) throws IOException {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!quoted && line.startsWith("#")) {
                out.append('\n');
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == '"') {
                    quoted = !quoted;
                }
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static double number(String s, String source, long line, String col) throws FormatException {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new FormatException(source, "line " + line + ", column " + col, "value must be finite, got '" + s + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new FormatException(source, "line " + line + ", column " + col, "not a number: '" + s + "'", e);
        }
    }

    /**
     * Replays runs (each context in sequence order, contexts independent).
     *
     * @param runs       recorded runs
     * @param controller factory of a fresh controller per context
     * @return the report, steps in the order of {@code runs}
     */
    public static Report replay(List<Run> runs, Supplier<Controller> controller) {
        Map<String, List<Integer>> byCtx = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            byCtx.computeIfAbsent(runs.get(i).context(), k -> new ArrayList<>()).add(i);
        }
        Step[] steps = new Step[runs.size()];
        double target = Double.NaN;
        for (List<Integer> idx : byCtx.values()) {
            idx.sort((a, b) -> Long.compare(runs.get(a).sequence(), runs.get(b).sequence()));
            Controller c = controller.get();
            target = c.config().target();
            for (int i : idx) {
                Run r = runs.get(i);
                Recommendation rec = c.recommend();
                c.applied(r.input());
                double predicted = c.estimator().predict(r.input());
                double whatIf = r.output() + c.estimator().gain() * (rec.input() - r.input());
                UpdateOutcome o = c.update(r.input(), r.output());
                steps[i] = new Step(r, rec.input(), predicted, whatIf, rec, o.status());
            }
        }
        double actual = 0;
        double whatIf = 0;
        for (Step s : steps) {
            actual += (s.run().output() - target) * (s.run().output() - target) / steps.length;
            whatIf += (s.whatIfOutput() - target) * (s.whatIfOutput() - target) / steps.length;
        }
        return new Report(List.of(steps), target, actual, whatIf);
    }
}
