package org.fabai.adc.model.cnn;

import java.util.Locale;
import java.util.Objects;

/**
 * Training configuration of a {@link CnnClassifier}. Validated on construction; immutable and
 * thread-safe.
 *
 * @param inputSize          side N of the N x N network input, in [26, 96]; maps are resized to it
 * @param architecture       network family
 * @param width              channel multiplier of the convolutional layers, in [1, 4]: 2 doubles
 *                           every conv layer's channels (up to 4x the arithmetic of a layer); the
 *                           embedding stays 64 wide
 * @param epochs             maximum training epochs, in [1, 1000]
 * @param batchSize          minibatch size, in [1, 4096]
 * @param learningRate       initial Adam learning rate, in (0, 1]; it decays by a half cosine over
 *                           {@code epochs} to a tenth of this value
 * @param l2                 L2 weight decay, in [0, 1)
 * @param augment            random 90-degree rotations and flips of each training map per epoch
 * @param classWeighted      weight the loss by inverse class frequency, raised to {@code classWeightPower}
 * @param patience           early stopping: epochs without a better validation macro-F1 before
 *                           stopping, in [1, 1000]
 * @param validationFraction fraction of the training maps held out (stratified) for early
 *                           stopping and threshold calibration, in (0, 0.5]
 * @param unknownQuantile    open-set reject: the threshold on the top probability is this quantile
 *                           of the validation maps' top probabilities, in [0, 0.5); 0 disables
 *                           rejection
 * @param labelSmoothing     share of each training target spread evenly over all classes, in [0, 0.5):
 *                           a defence against noisy human labels (a fab's labels are); 0 trains on
 *                           hard targets. Single-label only
 * @param testTimeAugment    predict each map under the eight rotations and flips of the square and
 *                           average the probabilities (8 times the inference work; steadier on real
 *                           maps, whose patterns come at any angle)
 * @param classWeightPower   exponent p in [0, 1] of the class weights {@code (n / (k * n_c))^p} when
 *                           {@code classWeighted}: 1 is plain inverse frequency, 0.5 its square root (a
 *                           class 20 times rarer weighs about 4.5 times more instead of 20; softer on
 *                           classes of a dozen maps, where a few mislabelled or odd maps would
 *                           otherwise pull many neighbours into the rare class), 0 no weighting
 * @param seed               seed of weight initialisation, split, shuffling and augmentation
 */
