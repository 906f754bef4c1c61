package org.fabai.core.io.csv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes wafer outcomes as CSV: columns {@code wafer_id}, {@code name}, {@code value}
 * (any order, case-insensitive; further columns are ignored and logged at WARN).
 *
 * <p>Each value must be a finite decimal number: an empty cell, {@code NA} or {@code NaN} is an
 * error (leave the row out to record a missing outcome), as are a bad number, an empty wafer id
 * or name, and the same (wafer, name) twice; each a {@link FormatException} naming file, line and
 * column. The writer writes values with {@link Double#toString(double)}, which reads back exactly.
 *
 * <p>Stateless and thread-safe.
 */
public final class OutcomeCsv {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeCsv.class);

    private OutcomeCsv() {
    }

    /**
     * Reads a UTF-8 file.
     *
     * @param file the file
     * @return outcomes in file order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid outcome table
     */
    public static List<Outcome> read(Path file) throws IOException, FormatException {
        try (CsvReader r = CsvReader.open(file, ',')) {
            return read(r);
        }
    }

    /**
     * Reads outcomes from characters (not closed).
     *
     * @param in     the characters
     * @param source name for messages
     * @return outcomes in input order
     * @throws IOException     if reading fails
     * @throws FormatException if the text is not a valid outcome table
     */
    public static List<Outcome> read(Reader in, String source) throws IOException, FormatException {
        return read(new CsvReader(in, source, ','));
    }

    /**
     * Parses outcomes held in a string.
     *
     * @param text   CSV text
     * @param source name for messages
     * @return outcomes in input order
     * @throws FormatException if the text is not a valid outcome table
     */
    public static List<Outcome> parse(String text, String source) throws FormatException {
        try {
            return read(new StringReader(text), source);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private static List<Outcome> read(CsvReader r) throws IOException, FormatException {
        String src = r.source();
        CsvReader.Record h = r.next();
        if (h == null) {
            throw new FormatException(src, "line 1", "empty file: expected a header row with columns wafer_id, name, value");
        }
        Map<String, Integer> idx = Csv.header(h, src);
        int cw = Csv.require(idx, "wafer_id", h, src);
        int cn = Csv.require(idx, "name", h, src);
        int cv = Csv.require(idx, "value", h, src);
        if (idx.size() > 3) {
            List<String> extra = new ArrayList<>(h.fields());
            extra.removeIf(c -> List.of("wafer_id", "name", "value").contains(c.trim().toLowerCase(java.util.Locale.ROOT)));
            LOG.warn("{}: columns {} are not outcome columns and are ignored", src, extra);
        }
        List<Outcome> out = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (CsvReader.Record rec = r.next(); rec != null; rec = r.next()) {
            Csv.checkWidth(rec, h, src);
            String w = rec.fields().get(cw).trim();
            String n = rec.fields().get(cn).trim();
            if (w.isEmpty()) {
                throw new FormatException(src, "line " + rec.line() + ", column 'wafer_id'", "expected a non-empty wafer_id");
            }
            if (n.isEmpty()) {
                throw new FormatException(src, "line " + rec.line() + ", column 'name'", "expected a non-empty outcome name");
            }
            String cell = rec.fields().get(cv).trim();
            if (Csv.isMissing(cell)) {
                throw new FormatException(src, "line " + rec.line() + ", column 'value'", "outcome " + n + " of wafer "
                        + w + " is " + (cell.isEmpty() ? "empty" : "'" + cell + "'")
                        + "; expected a number (leave the row out for a missing outcome)");
            }
            double v = Csv.number(cell, false, src, rec.line(), "value");
            if (!Double.isFinite(v)) {
                throw new FormatException(src, "line " + rec.line() + ", column 'value'", "outcome " + n + " of wafer "
                        + w + " is " + v + "; expected a finite number");
            }
            Long first = seen.putIfAbsent(w + "\u0000" + n, rec.line());
            if (first != null) {
                throw new FormatException(src, "line " + rec.line(), "outcome '" + n + "' of wafer " + w
                        + " already given on line " + first + "; expected one value per wafer and name");
            }
            out.add(new Outcome(w, n, v));
        }
        return out;
    }

    /**
     * Writes outcomes as a UTF-8 CSV file that {@link #read(Path)} reads back equal.
     *
     * @param outcomes outcomes
     * @param file     destination (created or replaced)
     * @throws IOException if writing fails
     */
    public static void write(List<Outcome> outcomes, Path file) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            write(outcomes, w);
        }
    }

    /**
     * Writes outcomes to a writer (flushed, not closed).
     *
     * @param outcomes outcomes
     * @param out      destination
     * @throws IOException              if writing fails
     * @throws IllegalArgumentException if a value is infinite
     */
    public static void write(List<Outcome> outcomes, Writer out) throws IOException {
        Csv.writeRecord(out, List.of("wafer_id", "name", "value"));
        for (Outcome o : outcomes) {
            if (!Double.isFinite(o.value())) {
                throw new IllegalArgumentException("outcome " + o.name() + " of wafer " + o.waferId() + " is "
                        + o.value() + "; the CSV form holds finite values only");
            }
            Csv.writeRecord(out, List.of(o.waferId(), o.name(), Double.toString(o.value())));
        }
        out.flush();
    }
}
