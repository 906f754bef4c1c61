package org.fabai.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Wafer maps from <em>die tables</em>, the per-die layout {@code fabai inspect --dies} writes (CSV or
 * Parquet): one row per on-wafer die with columns {@code file}, {@code lot_id}, {@code wafer_id},
 * {@code row}, {@code col}, {@code die_x}, {@code die_y}, {@code state} ({@code GOOD} or {@code
 * FAIL}; {@code OFF} is accepted too), {@code bin}, {@code map_rows}, {@code map_cols}. Names are
 * case-insensitive; {@code file} and {@code lot_id} are optional ({@code ""} when absent); {@code
 * die_x}, {@code die_y} and {@code bin} are not needed to rebuild a map and are not read.
 *
 * <p>The dies of one wafer ({@code file}, {@code lot_id}, {@code wafer_id}) are gathered by a
 * shuffle and laid on a {@code map_rows x map_cols} grid whose other dies are off-wafer: the map
 * {@code fabai inspect --dies} read, which {@link SparkAdc#classify} then classifies. A fleet's dies
 * never meet on the driver.
 *
 * <p>Bad rows are refused with an {@link IllegalArgumentException} (reaching the driver through
 * {@link JobErrors#unwrapped}) that names the die table's file and the record: a missing or
 * non-integer number, a state other than GOOD/FAIL/OFF, a die outside its map, a non-positive map
 * size, an empty wafer id, a malformed CSV line (its text); and, per wafer, map sizes that disagree
 * between its dies or a die listed twice. Nothing is dropped. (Spark's CSV splits carry no line
 * numbers; the record's values name it instead.)
 *
 * <p>Stateless; thread-safe as far as the SparkSession is.
 */
public final class SparkDieTables {

    /** The columns a die table must have (beside the optional {@code file} and {@code lot_id}). */
    public static final List<String> REQUIRED = List.of("wafer_id", "row", "col", "state", "map_rows", "map_cols");

    /** Spark's column for the text of a malformed CSV line. */
    private static final String CORRUPT = "_fabai_corrupt_record";

    /** One die, checked: the die table's file, the wafer's key, the die's place and code, the map's size. */
    private static final StructType DIE = new StructType(new StructField[] {
        DataTypes.createStructField("table", DataTypes.StringType, false),
        DataTypes.createStructField("file", DataTypes.StringType, false),
        DataTypes.createStructField("lot_id", DataTypes.StringType, false),
        DataTypes.createStructField("wafer_id", DataTypes.StringType, false),
        DataTypes.createStructField("r", DataTypes.IntegerType, false),
        DataTypes.createStructField("c", DataTypes.IntegerType, false),
        DataTypes.createStructField("code", DataTypes.ByteType, false),
        DataTypes.createStructField("mr", DataTypes.IntegerType, false),
        DataTypes.createStructField("mc", DataTypes.IntegerType, false)});

    /** {@link SparkAdc#MAPS} and the source file the table names (for a key and for the predictions). */
    public static final StructType MAPS_WITH_FILE = SparkAdc.MAPS.add(
            DataTypes.createStructField("file", DataTypes.StringType, true));

    private SparkDieTables() {
    }

    /**
     * Reads a die table: CSV with a header row when the path ends in {@code .csv} or {@code .csv.gz} (RFC 4180 quotes,
     * every column as text; a line with the wrong number of fields is kept as a malformed record and
     * refused by {@link #maps}), else Parquet (a file or a directory of part files).
     *
     * @param spark the session
     * @param path  the path (local, HDFS, S3, ... as the cluster reads it)
     * @return the die table (lazy)
     */
    public static Dataset<Row> read(SparkSession spark, String path) {
        Objects.requireNonNull(path, "path");
        if (!isCsv(path)) {
            return spark.read().parquet(path);
        }
        // the header's names first (one line), then every field as text plus the malformed line's text
        StructType header = spark.read().option("header", "true").option("escape", "\"").csv(path).schema();
        StructType schema = new StructType();
        for (StructField f : header.fields()) {
            schema = schema.add(f.name(), DataTypes.StringType, true);
        }
        schema = schema.add(CORRUPT, DataTypes.StringType, true);
        return spark.read().option("header", "true").option("escape", "\"").option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT).schema(schema).csv(path);
    }

    /**
     * @param path a path
     * @return whether {@link #read} reads it as CSV (it ends in {@code .csv} or {@code .csv.gz})
     */
    public static boolean isCsv(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".csv") || p.endsWith(".csv.gz");
    }

    /**
     * Whether a DataFrame has a die table's columns (and not a maps DataFrame's {@code codes}).
     *
     * @param df a DataFrame
     * @return true for a die table
     */
    public static boolean isDieTable(Dataset<Row> df) {
        Map<String, String> cols = SparkCommonality.columns(df);
        return !cols.containsKey("codes") && cols.keySet().containsAll(REQUIRED);
    }

    /**
     * The wafer maps of a die table, one row per wafer, ready for {@link SparkAdc#classify}.
     *
     * @param dies a die table (see the class comment), e.g. from {@link #read}
     * @return a lazy DataFrame of schema {@link #MAPS_WITH_FILE}, in no particular order
     * @throws IllegalArgumentException when a required column is missing (here), or on a bad row (when
     *                                  the result is computed; see the class comment)
     */
    public static Dataset<Row> maps(Dataset<Row> dies) {
        Map<String, String> cols = SparkCommonality.columns(dies);
        for (String c : REQUIRED) {
            if (!cols.containsKey(c)) {
                throw new IllegalArgumentException("the die table lacks column '" + c + "' (need " + String.join(", ", REQUIRED)
                        + "; file and lot_id optional, as fabai inspect --dies writes them); found " + List.of(dies.columns()));
            }
        }
        List<Column> sel = new ArrayList<>();
        sel.add(input_file_name());
        sel.add(text(cols, "file"));
        sel.add(text(cols, "lot_id"));
        for (String c : REQUIRED) {
            sel.add(col(cols.get(c)).cast("string"));
        }
        boolean csv = List.of(dies.columns()).contains(CORRUPT);
        sel.add(csv ? col(CORRUPT) : lit(null).cast("string"));
        if (csv) {
            // Spark's CSV reader finds a line with too many or too few fields only when it parses every column:
            // carry the others along (unused), so that the scan reads them all
            for (String c : dies.columns()) {
                if (!c.equals(CORRUPT) && !REQUIRED.contains(c.toLowerCase(Locale.ROOT))
                        && !c.equalsIgnoreCase("file") && !c.equalsIgnoreCase("lot_id")) {
                    sel.add(col(c));
                }
            }
        }
        Dataset<Row> raw = dies.select(sel.toArray(Column[]::new));
        SparkSession spark = dies.sparkSession();
        Dataset<Row> checked = spark.createDataFrame(raw.javaRDD().map(SparkDieTables::die), DIE);
        Dataset<Row> wafers = checked.groupBy("file", "lot_id", "wafer_id").agg(
                min("mr"), max("mr"), min("mc"), max("mc"), first("table"), collect_list(struct("r", "c", "code")));
        JavaRDD<Row> out = wafers.javaRDD().map(SparkDieTables::wafer);
        return spark.createDataFrame(out, MAPS_WITH_FILE);
    }

    private static Column text(Map<String, String> cols, String name) {
        return cols.containsKey(name) ? col(cols.get(name)).cast("string") : lit(null).cast("string");
    }

    /**
     * One die from its raw values: {@code table, file, lot_id, wafer_id, row, col, state, map_rows,
     * map_cols, corrupt}.
     */
    static Row die(Row r) {
        // Spark knows the file a row came from until a shuffle (then "": the die table's name instead)
        String table = r.isNullAt(0) || r.getString(0).isEmpty() ? "die table" : r.getString(0);
        if (!r.isNullAt(9)) {
            throw new IllegalArgumentException(table + ": malformed CSV record (expected the header's fields, comma-separated):"
                    + " '" + r.getString(9).strip() + "'");
        }
        String file = r.isNullAt(1) ? "" : r.getString(1);
        String lot = r.isNullAt(2) ? "" : r.getString(2).strip();
        String wafer = r.isNullAt(3) ? "" : r.getString(3).strip();
        String where = table + ": die of wafer " + (lot.isEmpty() ? "" : lot + "/") + (wafer.isEmpty() ? "''" : wafer)
                + (file.isEmpty() ? "" : " (file " + file + ")") + " at row " + value(r, 4) + ", col " + value(r, 5);
        if (wafer.isEmpty()) {
            throw new IllegalArgumentException(where + ": wafer_id is empty");
        }
        int mr = integer(r, 7, "map_rows", where);
        int mc = integer(r, 8, "map_cols", where);
        if (mr < 1 || mc < 1 || (long) mr * mc > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where + ": map_rows and map_cols must be positive (and their product an"
                    + " array's size), got " + mr + " x " + mc);
        }
        int row = integer(r, 4, "row", where);
        int c = integer(r, 5, "col", where);
        if (row < 0 || row >= mr || c < 0 || c >= mc) {
            throw new IllegalArgumentException(where + ": the die lies outside its " + mr + " x " + mc + " map");
        }
        String s = r.isNullAt(6) ? "" : r.getString(6).strip().toUpperCase(Locale.ROOT);
        byte code = switch (s) {
            case "OFF" -> 0;
            case "GOOD" -> 1;
            case "FAIL" -> 2;
            default -> throw new IllegalArgumentException(where + ": state must be GOOD, FAIL or OFF, got "
                    + (r.isNullAt(6) ? "null" : "'" + r.getString(6) + "'"));
        };
        return RowFactory.create(table, file, lot, wafer, row, c, code, mr, mc);
    }

    private static String value(Row r, int i) {
        return r.isNullAt(i) ? "null" : r.getString(i).strip();
    }

    private static int integer(Row r, int i, String name, String where) {
        if (r.isNullAt(i) || r.getString(i).isBlank()) {
            throw new IllegalArgumentException(where + ": " + name + " is empty");
        }
        String v = r.getString(i).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + name + " must be an integer, got '" + v + "'", e);
        }
    }

    /**
     * One wafer's map from its dies: {@code file, lot_id, wafer_id, min(mr), max(mr), min(mc), max(mc),
     * table, [r, c, code]...}.
     */
    static Row wafer(Row g) {
        String file = g.getString(0);
        String lot = g.getString(1);
        String wafer = g.getString(2);
        String where = g.getString(7) + ": wafer " + (lot.isEmpty() ? "" : lot + "/") + wafer
                + (file.isEmpty() ? "" : " (file " + file + ")");
        int mr = g.getInt(3);
        int mc = g.getInt(5);
        if (mr != g.getInt(4) || mc != g.getInt(6)) {
            throw new IllegalArgumentException(where + ": map_rows x map_cols differ between its dies (" + mr + " to "
                    + g.getInt(4) + " rows, " + mc + " to " + g.getInt(6) + " cols)");
        }
        byte[] codes = new byte[mr * mc];
        boolean[] seen = new boolean[codes.length];
        for (Row d : g.<Row>getList(8)) {
            int i = d.getInt(0) * mc + d.getInt(1);
            if (seen[i]) {
                throw new IllegalArgumentException(where + ": the die at row " + d.getInt(0) + ", col " + d.getInt(1)
                        + " is listed twice");
            }
            seen[i] = true;
            codes[i] = d.getByte(2);
        }
        return RowFactory.create(wafer, lot, mr, mc, codes, file);
    }
}
