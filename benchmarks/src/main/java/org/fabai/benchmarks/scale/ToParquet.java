package org.fabai.benchmarks.scale;

import java.nio.file.Path;
import java.util.Locale;
import org.fabai.core.io.csv.HistoryCsvScanner;
import org.fabai.core.io.csv.OutcomeCsv;
import org.fabai.parquet.HistoryParquet;
import org.fabai.parquet.OutcomeParquet;

/**
 * Converts a scale fab's {@code histories.csv} and {@code outcomes.csv} (as {@link ScaleFab} writes
 * them) to {@code histories.parquet} and {@code outcomes.parquet} beside them, streaming (the
 * history file is never held). Usage: {@code ToParquet DIR}.
 */
public final class ToParquet {

    private ToParquet() {
    }

    /**
     * @param args DIR
     * @throws Exception on a read or write failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ToParquet DIR");
            System.exit(2);
        }
        Path d = Path.of(args[0]);
        long t0 = System.nanoTime();
        HistoryCsvScanner.Summary s = HistoryParquet.convert(d.resolve("histories.csv"), d.resolve("histories.parquet"),
                HistoryCsvScanner.Options.defaults());
        OutcomeParquet.write(OutcomeCsv.read(d.resolve("outcomes.csv")), d.resolve("outcomes.parquet"));
        System.err.printf(Locale.ROOT, "ToParquet: %,d rows to %s in %.1f s (%,d bytes)%n", s.rows(),
                d.resolve("histories.parquet"), (System.nanoTime() - t0) / 1e9,
                java.nio.file.Files.size(d.resolve("histories.parquet")));
    }
}
