package org.fabai.cli.demo;

/**
 * Sizes of the demo run.
 *
 * @param perClass       generated wafer maps per WM-811K class (train + held out)
 * @param curveSizes     training-set sizes of the learning curve
 * @param curveRepeats   repeats per size
 * @param cnnEpochs      CNN training epochs (0: skip the CNN)
 * @param cnnInputSize   CNN input size N (maps resized to N x N)
 * @param apcRuns        runs per R2R simulation
 * @param apcSeeds       seeds per controller
 * @param fabLots        lots in the synthetic fab (25 wafers each)
 * @param accuracySeeds  synthetic fabs for the AC@1/AC@3 table
 * @param bootstrap      bootstrap replicates for ranking confidence
 * @param realSizes      labelled-map counts of the real-data learning curve ({@code --real-maps}), ascending
 * @param realRepeats    its repeats, each with other test lots
 * @param realCnn        whether that curve also trains the CNN (from scratch and pretrained)
 * @param seed           master seed
 */
record DemoConfig(int perClass, int[] curveSizes, int curveRepeats, int cnnEpochs, int cnnInputSize, int apcRuns, int apcSeeds,
                  int fabLots, int accuracySeeds, int bootstrap, int[] realSizes, int realRepeats, boolean realCnn, long seed) {

    DemoConfig {
        if (perClass < 8) {
            throw new IllegalArgumentException("perClass must be >= 8, got " + perClass);
        }
        if (fabLots < 10) {
            throw new IllegalArgumentException("fabLots must be >= 10, got " + fabLots);
        }
        if (realSizes.length == 0 || realRepeats < 1) {
            throw new IllegalArgumentException("the real-data curve needs sizes and repeats >= 1, got "
                    + realSizes.length + " sizes, " + realRepeats + " repeats");
        }
    }

    static DemoConfig quick(long seed) {
        return new DemoConfig(40, new int[] {45, 90, 180}, 1, 3, 32, 600, 2, 40, 3, 30, new int[] {25, 50, 100}, 1, false, seed);
    }

    static DemoConfig full(long seed) {
        return new DemoConfig(160, new int[] {45, 90, 180, 360, 720}, 1, 10, 40, 2000, 5, 100, 10, 200,
                new int[] {25, 50, 100, 250, 500}, 2, true, seed);
    }
}
