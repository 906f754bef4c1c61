package org.fabai.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.parquet.ParquetTable;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.data.EventLog;
import picocli.CommandLine.Option;

/**
 * The data options every {@code fabai rca} command that reads a table shares: a delimited table
 * (columns typed by their values, {@code --categorical} to force) or long-format event logs
 * ({@code --events}: {@code time,variable,value[,type]}, gridded with carry-forward).
 */
final class RcaData {

    @Option(names = "--delimiter", defaultValue = "auto", description = "table delimiter: tab, comma, semicolon or auto")
    String delimiter;
    @Option(names = "--categorical", split = ",", description = "columns to treat as categorical whatever their values "
            + "(columns with non-numeric values are categorical anyway)")
    List<String> categorical = new ArrayList<>();
    @Option(names = "--events", description = "the inputs are long-format event logs (time,variable,value[,type]; "
            + "CSV, or Apache Parquet with those columns), "
            + "gridded into a table with values carried forward")
    boolean events;
    @Option(names = "--grid", defaultValue = "1.0", description = "event logs: grid step in seconds (default ${DEFAULT-VALUE})")
    double grid;
    @Option(names = "--from", description = "event logs: first grid time (default: each log's first event)")
    Double from;
    @Option(names = "--to", description = "event logs: last grid time (default: each log's last event)")
    Double to;
    @Option(names = "--variables", split = ",", description = "event logs: the columns (default: every variable logged)")
    List<String> variables;
    @Option(names = "--default", description = "event logs: VAR=VALUE for a variable before its first event or in a log "
            + "that does not record it (e.g. an alarm that never fired)")
    Map<String, String> defaults = new LinkedHashMap<>();

    /** Row counts of the recordings in the last table read: one per event log, or the whole table. */
    int[] segments = new int[0];

