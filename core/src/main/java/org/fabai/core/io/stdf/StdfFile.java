package org.fabai.core.io.stdf;

import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link StdfReader#read(java.nio.file.Path)} takes from one STDF V4 file.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source         the file name or description given to the reader
 * @param byteOrder      from FAR CPU_TYP: big-endian (1) or little-endian (2)
 * @param gzip           whether the input was gzip-compressed
 * @param mir            the MIR, empty when the file has none
 * @param wcr            the (last) WCR, empty when the file has none
 * @param wafers         the wafers in the order they were closed (WRR), then any left open at the end
 * @param recordCounts   records per type name ("PRR", "PTR", "UNKNOWN(180,1)", ...), in first-seen order
 * @param recordCount    all records, FAR included
 * @param skippedRecords records skipped by their length (types the reader does not interpret)
 * @param unknownRecords of them, records of types that STDF V4 does not define
 * @param finishTime     MRR FINISH_T, empty when there is no MRR or it is 0
 * @param warnings       irregularities that did not stop reading (no MRR, PRR without PIR, ...)
 */
public record StdfFile(String source, ByteOrder byteOrder, boolean gzip, Optional<StdfMir> mir,
        Optional<StdfWcr> wcr, List<StdfWafer> wafers, Map<String, Long> recordCounts, long recordCount,
        long skippedRecords, long unknownRecords, Optional<Instant> finishTime, List<String> warnings) {

    /** Copies the collections. */
    public StdfFile {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(mir, "mir");
        Objects.requireNonNull(wcr, "wcr");
        Objects.requireNonNull(finishTime, "finishTime");
        wafers = List.copyOf(wafers);
        recordCounts = Collections.unmodifiableMap(new LinkedHashMap<>(recordCounts));
        warnings = List.copyOf(warnings);
    }

    /**
     * @param typeName a record type name such as {@code "PRR"}
     * @return how many records of that type the file holds
     */
    public long count(String typeName) {
        return recordCounts.getOrDefault(typeName, 0L);
    }

    /** @return the MIR LOT_ID, or "" */
    public String lotId() {
        return mir.map(StdfMir::lotId).orElse("");
    }
}
