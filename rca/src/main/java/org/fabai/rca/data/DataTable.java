package org.fabai.rca.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.CsvTable;

/**
 * A column-oriented table of variables for root-cause analysis: each column is either continuous
 * ({@code double} values) or categorical (integer codes {@code 0..k-1} with level names). Missing
 * values are not allowed: every cell holds a finite number or a valid code.
 *
 * <p>Immutable and thread-safe.
 */
public final class DataTable {

    private final List<String> names;
    private final double[][] columns;
    private final List<List<String>> levels;
    private final Map<String, Integer> index;
    private final int rows;

    private DataTable(List<String> names, double[][] columns, List<List<String>> levels) {
        this.names = List.copyOf(names);
        this.columns = columns;
        this.levels = Collections.unmodifiableList(new ArrayList<>(levels));
        this.rows = columns.length == 0 ? 0 : columns[0].length;
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (idx.put(names.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate column name '" + names.get(i) + "'");
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return number of rows */
    public int rows() {
        return rows;
    }

    /** @return number of columns */
    public int columns() {
        return names.size();
    }

    /** @return column names in order */
    public List<String> names() {
        return names;
    }

    /**
     * @param name a column name
     * @return its index
     * @throws IllegalArgumentException if there is no such column
     */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no column '" + name + "'; columns: " + names);
        }
        return i;
    }

    /**
     * @param col column index
     * @return true when the column is categorical
     */
    public boolean isCategorical(int col) {
        return !levels.get(col).isEmpty();
    }

    /**
     * @param col column index
     * @return level names of a categorical column (empty for a continuous one)
     */
    public List<String> levels(int col) {
        return levels.get(col);
    }

    /**
     * @param col column index
     * @return a copy of the column's values (codes for a categorical column)
     */
    public double[] column(int col) {
        return columns[col].clone();
    }

    /**
     * @param row row index
     * @param col column index
     * @return the value (code for a categorical column)
     */
    public double get(int row, int col) {
        return columns[col][row];
    }

    /**
     * @param rowIdx row indices (repeats allowed, as in a bootstrap sample)
     * @return a table of those rows
     */
    public DataTable rows(int[] rowIdx) {
        double[][] c = new double[columns.length][rowIdx.length];
        for (int j = 0; j < columns.length; j++) {
            for (int i = 0; i < rowIdx.length; i++) {
                c[j][i] = columns[j][rowIdx[i]];
            }
        }
        return new DataTable(names, c, levels);
    }

    /**
     * Applies a transform to every continuous column (e.g. {@code Math::log} for heavy-tailed
     * positive data).
     *
     * @param f the transform
     * @return the transformed table
     * @throws IllegalArgumentException if the transform yields a non-finite value; the message names the cell
     */
    public DataTable mapContinuous(DoubleUnaryOperator f) {
        double[][] c = new double[columns.length][];
        for (int j = 0; j < columns.length; j++) {
            if (isCategorical(j)) {
                c[j] = columns[j];
                continue;
            }
            c[j] = new double[rows];
            for (int i = 0; i < rows; i++) {
                double v = f.applyAsDouble(columns[j][i]);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("transform of column '" + names.get(j) + "' row " + i
                            + " (value " + columns[j][i] + ") is not finite: " + v);
                }
                c[j][i] = v;
            }
        }
        return new DataTable(names, c, levels);
    }

    /**
     * The nonparanormal (Gaussian copula) transform of every continuous column: each value is
     * replaced by the standard normal quantile of its mid-rank, {@code Φ⁻¹(rank / (n + 1))}
     * (ties get their average rank). Robust to heavy tails and to any monotone distortion of a
     * variable; the Fisher-Z test on normal scores is the nonparanormal PC of Harris and Drton
     * (JMLR 2013).
     *
     * @return the transformed table
     */
    public DataTable normalScores() {
        double[][] c = new double[columns.length][];
        org.apache.commons.math3.distribution.NormalDistribution nd =
                new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
        for (int j = 0; j < columns.length; j++) {
            if (isCategorical(j)) {
                c[j] = columns[j];
                continue;
            }
            double[] r = Ranks.midRanks(columns[j]);
            c[j] = new double[rows];
            for (int i = 0; i < rows; i++) {
                c[j][i] = nd.inverseCumulativeProbability(r[i] / (rows + 1.0));
            }
        }
        return new DataTable(names, c, levels);
    }

