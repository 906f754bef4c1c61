package org.fabai.adc.features;

/**
 * Geometry of one connected cluster of failing dies, in wafer-normalised units: lengths in wafer
 * radii, areas as fractions of the wafer's dies, so that maps of different grid sizes compare.
 *
 * <p>Immutable and thread-safe.
 *
 * @param areaFraction   dies in the cluster over dies on the wafer
 * @param perimeter      length of the cluster's outer contour (through die centres), in wafer radii
 * @param majorAxis      major axis of the cluster's moment-equivalent ellipse, in wafer radii
 * @param minorAxis      minor axis of that ellipse, in wafer radii
 * @param eccentricity   eccentricity of that ellipse, in [0, 1)
 * @param solidity       contour area over convex hull area, in [0, 1] (1 for a single die or a line)
 * @param centreDistance distance of the cluster's centroid from the wafer centre, in wafer radii
 * @param centreAngle    polar angle of the centroid, radians in (-pi, pi], 0 pointing right, counter-clockwise
 * @param radialAlignment |cos| of the angle between the major axis and the radial direction:
 *                        1 for a cluster elongated towards the centre, 0 for a tangential one
 * @param arcSpan        angle subtended by the cluster as seen from the wafer centre, radians in [0, 2 pi]
 */
public record ClusterGeometry(double areaFraction, double perimeter, double majorAxis, double minorAxis,
                              double eccentricity, double solidity, double centreDistance, double centreAngle,
                              double radialAlignment, double arcSpan) {

    /** @return the geometry of "no cluster" (every value 0, solidity 0) */
    public static ClusterGeometry empty() {
        return new ClusterGeometry(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
