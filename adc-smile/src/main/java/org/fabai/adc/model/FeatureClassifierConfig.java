package org.fabai.adc.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link FeatureClassifier}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param algorithm          the Smile learner
 * @param trees              trees of a random forest or boosting rounds of gradient boosting, in [1, 5000]
 * @param maxDepth           maximum tree depth, in [2, 100]
 * @param maxNodes           maximum leaves per tree, in [2, 100000]
 * @param nodeSize           minimum samples in a leaf, in [1, 1000]
 * @param shrinkage          gradient-boosting learning rate, in (0, 1]
 * @param svmC               SVM soft-margin penalty, in (0, 1e6]
 * @param svmSigma           Gaussian kernel width on standardised features, in (0, 1e3]
 * @param logisticLambda     L2 penalty of logistic regression on standardised features, in (0, 1e4]
 * @param balanceClasses     weight classes inversely to their frequency (random forest: Smile
 *                           class weights; SVM, boosting and logistic regression: balanced sampling,
 *                           every class brought to the same number of rows)
 * @param balancedClassCap   the most rows a class gets in balanced sampling, at least 1: the largest
 *                           class's count or this cap, whichever is smaller; classes above it are
 *                           subsampled ({@link #BALANCED_CLASS_CAP} by default; model files written
 *                           before the cap existed read as uncapped, {@link Integer#MAX_VALUE})
 * @param validationFraction share of each class held out to calibrate the unknown threshold and
 *                           measure validation metrics, in [0.05, 0.5]
 * @param falseRejectRate    target share of in-distribution validation maps rejected as unknown, in [0, 0.5]
 * @param seed               seed for the split, the learner and the balanced sampling
 */
public record FeatureClassifierConfig(Algorithm algorithm, int trees, int maxDepth, int maxNodes, int nodeSize,
                                      double shrinkage, double svmC, double svmSigma, double logisticLambda,
                                      boolean balanceClasses, int balancedClassCap,
                                      double validationFraction, double falseRejectRate, long seed) {

    /** The Smile learners a {@link FeatureClassifier} can use. Constants are immutable and thread-safe. */
    public enum Algorithm {
        /** Random forest (Gini splits, {@code sqrt(d)} features per split). The default. */
        RANDOM_FOREST,
        /** One-versus-rest Gaussian-kernel SVMs with Platt-scaled probabilities, on standardised features. */
        SVM,
        /** Gradient-boosted regression trees with softmax (multinomial) loss. */
        GRADIENT_BOOSTING,
        /** Multinomial logistic regression with an L2 penalty ({@code logisticLambda}) on standardised features. */
        LOGISTIC,
        /**
         * Soft vote: the mean of the class probabilities of a random forest, gradient boosting, an SVM
         * and logistic regression, each configured by {@link FeatureClassifierConfig#voter}. Four learners that err differently (bagged
         * trees, boosted trees, a kernel machine, a linear model) average out much of each other's
         * variance; on a few thousand real maps the vote is more accurate than any of them (measured in
         * {@code adc/REAL-DATA.md}) at four times the fitting cost. The recipe for real labels
         * ({@link #realDataDefaults}).
         */
        VOTING
    }

    /** The learners of a {@link Algorithm#VOTING} model, in the order their probabilities are averaged. */
    public static final java.util.List<Algorithm> VOTERS = java.util.List.of(Algorithm.RANDOM_FOREST,
            Algorithm.GRADIENT_BOOSTING, Algorithm.SVM, Algorithm.LOGISTIC);

    /**
     * The default {@link #balancedClassCap}: 2,000 rows per class, so nine classes give the boosting,
     * the SVM and logistic regression at most 18,000 rows whatever the data size. Without a cap a
     * fab's natural mix (85 % {@code none}) is oversampled to nine times its {@code none} maps: 1.3
     * million rows for WM-811K's 172,950 labelled maps. On 38,536 maps of 86.5 % {@code none}
     * (300,000 rows) the boosting alone had not finished in five minutes, the kernel SVM still to
     * come; with the cap the whole vote trains on WM-811K's size in about five minutes on two cores
     * ({@code adc/REAL-DATA.md}).
     */
    public static final int BALANCED_CLASS_CAP = ClassCap.DEFAULT;

    /** Validates. */
    public FeatureClassifierConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        check("trees", trees, 1, 5000);
        check("maxDepth", maxDepth, 2, 100);
        check("maxNodes", maxNodes, 2, 100000);
        check("nodeSize", nodeSize, 1, 1000);
        check("balancedClassCap", balancedClassCap, 1, Integer.MAX_VALUE);
        if (!(shrinkage > 0 && shrinkage <= 1)) {
            throw new IllegalArgumentException("shrinkage must be in (0, 1], got " + shrinkage);
        }
        if (!(svmC > 0 && svmC <= 1e6)) {
            throw new IllegalArgumentException("svmC must be in (0, 1e6], got " + svmC);
        }
        if (!(svmSigma > 0 && svmSigma <= 1e3)) {
            throw new IllegalArgumentException("svmSigma must be in (0, 1000], got " + svmSigma);
        }
        if (!(logisticLambda > 0 && logisticLambda <= 1e4)) {
            throw new IllegalArgumentException("logisticLambda must be in (0, 10000], got " + logisticLambda);
        }
        if (!(validationFraction >= 0.05 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in [0.05, 0.5], got " + validationFraction);
        }
        if (!(falseRejectRate >= 0 && falseRejectRate <= 0.5)) {
            throw new IllegalArgumentException("falseRejectRate must be in [0, 0.5], got " + falseRejectRate);
        }
    }

    /**
     * The configuration without a stated {@link #balancedClassCap}: {@link #BALANCED_CLASS_CAP}
     * (the canonical constructor before the cap existed, kept for callers of that form).
     */
    public FeatureClassifierConfig(Algorithm algorithm, int trees, int maxDepth, int maxNodes, int nodeSize,
                                   double shrinkage, double svmC, double svmSigma, double logisticLambda,
                                   boolean balanceClasses, double validationFraction, double falseRejectRate,
                                   long seed) {
        this(algorithm, trees, maxDepth, maxNodes, nodeSize, shrinkage, svmC, svmSigma, logisticLambda, balanceClasses,
                BALANCED_CLASS_CAP, validationFraction, falseRejectRate, seed);
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * Random forest of 200 trees, depth 20, leaves of 1, balanced classes, 20% validation, 2%
     * false-reject rate, seed 1 (SVM C=10, sigma=4; logistic lambda 1 for the other learners).
     *
     * @return the default configuration
     */
    public static FeatureClassifierConfig defaults() {
        return new FeatureClassifierConfig(Algorithm.RANDOM_FOREST, 200, 20, 100000, 1, 0.1, 10, 4.0, 1.0, true, BALANCED_CLASS_CAP, 0.2,
                0.02, 1L);
    }

    /**
     * The recipe for labels that come from a fab (a few hundred to a few thousand real maps):
     * {@link Algorithm#VOTING} over the four learners, balanced classes, the rest as {@link #defaults()}.
     *
     * @param seed seed for the split, the learners and the balanced sampling
     * @return the configuration
     */
    public static FeatureClassifierConfig realDataDefaults(long seed) {
        return defaults().withAlgorithm(Algorithm.VOTING).withSeed(seed);
    }

    /**
     * @param a learner
     * @return a copy using another learner, with that learner's defaults for trees and depth
     *         (random forest and the vote's forest 200 trees depth 20; boosting 150 rounds depth 6 shrinkage
     *         0.1; SVM C=10, sigma=4; logistic lambda as configured)
     */
    public FeatureClassifierConfig withAlgorithm(Algorithm a) {
        return switch (a) {
            case RANDOM_FOREST, VOTING -> new FeatureClassifierConfig(a, 200, 20, 100000, 1, shrinkage, svmC, svmSigma,
                    logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
            case GRADIENT_BOOSTING -> new FeatureClassifierConfig(a, 150, 6, 32, 5, 0.1, svmC, svmSigma,
                    logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
            case SVM -> new FeatureClassifierConfig(a, trees, maxDepth, maxNodes, nodeSize, shrinkage, 10, 4.0,
                    logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
            case LOGISTIC -> new FeatureClassifierConfig(a, trees, maxDepth, maxNodes, nodeSize, shrinkage, svmC,
                    svmSigma, logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
        };
    }

    /**
     * The configuration of one learner of a {@link Algorithm#VOTING} model: its forest uses this
     * configuration's trees, depth, leaves and node size; its boosting 60 rounds of trees of depth 4
     * and 16 leaves at rate 0.2; the SVM and logistic regression their {@link #withAlgorithm}
     * settings; all share the balancing, penalties, split and seed.
     *
     * @param voter one of {@link #VOTERS}
     * @return the learner's configuration
     * @throws IllegalArgumentException if {@code voter} is not one of {@link #VOTERS}
     */
    public FeatureClassifierConfig voter(Algorithm voter) {
        if (!VOTERS.contains(voter)) {
            throw new IllegalArgumentException(voter + " is not a learner of a vote; expected one of " + VOTERS);
        }
        return switch (voter) {
            case RANDOM_FOREST -> new FeatureClassifierConfig(voter, trees, maxDepth, maxNodes, nodeSize, shrinkage, svmC,
                    svmSigma, logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
            // a lighter booster than the stand-alone default (60 rounds of 16-leaf trees at rate 0.2 instead
            // of 150 of 32 leaves at 0.1): in a vote of four it is one voice, and Smile's boosting is by far
            // the slowest learner to fit (a vote is re-fitted when its model file is loaded)
            case GRADIENT_BOOSTING -> new FeatureClassifierConfig(voter, 60, 4, 16, 5, 0.2, svmC, svmSigma,
                    logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
            default -> withAlgorithm(voter);
        };
    }

    /**
     * @param s seed
     * @return a copy with another seed
     */
    public FeatureClassifierConfig withSeed(long s) {
        return new FeatureClassifierConfig(algorithm, trees, maxDepth, maxNodes, nodeSize, shrinkage, svmC, svmSigma,
                logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, s);
    }

    /**
     * @param n trees or boosting rounds
     * @return a copy with another tree count
     */
    public FeatureClassifierConfig withTrees(int n) {
        return new FeatureClassifierConfig(algorithm, n, maxDepth, maxNodes, nodeSize, shrinkage, svmC, svmSigma,
                logisticLambda, balanceClasses, balancedClassCap, validationFraction, falseRejectRate, seed);
    }

    /**
     * @param rate target false-reject rate
     * @return a copy with another false-reject rate
     */
    public FeatureClassifierConfig withFalseRejectRate(double rate) {
        return new FeatureClassifierConfig(algorithm, trees, maxDepth, maxNodes, nodeSize, shrinkage, svmC, svmSigma,
                logisticLambda, balanceClasses, balancedClassCap, validationFraction, rate, seed);
    }

    /** @return the configuration as header entries {@code config.<name>} */
    Map<String, String> toHeader() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("config.algorithm", algorithm.name());
        h.put("config.trees", Integer.toString(trees));
        h.put("config.maxDepth", Integer.toString(maxDepth));
        h.put("config.maxNodes", Integer.toString(maxNodes));
        h.put("config.nodeSize", Integer.toString(nodeSize));
        h.put("config.shrinkage", Double.toString(shrinkage));
        h.put("config.svmC", Double.toString(svmC));
        h.put("config.svmSigma", Double.toString(svmSigma));
        h.put("config.logisticLambda", Double.toString(logisticLambda));
        h.put("config.balanceClasses", Boolean.toString(balanceClasses));
        h.put("config.balancedClassCap", Integer.toString(balancedClassCap));
        h.put("config.validationFraction", Double.toString(validationFraction));
        h.put("config.falseRejectRate", Double.toString(falseRejectRate));
        h.put("config.seed", Long.toString(seed));
        return h;
    }

    /** Parses {@link #toHeader()}; throws IllegalArgumentException naming the bad entry. */
    static FeatureClassifierConfig fromHeader(Map<String, String> h) {
        return new FeatureClassifierConfig(Algorithm.valueOf(get(h, "config.algorithm")),
                Integer.parseInt(get(h, "config.trees")), Integer.parseInt(get(h, "config.maxDepth")),
                Integer.parseInt(get(h, "config.maxNodes")), Integer.parseInt(get(h, "config.nodeSize")),
                Double.parseDouble(get(h, "config.shrinkage")), Double.parseDouble(get(h, "config.svmC")),
                Double.parseDouble(get(h, "config.svmSigma")),
                // absent from files written before logistic regression existed: their learners never used it
                Double.parseDouble(h.getOrDefault("config.logisticLambda", "1.0")), Boolean.parseBoolean(get(h, "config.balanceClasses")),
                // absent from files written before the cap: they were fitted uncapped and re-fit so
                Integer.parseInt(h.getOrDefault("config.balancedClassCap", Integer.toString(Integer.MAX_VALUE))),
                Double.parseDouble(get(h, "config.validationFraction")), Double.parseDouble(get(h, "config.falseRejectRate")),
                Long.parseLong(get(h, "config.seed")));
    }

    private static String get(Map<String, String> h, String k) {
        String v = h.get(k);
        if (v == null) {
            throw new IllegalArgumentException("missing header key '" + k + "'");
        }
        return v;
    }
}
