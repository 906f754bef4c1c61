package org.fabai.core.io.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fabai.core.io.FormatException;

/**
 * Where wafer histories stream from, as {@link HistoryChunk}s of dictionary codes: a CSV file
 * ({@link #csv}), or a columnar file read by another module (e.g. {@code fabai-parquet}). Used by
 * streaming analyses that must not care about the file format.
 */
public interface HistorySource {

    /** @return the source's name for messages (usually the file) */
    String name();

    /** @return what {@link HistoryChunk#line} counts in messages: {@code "line"} or {@code "row"} */
    String rowWord();

    /**
     * Streams the rows in source order.
     *
     * @param dicts   dictionaries to intern into
     * @param options threads, zone, progress
     * @param sink    receives the chunks, in order, on the calling thread
     * @return what was read
     * @throws IOException     if the source cannot be read
     * @throws FormatException on bad input (or from the sink)
     */
    HistoryCsvScanner.Summary scan(HistoryCsvScanner.Dictionaries dicts, HistoryCsvScanner.Options options,
                                   HistoryCsvScanner.Sink sink) throws IOException, FormatException;

    /** The scan of one source, as {@link #scan}. */
    @FunctionalInterface
    interface Scan {
        /**
         * @param dicts   dictionaries shared across sources
         * @param options the scan's options
         * @param sink    receives the chunks
         * @return the scan's summary
         * @throws IOException     if reading fails
         * @throws FormatException if the data is malformed
         */
        HistoryCsvScanner.Summary scan(HistoryCsvScanner.Dictionaries dicts, HistoryCsvScanner.Options options,
                                       HistoryCsvScanner.Sink sink) throws IOException, FormatException;
    }

    /**
     * @param name    what messages call the source (a file name)
     * @param rowWord what its rows are called in messages ("line", "row")
     * @param scan    how it is scanned
     * @return the source
     */
    static HistorySource of(String name, String rowWord, Scan scan) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rowWord, "rowWord");
        Objects.requireNonNull(scan, "scan");
        return new HistorySource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String rowWord() {
                return rowWord;
            }

            @Override
            public HistoryCsvScanner.Summary scan(HistoryCsvScanner.Dictionaries dicts, HistoryCsvScanner.Options options,
                                                  HistoryCsvScanner.Sink sink) throws IOException, FormatException {
                return scan.scan(dicts, options, sink);
            }
        };
    }

    /**
     * @param file a history CSV
     * @return a source scanning it with {@link HistoryCsvScanner}
     */
    static HistorySource csv(Path file) {
        Objects.requireNonNull(file, "file");
        return of(file.toString(), "line", (dicts, options, sink) -> HistoryCsvScanner.scan(file, dicts, options, sink));
    }
}
