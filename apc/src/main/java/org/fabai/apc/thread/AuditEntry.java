package org.fabai.apc.thread;

/**
 * A notable event of a thread, kept by the store. Immutable, thread-safe.
 *
 * @param threadKey canonical context key
 * @param version   thread version the event belongs to
 * @param kind      e.g. {@code SEEDED}, {@code OUTLIER_HELD}, {@code LATE_REJECTED}, {@code MAINTENANCE},
 *                  {@code CLIPPED}, {@code FALLBACK}, {@code INVALID_STATE},
 *                  {@code MIGRATED} (a stored state converted to the policy's estimator)
 * @param runId     run id, or empty
 * @param detail    human-readable detail
 */
public record AuditEntry(String threadKey, long version, String kind, String runId, String detail) {
}
