/**
 * STDF V4 (Standard Test Data Format) wafer bin maps.
 *
 * <p>{@link org.fabai.core.io.stdf.StdfReader} reads an STDF V4 file (plain or gzip, either byte
 * order) into one {@link org.fabai.core.io.stdf.StdfWafer} per wafer: a
 * {@link org.fabai.core.wafer.WaferMap} of hard bins plus soft bins, part counts, retests and
 * per-site counts. {@link org.fabai.core.io.stdf.StdfReader#read(java.nio.file.Path)} returns the
 * whole file as a {@link org.fabai.core.io.stdf.StdfFile};
 * {@link org.fabai.core.io.stdf.StdfReader#open(java.nio.file.Path)} streams it wafer by wafer.
 * {@link org.fabai.core.io.stdf.StdfWriter} writes the records the reader reads, in either byte
 * order. Malformed input is reported as {@link org.fabai.core.io.FormatException}.
 */
package org.fabai.core.io.stdf;
