/**
 * Control threads keyed by {@link org.fabai.apc.thread.Context}, their seeding and their durable state:
 * {@link org.fabai.apc.thread.ControlThreads} over a {@link org.fabai.apc.thread.ThreadStateStore}
 * ({@link org.fabai.apc.thread.InMemoryThreadStateStore}, {@link org.fabai.apc.thread.JdbcThreadStateStore}).
 */
package org.fabai.apc.thread;