    /**
     * The canonical order of categorical levels: numerically when every name is a number
     * ({@code "2" < "10"}), else lexicographically ({@code "False" < "True"}). Codes follow this
     * order, so they never depend on which row came first.
     *
     * @param names distinct level names
     * @return them, sorted
     */
    public static List<String> canonicalLevels(java.util.Collection<String> names) {
        List<String> out = new ArrayList<>(new java.util.TreeSet<>(names));
        boolean allNumeric = true;
        for (String n : out) {
            try {
                Double.parseDouble(n);
            } catch (NumberFormatException e) {
                allNumeric = false;
                break;
            }
        }
        if (allNumeric) {
            out.sort(java.util.Comparator.comparingDouble(Double::parseDouble).thenComparing(x -> x));
        }
        return List.copyOf(out);
    }

    /**
     * @param row row index
     * @param col column index
     * @return the cell as text: the level name of a categorical column, the number otherwise
     */
    public String format(int row, int col) {
        double v = columns[col][row];
        return isCategorical(col) ? levels.get(col).get((int) v) : Double.toString(v);
    }

    /**
     * @return names of the columns that hold one value in every row (nothing can be learned
     *         from them; discovery and attribution drop them)
     */
    public List<String> constantColumns() {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < columns.length; j++) {
            double[] c = columns[j];
            boolean constant = true;
            for (int i = 1; i < c.length && constant; i++) {
                constant = c[i] == c[0];
            }
            if (constant) {
                out.add(names.get(j));
            }
        }
        return out;
    }

    /**
     * @param keep column names to keep, in the order wanted
     * @return a table of those columns
     * @throws IllegalArgumentException if a name is not a column
     */
    public DataTable select(List<String> keep) {
        double[][] c = new double[keep.size()][];
        List<List<String>> lv = new ArrayList<>();
        for (int j = 0; j < keep.size(); j++) {
            int k = indexOf(keep.get(j));
            c[j] = columns[k];
            lv.add(levels.get(k));
        }
        return new DataTable(keep, c, lv);
    }

    /**
     * @param drop column names to drop (names that are not columns are ignored)
     * @return the table without them
     */
    public DataTable without(java.util.Collection<String> drop) {
        List<String> keep = new ArrayList<>();
        for (String n : names) {
            if (!drop.contains(n)) {
                keep.add(n);
            }
        }
        return select(keep);
    }

    /**
     * Codes two tables with the same columns alike: each categorical column gets the union of
     * both tables' levels (canonical order) and both are recoded to it. Use it before fitting on
     * one table (a reference) and explaining rows of the other.
     *
     * @param a a table
     * @param b a table with the same column names and kinds
     * @return {@code a} and {@code b}, recoded
     * @throws IllegalArgumentException if the columns differ in name or kind
     */
    public static DataTable[] unifyLevels(DataTable a, DataTable b) {
        if (!a.names().equals(b.names())) {
            throw new IllegalArgumentException("tables have different columns: " + a.names() + " vs " + b.names());
        }
        Builder ba = builder();
        Builder bb = builder();
        for (int j = 0; j < a.columns(); j++) {
            String n = a.names().get(j);
            if (a.isCategorical(j) != b.isCategorical(j)) {
                throw new IllegalArgumentException("column '" + n + "' is categorical in one table and numeric in the other");
            }
            if (!a.isCategorical(j)) {
                ba.continuous(n, a.columns[j]);
                bb.continuous(n, b.columns[j]);
                continue;
            }
            java.util.Set<String> u = new java.util.HashSet<>(a.levels(j));
            u.addAll(b.levels(j));
            List<String> lv = canonicalLevels(u);
            ba.categorical(n, names(a, j), lv);
            bb.categorical(n, names(b, j), lv);
        }
        return new DataTable[] {ba.build(), bb.build()};
    }

    private static String[] names(DataTable t, int j) {
        String[] s = new String[t.rows];
        for (int i = 0; i < t.rows; i++) {
            s[i] = t.levels(j).get((int) t.columns[j][i]);
        }
        return s;
    }

    private static final Pattern WS = Pattern.compile("[\\t ]+");

    /**
     * Reads a delimited text table with a header line; every value must be numeric. A {@code ','}
     * or {@code ';'} file is read as RFC 4180 CSV (quoted fields, embedded delimiters, CRLF) by
     * core's {@link CsvTable}; with {@code '\t'} a line is split on runs of spaces and tabs.
     * Columns named in {@code categorical} are read as categories of their distinct values, coded
     * canonically ({@link #canonicalLevels}: sorted level names, never row order, so the same
     * data in another row order gives the same codes).
     *
     * @param file        the file
     * @param delimiter   {@code ','} or {@code '\t'}
     * @param categorical names of columns to treat as categorical (may be empty)
     * @return the table
     * @throws IOException     on read failure
     * @throws FormatException if a line has the wrong number of fields or a value is not a finite number
     * @throws org.fabai.core.io.InputTooLargeException before reading, when the table (rows estimated from its
     *         size and first MiB, columns from its header) would not fit in the free heap
     */
    public static DataTable read(Path file, char delimiter, List<String> categorical)
            throws IOException, FormatException {
        return read(file, delimiter, categorical, false);
    }

    /**
     * Reads a delimited text table with a header line, like {@link #read(Path, char, List)}, but a
     * column whose values are not all finite numbers is read as categorical too (e.g.
     * {@code True}/{@code False} flags, recipe names). Columns named in {@code categorical} are
     * categorical whatever their values. Levels are coded canonically ({@link #canonicalLevels}).
     *
     * @param file        the file
     * @param delimiter   {@code ','}, {@code ';'} or {@code '\t'}
     * @param categorical columns forced to be categorical (may be empty)
     * @return the table
     * @throws IOException     on read failure
     * @throws FormatException if a line has the wrong number of fields
     * @throws org.fabai.core.io.InputTooLargeException before reading, when the table would not fit in the
     *         free heap (as {@link #read(Path, char, List)})
     */
    public static DataTable readInferringTypes(Path file, char delimiter, List<String> categorical)
            throws IOException, FormatException {
        return read(file, delimiter, categorical, true);
    }

    /** @return whether a cell holds a finite number (what a continuous column needs in every row) */
    private static boolean finiteNumber(String cell) {
        try {
            return Double.isFinite(Double.parseDouble(cell.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }


    /**
     * Heap a cell takes when a text table is read (two passes over the file, never the table as text): its
     * {@code double} (or, categorical, a reference to its level's one {@code String}), and the builder's copy
     * of one column at a time, rounded up for the codes of categorical columns.
     */
    static final long HEAP_BYTES_PER_CELL = 24;

    private static DataTable read(Path file, char delimiter, List<String> categorical, boolean infer)
            throws IOException, FormatException {
        return read(file, delimiter, categorical, infer, HEAP_BYTES_PER_CELL);
    }

    /**
     * Checks, before reading, that a delimited text table read whole fits in the free heap (what {@link #read}
     * does first).
     *
     * @param file      the table
     * @param delimiter its delimiter ({@code '\t'}: runs of spaces and tabs)
     * @throws IOException if the file cannot be read
     * @throws org.fabai.core.io.InputTooLargeException when it would not fit, naming the file, the estimate and
     *         what to do instead
     */
    public static void checkFits(Path file, char delimiter) throws IOException {
        checkFits(file, delimiter, HEAP_BYTES_PER_CELL);
    }

    /**
     * Throws {@link org.fabai.core.io.InputTooLargeException} before reading when the table, read whole
     * (as text, then as columns), would not fit in the free heap: rows estimated from the file's size and its
     * first MiB, columns from its header line.
     */
    static void checkFits(Path file, char delimiter, long bytesPerCell) throws IOException {
        String header;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = r.readLine();
        } catch (java.nio.charset.MalformedInputException e) {
            return; // not UTF-8 text: the reader below says so, naming the file
        }
        if (header == null) {
            return;
        }
        long cols = delimiter == '\t' ? splitWhitespace(header.strip()).length
                : header.chars().filter(ch -> ch == delimiter).count() + 1;
        long rows = org.fabai.core.io.InputTooLargeException.estimateLines(file);
        long perRow = cols * bytesPerCell + 16;
        org.fabai.core.io.InputTooLargeException.checkFits(file, rows, perRow, "select fewer columns or rows, or give the"
                + " JVM more heap (FABAI_JAVA_OPTS=-Xmx...)");
    }

    /** {@link #read(Path, char, List, boolean)} with the heap check's cost per cell given (tests). */
    static DataTable read(Path file, char delimiter, List<String> categorical, boolean infer, long bytesPerCell)
            throws IOException, FormatException {
        Objects.requireNonNull(categorical, "categorical");
        checkFits(file, delimiter, bytesPerCell);
        String src = file.toString();
        // two passes, one row in memory at a time (never the table as text): first the header, the row count
        // and, when inferring, which columns hold only finite numbers; then the values into their columns
        String[][] head = {null};
        boolean[][] numeric = {null};
        int[] rows = {0};
        scanRows(file, delimiter, src, new CsvTable.RowVisitor() {
            @Override
            public void header(List<String> columns) {
                head[0] = columns.toArray(new String[0]);
                numeric[0] = new boolean[columns.size()];
                Arrays.fill(numeric[0], true);
            }

            @Override
            public void row(long line, List<String> fields) throws FormatException {
                if (rows[0] == Integer.MAX_VALUE - 8) {
                    throw new FormatException(src, "line " + line, "more rows than a table holds (" + rows[0] + ")");
                }
                rows[0]++;
                if (infer) {
                    for (int j = 0; j < fields.size(); j++) {
                        if (numeric[0][j] && !finiteNumber(fields.get(j))) {
                            numeric[0][j] = false;
                        }
                    }
                }
            }
        });
        for (String c : categorical) {
            if (!Arrays.asList(head[0]).contains(c)) {
                throw new FormatException(src, "line 1", "categorical column '" + c + "' is not in the header");
            }
        }
        int n = rows[0];
        int k = head[0].length;
        String[] names = new String[k];
        boolean[] cat = new boolean[k];
        double[][] num = new double[k][];
        String[][] text = new String[k][];
        List<Map<String, String>> interned = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names[j] = head[0][j].strip();
            cat[j] = categorical.contains(names[j]) || (infer && !numeric[0][j]);
            if (cat[j]) {
                text[j] = new String[n];
            } else {
                num[j] = new double[n];
            }
            interned.add(cat[j] ? new java.util.HashMap<>() : null);
        }
        int[] at = {0};
        scanRows(file, delimiter, src, new CsvTable.RowVisitor() {
            @Override
            public void row(long line, List<String> fields) throws FormatException {
                int i = at[0];
                if (i >= n) {
                    throw new FormatException(src, "line " + line, "the file grew while it was read");
                }
                for (int j = 0; j < k; j++) {
                    String v = fields.get(j).strip();
                    if (cat[j]) {
                        // one String per distinct level, not one per cell
                        text[j][i] = interned.get(j).computeIfAbsent(v, x -> x);
                        continue;
                    }
                    try {
                        num[j][i] = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new FormatException(src, "data row " + (i + 1) + ", column '" + names[j] + "'",
                                "expected a number, found '" + v + "'", e);
                    }
                    if (!Double.isFinite(num[j][i])) {
                        throw new FormatException(src, "data row " + (i + 1) + ", column '" + names[j] + "'",
                                "expected a finite number, found '" + v + "'");
                    }
                }
                at[0]++;
            }
        });
        if (at[0] != n) {
            throw new FormatException(src, "end of file", "the file changed while it was read (" + n + " rows, then "
                    + at[0] + ")");
        }
        Builder b = builder();
        for (int j = 0; j < k; j++) {
            if (cat[j]) {
                b.categorical(names[j], text[j]);
            } else {
                b.continuous(names[j], num[j]);
            }
            num[j] = null;
            text[j] = null;
        }
        return b.build();
    }

    /**
     * Hands a text table's header and rows to a visitor: RFC 4180 CSV through core's {@link CsvTable#scan}
     * for {@code ','} and {@code ';'}; with {@code '\t'}, lines split on runs of spaces and tabs (blank lines
     * skipped, each line as wide as the header).
     */
    private static void scanRows(Path file, char delimiter, String src, CsvTable.RowVisitor v)
            throws IOException, FormatException {
        if (delimiter != '\t') {
            CsvTable.scan(file, delimiter, v);
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || header.isBlank()) {
                throw new FormatException(src, "line 1", "expected a header line with column names");
            }
            String[] head = splitWhitespace(header.strip());
            v.header(Arrays.asList(head));
            String line;
            long ln = 1;
            while ((line = r.readLine()) != null) {
                ln++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = splitWhitespace(line.strip());
                if (f.length != head.length) {
                    throw new FormatException(src, "line " + ln, "expected " + head.length + " fields, found " + f.length);
                }
                v.row(ln, Arrays.asList(f));
            }
        }
    }

    private static String[] splitWhitespace(String line) {
        return WS.split(line);
    }

    /** Builder of a table; all columns must have the same length. Not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<double[]> cols = new ArrayList<>();
        private final List<List<String>> levels = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name   column name
         * @param values finite values
         * @return this builder
         */
        public Builder continuous(String name, double[] values) {
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("column '" + name + "' row " + i + " is not finite: " + values[i]);
                }
            }
            names.add(name);
            cols.add(values.clone());
            levels.add(List.of());
            return this;
        }

        /**
         * @param name       column name
         * @param codes      codes in {@code 0..levelNames.size()-1}
         * @param levelNames names of the levels (at least one)
         * @return this builder
         */
        public Builder categorical(String name, int[] codes, List<String> levelNames) {
            if (levelNames.isEmpty()) {
                throw new IllegalArgumentException("categorical column '" + name + "' needs at least one level");
            }
            double[] v = new double[codes.length];
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] < 0 || codes[i] >= levelNames.size()) {
                    throw new IllegalArgumentException("column '" + name + "' row " + i + ": code " + codes[i]
                            + " outside [0, " + (levelNames.size() - 1) + "]");
                }
                v[i] = codes[i];
            }
            names.add(name);
            cols.add(v);
            levels.add(List.copyOf(levelNames));
            return this;
        }

        /**
         * A categorical column from its values' names, coded canonically ({@link #canonicalLevels}).
         *
         * @param name   column name
         * @param values level name of each row (non-null)
         * @return this builder
         */
        public Builder categorical(String name, String[] values) {
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    throw new IllegalArgumentException("column '" + name + "' row " + i + " has no value");
                }
                distinct.add(values[i]);
            }
            return categorical(name, values, canonicalLevels(distinct));
        }

        /**
         * A categorical column from its values' names over a given level list (e.g. the union of
         * the levels of a reference and a test table, so both code alike).
         *
         * @param name   column name
         * @param values level name of each row, each in {@code levelNames}
         * @param levelNames the levels, in code order
         * @return this builder
         */
        public Builder categorical(String name, String[] values, List<String> levelNames) {
            Map<String, Integer> code = new java.util.HashMap<>();
            for (int i = 0; i < levelNames.size(); i++) {
                code.put(levelNames.get(i), i);
            }
            int[] c = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                Integer k = code.get(values[i]);
                if (k == null) {
                    throw new IllegalArgumentException("column '" + name + "' row " + i + ": level '" + values[i]
                            + "' is not one of " + levelNames);
                }
                c[i] = k;
            }
            return categorical(name, c, levelNames);
        }

        /** @return the table */
        public DataTable build() {
            for (int j = 1; j < cols.size(); j++) {
                if (cols.get(j).length != cols.get(0).length) {
                    throw new IllegalArgumentException("column '" + names.get(j) + "' has " + cols.get(j).length
                            + " rows, column '" + names.get(0) + "' has " + cols.get(0).length);
                }
            }
            return new DataTable(names, cols.toArray(new double[0][]), levels);
        }
    }
}
