package org.fabai.apc.control;

import java.util.List;
import java.util.Locale;

/**
 * Stability of a controller over a grid of gain ratios and delays. Immutable, thread-safe.
 *
 * @param estimator description of the estimator analysed
 * @param margin    the near-edge margin used
 * @param points    one entry per (ξ, d)
 */
public record StabilityReport(String estimator, double margin, List<StabilityPoint> points) {
    /** Copies the list. */
    public StabilityReport {
        points = List.copyOf(points);
    }

    /** @return true when every point is stable */
    public boolean allStable() {
        return points.stream().allMatch(StabilityPoint::stable);
    }

    /** @return true when some point is stable but near the edge */
    public boolean anyNearEdge() {
        return points.stream().anyMatch(StabilityPoint::nearEdge);
    }

    /** @return a plain-text table: xi, delay, radius, verdict */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append("stability of ").append(estimator).append(" (near-edge margin ").append(margin).append(")\n");
        b.append(String.format(Locale.ROOT, "%8s %5s %10s  %s%n", "xi", "delay", "radius", "verdict"));
        for (StabilityPoint p : points) {
            String verdict = !p.stable() ? "UNSTABLE" : p.nearEdge() ? "stable, NEAR EDGE" : "stable";
            b.append(String.format(Locale.ROOT, "%8.3f %5d %10.5f  %s%n", p.xi(), p.delay(), p.spectralRadius(), verdict));
        }
        return b.toString();
    }
}
