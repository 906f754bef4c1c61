/**
 * KLARF (KLA Results File) defect files: {@link org.fabai.core.io.klarf.KlarfReader} reads
 * versions 1.1, 1.2 and 1.8 wafer by wafer, {@link org.fabai.core.io.klarf.KlarfWriter} writes
 * them back. Each {@link org.fabai.core.io.klarf.KlarfWafer} gives a core
 * {@link org.fabai.core.defect.DefectList} and a {@link org.fabai.core.wafer.WaferMap}.
 *
 * <p>Format facts relied on: 1.1/1.2 files are keyword statements ending in {@code ;}
 * ({@code FileVersion 1 2;} first, {@code EndOfFile;} last; a wafer starts at {@code WaferID};
 * {@code DefectRecordSpec n NAME...} names the columns of the following {@code DefectList}
 * rows; the {@code IMAGELIST} column is a count {@code k} followed by {@code k} pairs of image
 * number and type). 1.8 files nest {@code Record FileRecord "1.8" { Record LotRecord "lot" {
 * Record WaferRecord "wafer" { ... } } }} with {@code Field name n {v, ...}} values and
 * {@code List name { Columns n { type name, ... } Data m { row; ... } }} tables, and give lengths
 * in nanometres (e.g. {@code SampleSize 2 {300000000, 0}} for a 300 mm wafer); an
 * {@code ImageList} column holds {@code N} or {@code Images k { file format n type, ... }}.
 */
package org.fabai.core.io.klarf;
