package org.fabai.core.io.klarf;

/**
 * A pair of lengths from a KLARF header ({@code DiePitch}, {@code DieOrigin},
 * {@code SampleCenterLocation}), always in micrometres whatever the file version wrote.
 * Immutable and thread-safe.
 *
 * @param x x value, micrometres
 * @param y y value, micrometres
 */
public record KlarfPoint(double x, double y) {
}
