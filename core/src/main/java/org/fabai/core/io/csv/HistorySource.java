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

    /**
     * @param file a history CSV
     * @return a source scanning it with {@link HistoryCsvScanner}
     */
    static HistorySource csv(Path file) {
        Objects.requireNonNull(file, "file");
        return new HistorySource() {
            @Override
            public String name() {
                return file.toString();
            }

            @Override
            public String rowWord() {
                return "line";
            }

            @Override
            public HistoryCsvScanner.Summary scan(HistoryCsvScanner.Dictionaries dicts, HistoryCsvScanner.Options options,
                                                  HistoryCsvScanner.Sink sink) throws IOException, FormatException {
                return HistoryCsvScanner.scan(file, dicts, options, sink);
            }
        };
    }
}
