package org.fabai.rca.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.CsvReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-format event log: one row per value change, {@code time, variable, value[, type]} — how
 * equipment, FDC and alarm data leave a tool (and how OPC UA recorders write them). A variable
 * keeps its value until its next event. {@link #table} turns one or more logs into a wide
 * {@link DataTable} on a time grid: values carried forward, booleans mapped to the levels
 * {@code False}/{@code True}, numbers kept numeric, strings categorical with their level names, and
 * windows (e.g. the minutes before a fault, or an alarm's onset) cut out.
 *
 * <p>Column types come from the {@code type} field when there is one ({@code Binary}, {@code Alarm},
 * {@code Bool*} are binary; {@code Continuous}, {@code Counter}, {@code Numeric}, {@code Integer},
 * {@code Float}, {@code Double} numeric; {@code Categorical}, {@code String} categorical) and are
 * inferred from the values otherwise (all {@code true}/{@code false}: binary; all numbers: numeric;
 * else categorical).
 *
 * <p>Immutable and thread-safe.
 */
public final class EventLog {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    /** The type of a variable. Immutable and thread-safe. */
    public enum Kind {
        /** a flag: levels {@code False}, {@code True} */
        BINARY,
        /** a number */
        NUMERIC,
        /** a category with named levels */
        CATEGORICAL
    }

    /**
     * One value change.
     *
     * @param time     seconds (any origin)
     * @param variable variable name
     * @param value    the new value, as written
     * @param type     the type field ({@code ""} when the log has none)
     */
    public record Event(double time, String variable, String value, String type) {
        /** Validates the event. */
        public Event {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(type, "type");
            if (!Double.isFinite(time)) {
                throw new IllegalArgumentException("event time must be finite, got " + time);
            }
        }
    }

    /**
     * A time window of a log, both ends included.
     *
     * @param log  the log
     * @param from first grid time
     * @param to   last time (grid times {@code from + k step <= to})
     */
    public record Window(EventLog log, double from, double to) {
        /** Validates the window. */
        public Window {
            Objects.requireNonNull(log, "log");
            if (!(Double.isFinite(from) && Double.isFinite(to) && to >= from)) {
                throw new IllegalArgumentException("window must have finite from <= to, got [" + from + ", " + to
                        + "] for " + log.source());
            }
        }

        /**
         * @param log a log
         * @return its whole span, first to last event
         */
        public static Window whole(EventLog log) {
            return new Window(log, log.start(), log.end());
        }
    }

    /**
     * How to grid logs into a table.
     *
     * @param step      grid step in seconds, positive
     * @param variables the columns, in order (every one must be logged somewhere or have a default)
     * @param defaults  value of a variable before its first event in a log, or throughout a log
     *                  that does not record it (e.g. {@code False} for an alarm that never fired);
     *                  without a default such cells take the variable's first logged value
     *                  (counted and logged), and a log that never records the variable is an error
     */
    public record GridSpec(double step, List<String> variables, Map<String, String> defaults) {
        /** Validates and copies. */
        public GridSpec {
            if (!(step > 0) || Double.isInfinite(step)) {
                throw new IllegalArgumentException("grid step must be positive and finite, got " + step);
            }
            variables = List.copyOf(variables);
            defaults = Map.copyOf(defaults);
            if (variables.isEmpty()) {
                throw new IllegalArgumentException("grid needs at least one variable");
            }
            if (new java.util.HashSet<>(variables).size() != variables.size()) {
                throw new IllegalArgumentException("grid variables repeat a name: " + variables);
            }
        }
    }

    private record Series(double[] times, String[] values, Kind kind) {
    }

    private final String source;
    private final Map<String, Series> series;
    private final double start;
    private final double end;

    private EventLog(String source, Map<String, Series> series, double start, double end) {
        this.source = source;
        this.series = series;
        this.start = start;
        this.end = end;
    }

    /**
     * @param source a name for messages (e.g. the file)
     * @param events the events, in any order (equal times keep their given order; the last wins)
     * @return the log
     * @throws IllegalArgumentException if empty, or a variable has values that do not fit its type
     */
    public static EventLog of(String source, List<Event> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException(source + ": no events");
        }
        Map<String, List<Event>> by = new LinkedHashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Event e : events) {
            by.computeIfAbsent(e.variable(), k -> new ArrayList<>()).add(e);
            lo = Math.min(lo, e.time());
            hi = Math.max(hi, e.time());
        }
        Map<String, Series> s = new LinkedHashMap<>();
        for (Map.Entry<String, List<Event>> en : by.entrySet()) {
            List<Event> ev = new ArrayList<>(en.getValue());
            ev.sort(java.util.Comparator.comparingDouble(Event::time)); // stable: file order within a time
            Kind kind = kind(source, en.getKey(), ev);
            double[] t = new double[ev.size()];
            String[] v = new String[ev.size()];
            for (int i = 0; i < ev.size(); i++) {
                t[i] = ev.get(i).time();
                v[i] = normalise(source, en.getKey(), kind, ev.get(i).value());
            }
            s.put(en.getKey(), new Series(t, v, kind));
        }
        return new EventLog(source, Collections.unmodifiableMap(s), lo, hi);
    }

    private static Kind kind(String source, String var, List<Event> ev) {
        String type = ev.get(0).type().strip().toLowerCase(Locale.ROOT);
        for (Event e : ev) {
            if (!e.type().strip().equalsIgnoreCase(type)) {
                throw new IllegalArgumentException(source + ": variable '" + var + "' has two types, '" + ev.get(0).type()
                        + "' and '" + e.type() + "'");
            }
        }
        if (type.equals("binary") || type.equals("alarm") || type.startsWith("bool")) {
            return Kind.BINARY;
        }
        if (Arrays.asList("continuous", "counter", "numeric", "integer", "float", "double", "analog").contains(type)) {
            return Kind.NUMERIC;
        }
        if (type.equals("categorical") || type.equals("string") || type.equals("enum")) {
            return Kind.CATEGORICAL;
        }
        boolean bool = true;
        boolean num = true;
        for (Event e : ev) {
            String x = e.value().strip();
            bool &= x.equalsIgnoreCase("true") || x.equalsIgnoreCase("false");
            num &= isNumber(x);
        }
        return bool ? Kind.BINARY : num ? Kind.NUMERIC : Kind.CATEGORICAL;
    }

    private static boolean isNumber(String x) {
        try {
            return Double.isFinite(Double.parseDouble(x));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String normalise(String source, String var, Kind kind, String raw) {
        String x = raw.strip();
        switch (kind) {
            case BINARY:
                if (x.equalsIgnoreCase("true") || x.equals("1") || x.equals("1.0")) {
                    return "True";
                }
                if (x.equalsIgnoreCase("false") || x.equals("0") || x.equals("0.0")) {
                    return "False";
                }
                throw new IllegalArgumentException(source + ": binary variable '" + var + "' has value '" + raw
                        + "' (expected True/False or 1/0)");
            case NUMERIC:
                if (!isNumber(x)) {
                    throw new IllegalArgumentException(source + ": numeric variable '" + var + "' has value '" + raw
                            + "' (expected a finite number)");
                }
                return x;
            default:
                return x;
        }
    }

    /**
     * Reads a long-format CSV event log. The header names the columns (any order, case-insensitive):
     * {@code time} or {@code time_s} or {@code timestamp} (seconds), {@code variable} or {@code node}
     * or {@code name}, {@code value}, and optionally {@code type}. The delimiter is {@code ,},
     * {@code ;} or a tab, taken from the header. Fields follow RFC 4180 as {@link CsvReader} reads
     * them (quoted fields such as {@code "a,b"}, doubled quotes inside them).
     *
     * @param file the file
     * @return the log
     * @throws IOException     on read failure
     * @throws FormatException if the header lacks a column, a line has the wrong number of fields, a
     *                         time is not a finite number, or a value does not fit its type (line named)
     */
    public static EventLog read(Path file) throws IOException, FormatException {
        String src = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new java.io.FileNotFoundException("event log " + file.toAbsolutePath() + " does not exist");
        }
        String header;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = r.readLine();
        }
        if (header == null || header.isBlank()) {
            throw new FormatException(src, "line 1", "expected a header 'time,variable,value[,type]'");
        }
        char d = header.indexOf('\t') >= 0 ? '\t' : header.indexOf(';') >= 0 ? ';' : ',';
        List<Event> events = new ArrayList<>();
        try (CsvReader r = CsvReader.open(file, d)) {
            CsvReader.Record h = r.next();
            if (h == null) {
                throw new FormatException(src, "line 1", "expected a header 'time,variable,value[,type]'");
            }
            List<String> head = h.fields().stream().map(x -> x.strip().toLowerCase(Locale.ROOT)).toList();
            int ti = find(head, COLUMN_NAMES.get(0));
            int vi = find(head, COLUMN_NAMES.get(1));
            int xi = find(head, COLUMN_NAMES.get(2));
            int yi = find(head, COLUMN_NAMES.get(3));
            if (ti < 0 || vi < 0 || xi < 0) {
                throw new FormatException(src, "line 1", "expected columns time, variable (or node) and value; found " + head);
            }
            for (CsvReader.Record rec = r.next(); rec != null; rec = r.next()) {
                List<String> f = rec.fields();
                long ln = rec.line();
                if (f.size() == 1 && f.get(0).isBlank()) {
                    continue;
                }
                if (f.size() != head.size()) {
                    throw new FormatException(src, "line " + ln, "expected " + head.size() + " fields, found " + f.size());
                }
                double t;
                try {
                    t = Double.parseDouble(f.get(ti).strip());
                } catch (NumberFormatException e) {
                    throw new FormatException(src, "line " + ln, "time is not a number: '" + f.get(ti) + "'", e);
                }
                if (!Double.isFinite(t)) {
                    throw new FormatException(src, "line " + ln, "time is not finite: '" + f.get(ti) + "'");
                }
                if (f.get(vi).isBlank()) {
                    throw new FormatException(src, "line " + ln, "empty variable name");
                }
                events.add(new Event(t, f.get(vi).strip(), f.get(xi), yi < 0 ? "" : f.get(yi)));
            }
        }
        if (events.isEmpty()) {
            throw new FormatException(src, "end of file", "no events");
        }
        try {
            return of(src, events);
        } catch (IllegalArgumentException e) {
            throw new FormatException(src, "events", e.getMessage(), e);
        }
    }

    /** Column names accepted for the time, variable, value and type of an event, in order of preference. */
    public static final List<List<String>> COLUMN_NAMES = List.of(List.of("time", "time_s", "timestamp", "t"),
            List.of("variable", "node", "name", "tag"), List.of("value"), List.of("type"));

    /**
     * A log from columns of equal length — what a columnar file (e.g. Apache Parquet in long format)
     * holds; row {@code i} is one event.
     *
     * @param source   a name for messages (e.g. the file)
     * @param time     event times in seconds
     * @param variable variable names
     * @param value    values as text (numbers as their decimal form, flags as {@code True}/{@code False}
     *                 or {@code true}/{@code false} or 1/0)
     * @param type     type fields, or null when the source has none
     * @return the log
     * @throws FormatException naming the row when a time is not finite or a variable name or value is
     *                         missing or blank, or naming the variable when its values do not fit its type;
     *                         when the columns differ in length or there are no rows
     */
    public static EventLog ofColumns(String source, double[] time, String[] variable, String[] value, String[] type)
            throws FormatException {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(value, "value");
        int n = time.length;
        if (variable.length != n || value.length != n || type != null && type.length != n) {
            throw new FormatException(source, "columns", "time, variable, value" + (type != null ? ", type" : "")
                    + " differ in length: " + n + ", " + variable.length + ", " + value.length
                    + (type != null ? ", " + type.length : ""));
        }
        if (n == 0) {
            throw new FormatException(source, "rows", "no events");
        }
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String where = "row " + (i + 1);
            if (!Double.isFinite(time[i])) {
                throw new FormatException(source, where, "time is not finite: " + time[i]);
            }
            if (variable[i] == null || variable[i].isBlank()) {
                throw new FormatException(source, where, "empty variable name");
            }
            if (value[i] == null) {
                throw new FormatException(source, where, "missing value of '" + variable[i].strip() + "'");
            }
            events.add(new Event(time[i], variable[i].strip(), value[i], type == null || type[i] == null ? "" : type[i]));
        }
        try {
            return of(source, events);
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, "events", e.getMessage(), e);
        }
    }

    private static int find(List<String> head, List<String> names) {
        for (String n : names) {
            int i = head.indexOf(n);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }


    /** @return where the log came from */
    public String source() {
        return source;
    }

    /** @return time of the first event */
    public double start() {
        return start;
    }

    /** @return time of the last event */
    public double end() {
        return end;
    }

    /** @return the variables the log records, in order of first appearance */
    public List<String> variables() {
        return List.copyOf(series.keySet());
    }

    /**
     * @param variable a variable
     * @return whether the log records it
     */
    public boolean records(String variable) {
        return series.containsKey(variable);
    }

    /**
     * @param variable a recorded variable
     * @return its type
     */
    public Kind kind(String variable) {
        return require(variable).kind();
    }

    /**
     * @param variable a variable
     * @param time     a time
     * @return its value at that time (the last event at or before it), empty before its first event
     *         or when the log does not record it
     */
    public Optional<String> valueAt(String variable, double time) {
        Series s = series.get(variable);
        if (s == null) {
            return Optional.empty();
        }
        int i = lastAtOrBefore(s.times(), time);
        return i < 0 ? Optional.empty() : Optional.of(s.values()[i]);
    }

    /**
     * @param variable a recorded variable
     * @return the times at which it was logged (a copy)
     */
    public double[] eventTimes(String variable) {
        return require(variable).times().clone();
    }

    /**
     * @param variable a recorded variable
     * @return its logged values in time order (booleans as {@code False}/{@code True}; a copy)
     */
    public String[] eventValues(String variable) {
        return require(variable).values().clone();
    }

    private Series require(String variable) {
        Series s = series.get(variable);
        if (s == null) {
            throw new IllegalArgumentException(source + " does not record '" + variable + "'");
        }
        return s;
    }

    private static int lastAtOrBefore(double[] t, double x) {
        int lo = 0;
        int hi = t.length - 1;
        int ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] <= x) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    /**
     * Grids windows of one or more logs into one table, rows of the windows in the order given
     * (each window contributes {@code floor((to - from) / step) + 1} rows). Binary variables get
     * the levels {@code [False, True]} whatever the data shows; categorical ones the union of the
     * levels seen in all windows (canonical order), so tables cut from different logs code alike
     * when built in one call.
     *
     * @param windows the windows
     * @param spec    grid step, columns and defaults
     * @return the table
     * @throws IllegalArgumentException if a variable is recorded by no log and has no default, is
     *                                  recorded by a log with no default and no value in a window, or
     *                                  has different types in different logs
     */
    public static DataTable table(List<Window> windows, GridSpec spec) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows to grid");
        }
        Map<String, Kind> kinds = kinds(windows, spec);
        int rows = 0;
        int[] counts = new int[windows.size()];
        for (int w = 0; w < windows.size(); w++) {
            Window win = windows.get(w);
            counts[w] = (int) Math.floor((win.to() - win.from()) / spec.step() + 1e-9) + 1;
            rows += counts[w];
        }
        DataTable.Builder b = DataTable.builder();
        long filled = 0;
        for (String v : spec.variables()) {
            Kind k = kinds.get(v);
            String def = spec.defaults().get(v);
            if (def != null) {
                def = normalise("defaults", v, k, def);
            }
            String[] vals = new String[rows];
            int r = 0;
            for (int w = 0; w < windows.size(); w++) {
                Window win = windows.get(w);
                Series s = win.log().series.get(v);
                if (s == null && def == null) {
                    throw new IllegalArgumentException(win.log().source() + " does not record '" + v
                            + "' and it has no default");
                }
                for (int i = 0; i < counts[w]; i++) {
                    double t = win.from() + i * spec.step();
                    String x = null;
                    if (s != null) {
                        int j = lastAtOrBefore(s.times(), t);
                        x = j >= 0 ? s.values()[j] : null;
                    }
                    if (x == null) {
                        if (def != null) {
                            x = def;
                        } else {
                            x = s.values()[0];
                            filled++;
                        }
                    }
                    vals[r++] = x;
                }
            }
            if (k == Kind.NUMERIC) {
                double[] d = new double[rows];
                for (int i = 0; i < rows; i++) {
                    d[i] = Double.parseDouble(vals[i]);
                }
                b.continuous(v, d);
            } else if (k == Kind.BINARY) {
                b.categorical(v, vals, List.of("False", "True"));
            } else {
                b.categorical(v, vals, DataTable.canonicalLevels(new TreeSet<>(Arrays.asList(vals))));
            }
        }
        if (filled > 0) {
            LOG.info("{} cells before a variable's first event took its first logged value (no default given)", filled);
        }
        return b.build();
    }

    /**
     * The kind of each variable of the grid: as its logs record it (the same in every log), else as
     * its default reads (True/False binary, a number numeric, else categorical).
     */
    private static Map<String, Kind> kinds(List<Window> windows, GridSpec spec) {
        Map<String, Kind> kinds = new HashMap<>();
        for (String v : spec.variables()) {
            Kind k = null;
            for (Window w : windows) {
                if (w.log().records(v)) {
                    Kind kw = w.log().kind(v);
                    if (k != null && k != kw) {
                        throw new IllegalArgumentException("variable '" + v + "' is " + k + " in one log and " + kw
                                + " in " + w.log().source());
                    }
                    k = kw;
                }
            }
            if (k == null) {
                String d = spec.defaults().get(v);
                if (d == null) {
                    throw new IllegalArgumentException("variable '" + v + "' is recorded by none of the logs and has no default");
                }
                k = d.equalsIgnoreCase("true") || d.equalsIgnoreCase("false") ? Kind.BINARY
                        : isNumber(d) ? Kind.NUMERIC : Kind.CATEGORICAL;
            }
            kinds.put(v, k);
        }
        return kinds;
    }
}
