package org.fabai.apc.control;

/**
 * Stability of one closed loop. Immutable, thread-safe.
 *
 * @param xi             gain ratio ξ = true gain / model gain
 * @param delay          metrology delay d in runs
 * @param spectralRadius largest modulus of the closed-loop characteristic roots
 * @param stable         true when all roots lie strictly inside the unit circle
 * @param nearEdge       true when stable but the radius is within the margin of 1
 */
public record StabilityPoint(double xi, int delay, double spectralRadius, boolean stable, boolean nearEdge) {
}
