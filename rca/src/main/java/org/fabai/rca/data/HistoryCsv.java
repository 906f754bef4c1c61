package org.fabai.rca.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.OutcomeCsv;
import org.fabai.core.io.csv.WaferHistoryCsv;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.Route;
import org.fabai.core.process.WaferHistory;

/**
 * Reader of the CSV forms of wafer histories ({@code wafer_id,step,tool,chamber,timestamp}, one
 * row per step run; optional {@code lot_id} column; timestamp ISO-8601 such as
 * {@code 2026-01-05T08:00:00Z}, may be empty) and outcomes ({@code wafer_id,name,value}). A header
 * line names the columns (any order); quoting per RFC 4180. A thin entry point over core's
 * {@link WaferHistoryCsv} and {@link OutcomeCsv}, plus the outcome lookup RCA needs. Stateless and
 * thread-safe.
 */
public final class HistoryCsv {

    /**
     * Heap one history row needs when read into {@link WaferHistory} objects: 249 bytes stay after
     * reading (measured on a 1M-row ScaleFab file, JDK 17), more while reading; 300 is the estimate.
     */
    static final long HEAP_BYTES_PER_ROW = 300;

    private HistoryCsv() {
    }

    /**
     * Reads wafer histories with core's reader ({@link WaferHistoryCsv}): steps of each wafer in
     * time order, file order when there is no time.
     *
     * @param file the CSV file
     * @return the histories, in first-seen wafer order
     * @throws IOException     on read failure
     * @throws FormatException naming file, line and column on bad input
     * @throws org.fabai.core.io.InputTooLargeException before reading, when the file (estimated from
     *         its size and first MiB) would not fit in the free heap
     */
    public static List<WaferHistory> readHistories(Path file) throws IOException, FormatException {
        org.fabai.core.io.InputTooLargeException.checkFits(file, org.fabai.core.io.InputTooLargeException.estimateLines(file),
                HEAP_BYTES_PER_ROW, "stream it instead (StreamingCommonality; the CLI's 'fabai rca commonality' without"
                        + " --bootstrap), give the JVM more heap (FABAI_JAVA_OPTS=-Xmx...), or run it on a cluster");
        return WaferHistoryCsv.read(file).histories();
    }

    /**
     * Reads outcomes with core's reader ({@link OutcomeCsv}).
     *
     * @param file the CSV file
     * @return the outcomes in file order
     * @throws IOException     on read failure
     * @throws FormatException naming file, line and column on bad input (NaN included)
     */
    public static List<Outcome> readOutcomes(Path file) throws IOException, FormatException {
        return OutcomeCsv.read(file);
    }

    /**
     * @param outcomes outcomes
     * @param name     the outcome name to pick
     * @return wafer id to value for that name
     * @throws IllegalArgumentException if no outcome has that name, or a wafer has it twice
     */
    public static Map<String, Double> byName(List<Outcome> outcomes, String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.name().equals(name) && m.put(o.waferId(), o.value()) != null) {
                throw new IllegalArgumentException("wafer " + o.waferId() + " has outcome '" + name + "' twice");
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no outcome named '" + name + "'");
        }
        return m;
    }

    /**
     * The route implied by the histories' step order ({@link WaferHistoryCsv#inferRoute(List)}).
     *
     * @param histories histories
     * @return the route
     */
    public static Route inferRoute(List<WaferHistory> histories) {
        return WaferHistoryCsv.inferRoute(histories);
    }
}
