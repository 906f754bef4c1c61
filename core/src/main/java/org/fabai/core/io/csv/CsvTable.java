package org.fabai.core.io.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.fabai.core.io.FormatException;

/**
 * A plain table read from a delimited text file: a header row of column names, then rows with
 * exactly one cell per column. Cells stay text until asked for as numbers; numeric access is
 * strict (a bad number, or a missing value where none is allowed, is a {@link FormatException}
 * naming the file, line and column). Missing values ({@code NA}, {@code NaN}, {@code null},
 * {@code N/A}, {@code none}, an empty cell; case-insensitive) become NaN only where the caller
 * passes {@code allowMissing}. Column names are matched case-insensitively.
 *
 * <p>Immutable and thread-safe once read.
 */
public final class CsvTable {

    private final String source;
    private final List<String> columns;
    private final Map<String, Integer> index;
    private final String[][] cells;
    private final long[] lines;
    private final long headerLine;

    private CsvTable(String source, List<String> columns, Map<String, Integer> index, String[][] cells, long[] lines,
            long headerLine) {
        this.source = source;
        this.columns = columns;
        this.index = index;
        this.cells = cells;
        this.lines = lines;
        this.headerLine = headerLine;
    }

    /**
     * Reads a UTF-8 file; the delimiter is a tab when the header line holds a tab and no comma,
     * a semicolon when it holds semicolons and no comma, else a comma.
     *
     * @param file the file
     * @return the table
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid table
     */
    public static CsvTable read(Path file) throws IOException, FormatException {
        String first;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = r.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FormatException(file.toString(), CsvReader.locateMalformed(file), "not valid UTF-8 text (" + e.getMessage()
                    + "); save the file as UTF-8", e);
        }
        return read(file, detect(first == null ? "" : first));
    }

    static char detect(String header) {
        if (header.indexOf(',') < 0) {
            if (header.indexOf('\t') >= 0) {
                return '\t';
            }
            if (header.indexOf(';') >= 0) {
                return ';';
            }
        }
        return ',';
    }

    /**
     * Reads a UTF-8 file with a given delimiter.
     *
     * @param file      the file
     * @param delimiter field delimiter
     * @return the table
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid table
     */
    public static CsvTable read(Path file, char delimiter) throws IOException, FormatException {
        try (CsvReader r = CsvReader.open(file, delimiter)) {
            return read(r);
        }
    }

    /** Receives a table's rows one at a time ({@link #scan}). */
    public interface RowVisitor {
        /**
         * Called once, before the rows.
         *
         * @param columns the column names as written in the header, trimmed
         * @throws FormatException to stop the scan
         */
        default void header(List<String> columns) throws FormatException {
        }

        /**
         * @param line   the line of the file where the row starts
         * @param fields its fields, as many as the header's (valid during the call only)
         * @throws FormatException to stop the scan on a bad value
         */
        void row(long line, List<String> fields) throws FormatException;
    }

    /**
     * Reads a UTF-8 file row by row with the checks of {@link #read(Path, char)} (a header of distinct,
     * non-empty names; every row as wide as the header), holding one row at a time: for tables too large
     * to hold as text.
     *
     * @param file      the file
     * @param delimiter field delimiter
     * @param visitor   receives the header, then each row
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is not a valid table, or the visitor stops the scan
     */
    public static void scan(Path file, char delimiter, RowVisitor visitor) throws IOException, FormatException {
        try (CsvReader r = CsvReader.open(file, delimiter)) {
            CsvReader.Record h = r.next();
            if (h == null) {
                throw new FormatException(r.source(), "line 1", "empty file: expected a header row of column names");
            }
            Csv.header(h, r.source());
            List<String> cols = new ArrayList<>();
            for (String c : h.fields()) {
                cols.add(c.trim());
            }
            visitor.header(List.copyOf(cols));
            for (CsvReader.Record rec = r.next(); rec != null; rec = r.next()) {
                Csv.checkWidth(rec, h, r.source());
                visitor.row(rec.line(), rec.fields());
            }
        }
    }

    /**
     * Reads a table from characters (not closed).
     *
     * @param in        the characters
     * @param source    name for messages
     * @param delimiter field delimiter
     * @return the table
     * @throws IOException     if reading fails
     * @throws FormatException if the text is not a valid table
     */
    public static CsvTable read(Reader in, String source, char delimiter) throws IOException, FormatException {
        return read(new CsvReader(in, source, delimiter));
    }

    /**
     * Parses a table held in a string (handy in tests and JShell).
     *
     * @param text      the table's text
     * @param source    name for messages
     * @param delimiter field delimiter
     * @return the table
     * @throws FormatException if the text is not a valid table
     */
    public static CsvTable parse(String text, String source, char delimiter) throws FormatException {
        try {
            return read(new StringReader(text), source, delimiter);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private static CsvTable read(CsvReader r) throws IOException, FormatException {
        CsvReader.Record h = r.next();
        if (h == null) {
            throw new FormatException(r.source(), "line 1", "empty file: expected a header row of column names");
        }
        Map<String, Integer> idx = Csv.header(h, r.source());
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (CsvReader.Record rec = r.next(); rec != null; rec = r.next()) {
            Csv.checkWidth(rec, h, r.source());
            rows.add(rec.fields().toArray(new String[0]));
            lines.add(rec.line());
        }
        List<String> cols = new ArrayList<>();
        for (String c : h.fields()) {
            cols.add(c.trim());
        }
        long[] ln = new long[lines.size()];
        for (int i = 0; i < ln.length; i++) {
            ln[i] = lines.get(i);
        }
        return new CsvTable(r.source(), List.copyOf(cols), idx, rows.toArray(new String[0][]), ln, h.line());
    }

    /** @return the source name */
    public String source() {
        return source;
    }

    /** @return column names as written in the header */
    public List<String> columns() {
        return columns;
    }

    /** @return number of data rows */
    public int rowCount() {
        return cells.length;
    }

    /**
     * @param row a data row index
     * @return the line of the file where that row starts
     */
    public long line(int row) {
        return lines[row];
    }

    /**
     * @param column a column name (case-insensitive)
     * @return true when the table has it
     */
    public boolean hasColumn(String column) {
        return index.containsKey(column.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * @param column a column name (case-insensitive)
     * @return its index
     * @throws FormatException if the table has no such column
     */
    public int columnIndex(String column) throws FormatException {
        Integer i = index.get(Objects.requireNonNull(column, "column").trim().toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new FormatException(source, "line " + headerLine + ", header", "missing column '" + column
                    + "'; found columns " + columns);
        }
        return i;
    }

    /**
     * @param row    data row index
     * @param column column index
     * @return the cell's text
     */
    public String cell(int row, int column) {
        return cells[row][column];
    }

    /**
     * @param column a column name
     * @return its cells as text
     * @throws FormatException if the table has no such column
     */
    public String[] strings(String column) throws FormatException {
        int c = columnIndex(column);
        String[] out = new String[cells.length];
        for (int r = 0; r < cells.length; r++) {
            out[r] = cells[r][c];
        }
        return out;
    }

    /**
     * A numeric column, strictly: every cell must be a number.
     *
     * @param column a column name
     * @return its values
     * @throws FormatException naming line and column for the first cell that is not a number
     */
    public double[] numbers(String column) throws FormatException {
        return numbers(column, false);
    }

    /**
     * A numeric column.
     *
     * @param column       a column name
     * @param allowMissing whether missing cells become NaN (otherwise they are errors)
     * @return its values
     * @throws FormatException naming line and column for the first bad cell
     */
    public double[] numbers(String column, boolean allowMissing) throws FormatException {
        int c = columnIndex(column);
        double[] out = new double[cells.length];
        for (int r = 0; r < cells.length; r++) {
            out[r] = Csv.number(cells[r][c], allowMissing, source, lines[r], columns.get(c));
        }
        return out;
    }

    /**
     * Several numeric columns as a row-major matrix {@code [rows][columns.size()]}.
     *
     * @param columns      column names, in the order wanted
     * @param allowMissing whether missing cells become NaN
     * @return the matrix
     * @throws FormatException for a missing column or a bad cell
     */
    public double[][] matrix(List<String> columns, boolean allowMissing) throws FormatException {
        int[] cs = new int[columns.size()];
        for (int j = 0; j < cs.length; j++) {
            cs[j] = columnIndex(columns.get(j));
        }
        double[][] out = new double[cells.length][cs.length];
        for (int r = 0; r < cells.length; r++) {
            for (int j = 0; j < cs.length; j++) {
                out[r][j] = Csv.number(cells[r][cs[j]], allowMissing, source, lines[r], this.columns.get(cs[j]));
            }
        }
        return out;
    }

    /**
     * All columns as a strict numeric matrix.
     *
     * @return the matrix {@code [rows][columns]}
     * @throws FormatException for the first cell that is not a number
     */
    public double[][] matrix() throws FormatException {
        return matrix(columns, false);
    }
}
