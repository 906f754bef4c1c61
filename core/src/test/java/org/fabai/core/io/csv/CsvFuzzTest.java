package org.fabai.core.io.csv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.fabai.core.io.FormatException;

/**
 * Fuzz tests of the CSV readers: any text either reads or throws {@link FormatException}. Seeds in
 * {@code src/test/resources/org/fabai/core/io/csv/CsvFuzzTestInputs/<method>/}.
 */
class CsvFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void csv(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        WaferHistoryCsv.Result histories = null;
        try {
            histories = WaferHistoryCsv.parse(text, "fuzz-history.csv");
        } catch (FormatException expected) {
            // fine
        }
        if (histories != null) {
            try {
                histories.inferRoute();
            } catch (IllegalArgumentException cycle) {
                // wafers ran steps in contradicting orders: documented
            }
        }
        try {
            OutcomeCsv.parse(text, "fuzz-outcome.csv");
        } catch (FormatException expected) {
            // fine
        }
        try {
            CsvTable t = CsvTable.parse(text, "fuzz-table.csv", ',');
            for (String c : t.columns()) {
                t.numbers(c, true);
            }
        } catch (FormatException expected) {
            // fine
        }
    }
}
