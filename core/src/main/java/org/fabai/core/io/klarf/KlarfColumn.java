package org.fabai.core.io.klarf;

import java.util.Objects;

/**
 * A column of a KLARF table (a 1.2 {@code DefectRecordSpec} or {@code SummarySpec} name, or a
 * 1.8 {@code Columns} entry). Immutable and thread-safe.
 *
 * @param type the 1.8 type ({@code int32}, {@code float}, {@code double}, {@code string},
 *             {@code ImageList}, ...) or an empty string when the source (1.1/1.2) gives none
 * @param name the column name, as written
 */
public record KlarfColumn(String type, String name) {

    /** Validates. */
    public KlarfColumn {
        type = type == null ? "" : type;
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
    }

    /** @return true when the column holds image lists (1.2 {@code IMAGELIST}, 1.8 type {@code ImageList}) */
    public boolean isImageList() {
        return type.equalsIgnoreCase("ImageList") || (type.isEmpty() && name.equalsIgnoreCase("IMAGELIST"));
    }
}