    /**
     * Reads one table, or grids the event logs into one table (rows of the logs one after another).
     */
    DataTable read(List<Path> files) throws Exception {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input file given");
        }
        for (Path f : files) {
            if (Files.isDirectory(f)) {
                throw new FileNotFoundException((events ? "event log " : "table ") + f.toAbsolutePath()
                        + " is a directory, not a file");
            }
            if (!Files.isRegularFile(f)) {
                throw new FileNotFoundException((events ? "event log " : "table ") + f.toAbsolutePath()
                        + " does not exist");
            }
        }
        if (!events) {
            if (files.size() != 1) {
                throw new IllegalArgumentException("one table expected, got " + files.size() + " files (use --events for logs)");
            }
            DataTable t = isParquet(files.get(0)) ? fromParquet(ParquetTable.read(files.get(0)), categorical)
                    : DataTable.readInferringTypes(files.get(0), delimiter(files.get(0), delimiter),
                    categorical);
            segments = new int[] {t.rows()};
            return t;
        }
        List<EventLog> logs = new ArrayList<>();
        for (Path f : files) {
            logs.add(readEvents(f));
        }
        return grid(logs);
    }

    /**
     * Reads one long-format event log ({@code time, variable, value[, type]}): CSV, or Apache Parquet
     * ({@code *.parquet} or by its magic bytes) with a numeric time column and the same column names
     * as the CSV header ({@link EventLog#COLUMN_NAMES}); values may be text, numbers or BOOLEAN.
     */
    static EventLog readEvents(Path f) throws java.io.IOException, org.fabai.core.io.FormatException {
        if (!isParquet(f)) {
            return EventLog.read(f);
        }
        ParquetTable p = ParquetTable.read(f);
        List<String> names = p.columns().stream().map(c -> c.name().strip().toLowerCase(java.util.Locale.ROOT)).toList();
        ParquetTable.Column[] use = new ParquetTable.Column[4];
        for (int k = 0; k < 4; k++) {
            for (String alias : EventLog.COLUMN_NAMES.get(k)) {
                int i = names.indexOf(alias);
                if (i >= 0) {
                    use[k] = p.columns().get(i);
                    break;
                }
            }
        }
        if (use[0] == null || use[1] == null || use[2] == null) {
            throw new org.fabai.core.io.FormatException(p.source(), "schema",
                    "expected columns time, variable (or node) and value; found " + names);
        }
        if (use[0].isText()) {
            throw new org.fabai.core.io.FormatException(p.source(), "column '" + use[0].name() + "'",
                    "expected numeric times in seconds (INT32, INT64, FLOAT or DOUBLE), found text");
        }
        return EventLog.ofColumns(p.source(), use[0].numbers(), texts(use[1]), texts(use[2]),
                use[3] == null ? null : texts(use[3]));
    }

    private static String[] texts(ParquetTable.Column c) {
        if (c.isText()) {
            return c.text();
        }
        String[] s = new String[c.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.format(i);
        }
        return s;
    }

    /**
     * Reads reference (normal) and anomalous data as two tables with the same columns and category
     * levels: two tables, or event logs gridded in one call so both code alike (the reference logs on
     * their whole span, {@code --from}/{@code --to} cutting the anomalous logs only).
     *
     * @return {reference, anomalous}
     */
    DataTable[] readReferenceAndAnomalous(List<Path> reference, List<Path> anomalous) throws Exception {
        if (!events) {
            return DataTable.unifyLevels(read(reference), read(anomalous));
        }
        List<EventLog.Window> ws = new ArrayList<>();
        LinkedHashSet<String> vars = new LinkedHashSet<>();
        for (Path p : reference) {
            EventLog l = readEvents(p);
            ws.add(EventLog.Window.whole(l));
            vars.addAll(l.variables());
        }
        int nRefWin = ws.size();
        for (Path p : anomalous) {
            EventLog l = readEvents(p);
            ws.add(new EventLog.Window(l, from == null ? l.start() : from, to == null ? l.end() : to));
            vars.addAll(l.variables());
        }
        DataTable all = EventLog.table(ws, new EventLog.GridSpec(grid, variables == null ? new ArrayList<>(vars) : variables,
                defaults));
        int nRef = 0;
        for (int w = 0; w < nRefWin; w++) {
            nRef += gridRows(ws.get(w));
        }
        return new DataTable[] {all.rows(range(0, nRef)), all.rows(range(nRef, all.rows()))};
    }

    /** @return the rows {@link EventLog#table} grids a window into */
    private int gridRows(EventLog.Window w) {
        return (int) Math.floor((w.to() - w.from()) / grid + 1e-9) + 1;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** @return the delimiter {@code --delimiter} names, or (auto) the first line's: tab, else semicolon, else comma */
    static char delimiter(Path f, String d) throws IOException {
        switch (d) {
            case "tab": return '\t';
            case "comma": return ',';
            case "semicolon": return ';';
            default:
                String first;
                try (var r = Files.newBufferedReader(f)) {
                    first = r.readLine();
                }
                first = first == null ? "" : first;
                return first.indexOf('\t') >= 0 ? '\t' : first.indexOf(';') >= 0 ? ';' : ',';
        }
    }

    /** @return whether a file is Apache Parquet: named {@code *.parquet}, or starting with its magic {@code PAR1} */
    static boolean isParquet(Path f) throws IOException {
        return f.getFileName() != null && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
                || Files.isRegularFile(f) && ParquetTable.isParquet(f);
    }

    /**
     * A Parquet table as a data table, typed as {@link DataTable#readInferringTypes} types a CSV:
     * text and BOOLEAN columns and those named in {@code categorical} are categorical, numbers continuous.
     */
    static DataTable fromParquet(ParquetTable p, List<String> categorical)
            throws FormatException {
        List<String> names = p.columns().stream().map(ParquetTable.Column::name).toList();
        for (String c : categorical) {
            if (!names.contains(c)) {
                throw new FormatException(p.source(), "schema", "categorical column '" + c
                        + "' is not in the file; columns: " + names);
            }
        }
        DataTable.Builder b = DataTable.builder();
        for (ParquetTable.Column c : p.columns()) {
            if (c.isText() || categorical.contains(c.name())) {
                String[] v = new String[c.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.format(i).strip();
                }
                b.categorical(c.name(), v);
            } else {
                b.continuous(c.name(), c.numbers());
            }
        }
        return b.build();
    }

    DataTable grid(List<EventLog> logs) {
        List<EventLog.Window> ws = new ArrayList<>();
        LinkedHashSet<String> vars = new LinkedHashSet<>();
        for (EventLog l : logs) {
            double a = from == null ? l.start() : from;
            double b = to == null ? l.end() : to;
            ws.add(new EventLog.Window(l, a, b));
            vars.addAll(l.variables());
        }
        List<String> cols = variables == null ? new ArrayList<>(vars) : variables;
        DataTable t = EventLog.table(ws, new EventLog.GridSpec(grid, cols, defaults));
        segments = new int[ws.size()];
        for (int w = 0; w < ws.size(); w++) {
            segments[w] = gridRows(ws.get(w));
        }
        return t;
    }

    /**
     * @param rows the {@code --row} option (null or empty: none given)
     * @param t    the table the rows are of
     * @return the rows given, each checked to be in the table, or the last row
     * @throws IllegalArgumentException naming a row outside the table
     */
    static List<Integer> rowsOrLast(List<Integer> rows, DataTable t) {
        List<Integer> rs = rows == null || rows.isEmpty() ? List.of(t.rows() - 1) : rows;
        for (int row : rs) {
            if (row < 0 || row >= t.rows()) {
                throw new IllegalArgumentException("--row must be in [0, " + t.rows() + "), got " + row);
            }
        }
        return rs;
    }

    /** @return the values of these rows of the table, one array of all columns per row */
    static double[][] values(DataTable t, List<Integer> rows) {
        double[][] r = new double[rows.size()][t.columns()];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < t.columns(); j++) {
                r[i][j] = t.get(rows.get(i), j);
            }
        }
        return r;
    }

    /** Drops constant columns (nothing can be learned from them), saying which. */
    static DataTable dropConstant(DataTable t, PrintWriter note, String keep) {
        List<String> c = new ArrayList<>(t.constantColumns());
        if (keep != null) {
            c.remove(keep);
        }
        if (c.isEmpty()) {
            return t;
        }
        note.println("note: dropped " + c.size() + " constant column(s): " + String.join(", ", c));
        return t.without(c);
    }
}
