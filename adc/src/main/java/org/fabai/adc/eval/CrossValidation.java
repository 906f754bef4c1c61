package org.fabai.adc.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group-wise K-fold cross-validation: every map of a group (a lot) lands in the same fold, so a
 * model is always scored on lots it never saw. Wafers of one lot look alike; a split by map lets a
 * model recognise the lot instead of the pattern and reports figures a fab never gets.
 *
 * <h2>The fold rule</h2>
 * Reproducible from any language (the PyTorch peer in {@code benchmarks/peers/} uses it): each
 * distinct group name gets the key {@code CRC-32(UTF-8 bytes of seed + ":" + name)}; groups are
 * visited by key (ties by name) and each goes to the fold that holds the fewest maps so far (ties:
 * the lowest fold number). Maps without a group (an empty lot name) form a group of their own,
 * named {@code "#" + index}.
 *
 * <p>Stateless and thread-safe; {@link #run} calls the model family from one thread.
 */
public final class CrossValidation {

    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);

    private CrossValidation() {
    }

    /**
     * @param folds number of folds K, in [2, 100]
     * @param seed  seed of the fold assignment and of every fit (fold f fits with {@code seed + f})
     */
    public record Config(int folds, long seed) {
        /** Validates. */
        public Config {
            if (folds < 2 || folds > 100) {
                throw new IllegalArgumentException("folds must be in [2, 100], got " + folds);
            }
        }
    }

    /**
     * One fold's scores on its held-out groups.
     *
     * @param fold       fold number, from 0
     * @param trainSize  maps trained on
     * @param testSize   maps scored
     * @param macroF1    macro-F1 of the best class (reject rule ignored)
     * @param accuracy   accuracy of the best class
     * @param confusion  confusion matrix of the best class
     * @param rejectRate share of test maps the model's own reject rule calls unknown
     * @param acceptedAccuracy accuracy on the maps it accepts (NaN when it accepts none)
     * @param fitSeconds wall time of the fit
     * @param truth      the held-out maps' labels, in order
     * @param classNames the model's classes, the columns of {@code probabilities}
     * @param probabilities per held-out map, the model's class probabilities
     * @param threshold  the model's reject threshold on the top probability
     */
    public record Fold(int fold, int trainSize, int testSize, double macroF1, double accuracy,
                       ConfusionMatrix confusion, double rejectRate, double acceptedAccuracy, double fitSeconds,
                       List<String> truth, List<String> classNames, double[][] probabilities, double threshold) {
    }

    /**
     * The folds of one model family.
     *
     * @param family name of the family
     * @param folds  per fold
     * @param pooled confusion matrix over all held-out maps
     */
    public record Result(String family, List<Fold> folds, ConfusionMatrix pooled) {
        /** Copies. */
        public Result {
            folds = List.copyOf(folds);
        }

        /** @return mean macro-F1 over the folds */
        public double meanMacroF1() {
            return folds.stream().mapToDouble(Fold::macroF1).average().orElse(Double.NaN);
        }

        /** @return sample standard deviation of the folds' macro-F1 */
        public double stdMacroF1() {
            double m = meanMacroF1();
            double ss = 0;
            for (Fold f : folds) {
                ss += (f.macroF1() - m) * (f.macroF1() - m);
            }
            return folds.size() < 2 ? 0 : Math.sqrt(ss / (folds.size() - 1));
        }

        /** @return mean accuracy over the folds */
        public double meanAccuracy() {
            return folds.stream().mapToDouble(Fold::accuracy).average().orElse(Double.NaN);
        }

        /** @return a few lines: per fold, mean and spread, per-class F1 of the pooled matrix */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%s: macro-F1 %.4f +- %.4f (mean +- sd over %d lot-grouped folds),"
                    + " accuracy %.4f%n", family, meanMacroF1(), stdMacroF1(), folds.size(), meanAccuracy()));
            for (Fold f : folds) {
                sb.append(String.format(Locale.ROOT, "  fold %d: train %d, test %d, macro-F1 %.4f, accuracy %.4f,"
                        + " reject %.3f (accuracy on accepted %.4f), fit %.1f s%n", f.fold(), f.trainSize(),
                        f.testSize(), f.macroF1(), f.accuracy(), f.rejectRate(), f.acceptedAccuracy(), f.fitSeconds()));
            }
            sb.append("  pooled per-class F1:");
            for (ConfusionMatrix.ClassMetrics c : pooled.perClass()) {
                sb.append(String.format(Locale.ROOT, " %s %.3f", c.className(), c.f1()));
            }
            return sb.append(String.format(Locale.ROOT, "%n")).toString();
        }
    }

    /**
     * @param groups per map, its group (lot name); empty: a group of its own
     * @param k      number of folds
     * @param seed   seed of the assignment
     * @return per map, its fold in [0, k)
     */
    public static int[] groupFolds(List<String> groups, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("folds must be at least 2, got " + k);
        }
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i) == null || groups.get(i).isEmpty() ? "#" + i : groups.get(i);
            members.computeIfAbsent(g, x -> new ArrayList<>()).add(i);
        }
        if (members.size() < k) {
            throw new IllegalArgumentException(k + " folds need at least " + k + " groups; the maps have "
                    + members.size());
        }
        List<String> order = new ArrayList<>(members.keySet());
        Map<String, Long> key = new LinkedHashMap<>();
        for (String g : order) {
            CRC32 crc = new CRC32();
            crc.update((seed + ":" + g).getBytes(StandardCharsets.UTF_8));
            key.put(g, crc.getValue());
        }
        order.sort(Comparator.<String>comparingLong(key::get).thenComparing(Comparator.naturalOrder()));
        int[] fold = new int[groups.size()];
        int[] load = new int[k];
        for (String g : order) {
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (load[f] < load[best]) {
                    best = f;
                }
            }
            for (int i : members.get(g)) {
                fold[i] = best;
            }
            load[best] += members.get(g).size();
        }
        return fold;
    }

    /**
     * The cross-validation of an equal-weight ensemble of families already cross-validated on the
     * same folds (same maps, same fold rule and seed): per fold, the mean of the members' held-out
     * probabilities, exactly what an {@code EnsembleFamily} of the same fitted members predicts,
     * without fitting them again; the reject threshold is the mean of the members' thresholds, as in
     * {@code EnsembleClassifier}.
     *
     * @param name    display name
     * @param members results of {@link #run} on the same data and folds
     * @return the ensemble's result
     */
    public static Result ensemble(String name, List<Result> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member result");
        }
        Result first = members.get(0);
        List<String> classes = first.pooled().classes();
        List<Fold> out = new ArrayList<>();
        List<String> allTruth = new ArrayList<>();
        List<String> allPred = new ArrayList<>();
        for (int f = 0; f < first.folds().size(); f++) {
            Fold base = first.folds().get(f);
            int n = base.testSize();
            double[][] mean = new double[n][classes.size()];
            double threshold = 0;
            double fitSeconds = 0;
            for (Result r : members) {
                Fold mf = r.folds().get(f);
                if (!mf.truth().equals(base.truth())) {
                    throw new IllegalArgumentException(r.family() + " fold " + f + " holds other maps than "
                            + first.family() + "'s; cross-validate the members on the same folds");
                }
                for (int c = 0; c < classes.size(); c++) {
                    int col = mf.classNames().indexOf(classes.get(c));
                    if (col < 0) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        mean[i][c] += mf.probabilities()[i][col] / members.size();
                    }
                }
                threshold += mf.threshold() / members.size();
                fitSeconds += mf.fitSeconds();
            }
            List<String> best = new ArrayList<>(n);
            int rejected = 0;
            int acceptedRight = 0;
            for (int i = 0; i < n; i++) {
                int b = 0;
                for (int c = 1; c < classes.size(); c++) {
                    if (mean[i][c] > mean[i][b]) {
                        b = c;
                    }
                }
                best.add(classes.get(b));
                if (mean[i][b] < threshold) {
                    rejected++;
                } else if (classes.get(b).equals(base.truth().get(i))) {
                    acceptedRight++;
                }
            }
            ConfusionMatrix cm = ConfusionMatrix.of(classes, base.truth(), best);
            int accepted = n - rejected;
            out.add(new Fold(f, base.trainSize(), n, cm.macroF1(), cm.accuracy(), cm, n == 0 ? 0 : (double) rejected / n,
                    accepted == 0 ? Double.NaN : (double) acceptedRight / accepted, fitSeconds, base.truth(), classes,
                    mean, threshold));
            allTruth.addAll(base.truth());
            allPred.addAll(best);
        }
        return new Result(name, out, ConfusionMatrix.of(classes, allTruth, allPred));
    }

    /**
     * A fingerprint of a fold assignment, to check that two tools split alike: the lowercase hex
     * SHA-256 of the UTF-8 text of the folds in map order joined by commas ({@code "0,3,1,..."}).
     *
     * @param folds per map, its fold
     * @return 64 hex digits
     */
    public static String foldHash(int[] folds) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < folds.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(folds[i]);
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Fits the family on K-1 folds and scores it on the held-out fold, K times.
     *
     * @param family the model family
     * @param data   labelled maps
     * @param groups per map, its group (lot name)
     * @param config folds and seed
     * @return per-fold and pooled scores
     */
    public static Result run(ModelFamily family, LabelledMaps data, List<String> groups, Config config) {
        if (groups.size() != data.size()) {
            throw new IllegalArgumentException("groups has " + groups.size() + " entries, data " + data.size());
        }
        int[] fold = groupFolds(groups, config.folds(), config.seed());
        List<Fold> out = new ArrayList<>();
        List<String> allTruth = new ArrayList<>();
        List<String> allPred = new ArrayList<>();
        for (int f = 0; f < config.folds(); f++) {
            List<Integer> tr = new ArrayList<>();
            List<Integer> te = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                (fold[i] == f ? te : tr).add(i);
            }
            LabelledMaps train = data.subset(tr.stream().mapToInt(Integer::intValue).toArray());
            LabelledMaps test = data.subset(te.stream().mapToInt(Integer::intValue).toArray());
            long t0 = System.nanoTime();
            try (WaferMapClassifier model = family.fit(train, config.seed() + f)) {
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                // one inference pass serves the scores (best class) and the reject statistics
                List<Prediction> preds = model.predictBatch(test.maps());
                List<String> best = new ArrayList<>(preds.size());
                for (Prediction p : preds) {
                    best.add(p.bestClass());
                }
                ConfusionMatrix cm = ConfusionMatrix.of(data.classes(), test.labels(), best);
                int rejected = 0;
                int acceptedRight = 0;
                for (int i = 0; i < preds.size(); i++) {
                    if (preds.get(i).isUnknown()) {
                        rejected++;
                    } else if (preds.get(i).bestClass().equals(test.labels().get(i))) {
                        acceptedRight++;
                    }
                }
                int accepted = preds.size() - rejected;
                double[][] probs = new double[preds.size()][];
                for (int i = 0; i < probs.length; i++) {
                    probs[i] = preds.get(i).probabilities().clone();
                }
                Fold fr = new Fold(f, train.size(), test.size(), cm.macroF1(), cm.accuracy(), cm,
                        preds.isEmpty() ? 0 : (double) rejected / preds.size(),
                        accepted == 0 ? Double.NaN : (double) acceptedRight / accepted, fitSeconds,
                        List.copyOf(test.labels()), List.copyOf(model.classNames()), probs,
                        model.rejectThreshold());
                LOG.info(String.format(Locale.ROOT, "%s fold %d/%d: macro-F1 %.4f accuracy %.4f (train %d, test %d,"
                        + " fit %.1f s)", family.name(), f + 1, config.folds(), fr.macroF1(), fr.accuracy(),
                        train.size(), test.size(), fitSeconds));
                out.add(fr);
                allTruth.addAll(test.labels());
                allPred.addAll(best);
            }
        }
        return new Result(family.name(), out, ConfusionMatrix.of(data.classes(), allTruth, allPred));
    }
}
