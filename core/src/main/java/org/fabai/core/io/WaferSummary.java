package org.fabai.core.io;

import org.fabai.core.wafer.WaferMap;

/**
 * One wafer read from a file by {@link WaferFiles}, with what the format says about it. Immutable
 * (the map is the reader's) and thread-safe.
 *
 * @param map     the wafer map
 * @param remarks format-specific remarks, e.g. {@code "KLARF 1.8, defects 12, test-plan dies 0"},
 *                {@code "STDF V4 little-endian, parts 400, retests 3, sites 4"}, {@code "NPZ, labels Edge-Ring"}
 */
public record WaferSummary(WaferMap map, String remarks) {
}
