/**
 * Engineered wafer-map features (OpenCV through JavaCPP): denoising, connected components,
 * geometry of the most salient failing cluster, regional densities, Radon projection profiles,
 * ring and edge statistics. Entry point: {@link org.fabai.adc.features.WaferFeatureExtractor}.
 */
package org.fabai.adc.features;
