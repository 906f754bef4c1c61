package org.fabai.adc.features;

import java.util.ArrayList;
import java.util.List;
import org.fabai.core.wafer.WaferMap;

/**
 * Feature vectors of many maps at once, on all available processors (one
 * {@link WaferFeatureExtractor} per thread, each closed after use). Stateless and thread-safe.
 */
public final class ParallelFeatures {

    private ParallelFeatures() {
    }

    /**
     * @param maps wafer maps
     * @return one vector per map of the current {@link WaferFeatureExtractor#FEATURE_VERSION}, in
     *         order ({@link WaferFeatureExtractor#dimension()} long)
     */
    public static double[][] extract(List<WaferMap> maps) {
        return extract(maps, WaferFeatureExtractor.FEATURE_VERSION);
    }

    /**
     * @param maps    wafer maps
     * @param version the feature version ({@link WaferFeatureExtractor#WaferFeatureExtractor(int)})
     * @return one vector per map, in order ({@link WaferFeatureExtractor#dimension()} long)
     * @throws IllegalArgumentException for a feature version this library does not extract
     */
    public static double[][] extract(List<WaferMap> maps, int version) {
        WaferFeatureExtractor.checkVersion(version);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), maps.size() / 64));
        double[][] out = new double[maps.size()][];
        if (threads == 1) {
            try (WaferFeatureExtractor x = new WaferFeatureExtractor(version)) {
                return x.extractAll(maps);
            }
        }
        List<Thread> ts = new ArrayList<>();
        RuntimeException[] err = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            final int from = (int) ((long) maps.size() * t / threads);
            final int to = (int) ((long) maps.size() * (t + 1) / threads);
            Thread th = new Thread(() -> {
                try (WaferFeatureExtractor x = new WaferFeatureExtractor(version)) {
                    for (int i = from; i < to; i++) {
                        out[i] = x.extract(maps.get(i));
                    }
                } catch (RuntimeException e) {
                    synchronized (err) {
                        err[0] = e;
                    }
                }
            }, "fabai-features-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while extracting features", e);
            }
        }
        if (err[0] != null) {
            throw err[0];
        }
        return out;
    }
}
