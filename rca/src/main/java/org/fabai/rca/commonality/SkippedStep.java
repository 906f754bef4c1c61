package org.fabai.rca.commonality;

/**
 * A step the screen could not test, and why (e.g. only one tool ran it).
 *
 * Immutable and thread-safe.
 *
 * @param step   step id
 * @param reason why it was skipped
 */
public record SkippedStep(String step, String reason) {
}
