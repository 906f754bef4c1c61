/**
 * Seeded closed-loop simulation of run-to-run control ({@link org.fabai.apc.sim.Simulator}), controller
 * comparison ({@link org.fabai.apc.sim.ComparisonTable}), what-if replay of recorded runs
 * ({@link org.fabai.apc.sim.Replay}) and control charts ({@link org.fabai.apc.sim.ControlChart}).
 */
package org.fabai.apc.sim;
