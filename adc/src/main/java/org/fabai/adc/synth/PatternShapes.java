package org.fabai.adc.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The shapes of the WM-811K patterns on a {@link MapFrame}: each marks a region and fails each die
 * inside it with a drawn density ({@link WaferMapGenerator}'s class comment lists the shapes and
 * their parameters, drawn from {@link GeneratorConfig#params()}). Package-private; immutable and
 * thread-safe.
 */
final class PatternShapes {

    private final GeneratorConfig config;

    PatternShapes(GeneratorConfig config) {
        this.config = config;
    }

    /** Draws pattern {@code p}: fills {@code region} with its shape and returns its failing dies. */
    boolean[] draw(DefectPattern p, MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double density = q.patternDensity().draw(rng);
        double[] modulation = null;
        switch (p) {
            case CENTER -> center(f, rng, region);
            case DONUT -> donut(f, rng, region);
            case EDGE_LOC -> edgeLoc(f, rng, region);
            case EDGE_RING -> edgeRing(f, rng, region);
            case LOC -> loc(f, rng, region);
            case NEAR_FULL -> {
                density = q.nearFullRate().draw(rng);
                System.arraycopy(f.on, 0, region, 0, n);
            }
            case RANDOM -> {
                density = q.randomRate().draw(rng);
                System.arraycopy(f.on, 0, region, 0, n);
                if (config.calibration() != null) {
                    modulation = blotches(f, rng);
                }
            }
            case SCRATCH -> {
                density = q.scratchDensity().draw(rng);
                scratch(f, rng, region);
            }
            case NONE -> throw new IllegalArgumentException("NONE is not a drawable pattern");
            default -> throw new IllegalStateException("unhandled pattern " + p);
        }
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = region[i] && f.on[i] && rng.nextDouble() < (modulation == null ? density : density * modulation[i]);
        }
        return mask;
    }

    /** Center: a disc near the centre. */
    private void center(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double off = q.centerOffset().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = off * Math.cos(a);
        double cy = off * Math.sin(a);
        double rad = Math.max(q.centerRadius().draw(rng), 1.5 * f.cell);
        for (int i = 0; i < n; i++) {
            region[i] = sq(f.x[i] - cx) + sq(f.y[i] - cy) <= rad * rad;
        }
    }

    /** Donut: a ring around a point near the centre, open on one side. */
    private void donut(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double off = q.donutOffset().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = off * Math.cos(a);
        double cy = off * Math.sin(a);
        double inner = q.donutInnerRadius().draw(rng);
        double width = Math.max(q.donutWidth().draw(rng), 1.2 * f.cell);
        double arc = Math.toRadians(q.donutArc().draw(rng));
        double gapDir = rng.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double dx = f.x[i] - cx;
            double dy = f.y[i] - cy;
            double r = Math.hypot(dx, dy);
            region[i] = r >= inner && r < inner + width && angularDistance(Math.atan2(dy, dx), gapDir + Math.PI) <= arc / 2;
        }
    }

    /** Edge-Loc: a shallow arc of the edge, or a blob centred on the edge. */
    private void edgeLoc(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double depth = Math.max(q.edgeLocDepth().draw(rng), 1.5 * f.cell);
        double arc = Math.toRadians(q.edgeLocArc().draw(rng));
        double dir = rng.nextDouble() * 2 * Math.PI;
        if (rng.nextBoolean()) {
            for (int i = 0; i < n; i++) {
                double r = Math.hypot(f.x[i], f.y[i]);
                region[i] = r >= 1 - depth && angularDistance(Math.atan2(f.y[i], f.x[i]), dir) <= arc / 2;
            }
        } else {
            // calibrated: a blob 1.5-3 depths wide (real Edge-Loc areas are shallow); else as wide as the arc
            double rad = config.calibration() != null ? depth * (1.5 + 1.5 * rng.nextDouble())
                    : Math.max(depth, Math.sin(arc / 2) * 0.8);
            double cx = Math.cos(dir);
            double cy = Math.sin(dir);
            for (int i = 0; i < n; i++) {
                region[i] = sq(f.x[i] - cx) + sq(f.y[i] - cy) <= rad * rad;
            }
        }
    }

    /** Edge-Ring: a band along the edge over an arc. */
    private void edgeRing(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double width = Math.max(q.edgeRingWidth().draw(rng), 1.2 * f.cell);
        double arc = Math.toRadians(q.edgeRingArc().draw(rng));
        double dir = rng.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(f.x[i], f.y[i]);
            region[i] = r >= 1 - width && angularDistance(Math.atan2(f.y[i], f.x[i]), dir) <= arc / 2;
        }
    }

    /** Loc: a rotated ellipse somewhere on the wafer (calibrated: stretched along the edge). */
    private void loc(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        int n = f.rows * f.cols;
        double d = q.locDistance().draw(rng);
        double a = rng.nextDouble() * 2 * Math.PI;
        double cx = d * Math.cos(a);
        double cy = d * Math.sin(a);
        double ra = Math.max(q.locRadius().draw(rng), 1.5 * f.cell);
        double rb = Math.max(q.locRadius().draw(rng), 1.5 * f.cell);
        double o = rng.nextDouble() * Math.PI;
        if (config.calibration() != null) {
            // real Loc blobs stretch along the edge: the longer axis roughly tangential
            double longer = Math.max(ra, rb);
            rb = Math.min(ra, rb);
            ra = longer;
            o = a + Math.PI / 2 + 0.5 * rng.nextGaussian();
        }
        double co = Math.cos(o);
        double so = Math.sin(o);
        for (int i = 0; i < n; i++) {
            double dx = f.x[i] - cx;
            double dy = f.y[i] - cy;
            double u = co * dx + so * dy;
            double v = -so * dx + co * dy;
            region[i] = sq(u / ra) + sq(v / rb) <= 1;
        }
    }

    /**
     * Real Random maps are blotchy: three Gaussian bumps (width 0.15-0.45 radii, amplitude
     * -0.6..+1.2) modulate the rate.
     *
     * @return the rate factor per die, at least 0.2
     */
    private static double[] blotches(MapFrame f, SplittableRandom rng) {
        int n = f.rows * f.cols;
        double[] modulation = new double[n];
        Arrays.fill(modulation, 1.0);
        for (int k = 0; k < 3; k++) {
            double br = Math.sqrt(rng.nextDouble());
            double ba = rng.nextDouble() * 2 * Math.PI;
            double bx = br * Math.cos(ba);
            double by = br * Math.sin(ba);
            double w = 0.15 + 0.3 * rng.nextDouble();
            double amp = -0.6 + 1.8 * rng.nextDouble();
            for (int i = 0; i < n; i++) {
                modulation[i] += amp * Math.exp(-(sq(f.x[i] - bx) + sq(f.y[i] - by)) / (2 * w * w));
            }
        }
        for (int i = 0; i < n; i++) {
            modulation[i] = Math.max(0.2, modulation[i]);
        }
        return modulation;
    }

    private void scratch(MapFrame f, SplittableRandom rng, boolean[] region) {
        PatternParams q = config.params();
        double len = q.scratchLength().draw(rng);
        double curv = q.scratchCurvature().draw(rng);
        double hw = Math.max(q.scratchHalfWidth().draw(rng), 0.5 * f.cell);
        double gapRate = q.scratchGapRate().draw(rng);
        double step = f.cell * 0.5;
        // start inside the wafer and head roughly across it so that most of the walk stays on-wafer
        double sr = 0.8 * Math.sqrt(rng.nextDouble());
        double sa = rng.nextDouble() * 2 * Math.PI;
        double px = sr * Math.cos(sa);
        double py = sr * Math.sin(sa);
        double heading = rng.nextDouble() * 2 * Math.PI;
        if (px * Math.cos(heading) + py * Math.sin(heading) > 0) {
            heading += Math.PI;
        }
        if (config.calibration() != null) {
            // real scratches lie mostly in the outer half: start at 0.35-0.85 and head roughly along the edge
            sr = 0.35 + 0.5 * rng.nextDouble();
            px = sr * Math.cos(sa);
            py = sr * Math.sin(sa);
            heading = sa + (rng.nextBoolean() ? 0.5 : -0.5) * Math.PI + 1.0 * rng.nextGaussian();
        }
        double gapLeft = 0;
        int steps = (int) Math.ceil(len / step);
        double sd = curv * Math.sqrt(step);
        for (int s = 0; s < steps; s++) {
            if (gapLeft <= 0 && rng.nextDouble() < gapRate * step) {
                gapLeft = (1.5 + 2.5 * rng.nextDouble()) * f.cell;
            }
            if (gapLeft > 0) {
                gapLeft -= step;
            } else {
                stamp(f, px, py, hw, region);
            }
            heading += sd * rng.nextGaussian();
            px += step * Math.cos(heading);
            py += step * Math.sin(heading);
            if (px * px + py * py > 1.1) {
                break;
            }
        }
    }

    /** Marks the cells whose centre (in pattern coordinates) lies within {@code hw} of (px, py). */
    private static void stamp(MapFrame f, double px, double py, double hw, boolean[] region) {
        // back to grid coordinates: (u, v) = mirror(R^-1 (px, py)), then only a window of cells
        double u = f.cos * px + f.sin * py;
        double v = -f.sin * px + f.cos * py;
        if (f.mirror) {
            u = -u;
        }
        double col = u * f.ax + f.cx - 0.5;
        double row = f.cy - v * f.ay - 0.5;
        int reachC = (int) Math.ceil(hw * f.ax) + 1;
        int reachR = (int) Math.ceil(hw * f.ay) + 1;
        int r0 = Math.max(0, (int) Math.floor(row) - reachR);
        int r1 = Math.min(f.rows - 1, (int) Math.ceil(row) + reachR);
        int c0 = Math.max(0, (int) Math.floor(col) - reachC);
        int c1 = Math.min(f.cols - 1, (int) Math.ceil(col) + reachC);
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int i = r * f.cols + c;
                if (!region[i]) {
                    double dx = f.x[i] - px;
                    double dy = f.y[i] - py;
                    if (dx * dx + dy * dy <= hw * hw) {
                        region[i] = true;
                    }
                }
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Absolute difference of two angles, in [0, pi]. */
    private static double angularDistance(double a, double b) {
        return Math.abs(Math.IEEEremainder(a - b, 2 * Math.PI));
    }
}
