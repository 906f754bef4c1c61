package org.fabai.core.io.csv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Route;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes wafer process histories as CSV: one row per wafer and step.
 *
 * <p>Columns (header row, any order, names case-insensitive): {@code wafer_id}, {@code step},
 * {@code tool} required; {@code chamber}, {@code timestamp}, {@code lot_id}, {@code step_name}
 * optional. Other columns are kept per wafer and step in {@link Result#extras()} and listed in
 * {@link Result#extraColumns()}. Timestamps are ISO-8601 ({@code 2024-03-01T12:00:00Z},
 * {@code 2024-03-01T13:00:00+01:00}, or without offset) or {@code yyyy-MM-dd HH:mm:ss} (fraction
 * of seconds optional); times without an offset are in the zone passed (UTC by default).
 *
 * <p>Each wafer's runs are sorted by time (ties keep file order) when all its rows have a
 * timestamp, and kept in file order when none has; a wafer with some rows timed and some not is
 * an error. Other errors, each a {@link FormatException} naming file, line and column: missing
 * column, empty wafer id, step or tool, a bad timestamp, a step given twice for one wafer, two lot
 * ids for one wafer, a row with the wrong number of fields, a broken quote.
 *
 * <p>Stateless and thread-safe.
 */
public final class WaferHistoryCsv {

    private static final Logger LOG = LoggerFactory.getLogger(WaferHistoryCsv.class);

    /** Required columns. */
    public static final List<String> REQUIRED_COLUMNS = List.of("wafer_id", "step", "tool");
    /** Optional columns with a meaning. */
    public static final List<String> OPTIONAL_COLUMNS = List.of("lot_id", "step_name", "chamber", "timestamp");

    private static final DateTimeFormatter SPACE = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    private WaferHistoryCsv() {
    }

    /**
     * What a history file holds. Immutable and thread-safe.
     *
     * @param histories    one history per wafer, in order of first appearance
     * @param extraColumns columns beyond the known ones, as written in the header
     * @param extras       wafer id to step id to extra column to value (empty when no extra columns)
     */
    public record Result(List<WaferHistory> histories, List<String> extraColumns,
            Map<String, Map<String, Map<String, String>>> extras) {
        /** Copies. */
        public Result {
            histories = List.copyOf(histories);
            extraColumns = List.copyOf(extraColumns);
            extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        }

        /**
         * @return the route implied by the wafers' step orders (see {@link WaferHistoryCsv#inferRoute(List)})
         */
        public Route inferRoute() {
            return WaferHistoryCsv.inferRoute(histories);
        }
    }

    /**
     * Reads a UTF-8 file, local times in UTC.
     *
     * @param file the file
     * @return histories and extra columns
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid history table
     */
    public static Result read(Path file) throws IOException, FormatException {
        return read(file, ZoneOffset.UTC);
    }

    /**
     * Reads a UTF-8 file.
     *
     * @param file the file
     * @param zone zone of timestamps written without offset
     * @return histories and extra columns
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid history table
     */
    public static Result read(Path file, ZoneId zone) throws IOException, FormatException {
        try (CsvReader r = CsvReader.open(file, ',')) {
            return read(r, zone);
        }
    }

    /**
     * Reads histories from characters (not closed).
     *
     * @param in     the characters
     * @param source name for messages
     * @param zone   zone of timestamps written without offset
     * @return histories and extra columns
     * @throws IOException     if reading fails
     * @throws FormatException if the text is not a valid history table
     */
    public static Result read(Reader in, String source, ZoneId zone) throws IOException, FormatException {
        return read(new CsvReader(in, source, ','), zone);
    }

    /**
     * Parses histories held in a string, local times in UTC.
     *
     * @param text   CSV text
     * @param source name for messages
     * @return histories and extra columns
     * @throws FormatException if the text is not a valid history table
     */
    public static Result parse(String text, String source) throws FormatException {
        try {
            return read(new StringReader(text), source, ZoneOffset.UTC);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private static final class Row {
        final long line;
        final StepRun run;

        Row(long line, StepRun run) {
            this.line = line;
            this.run = run;
        }
    }

    private static final class Wafer {
        final String id;
        String lot;
        long lotLine;
        final List<Row> rows = new ArrayList<>();
        final Map<String, Long> stepLine = new LinkedHashMap<>();

        Wafer(String id) {
            this.id = id;
        }
    }

    private static Result read(CsvReader r, ZoneId zone) throws IOException, FormatException {
        Objects.requireNonNull(zone, "zone");
        String src = r.source();
        CsvReader.Record h = r.next();
        if (h == null) {
            throw new FormatException(src, "line 1", "empty file: expected a header row with columns " + REQUIRED_COLUMNS);
        }
        Map<String, Integer> idx = Csv.header(h, src);
        int cWafer = Csv.require(idx, "wafer_id", h, src);
        int cStep = Csv.require(idx, "step", h, src);
        int cTool = Csv.require(idx, "tool", h, src);
        int cChamber = idx.getOrDefault("chamber", -1);
        int cTime = idx.getOrDefault("timestamp", -1);
        int cLot = idx.getOrDefault("lot_id", -1);
        int cName = idx.getOrDefault("step_name", -1);
        List<Integer> extraIdx = new ArrayList<>();
        List<String> extraNames = new ArrayList<>();
        for (Map.Entry<String, Integer> e : idx.entrySet()) {
            if (!REQUIRED_COLUMNS.contains(e.getKey()) && !OPTIONAL_COLUMNS.contains(e.getKey())) {
                extraIdx.add(e.getValue());
                extraNames.add(h.fields().get(e.getValue()).trim());
            }
        }
        if (!extraNames.isEmpty()) {
            LOG.info("{}: extra columns {} kept as extras", src, extraNames);
        }
        Map<String, Wafer> wafers = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, String>>> extras = new LinkedHashMap<>();
        for (CsvReader.Record rec = r.next(); rec != null; rec = r.next()) {
            Csv.checkWidth(rec, h, src);
            List<String> f = rec.fields();
            String waferId = nonEmpty(f, cWafer, "wafer_id", rec, src);
            String stepId = nonEmpty(f, cStep, "step", rec, src);
            String toolId = nonEmpty(f, cTool, "tool", rec, src);
            String chamber = cChamber < 0 ? "" : f.get(cChamber).trim();
            String lot = cLot < 0 ? "" : f.get(cLot).trim();
            String name = cName < 0 ? "" : f.get(cName).trim();
            Instant time = cTime < 0 ? null : time(f.get(cTime).trim(), zone, src, rec.line());
            Wafer w = wafers.computeIfAbsent(waferId, Wafer::new);
            if (w.lot == null) {
                w.lot = lot;
                w.lotLine = rec.line();
            } else if (!w.lot.equals(lot)) {
                throw new FormatException(src, "line " + rec.line() + ", column 'lot_id'", "wafer " + waferId
                        + " has lot_id '" + lot + "' but '" + w.lot + "' on line " + w.lotLine + "; expected one lot per wafer");
            }
            Long first = w.stepLine.putIfAbsent(stepId, rec.line());
            if (first != null) {
                throw new FormatException(src, "line " + rec.line() + ", column 'step'", "step '" + stepId
                        + "' of wafer " + waferId + " already given on line " + first
                        + "; expected each step at most once per wafer (model rework as its own step)");
            }
            w.rows.add(new Row(rec.line(), new StepRun(new Step(stepId, name), new Tool(toolId, chamber), time)));
            if (!extraIdx.isEmpty()) {
                Map<String, String> ex = new LinkedHashMap<>();
                for (int k = 0; k < extraIdx.size(); k++) {
                    ex.put(extraNames.get(k), f.get(extraIdx.get(k)));
                }
                extras.computeIfAbsent(waferId, x -> new LinkedHashMap<>()).put(stepId, Collections.unmodifiableMap(ex));
            }
        }
        return new Result(histories(wafers, extras, src), extraNames, extras);
    }

    /**
     * Each wafer's history, its rows in time order when all are timed, in file order when none is;
     * a wafer timed on some rows only is a {@link FormatException} naming an untimed row. Makes each
     * wafer's extras unmodifiable.
     */
    private static List<WaferHistory> histories(Map<String, Wafer> wafers,
                                                Map<String, Map<String, Map<String, String>>> extras, String src)
            throws FormatException {
        List<WaferHistory> out = new ArrayList<>();
        for (Wafer w : wafers.values()) {
            long timed = w.rows.stream().filter(x -> x.run.time() != null).count();
            List<Row> rows = new ArrayList<>(w.rows);
            if (timed == rows.size()) {
                rows.sort(Comparator.comparing(x -> x.run.time()));
            } else if (timed > 0) {
                Row untimed = rows.stream().filter(x -> x.run.time() == null).findFirst().orElseThrow();
                throw new FormatException(src, "line " + untimed.line + ", column 'timestamp'", "wafer " + w.id
                        + " has timestamps on " + timed + " of its " + rows.size() + " rows but none here; expected"
                        + " all or none of a wafer's rows timed");
            }
            List<StepRun> runs = new ArrayList<>();
            for (Row x : rows) {
                runs.add(x.run);
            }
            out.add(new WaferHistory(w.id, w.lot, runs));
            extras.computeIfPresent(w.id, (k, v) -> Collections.unmodifiableMap(v));
        }
        return out;
    }

    private static String nonEmpty(List<String> f, int col, String name, CsvReader.Record rec, String src)
            throws FormatException {
        String v = f.get(col).trim();
        if (v.isEmpty()) {
            throw new FormatException(src, "line " + rec.line() + ", column '" + name + "'", "expected a non-empty " + name);
        }
        return v;
    }

    /**
     * Parses a timestamp as the reader does.
     *
     * @param text ISO-8601 or {@code yyyy-MM-dd HH:mm:ss}; empty for none
     * @param zone zone of times without offset
     * @param src  source for messages
     * @param line line for messages
     * @return the instant, or null for an empty cell
     * @throws FormatException if the text is not a timestamp
     */
    public static Instant time(String text, ZoneId zone, String src, long line) throws FormatException {
        if (text.isEmpty()) {
            return null;
        }
        try {
            TemporalAccessor t;
            if (text.length() > 10 && text.charAt(10) == ' ') {
                t = SPACE.parse(text);
                return LocalDateTime.from(t).atZone(zone).toInstant();
            }
            t = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
            if (t instanceof ZonedDateTime) {
                return ((ZonedDateTime) t).toInstant();
            }
            return ((LocalDateTime) t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new FormatException(src, "line " + line + ", column 'timestamp'", "expected an ISO-8601 time"
                    + " (2024-03-01T12:00:00Z) or 'yyyy-MM-dd HH:mm:ss', found '" + Csv.abbreviate(text) + "'");
        }
    }

    /**
     * The route implied by the histories: every step a wafer ran, with an edge from each step to
     * the next one of the same wafer.
     *
     * @param histories wafer histories
     * @return the route
     * @throws IllegalArgumentException if wafers ran steps in contradicting orders (the message
     *                                  names the steps on the cycle)
     */
    public static Route inferRoute(List<WaferHistory> histories) {
        Route.Builder b = Route.builder();
        Map<String, Step> steps = new LinkedHashMap<>();
        for (WaferHistory h : histories) {
            Step prev = null;
            for (StepRun r : h.runs()) {
                Step s = steps.computeIfAbsent(r.step().id(), k -> r.step());
                b.step(s);
                if (prev != null) {
                    b.precedes(prev, s);
                }
                prev = s;
            }
        }
        return b.build();
    }

    /**
     * Writes histories as a UTF-8 CSV file that {@link #read(Path)} reads back equal.
     *
     * @param histories histories
     * @param file      destination (created or replaced)
     * @throws IOException if writing fails
     */
    public static void write(List<WaferHistory> histories, Path file) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            write(histories, w);
        }
    }

    /**
     * Writes histories (columns wafer_id, lot_id, step, step_name when a step's name differs from
     * its id, tool, chamber, timestamp as ISO-8601 UTC) to a writer (flushed, not closed).
     *
     * @param histories histories
     * @param out       destination
     * @throws IOException if writing fails
     */
    public static void write(List<WaferHistory> histories, Writer out) throws IOException {
        boolean names = histories.stream().flatMap(h -> h.runs().stream())
                .anyMatch(r -> !r.step().name().equals(r.step().id()));
        List<String> header = Csv.list("wafer_id", "lot_id", "step");
        if (names) {
            header.add("step_name");
        }
        header.addAll(List.of("tool", "chamber", "timestamp"));
        Csv.writeRecord(out, header);
        for (WaferHistory h : histories) {
            for (StepRun r : h.runs()) {
                List<String> f = Csv.list(h.waferId(), h.lotId(), r.step().id());
                if (names) {
                    f.add(r.step().name());
                }
                f.add(r.tool().id());
                f.add(r.tool().chamber());
                f.add(r.time() == null ? "" : r.time().toString());
                Csv.writeRecord(out, f);
            }
        }
        out.flush();
    }
}
