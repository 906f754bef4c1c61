/**
 * The run-to-run {@link org.fabai.apc.control.Controller} (bounds, rate limit, deadband, anti-windup,
 * delay, missing metrology, outlier rejection, fallback) and
 * {@link org.fabai.apc.control.StabilityAnalysis} of the closed loop.
 */
package org.fabai.apc.control;
