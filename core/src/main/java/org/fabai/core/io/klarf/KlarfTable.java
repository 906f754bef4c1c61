package org.fabai.core.io.klarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table of a KLARF file: a 1.8 {@code List} (columns and data rows), or the 1.2
 * {@code SampleTestPlan} and {@code SummarySpec}/{@code SummaryList} pairs. Cells are source
 * tokens as written (quoted strings keep their quotes). Immutable and thread-safe.
 *
 * @param name    the list name, e.g. {@code SampleTestPlanList}, {@code TestSummaryList}
 * @param columns the columns
 * @param rows    the rows, each with one cell per column
 */
public record KlarfTable(String name, List<KlarfColumn> columns, List<List<String>> rows) {

    /** Validates and copies. */
    public KlarfTable {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("table " + name + " row " + (i + 1) + " has " + r.size()
                        + " cells, expected " + columns.size());
            }
            copy.add(List.copyOf(r));
        }
        rows = List.copyOf(copy);
    }

    /**
     * @param column a column name (case ignored)
     * @return its index, or -1
     */
    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }
}
