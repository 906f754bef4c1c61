package org.fabai.rca.commonality;

/**
 * One tool (or chamber) at one step: how many wafers it ran and how it compares with the others.
 *
 * Immutable and thread-safe.
 *
 * @param tool        tool label ({@code tool} or {@code tool/chamber})
 * @param wafers      wafers it ran at this step (with an outcome)
 * @param meanOutcome mean outcome of those wafers (fail rate for a binary outcome)
 * @param z           post-hoc one-vs-rest z-score in the bad direction (larger = worse than the
 *                    other tools; within time windows when stratified)
 * @param p           one-sided p-value of that comparison
 */
public record ToolSummary(String tool, long wafers, double meanOutcome, double z, double p) {
}
