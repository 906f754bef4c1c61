/**
 * Seeded synthetic wafer maps: WM-811K's nine pattern classes and MixedWM38-style mixtures with
 * multi-hot labels and per-pattern masks. Entry point: {@link org.fabai.adc.synth.WaferMapGenerator}.
 */
package org.fabai.adc.synth;
