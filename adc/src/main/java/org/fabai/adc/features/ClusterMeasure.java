package org.fabai.adc.features;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.nio.IntBuffer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * The connected components of a binary wafer image and the geometry of the largest one, for
 * {@link WaferFeatureExtractor}: labelling, moments and the contour measures go through OpenCV on
 * native buffers this object reuses between calls. Package-private; not thread-safe (one per
 * extractor); {@link #close()} frees the buffers.
 */
final class ClusterMeasure implements AutoCloseable {

    private static final int ARC_BINS = 72;

    private final Mat labels = new Mat();
    private final Mat stats = new Mat();
    private final Mat centroids = new Mat();
    private final Mat mask = new Mat();
    private final Mat hierarchy = new Mat();
    private final Mat hull = new Mat();
    private final MatVector contours = new MatVector();
    private final int[] statBuf = new int[5];
    private byte[] maskBuf = new byte[0];

    /** Component count, the largest component's label and area, and its bounding box. */
    record Components(int count, int largest, int largestArea, int[] box) {
        /** No component. */
        static final Components NONE = new Components(0, 0, 0, null);
    }


    /** Makes room for maps of {@code n} cells. */
    void ensureCapacity(int n) {
        if (maskBuf.length < n) {
            maskBuf = new byte[n];
        }
    }

    /**
     * Labels the 8-connected components of a binary image (OpenCV); when there is one, writes the
     * labels of its {@code n} cells to {@code labOut}.
     *
     * @return the component count, the largest component and its bounding box
     */
    Components components(Mat image, int[] labOut, int n) {
        int count = opencv_imgproc.connectedComponentsWithStats(image, labels, stats, centroids, 8, CV_32S);
        IntBuffer sb = stats.createBuffer();
        int largest = 0;
        int largestArea = 0;
        for (int c = 1; c < count; c++) {
            int area = sb.get(c * 5 + 4);
            if (area > largestArea) {
                largestArea = area;
                largest = c;
            }
        }
        int[] box = null;
        if (largest > 0) {
            IntBuffer lb = labels.createBuffer();
            lb.get(labOut, 0, n);
            sb.position(largest * 5);
            sb.get(statBuf, 0, 5);
            box = statBuf.clone();
        }
        return new Components(count - 1, largest, largestArea, box);
    }

    /**
     * The geometry of the largest component {@code comp} found by {@link #components}: its moment
     * ellipse (axes, eccentricity, orientation against the radius), centre, arc span and, from its
     * contour and convex hull (OpenCV), its perimeter and solidity.
     *
     * @param g    the grid
     * @param lab  the labels {@link #components} wrote
     * @param comp what {@link #components} returned, with a largest component
     */
    ClusterGeometry geometry(GridGeometry g, int[] lab, Components comp) {
        int label = comp.largest();
        int area = comp.largestArea();
        int left = comp.box()[0];
        int top = comp.box()[1];
        int w = comp.box()[2];
        int h = comp.box()[3];
        double su = 0;
        double sv = 0;
        double suu = 0;
        double svv = 0;
        double suv = 0;
        int cnt = 0;
        boolean[] arc = new boolean[ARC_BINS];
        int m = 0;
        for (int r = top; r < top + h; r++) {
            for (int c = left; c < left + w; c++) {
                int i = r * g.cols + c;
                boolean in = lab[i] == label;
                maskBuf[m++] = in ? (byte) 255 : 0;
                if (in) {
                    double u = g.uu[i];
                    double v = g.vv[i];
                    su += u;
                    sv += v;
                    suu += u * u;
                    svv += v * v;
                    suv += u * v;
                    cnt++;
                    double t = g.th[i] < 0 ? g.th[i] + 2 * Math.PI : g.th[i];
                    arc[Math.min(ARC_BINS - 1, (int) (t / (2 * Math.PI) * ARC_BINS))] = true;
                }
            }
        }
        double mu = su / cnt;
        double mv = sv / cnt;
        double dieU = 1.0 / (g.scale * g.scale) / 12.0;
        double cuu = suu / cnt - mu * mu + dieU;
        double cvv = svv / cnt - mv * mv + dieU;
        double cuv = suv / cnt - mu * mv;
        double tr = cuu + cvv;
        double det = cuu * cvv - cuv * cuv;
        double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
        double l1 = tr / 2 + disc;
        double l2 = Math.max(0, tr / 2 - disc);
        double major = 4 * Math.sqrt(l1);
        double minor = 4 * Math.sqrt(l2);
        double ecc = l1 <= 0 ? 0 : Math.sqrt(Math.max(0, 1 - l2 / l1));
        double phi = 0.5 * Math.atan2(2 * cuv, cuu - cvv);
        double dist = Math.hypot(mu, mv);
        double radialAngle = Math.atan2(mv, mu);
        double align = dist < 0.05 ? 0.5 : Math.abs(Math.cos(phi - radialAngle));
        double span = arcSpan(arc);
        double[] ps = perimeterAndSolidity(w, h, area);
        double perim = ps[0];
        double solidity = ps[1];
        return new ClusterGeometry((double) area / g.onCount, perim / g.scale, major, minor, ecc, solidity, dist,
                Math.atan2(mv, mu), align, span);
    }

    /** 2 pi minus the largest circular gap of unoccupied angular bins; 0 when none is occupied. */
    private static double arcSpan(boolean[] arc) {
        int longestGap = 0;
        int run = 0;
        boolean anyOcc = false;
        for (int j = 0; j < 2 * ARC_BINS; j++) {
            if (!arc[j % ARC_BINS]) {
                run++;
                longestGap = Math.max(longestGap, Math.min(run, ARC_BINS));
            } else {
                anyOcc = true;
                run = 0;
            }
        }
        return anyOcc ? 2 * Math.PI * (ARC_BINS - longestGap) / ARC_BINS : 0;
    }

    /**
     * The perimeter of the component drawn in {@code maskBuf} ({@code w x h}, its bounding box) and
     * its solidity: its area over the lattice points its convex hull covers (Pick: area +
     * boundary/2 + 1), at most 1.
     */
    private double[] perimeterAndSolidity(int w, int h, int area) {
        mask.create(h, w, CV_8UC1);
        mask.data().put(maskBuf, 0, w * h);
        opencv_imgproc.findContours(mask, contours, hierarchy, opencv_imgproc.RETR_EXTERNAL, opencv_imgproc.CHAIN_APPROX_NONE);
        double perim = 0;
        double solidity = 1;
        long best = -1;
        int bestIdx = -1;
        for (int c = 0; c < contours.size(); c++) {
            long sz = contours.get(c).total();
            if (sz > best) {
                best = sz;
                bestIdx = c;
            }
        }
        if (bestIdx >= 0) {
            Mat contour = contours.get(bestIdx);
            perim = opencv_imgproc.arcLength(contour, true);
            opencv_imgproc.convexHull(contour, hull);
            double hullArea = opencv_imgproc.contourArea(hull);
            double hullPerim = opencv_imgproc.arcLength(hull, true);
            // lattice points covered by the hull (Pick): area + boundary/2 + 1
            solidity = Math.min(1.0, area / (hullArea + hullPerim / 2 + 1));
        }
        return new double[] {perim, solidity};
    }

    /**
     * Dies in raw components of at least 3 dies whose moment ellipse is at least 3 times longer
     * than wide (scratch fragments).
     *
     * @param failIdx   the failing dies' cells, the first {@code failCount} used
     */
    static int elongatedDies(GridGeometry g, int[] lab, int count, int[] failIdx, int failCount) {
        if (count == 0) {
            return 0;
        }
        int n = g.rows * g.cols;
        int[] cnt = new int[count + 1];
        double[] su = new double[count + 1];
        double[] sv = new double[count + 1];
        double[] suu = new double[count + 1];
        double[] svv = new double[count + 1];
        double[] suv = new double[count + 1];
        for (int q = 0; q < failCount; q++) {
            int i = failIdx[q];
            int l = lab[i];
            if (l <= 0 || l > count) {
                continue;
            }
            double u = g.uu[i];
            double v = g.vv[i];
            cnt[l]++;
            su[l] += u;
            sv[l] += v;
            suu[l] += u * u;
            svv[l] += v * v;
            suv[l] += u * v;
        }
        double dieU = 1.0 / (g.scale * g.scale) / 12.0;
        int dies = 0;
        for (int l = 1; l <= count; l++) {
            if (cnt[l] < 3) {
                continue;
            }
            double mu = su[l] / cnt[l];
            double mv = sv[l] / cnt[l];
            double cuu = suu[l] / cnt[l] - mu * mu + dieU;
            double cvv = svv[l] / cnt[l] - mv * mv + dieU;
            double cuv = suv[l] / cnt[l] - mu * mv;
            double tr = cuu + cvv;
            double disc = Math.sqrt(Math.max(0, tr * tr / 4 - (cuu * cvv - cuv * cuv)));
            double l1 = tr / 2 + disc;
            double l2 = Math.max(1e-12, tr / 2 - disc);
            if (l1 / l2 >= 9) {
                dies += cnt[l];
            }
        }
        return dies;
    }

    @Override
    public void close() {
        contours.close();
        hull.close();
        hierarchy.close();
        mask.close();
        centroids.close();
        stats.close();
        labels.close();
    }
}
