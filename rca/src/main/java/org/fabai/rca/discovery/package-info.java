/**
 * Causal discovery: PC ({@link org.fabai.rca.discovery.Pc}) and GES ({@link org.fabai.rca.discovery.Ges})
 * with background knowledge ({@link org.fabai.rca.discovery.Knowledge}: process-order tiers,
 * required and forbidden edges), independence tests for continuous, discrete and mixed tables,
 * the resulting {@link org.fabai.rca.discovery.Cpdag}, comparison against a true graph, and
 * Tetrad's graph text format.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Knowledge k = Knowledge.builder().tier("S01", 0).tier("S02", 1).tier("yield", 2).build();
 * Cpdag g = new Pc(PcConfig.of(0.01)).search(new MixedLinearTest(table), k);
 * DirectedAcyclicGraph<String, DefaultEdge> dag = g.toDag();   // one member of the class, for an SCM
 * }</pre>
 */
package org.fabai.rca.discovery;
