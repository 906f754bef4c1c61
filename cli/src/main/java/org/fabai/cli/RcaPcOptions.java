package org.fabai.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.discovery.DiscreteTest;
import org.fabai.rca.discovery.FisherZTest;
import org.fabai.rca.discovery.IndependenceTest;
import org.fabai.rca.discovery.Knowledge;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.rootcause.CausRca;
import picocli.CommandLine.Option;

/**
 * The causal-discovery options every {@code fabai rca} command that runs PC on a table shares
 * ({@code discover}, and {@code explain} when it is given no graph): significance level,
 * independence test, process-order tiers, and the limits that refuse a search too wide or too long
 * before it starts.
 */
final class RcaPcOptions {

    /** Default of {@code --max-columns}. */
    static final int MAX_COLUMNS = 500;

    @Option(names = "--alpha", defaultValue = "0.01", description = "significance level of the independence tests "
            + "(default ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--test", defaultValue = "auto", description = "independence test: auto (G² if every column is "
            + "categorical, Fisher-z if every column is continuous, the mixed linear test otherwise), fisher-z, g2, chi2, "
            + "mixed (default ${DEFAULT-VALUE})")
    String testName;
    @Option(names = "--tiers", description = "process-order tiers: groups separated by ';', variables by ',' (earlier tiers "
            + "cannot be caused by later ones)")
    String tiers;
    @Option(names = "--max-columns", defaultValue = "" + MAX_COLUMNS, description = "refuse a table with more "
            + "(non-constant) columns than this: PC's first level alone tests every pair (default ${DEFAULT-VALUE})")
    int maxColumns;
    @picocli.CommandLine.Mixin
    RcaTimeLimit time = new RcaTimeLimit();

    /** Checks the limits themselves (before any data is read). */
    void checkLimits() {
        if (maxColumns < 2) {
            throw new IllegalArgumentException("--max-columns must be >= 2, got " + maxColumns);
        }
        time.limit();
    }

    /** @return {@code --max-minutes} as a duration (null: no limit) */
    Duration timeLimit() {
        return time.limit();
    }

    /** @return PC at {@code --alpha} with this depth and collider rule on every core, under {@code --max-minutes} */
    Pc pc(int depth, PcConfig.ColliderRule colliders) {
        return new Pc(new PcConfig(alpha, depth, Runtime.getRuntime().availableProcessors(), colliders))
                .withTimeLimit(timeLimit());
    }

    /** @return the test named by {@code --test} on this table */
    IndependenceTest test(DataTable t) {
        return independenceTest(t, testName);
    }

    /**
     * Refuses a table wider than the cap, before any test or covariance matrix is built, with
     * what the first level of PC alone would cost.
     */
    static void checkWidth(int columns, int max) {
        if (columns > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the table has %,d (non-constant) columns, "
                    + "more than --max-columns %d: PC's first level alone tests all %,d pairs and later levels grow "
                    + "with the adjacencies; select the columns to search, or raise --max-columns", columns, max,
                    (long) columns * (columns - 1) / 2));
        }
    }

    /**
     * The test by name; {@code auto} follows the column types: G² when every column is
     * categorical, Fisher-z when every column is continuous, the mixed linear test otherwise.
     */
    static IndependenceTest independenceTest(DataTable t, String name) {
        int cat = 0;
        for (int j = 0; j < t.columns(); j++) {
            if (t.isCategorical(j)) {
                cat++;
            }
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "auto":
                return CausRca.testFor(t);
            case "fisher-z":
            case "fisherz":
                if (cat > 0) {
                    throw new IllegalArgumentException("--test fisher-z needs continuous columns; " + cat
                            + " are categorical (use g2, chi2 or mixed)");
                }
                return new FisherZTest(t);
            case "g2":
            case "chi2":
                if (cat < t.columns()) {
                    throw new IllegalArgumentException("--test " + name + " needs categorical columns; "
                            + (t.columns() - cat) + " are continuous (use fisher-z or mixed, or --categorical)");
                }
                return new DiscreteTest(t, name.equalsIgnoreCase("g2") ? DiscreteTest.Statistic.G_SQUARE
                        : DiscreteTest.Statistic.CHI_SQUARE);
            case "mixed":
                return new MixedLinearTest(t);
            default:
                throw new IllegalArgumentException("--test must be auto, fisher-z, g2, chi2 or mixed, got '" + name + "'");
        }
    }

    /** Tiers plus required and forbidden edges ({@code a->b}); every name must be a column. */
    static Knowledge knowledge(String tiers, List<String> require, List<String> forbid, List<String> columns) {
        Knowledge.Builder b = Knowledge.builder();
        if (tiers != null) {
            String[] groups = tiers.split(";");
            for (int i = 0; i < groups.length; i++) {
                for (String v : groups[i].split(",")) {
                    if (!v.isBlank()) {
                        requireColumn(v.trim(), columns, "--tiers");
                        b.tier(v.trim(), i);
                    }
                }
            }
        }
        for (String[] e : edges(require, "--require", columns)) {
            b.require(e[0], e[1]);
        }
        for (String[] e : edges(forbid, "--forbid", columns)) {
            b.forbid(e[0], e[1]);
        }
        return b.build();
    }

    private static List<String[]> edges(List<String> specs, String option, List<String> columns) {
        List<String[]> out = new ArrayList<>();
        for (String s : specs) {
            String[] ab = s.split("->");
            if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                throw new IllegalArgumentException(option + " expects edges 'a->b', got '" + s + "'");
            }
            requireColumn(ab[0].trim(), columns, option);
            requireColumn(ab[1].trim(), columns, option);
            out.add(new String[] {ab[0].trim(), ab[1].trim()});
        }
        return out;
    }

    private static void requireColumn(String v, List<String> columns, String option) {
        if (!columns.contains(v)) {
            throw new IllegalArgumentException(option + " names '" + v + "', which is not a (non-constant) column; columns: "
                    + columns);
        }
    }
}
