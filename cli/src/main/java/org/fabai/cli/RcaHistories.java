package org.fabai.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.HistorySource;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.WaferHistory;
import org.fabai.parquet.HistoryParquet;
import org.fabai.parquet.OutcomeParquet;
import org.fabai.rca.data.HistoryCsv;
import picocli.CommandLine.Option;

/**
 * The data options every {@code fabai rca} command that reads wafer histories and outcomes shares
 * ({@code commonality}, {@code causes}): each file CSV or Apache Parquet (named {@code *.parquet},
 * or by its magic bytes), the outcome by name, and which side of it is bad.
 */
final class RcaHistories {

    @Option(names = "--histories", required = true, description = "CSV or Apache Parquet (*.parquet, or by its magic"
            + " bytes) with columns wafer_id,step,tool[,chamber,timestamp,lot_id]")
    Path histories;
    @Option(names = "--outcomes", required = true, description = "CSV or Apache Parquet with columns wafer_id,name,value")
    Path outcomes;
    @Option(names = "--outcome", defaultValue = "yield", description = "outcome name (default ${DEFAULT-VALUE})")
    String outcome;
    @Option(names = "--high-is-bad", description = "for a continuous outcome: high values are bad (default: low, as for yield)")
    boolean highIsBad;

    /** @return every wafer's history, held in memory */
    List<WaferHistory> readHistories() throws IOException, FormatException {
        return RcaData.isParquet(histories) ? HistoryParquet.read(histories) : HistoryCsv.readHistories(histories);
    }

    /** @return the histories as a source to stream (on all cores) into sufficient statistics */
    HistorySource historySource() throws IOException {
        return RcaData.isParquet(histories) ? HistoryParquet.source(histories) : HistorySource.csv(histories);
    }

    /** @return every outcome row (all names) */
    List<Outcome> readOutcomes() throws IOException, FormatException {
        return RcaData.isParquet(outcomes) ? OutcomeParquet.read(outcomes) : HistoryCsv.readOutcomes(outcomes);
    }
}
