/**
 * Reading fab files: one reader package per format ({@code klarf}, {@code stdf}, {@code npy},
 * {@code csv}), the checked {@link org.fabai.core.io.FormatException} they all throw on bad input
 * (naming the file, line or record and what was expected), and "read any wafer file":
 * {@link org.fabai.core.io.FileFormat#detect} finds the format by content (inside gzip too), and
 * {@link org.fabai.core.io.WaferFiles} reads or streams the file's wafers as
 * {@link org.fabai.core.io.WaferSummary}s.
 *
 * <pre>{@code
 * for (WaferSummary w : WaferFiles.read(Path.of("lot42.stdf.gz"))) {
 *     log.info("{}: {}", w.map(), w.remarks());
 * }
 * }</pre>
 */
package org.fabai.core.io;
