/**
 * RCA's data: {@link org.fabai.rca.data.DataTable} (columns of doubles, categorical columns as
 * codes with their levels), {@link org.fabai.rca.data.HistoryCsv} (wafer histories and outcomes
 * from CSV) and {@link org.fabai.rca.data.EventLog} (timestamped machine events, windowed onto a
 * time grid as a table, as causRCA ships them).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * DataTable t = DataTable.readInferringTypes(Path.of("table.csv"), ',', List.of()); // text columns categorical
 * List<WaferHistory> hs = HistoryCsv.readHistories(Path.of("histories.csv"));
 * Map<String, Double> yield = HistoryCsv.byName(HistoryCsv.readOutcomes(Path.of("outcomes.csv")), "yield");
 * EventLog log = EventLog.read(Path.of("run-17.csv"));
 * }</pre>
 */
package org.fabai.rca.data;
