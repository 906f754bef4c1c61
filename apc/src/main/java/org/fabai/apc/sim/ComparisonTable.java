package org.fabai.apc.sim;

import java.util.List;
import java.util.Locale;

/**
 * Metrics of several controllers averaged over the same seeds. Immutable, thread-safe.
 *
 * @param config the experiment
 * @param seeds  the seeds (copied)
 * @param rows   one row per controller
 */
public record ComparisonTable(SimulationConfig config, long[] seeds, List<Row> rows) {

    /** Copies the inputs. */
    public ComparisonTable {
        seeds = seeds.clone();
        rows = List.copyOf(rows);
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    /**
     * One controller's averages.
     *
     * @param controller   the name given
     * @param mse          mean MSE about target (+∞ if any seed diverged)
     * @param meanOffset   mean offset
     * @param cpk          mean Cpk
     * @param settlingRuns mean settling runs after maintenance shifts (NaN when none)
     * @param seeds        seeds run
     * @param diverged     seeds on which the loop diverged
     */
    public record Row(String controller, double mse, double meanOffset, double cpk, double settlingRuns, int seeds,
                      int diverged) {
    }

    /**
     * @param name controller name
     * @return its row
     * @throws IllegalArgumentException when no row has that name
     */
    public Row row(String name) {
        return rows.stream().filter(r -> r.controller().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no controller named '" + name + "' in the table"));
    }

    /** @return a plain-text table */
    public String format() {
        int w = Math.max(10, rows.stream().mapToInt(r -> r.controller().length()).max().orElse(10));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + w + "s %10s %10s %8s %9s %8s%n", "controller", "MSE", "offset", "Cpk",
                "settling", "diverged"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s %10.4f %10.4f %8.3f %9.2f %5d/%-2d%n", r.controller(), r.mse(),
                    r.meanOffset(), r.cpk(), r.settlingRuns(), r.diverged(), r.seeds()));
        }
        return b.toString();
    }

    /** @return CSV with a header line */
    public String toCsv() {
        StringBuilder b = new StringBuilder("controller,mse,mean_offset,cpk,settling_runs,seeds,diverged\n");
        for (Row r : rows) {
            b.append(r.controller()).append(',').append(r.mse()).append(',').append(r.meanOffset()).append(',')
                    .append(r.cpk()).append(',').append(r.settlingRuns()).append(',').append(r.seeds()).append(',')
                    .append(r.diverged()).append('\n');
        }
        return b.toString();
    }
}
