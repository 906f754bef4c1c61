package org.fabai.core.process;

import java.util.List;
import java.util.Objects;

/**
 * A lot: a batch of wafers processed together.
 *
 * @param id       lot id
 * @param product  product (device) name, may be empty
 * @param waferIds ids of its wafers
 */
public record Lot(String id, String product, List<String> waferIds) {
    /** Validates the lot. */
    public Lot {
        Objects.requireNonNull(id, "id");
        product = product == null ? "" : product;
        waferIds = List.copyOf(waferIds);
    }
}
