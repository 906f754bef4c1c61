package org.fabai.adc.synth;

import java.util.SplittableRandom;

/**
 * The grid of one generated map and its pattern frame: which dies lie on the wafer, and each die's
 * position in pattern coordinates (the wafer is the unit disc there, rotated by the map's angle and
 * mirrored by its flag). Drawn either uniformly ({@link #uncalibrated}) or from a {@link Calibration}
 * ({@link #calibrated}); {@link WaferMapGenerator}'s class comment specifies both. Package-private;
 * not modified after construction.
 */
final class MapFrame {

    final int rows;
    final int cols;
    final boolean[] on;
    final double[] x;
    final double[] y;
    final int onCount;
    /** Wafer centre (grid units, from the top-left corner) and semi-axes (dies). */
    final double cx;
    final double cy;
    final double ax;
    final double ay;
    /** Size of one die in wafer radii (the smaller of its two sides). */
    final double cell;
    final double cos;
    final double sin;
    final boolean mirror;

    MapFrame(int rows, int cols, boolean[] on, double cx, double cy, double ax, double ay, double angle, boolean mirror) {
        this.rows = rows;
        this.cols = cols;
        this.on = on;
        this.cx = cx;
        this.cy = cy;
        this.ax = ax;
        this.ay = ay;
        int n = rows * cols;
        x = new double[n];
        y = new double[n];
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.mirror = mirror;
        int cnt = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double u = (c + 0.5 - cx) / ax;
                double v = (cy - r - 0.5) / ay;
                if (on[i]) {
                    cnt++;
                }
                if (mirror) {
                    u = -u;
                }
                x[i] = cos * u - sin * v;
                y[i] = sin * u + cos * v;
            }
        }
        onCount = cnt;
        cell = 1.0 / Math.max(ax, ay);
    }

    boolean onAt(int r, int c) {
        return r >= 0 && r < rows && c >= 0 && c < cols && on[r * cols + c];
    }

    /** Uniform size in [minSize, maxSize], square or not, the wafer the inscribed ellipse. */
    static MapFrame uncalibrated(GeneratorConfig config, SplittableRandom rng) {
        int cols = config.minSize() + rng.nextInt(config.maxSize() - config.minSize() + 1);
        int rows = cols;
        if (rng.nextDouble() < config.nonSquareProbability()) {
            double logA = Math.log(config.maxAspect());
            double aspect = Math.exp((2 * rng.nextDouble() - 1) * logA);
            rows = Math.max(8, Math.min(1024, (int) Math.round(cols * aspect)));
        }
        boolean[] on = new boolean[rows * cols];
        double ax = cols / 2.0;
        double ay = rows / 2.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double u = (c + 0.5 - ax) / ax;
                double v = (ay - r - 0.5) / ay;
                on[r * cols + c] = u * u + v * v <= 1.0;
            }
        }
        return new MapFrame(rows, cols, on, ax, ay, ax, ay,
                config.rotate() ? rng.nextDouble() * 2 * Math.PI : 0.0,
                config.flip() && rng.nextBoolean());
    }

    /** Log-normal size and aspect, shrunk and shifted outline, optional flat, cropped to the wafer. */
    static MapFrame calibrated(GeneratorConfig config, Calibration cal, SplittableRandom rng) {
        boolean wide = rng.nextDouble() < cal.wideShare();
        double spread = wide ? 3 : 1;
        double diameter = cal.sizeMedian() * Math.exp(spread * cal.sizeSigma() * rng.nextGaussian());
        double logMax = Math.log(config.maxAspect());
        double logA = Math.max(-logMax, Math.min(logMax, spread * cal.aspectSigma() * rng.nextGaussian()));
        if (rng.nextDouble() >= config.nonSquareProbability()) {
            logA = 0;
        }
        int cols0 = clampSize(config, diameter * Math.exp(-logA / 2));
        int rows0 = clampSize(config, diameter * Math.exp(logA / 2));
        double margin = cal.dieMargin().draw(rng);
        double cx = cols0 / 2.0 + (rng.nextDouble() - 0.5);
        double cy = rows0 / 2.0 + (rng.nextDouble() - 0.5);
        double ax = cols0 / 2.0;
        double ay = rows0 / 2.0;
        boolean flat = rng.nextDouble() < cal.flatProbability();
        double flatDir = rng.nextDouble() * 2 * Math.PI;
        double flatLimit = flat ? 1 - cal.flatDepth().draw(rng) / ((ax + ay) / 2) : Double.POSITIVE_INFINITY;
        double fc = Math.cos(flatDir);
        double fs = Math.sin(flatDir);
        boolean[] on0 = new boolean[rows0 * cols0];
        int r0 = rows0;
        int r1 = -1;
        int c0 = cols0;
        int c1 = -1;
        for (int r = 0; r < rows0; r++) {
            for (int c = 0; c < cols0; c++) {
                double du = (Math.abs(c + 0.5 - cx) + margin) / ax;
                double dv = (Math.abs(r + 0.5 - cy) + margin) / ay;
                double u = (c + 0.5 - cx) / ax;
                double v = (cy - r - 0.5) / ay;
                boolean in = du * du + dv * dv <= 1.0 && u * fc + v * fs <= flatLimit;
                if (in) {
                    on0[r * cols0 + c] = true;
                    r0 = Math.min(r0, r);
                    r1 = Math.max(r1, r);
                    c0 = Math.min(c0, c);
                    c1 = Math.max(c1, c);
                }
            }
        }
        if (r1 < 0 || config.minSize() == config.maxSize()) {
            r0 = 0;
            r1 = rows0 - 1;
            c0 = 0;
            c1 = cols0 - 1;
        }
        int rows = r1 - r0 + 1;
        int cols = c1 - c0 + 1;
        boolean[] on = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(on0, (r + r0) * cols0 + c0, on, r * cols, cols);
        }
        return new MapFrame(rows, cols, on, cx - c0, cy - r0, ax, ay,
                config.rotate() ? rng.nextDouble() * 2 * Math.PI : 0.0,
                config.flip() && rng.nextBoolean());
    }

    private static int clampSize(GeneratorConfig config, double side) {
        return (int) Math.max(config.minSize(), Math.min(config.maxSize(), Math.round(side)));
    }
}
