package org.fabai.adc.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.fabai.adc.features.WaferFeatureExtractor;
import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.PlattScaling;
import smile.classification.SVM;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;

/**
 * A fitted Smile learner of the small model, one record per
 * {@link FeatureClassifierConfig.Algorithm}: it maps <em>standardised</em> feature vectors
 * (standardised by {@code FeatureClassifier.Fitted}) to class probabilities. Every fit is deterministic for a given
 * configuration and seed, whatever the number of cores (a model file is re-fitted on load and
 * must reproduce its probabilities). Immutable; thread-safe for prediction.
 */
sealed interface Learner permits Learner.Forest, Learner.Boosting, Learner.Svm, Learner.Logistic, Learner.Vote,
        LearnerParams.StoredForest, LearnerParams.StoredBoosting, LearnerParams.StoredLogistic {

    /**
     * @param z a standardised feature vector
     * @return per-class probabilities, summing to 1
     */
    double[] proba(double[] z);

    /**
     * Fits the configured algorithm.
     *
     * @param z   standardised training features, rows x features
     * @param y   class indices in [0, k)
     * @param k   number of classes
     * @param cfg the configuration
     * @return the fitted learner
     */
    static Learner fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
        return switch (cfg.algorithm()) {
            case RANDOM_FOREST -> Forest.fit(z, y, k, cfg);
            case GRADIENT_BOOSTING -> Boosting.fit(z, y, k, cfg);
            case SVM -> Svm.fit(z, y, k, cfg);
            case LOGISTIC -> Logistic.fit(z, y, k, cfg);
            case VOTING -> Vote.fit(z, y, k, cfg);
        };
    }

    /**
     * Bagged CART trees (Smile's {@link DecisionTree}), their class probabilities averaged.
     *
     * @param trees  the trees
     * @param schema the feature frame's schema (for prediction tuples)
     * @param k      number of classes
     */
    record Forest(DecisionTree[] trees, StructType schema, int k) implements Learner {

        /**
         * Trees built in parallel, each from its own seed: a bootstrap sample drawn with
         * {@link SplittableRandom} and Smile's per-thread random stream (split-feature sampling)
         * reseeded on the thread that builds the tree, so the forest does not depend on thread
         * scheduling. Class weights (balanced classes) multiply the bootstrap counts.
         */
        static Forest fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            int[] counts = Fits.counts(y, k);
            int max = Arrays.stream(counts).max().orElse(1);
            int[] w = new int[k];
            for (int c = 0; c < k; c++) {
                w[c] = cfg.balanceClasses() && counts[c] > 0 ? Math.max(1, (int) Math.round((double) max / counts[c])) : 1;
            }
            DataFrame xdf = DataFrame.of(z, Fits.names());
            int n = y.length;
            int d = xdf.ncol();
            int mtry = Math.max(1, (int) Math.floor(Math.sqrt(d)));
            int[][] order = smile.base.cart.CART.order(xdf);
            StructField response = new StructField("label", DataTypes.IntegerType, new NominalScale(Fits.classLabels(k)));
            SplittableRandom r = new SplittableRandom(cfg.seed());
            long[] seeds = new long[cfg.trees()];
            for (int t = 0; t < seeds.length; t++) {
                seeds[t] = (r.nextLong() >>> 2) + 2;
            }
            List<Callable<DecisionTree>> jobs = new ArrayList<>();
            for (long seed : seeds) {
                jobs.add(() -> {
                    SplittableRandom br = new SplittableRandom(seed);
                    int[] samples = new int[n];
                    for (int i = 0; i < n; i++) {
                        samples[br.nextInt(n)]++;
                    }
                    for (int i = 0; i < n; i++) {
                        samples[i] *= w[y[i]];
                    }
                    MathEx.setSeed(seed);
                    return new DecisionTree(xdf, y, response, k, SplitRule.GINI, cfg.maxDepth(), cfg.maxNodes(),
                            cfg.nodeSize(), mtry, samples, order);
                });
            }
            return new Forest(Fits.runParallel(jobs).toArray(new DecisionTree[0]), xdf.schema(), k);
        }

        @Override
        public double[] proba(double[] z) {
            Tuple t = Tuple.of(z, schema);
            double[] p = new double[k];
            double[] q = new double[k];
            for (DecisionTree tree : trees) {
                tree.predict(t, q);
                for (int c = 0; c < k; c++) {
                    p[c] += q[c];
                }
            }
            for (int c = 0; c < k; c++) {
                p[c] /= trees.length;
            }
            return p;
        }
    }

    /**
     * Smile's gradient tree boosting.
     *
     * @param model  the boosted trees
     * @param schema the feature frame's schema
     * @param k      number of classes
     */
    record Boosting(GradientTreeBoost model, StructType schema, int k) implements Learner {

        /**
         * Fitted on one worker thread: Smile's per-thread random stream (subsampling) is seeded
         * there and any parallel stream inside the fit runs on that same worker, so the model does
         * not depend on the machine's core count. Balanced classes by {@link Fits#balancedSample}.
         */
        static Boosting fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            Fits.Sample s = Fits.sample(z, y, k, cfg);
            DataFrame df = DataFrame.of(s.z(), Fits.names()).merge(IntVector.of("label", s.y()));
            ForkJoinPool one = new ForkJoinPool(1);
            GradientTreeBoost g;
            try {
                g = one.submit(() -> {
                    MathEx.setSeed(cfg.seed());
                    return GradientTreeBoost.fit(Formula.lhs("label"), df, cfg.trees(), cfg.maxDepth(),
                            cfg.maxNodes(), cfg.nodeSize(), cfg.shrinkage(), 0.7);
                }).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fitting gradient boosting", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("fitting gradient boosting failed: " + e.getCause(), e.getCause());
            } finally {
                one.shutdownNow();
            }
            return new Boosting(g, DataFrame.of(s.z(), Fits.names()).schema(), k);
        }

        @Override
        public double[] proba(double[] z) {
            double[] p = new double[k];
            model.predict(Tuple.of(z, schema), p);
            return p;
        }
    }

    /**
     * One-versus-rest RBF SVMs, each Platt-scaled on its training scores, normalised to sum to 1.
     *
     * @param machines one binary SVM per class
     * @param platt    its Platt scaling
     */
    record Svm(SVM<double[]>[] machines, PlattScaling[] platt) implements Learner {

        /** Each binary SVM fitted on its own thread with its own seed; balanced classes by {@link Fits#balancedSample}. */
        static Svm fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            Fits.Sample s = Fits.sample(z, y, k, cfg);
            double[][] zz = s.z();
            int[] yy = s.y();
            GaussianKernel kernel = new GaussianKernel(cfg.svmSigma());
            double c = cfg.svmC();
            List<Callable<Object[]>> jobs = new ArrayList<>();
            for (int cl = 0; cl < k; cl++) {
                final int target = cl;
                jobs.add(() -> {
                    int[] yb = new int[yy.length];
                    for (int i = 0; i < yy.length; i++) {
                        yb[i] = yy[i] == target ? 1 : -1;
                    }
                    MathEx.setSeed(cfg.seed() + 7919L * (target + 1));
                    SVM<double[]> svm = SVM.fit(zz, yb, kernel, c, 1e-3);
                    double[] scores = new double[zz.length];
                    for (int i = 0; i < zz.length; i++) {
                        scores[i] = svm.score(zz[i]);
                    }
                    return new Object[] {svm, PlattScaling.fit(scores, yb)};
                });
            }
            List<Object[]> done = Fits.runParallel(jobs);
            @SuppressWarnings({"unchecked", "rawtypes"})
            SVM<double[]>[] svms = new SVM[k];
            PlattScaling[] platt = new PlattScaling[k];
            for (int cl = 0; cl < k; cl++) {
                @SuppressWarnings("unchecked")
                SVM<double[]> svm = (SVM<double[]>) done.get(cl)[0];
                svms[cl] = svm;
                platt[cl] = (PlattScaling) done.get(cl)[1];
            }
            return new Svm(svms, platt);
        }

        @Override
        public double[] proba(double[] z) {
            int k = machines.length;
            double[] p = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[c] = platt[c].scale(machines[c].score(z));
                sum += p[c];
            }
            for (int c = 0; c < k; c++) {
                p[c] = sum > 0 ? p[c] / sum : 1.0 / k;
            }
            return p;
        }
    }

    /**
     * Smile's (multinomial, or binomial for two classes) logistic regression.
     *
     * @param model the regression
     * @param k     number of classes
     */
    record Logistic(LogisticRegression model, int k) implements Learner {

        /**
         * L-BFGS to a relative tolerance of 1e-5 within 500 iterations; on real maps it often stops
         * at 500 (early stopping is a mild extra penalty; the result stays deterministic). Balanced
         * by {@link Fits#balancedSample}.
         */
        static Logistic fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            Fits.Sample s = Fits.sample(z, y, k, cfg);
            LogisticRegression lr = k == 2
                    ? LogisticRegression.binomial(s.z(), s.y(), cfg.logisticLambda(), 1e-5, 500)
                    : LogisticRegression.multinomial(s.z(), s.y(), cfg.logisticLambda(), 1e-5, 500);
            return new Logistic(lr, k);
        }

        @Override
        public double[] proba(double[] z) {
            double[] p = new double[k];
            model.predict(z, p);
            return p;
        }
    }

    /**
     * A soft vote: the mean of its members' probabilities.
     *
     * @param members one learner per {@link FeatureClassifierConfig#VOTERS voter}
     * @param k       number of classes
     */
    record Vote(List<Learner> members, int k) implements Learner {

        /** Copies. */
        public Vote {
            members = List.copyOf(members);
        }

        /** Each voter fitted with {@link FeatureClassifierConfig#voter}'s configuration. */
        static Vote fit(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            List<Learner> ms = new ArrayList<>();
            for (FeatureClassifierConfig.Algorithm a : FeatureClassifierConfig.VOTERS) {
                ms.add(Learner.fit(z, y, k, cfg.voter(a)));
            }
            return new Vote(ms, k);
        }

        @Override
        public double[] proba(double[] z) {
            double[] p = new double[k];
            for (Learner m : members) {
                double[] q = m.proba(z);
                for (int c = 0; c < k; c++) {
                    p[c] += q[c] / members.size();
                }
            }
            return p;
        }
    }

    /** What the learners' fits share. */
    final class Fits {

        /** Training rows after optional balanced sampling. */
        record Sample(double[][] z, int[] y) {
        }

        private Fits() {
        }

        static String[] names() {
            return WaferFeatureExtractor.featureNames().toArray(new String[0]);
        }

        static int[] counts(int[] y, int k) {
            int[] counts = new int[k];
            for (int v : y) {
                counts[v]++;
            }
            return counts;
        }

        /**
         * The rows as given, or (balanced classes) {@link #balancedSample} of them with
         * {@link FeatureClassifierConfig#balancedClassCap} rows per class at most. The forest weights
         * its bootstrap instead and sees every row.
         */
        static Sample sample(double[][] z, int[] y, int k, FeatureClassifierConfig cfg) {
            int[] order = cfg.balanceClasses() ? balancedSample(y, k, cfg.balancedClassCap(), cfg.seed()) : identity(y.length);
            double[][] zz = new double[order.length][];
            int[] yy = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                zz[i] = z[order[i]];
                yy[i] = y[order[i]];
            }
            return new Sample(zz, yy);
        }

        /** Runs jobs on a private pool (one thread per processor); results in job order. */
        static <T> List<T> runParallel(List<Callable<T>> jobs) {
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), jobs.size()));
            ExecutorService pool = Executors.newFixedThreadPool(threads, run -> {
                Thread th = new Thread(run, "fabai-fit");
                th.setDaemon(true);
                return th;
            });
            try {
                List<Future<T>> futures = new ArrayList<>();
                for (Callable<T> j : jobs) {
                    futures.add(pool.submit(j));
                }
                List<T> out = new ArrayList<>(jobs.size());
                for (Future<T> f : futures) {
                    out.add(f.get());
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fitting", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("fitting failed: " + c, c);
            } finally {
                pool.shutdownNow();
            }
        }

        static String[] classLabels(int k) {
            String[] s = new String[k];
            for (int c = 0; c < k; c++) {
                s[c] = Integer.toString(c);
            }
            return s;
        }

        private static int[] identity(int n) {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = i;
            }
            return o;
        }

        /**
         * Balanced sampling: every class brought to the same number of rows, the largest class's
         * count or {@code cap}, whichever is smaller. A class below that number keeps every row once
         * plus random repeats; a class above it (the {@code none} maps of a fab's natural mix, where
         * 85 % of the labelled maps can be {@code none}) gives a random subset without repeats
         * ({@link FeatureClassifierConfig#BALANCED_CLASS_CAP} says why). Below the cap (every class of
         * a few thousand labelled maps) the rows are the ones an uncapped oversampling draws, in the
         * same order.
         *
         * @param y    class indices
         * @param k    number of classes
         * @param cap  the most rows a class gets, at least 1
         * @param seed seed of the repeats and subsets
         * @return row indices, class by class
         */
        static int[] balancedSample(int[] y, int k, int cap, long seed) {
            List<List<Integer>> by = ClassCap.byClass(identity(y.length), y, k);
            int max = 0;
            for (List<Integer> l : by) {
                max = Math.max(max, l.size());
            }
            int target = Math.min(max, cap);
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Integer> out = new ArrayList<>();
            for (List<Integer> l : by) {
                if (l.size() > target) {
                    out.addAll(ClassCap.randomSubset(l, target, r));
                    continue;
                }
                out.addAll(l);
                for (int extra = l.size(); extra < target && !l.isEmpty(); extra++) {
                    out.add(l.get(r.nextInt(l.size())));
                }
            }
            int[] o = new int[out.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = out.get(i);
            }
            return o;
        }
    }
}