public record CnnConfig(int inputSize, Architecture architecture, int width, int epochs, int batchSize,
                        double learningRate, double l2, boolean augment, boolean classWeighted,
                        int patience, double validationFraction, double unknownQuantile, double labelSmoothing,
                        boolean testTimeAugment, double classWeightPower, long seed) {

    /** Network families. Immutable and thread-safe. */
    public enum Architecture {
        /** conv3x3x16, maxpool 2, conv3x3x32, maxpool 2, dense 64, output (about 10 MFLOP at 64x64). */
        COMPACT,
        /**
         * conv3x3x16, maxpool 2, conv3x3x32, a residual block of two conv3x3x32 with an identity
         * skip (element-wise add), maxpool 2, conv3x3x64, maxpool 2, dense 64, output.
         */
        RESIDUAL
    }

    /** Validates every parameter. */
    public CnnConfig {
        Objects.requireNonNull(architecture, "architecture");
        if (inputSize < 26 || inputSize > 96) {
            throw new IllegalArgumentException("inputSize must be in [26, 96], got " + inputSize);
        }
        if (width < 1 || width > 4) {
            throw new IllegalArgumentException("width must be in [1, 4], got " + width);
        }
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("epochs must be in [1, 1000], got " + epochs);
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batchSize must be in [1, 4096], got " + batchSize);
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (!(l2 >= 0 && l2 < 1)) {
            throw new IllegalArgumentException("l2 must be in [0, 1), got " + l2);
        }
        if (patience < 1 || patience > 1000) {
            throw new IllegalArgumentException("patience must be in [1, 1000], got " + patience);
        }
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 0.5], got " + validationFraction);
        }
        if (!(unknownQuantile >= 0 && unknownQuantile < 0.5)) {
            throw new IllegalArgumentException("unknownQuantile must be in [0, 0.5), got " + unknownQuantile);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        if (!(classWeightPower >= 0 && classWeightPower <= 1)) {
            throw new IllegalArgumentException("classWeightPower must be in [0, 1], got " + classWeightPower);
        }
    }

    /**
     * Defaults: 64x64 input, the residual network, 20 epochs, batch 64, learning rate 2e-3 (half
     * cosine to 2e-4), L2 1e-4, augmentation and class weighting on, patience 8, 15% validation,
     * unknown quantile 0.01. On the generator's nine classes (800 maps per class) this reaches a
     * held-out macro-F1 of 0.98 in under 5 minutes on 2 cores (adc/CNN.md). The residual network
     * has fewer parameters than the compact one (0.30 M against 0.53 M: its dense layer sees 8x8
     * instead of 16x16 cells) and a receptive field that spans a scratch; the compact network is the
     * one the speed benchmarks compare with PyTorch.
     *
     * @param seed the seed
     * @return the default configuration
     */
    public static CnnConfig defaults(long seed) {
        return new CnnConfig(64, Architecture.RESIDUAL, 1, 20, 64, 2e-3, 1e-4, true, true, 8, 0.15, 0.01, 0, false, 1, seed);
    }

    /**
     * The recipe for labels that come from a fab: {@link #defaults(long)} with label smoothing 0.1
     * (human labels are noisy), test-time augmentation (real patterns come at any angle), up to 30
     * epochs (early stopping on validation macro-F1 with patience 8 ends most runs sooner), batches
     * of 32 and square-root class weights. Real label sets are small and skewed (WM-811K's sample:
     * 1,400-odd training maps, 15 Donuts against 300 clean maps): batches of 32 give twice the
     * optimiser steps per pass over so few maps at about the same arithmetic, and square-root
     * weights keep a class of a dozen maps from pulling ambiguous maps into it (plain inverse
     * frequency weighs such a class 12 times the mean). Rotation/flip augmentation is on, as in the
     * defaults.
     *
     * @param seed the seed
     * @return the real-data configuration
     */
    public static CnnConfig realDataDefaults(long seed) {
        return defaults(seed).withLabelSmoothing(0.1).withTestTimeAugment(true).withEpochs(30).withBatchSize(32)
                .withClassWeightPower(0.5);
    }

    /**
     * The configuration measured on MixedWM38-style mixtures (multi-label): {@link #defaults(long)}
     * with twice the channels ({@code width} 2) and 40 epochs without early stopping (patience 40;
     * the best validation epoch is kept). Wider, because a map carries up to four patterns; each
     * map and epoch takes about twice as long as with the defaults (adc/CNN.md has the figures).
     *
     * @param seed the seed
     * @return the mixed-type configuration
     */
    public static CnnConfig mixedTypeDefaults(long seed) {
        return defaults(seed).withWidth(2).withEpochs(40).withPatience(40);
    }

    /**
     * @param n input size
     * @return a copy with another input size
     */
    public CnnConfig withInputSize(int n) {
        return copy(f -> f.inputSize = n);
    }

    /**
     * @param a architecture
     * @return a copy with another architecture
     */
    public CnnConfig withArchitecture(Architecture a) {
        return copy(f -> f.architecture = a);
    }

    /**
     * @param w channel multiplier
     * @return a copy with another width
     */
    public CnnConfig withWidth(int w) {
        return copy(f -> f.width = w);
    }

    /**
     * @param e maximum epochs
     * @return a copy with another epoch limit
     */
    public CnnConfig withEpochs(int e) {
        return copy(f -> f.epochs = e);
    }

    /**
     * @param b batch size
     * @return a copy with another batch size
     */
    public CnnConfig withBatchSize(int b) {
        return copy(f -> f.batchSize = b);
    }

    /**
     * @param lr learning rate
     * @return a copy with another learning rate
     */
    public CnnConfig withLearningRate(double lr) {
        return copy(f -> f.learningRate = lr);
    }

    /**
     * @param on augmentation on or off
     * @return a copy with augmentation switched
     */
    public CnnConfig withAugment(boolean on) {
        return copy(f -> f.augment = on);
    }

    /**
     * @param p patience in epochs
     * @return a copy with another early-stopping patience
     */
    public CnnConfig withPatience(int p) {
        return copy(f -> f.patience = p);
    }

    /**
     * @param s seed
     * @return a copy with another seed
     */
    public CnnConfig withSeed(long s) {
        return copy(f -> f.seed = s);
    }

    /**
     * @param eps share of each target spread over all classes, in [0, 0.5)
     * @return a copy with another label smoothing
     */
    public CnnConfig withLabelSmoothing(double eps) {
        return copy(f -> f.labelSmoothing = eps);
    }

    /**
     * @param on average predictions over the eight symmetries of the square
     * @return a copy with test-time augmentation on or off
     */
    public CnnConfig withTestTimeAugment(boolean on) {
        return copy(f -> f.testTimeAugment = on);
    }

    /**
     * @param p exponent of the inverse-frequency class weights, in [0, 1]
     * @return a copy with another class-weight exponent
     */
    public CnnConfig withClassWeightPower(double p) {
        return copy(f -> f.classWeightPower = p);
    }

    /** The components as mutable fields: the one place a copy re-spells the constructor. */
    private static final class Fields {
        int inputSize;
        Architecture architecture;
        int width;
        int epochs;
        int batchSize;
        double learningRate;
        double l2;
        boolean augment;
        boolean classWeighted;
        int patience;
        double validationFraction;
        double unknownQuantile;
        double labelSmoothing;
        boolean testTimeAugment;
        double classWeightPower;
        long seed;

        Fields(CnnConfig c) {
            inputSize = c.inputSize;
            architecture = c.architecture;
            width = c.width;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            l2 = c.l2;
            augment = c.augment;
            classWeighted = c.classWeighted;
            patience = c.patience;
            validationFraction = c.validationFraction;
            unknownQuantile = c.unknownQuantile;
            labelSmoothing = c.labelSmoothing;
            testTimeAugment = c.testTimeAugment;
            classWeightPower = c.classWeightPower;
            seed = c.seed;
        }

        CnnConfig build() {
            return new CnnConfig(inputSize, architecture, width, epochs, batchSize, learningRate, l2, augment, classWeighted,
                    patience, validationFraction, unknownQuantile, labelSmoothing, testTimeAugment, classWeightPower, seed);
        }
    }

    /** A validated copy with the edits applied. */
    private CnnConfig copy(java.util.function.Consumer<Fields> edit) {
        Fields f = new Fields(this);
        edit.accept(f);
        return f.build();
    }

    /** @return a one-line {@code key=value} rendering, as stored in model files */
    public String describe() {
        return String.format(Locale.ROOT,
                "inputSize=%d;architecture=%s;width=%d;epochs=%d;batchSize=%d;learningRate=%s;l2=%s;augment=%b;"
                        + "classWeighted=%b;patience=%d;validationFraction=%s;unknownQuantile=%s;labelSmoothing=%s;"
                        + "testTimeAugment=%b;classWeightPower=%s;seed=%d",
                inputSize, architecture, width, epochs, batchSize, learningRate, l2, augment, classWeighted, patience,
                validationFraction, unknownQuantile, labelSmoothing, testTimeAugment, classWeightPower, seed);
    }

    /**
     * Parses {@link #describe()}'s output. Keys of model files written before they existed take
     * their old behaviour: {@code width} 1, {@code labelSmoothing} 0, {@code testTimeAugment} false,
     * {@code classWeightPower} 1.
     *
     * @param s the description
     * @return the configuration
     * @throws IllegalArgumentException if a key is missing or a value malformed
     */
    public static CnnConfig parse(String s) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : s.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("config entry '" + part + "' is not key=value");
            }
            kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        try {
            return new CnnConfig(Integer.parseInt(req(kv, "inputSize")),
                    Architecture.valueOf(req(kv, "architecture")),
                    Integer.parseInt(kv.getOrDefault("width", "1")),
                    Integer.parseInt(req(kv, "epochs")), Integer.parseInt(req(kv, "batchSize")),
                    Double.parseDouble(req(kv, "learningRate")), Double.parseDouble(req(kv, "l2")),
                    Boolean.parseBoolean(req(kv, "augment")), Boolean.parseBoolean(req(kv, "classWeighted")),
                    Integer.parseInt(req(kv, "patience")), Double.parseDouble(req(kv, "validationFraction")),
                    Double.parseDouble(req(kv, "unknownQuantile")),
                    Double.parseDouble(kv.getOrDefault("labelSmoothing", "0")),
                    Boolean.parseBoolean(kv.getOrDefault("testTimeAugment", "false")),
                    Double.parseDouble(kv.getOrDefault("classWeightPower", "1")), Long.parseLong(req(kv, "seed")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number in config '" + s + "': " + e.getMessage(), e);
        }
    }

    private static String req(java.util.Map<String, String> kv, String k) {
        String v = kv.get(k);
        if (v == null) {
            throw new IllegalArgumentException("config lacks '" + k + "'");
        }
        return v;
    }
}
