package org.fabai.core.io.klarf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A KLARF 1.8 {@code Record} (or the equivalent part of a 1.1/1.2 file): its type, name, fields,
 * lists and nested records. Immutable and thread-safe.
 *
 * <p>In a {@link KlarfWafer} the file, lot and wafer records hold only their own content: the
 * lot record has no wafer records in {@link #records()}, and the wafer record has no
 * {@code DefectList} (which is {@link KlarfWafer#defects()}).
 *
 * @param type    record type, e.g. {@code FileRecord}, {@code LotRecord}, {@code WaferRecord},
 *                {@code TestRecord}, {@code SummaryRecord}
 * @param name    record name (the quoted id in the source, without quotes), empty when absent
 * @param fields  fields in source order
 * @param lists   lists (tables) in source order
 * @param records nested records in source order
 */
public record KlarfRecord(String type, String name, List<KlarfField> fields, List<KlarfTable> lists,
                          List<KlarfRecord> records) {

    /** Validates and copies. */
    public KlarfRecord {
        Objects.requireNonNull(type, "type");
        name = name == null ? "" : name;
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        lists = List.copyOf(Objects.requireNonNull(lists, "lists"));
        records = List.copyOf(Objects.requireNonNull(records, "records"));
    }

    /**
     * @param fieldName a field name (case ignored)
     * @return the last field of that name
     */
    public Optional<KlarfField> field(String fieldName) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).is(fieldName)) {
                return Optional.of(fields.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param listName a list name (case ignored)
     * @return the first list of that name
     */
    public Optional<KlarfTable> list(String listName) {
        for (KlarfTable t : lists) {
            if (t.name().equalsIgnoreCase(listName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
