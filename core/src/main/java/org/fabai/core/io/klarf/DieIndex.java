package org.fabai.core.io.klarf;

/**
 * A die position in KLARF index coordinates ({@code XINDEX}, {@code YINDEX}). Immutable and
 * thread-safe.
 *
 * @param x die column index
 * @param y die row index (grows upwards)
 */
public record DieIndex(int x, int y) {
}
