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
     */
    public record Fold(int fold, int trainSize, int testSize, double macroF1, double accuracy,
                       ConfusionMatrix confusion, double rejectRate, double acceptedAccuracy, double fitSeconds) {
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
                List<String> best = family.predictBest(model, test);
                List<Prediction> preds = model.predictBatch(test.maps());
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
                Fold fr = new Fold(f, train.size(), test.size(), cm.macroF1(), cm.accuracy(), cm,
                        preds.isEmpty() ? 0 : (double) rejected / preds.size(),
                        accepted == 0 ? Double.NaN : (double) acceptedRight / accepted, fitSeconds);
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
