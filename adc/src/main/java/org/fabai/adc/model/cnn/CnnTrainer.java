package org.fabai.adc.model.cnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.model.ClassCap;
import org.fabai.adc.model.UnknownThreshold;
import org.fabai.adc.model.ValidationSplit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: stratified split, per-epoch shuffling and dihedral augmentation, early
 * stopping on validation macro-F1, and calibration of the reject and label thresholds. Not
 * thread-safe; one instance trains one network.
 *
 * <p>An epoch holds every training map of a class of up to {@link #EPOCH_CLASS_CAP} maps; a
 * larger class (single-label) gives a fresh random {@code EPOCH_CLASS_CAP} of its maps each epoch,
 * and the class weights are those of an epoch's counts. A fab's natural mix is 85 % {@code none}:
 * without the cap an epoch over WM-811K's 172,950 labelled maps would pass over 147,000
 * {@code none} maps: the training passes of 30 epochs would take about six hours on two CPU cores
 * (about 5 ms a map) instead of about half an hour. Below the cap (every class of a few thousand
 * labelled maps) epochs and weights are unchanged.
 */
final class CnnTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(CnnTrainer.class);
    private static final int EVAL_BATCH = 256;
    /** The most maps of one class in an epoch (single-label): {@link ClassCap#DEFAULT}, as the small model's. */
    static final int EPOCH_CLASS_CAP = ClassCap.DEFAULT;

    /** What training produced. */
    record Result(ComputationGraph net, UnknownThreshold unknown, float[] labelThresholds,
                  Map<String, String> metrics) {
    }

    private final CnnConfig cfg;
    private final int k;
    private final boolean multiLabel;
    private final int n;
    private final int plane;
    private final float smoothing;

    CnnTrainer(CnnConfig cfg, int k, boolean multiLabel) {
        this.cfg = cfg;
        this.k = k;
        this.multiLabel = multiLabel;
        this.n = cfg.inputSize();
        this.plane = n * n;
        this.smoothing = multiLabel ? 0f : (float) cfg.labelSmoothing();
    }

    /**
     * @param codes   per map, the N x N state codes, row-major
     * @param targets per map, one-hot (single-label) or multi-hot (multi-label) targets
     * @param strata  per map, the stratum used for the validation split
     */
    Result train(byte[][] codes, float[][] targets, int[] strata) {
        return train(codes, targets, strata, null, null, false);
    }

    /**
     * @param codes      per map, the N x N state codes, row-major
     * @param targets    per map, one-hot (single-label) or multi-hot (multi-label) targets
     * @param strata     per map, the stratum used for the validation split (single-label: the class)
     * @param lots       per map its lot id (null or empty when unknown), or null: single-label
     *                   training with enough named lots holds out whole lots
     *                   ({@link ValidationSplit#byLots}), otherwise a stratified share of the maps
     * @param init       a trained network of the same architecture whose weights start this run
     *                   (fine-tuning), or null for a fresh initialisation
     * @param keepOutput with {@code init}: also start from its output layer (same classes, same order);
     *                   otherwise the output layer starts fresh
     */
    Result train(byte[][] codes, float[][] targets, int[] strata, String[] lots, ComputationGraph init,
                 boolean keepOutput) {
        long t0 = System.nanoTime();
        Random rnd = new Random(cfg.seed());
        int[][] split = lots == null || multiLabel ? null : lotSplit(strata, lots);
        boolean byLots = split != null;
        if (split == null) {
            split = split(strata, rnd);
        }
        int[] train = split[0];
        int[] val = split[1];
        if (train.length == 0 || val.length == 0) {
            throw new IllegalArgumentException("need at least 2 maps per class to split off a validation set; got "
                    + codes.length + " maps");
        }
        int[] classOf = multiLabel ? null : truth(targets, train);
        boolean capped = classOf != null && largestClass(classOf, k) > EPOCH_CLASS_CAP;
        float[] weights = cfg.classWeighted() && !multiLabel ? classWeights(classOf) : null;
        Nd4j.getRandom().setSeed(cfg.seed());
        ComputationGraph net = CnnNetworks.build(cfg, k, multiLabel, weights);
        if (init != null) {
            copyPretrained(net, init, keepOutput);
        }
        LOG.info("training {} CNN ({} params) on {} maps, validating on {}, input {}x{}, {} {}; {}",
                cfg.architecture(), net.numParams(), train.length, val.length, n, n, k,
                multiLabel ? "labels" : "classes", Dl4jBackend.describe());
        if (capped) {
            LOG.info("an epoch takes at most {} maps of a class: {} of the {} training maps, a fresh draw each epoch",
                    EPOCH_CLASS_CAP, epochSize(classOf, k, EPOCH_CLASS_CAP), train.length);
        }

        double best = -1;
        int bestEpoch = 0;
        INDArray bestParams = null;
        int epochsRun = 0;
        float[] half = new float[k];
        Arrays.fill(half, 0.5f);
        // one session for the run: the swapped activations must be back before the model is kept
        try (Dl4jBackend.Training session = Dl4jBackend.trainingSession(net)) {
            LOG.debug("{} training-session changes (oneDNN ReLU backprop, BLAS threads)", session.changes());
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                epochsRun = epoch;
                int[] epochMaps = capped ? epochSample(train, classOf, k, EPOCH_CLASS_CAP, rnd) : train;
                double loss = fitEpoch(net, epoch, epochMaps, codes, targets, rnd);
                float[][] vp = predict(net, codes, val);
                double score = multiLabel ? Scores.meanLabelF1(vp, pick(targets, val), half)
                        : Scores.macroF1(truth(targets, val), argmax(vp), k);
                boolean improved = score > best + 1e-9;
                if (improved) {
                    best = score;
                    bestEpoch = epoch;
                    bestParams = net.params().dup();
                }
                LOG.info(String.format(Locale.ROOT, "epoch %d/%d loss %.4f validation macro-F1 %.4f%s elapsed %.1f s",
                        epoch, cfg.epochs(), loss, score, improved ? " (best)" : "",
                        (System.nanoTime() - t0) / 1e9));
                if (epoch - bestEpoch >= cfg.patience()) {
                    LOG.info("early stop after epoch {}: no better validation macro-F1 for {} epochs "
                            + "(best {} at epoch {})",
                            epoch, cfg.patience(), String.format(Locale.ROOT, "%.4f", best), bestEpoch);
                    break;
                }
            }
        }
        net.setParams(bestParams);
        Result r = calibrate(net, codes, targets, train.length, val, byLots, epochsRun, bestEpoch, t0);
        if (capped) {
            r.metrics().put("epochs.classCap", Integer.toString(EPOCH_CLASS_CAP));
            r.metrics().put("epochs.maps", Integer.toString(epochSize(classOf, k, EPOCH_CLASS_CAP)));
        }
        return r;
    }

    /** @return the number of maps of the largest class */
    private static int largestClass(int[] classOf, int k) {
        return Arrays.stream(counts(classOf, k)).max().orElse(0);
    }

    private static int[] counts(int[] classOf, int k) {
        int[] count = new int[k];
        for (int c : classOf) {
            count[c]++;
        }
        return count;
    }

    /** @return the maps of an epoch: every class's count, capped */
    static int epochSize(int[] classOf, int k, int cap) {
        int total = 0;
        for (int c : counts(classOf, k)) {
            total += Math.min(c, cap);
        }
        return total;
    }

    /**
     * The maps of one epoch: every map of a class of up to {@code cap} maps, a uniform random
     * {@code cap} of a larger one ({@link ClassCap#randomSubset}), class by class before the
     * epoch's shuffle.
     *
     * @param train   training map indices
     * @param classOf the class of each training map, parallel to {@code train}
     * @param k       number of classes
     * @param cap     the most maps of a class
     * @param rnd     the run's random stream
     * @return map indices
     */
    static int[] epochSample(int[] train, int[] classOf, int k, int cap, Random rnd) {
        int[] out = new int[epochSize(classOf, k, cap)];
        int o = 0;
        for (List<Integer> members : ClassCap.byClass(train, classOf, k)) {
            for (int m : ClassCap.randomSubset(members, cap, rnd)) {
                out[o++] = m;
            }
        }
        return out;
    }

    /** Starts {@code net} from the matching layers of {@code init} (its output layer too with {@code keepOutput}). */
    private static void copyPretrained(ComputationGraph net, ComputationGraph init, boolean keepOutput) {
        int copied = 0;
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (CnnNetworks.OUTPUT.equals(name) && !keepOutput) {
                continue;
            }
            Layer from = init.getLayer(name);
            if (from == null || from.numParams() != layer.numParams()) {
                throw new IllegalArgumentException("the pretrained network does not match layer '" + name
                        + "' of this configuration (" + (from == null ? "missing" : from.numParams() + " params")
                        + " against " + layer.numParams() + "); pretrain with the same architecture, width and"
                        + " input size");
            }
            if (layer.numParams() > 0) {
                layer.setParams(from.params().dup());
                copied++;
            }
        }
        LOG.info("fine-tuning from a pretrained network: {} layers copied{}", copied,
                keepOutput ? " (output layer included)" : " (output layer fresh)");
    }

    /**
     * One epoch: the learning rate of its place on the half-cosine, the training maps in a new
     * order, each drawn under a random rotation/flip (with augmentation) in minibatches.
     *
     * @return the mean training loss
     */
    private double fitEpoch(ComputationGraph net, int epoch, int[] train, byte[][] codes, float[][] targets, Random rnd) {
        // train: this epoch's maps (the training maps, or a capped draw of them)
        // half-cosine decay of the learning rate over the epoch budget, to a tenth at the end
        double lr = cfg.learningRate()
                * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / cfg.epochs())));
        net.setLearningRate(lr);
        int[] order = train.clone();
        shuffle(order, rnd);
        double lossSum = 0;
        for (int from = 0; from < order.length; from += cfg.batchSize()) {
            int b = Math.min(cfg.batchSize(), order.length - from);
            float[] x = new float[b * 3 * plane];
            float[] y = new float[b * k];
            for (int i = 0; i < b; i++) {
                int idx = order[from + i];
                int t = cfg.augment() ? rnd.nextInt(8) : 0;
                fillOneHot(codes[idx], t, x, i * 3 * plane);
                System.arraycopy(targets[idx], 0, y, i * k, k);
                if (smoothing > 0) {
                    for (int c = 0; c < k; c++) {
                        y[i * k + c] = y[i * k + c] * (1f - smoothing) + smoothing / k;
                    }
                }
            }
            INDArray fx = Nd4j.create(x, new long[] {b, 3, n, n}, 'c');
            INDArray fy = Nd4j.create(y, new long[] {b, k}, 'c');
            net.fit(new INDArray[] {fx}, new INDArray[] {fy});
            lossSum += net.score() * b;
        }
        return lossSum / order.length;
    }

    /**
     * After training: the metrics on the validation maps and, from them, the reject threshold
     * (single-label) or the per-label thresholds (multi-label).
     */
    private Result calibrate(ComputationGraph net, byte[][] codes, float[][] targets, int trainMaps, int[] val,
                             boolean byLots, int epochsRun, int bestEpoch, long t0) {
        float[][] vp = predict(net, codes, val);
        float[][] vt = pick(targets, val);
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("train.maps", Integer.toString(trainMaps));
        metrics.put("validation.maps", Integer.toString(val.length));
        metrics.put("validation.split", byLots ? "lots" : "maps");
        metrics.put("epochs.run", Integer.toString(epochsRun));
        metrics.put("epochs.best", Integer.toString(bestEpoch));
        metrics.put("train.backend", Dl4jBackend.describe());
        UnknownThreshold unknown = UnknownThreshold.none();
        float[] labelThresholds = null;
        if (multiLabel) {
            labelThresholds = tuneThresholds(vp, vt);
            metrics.put("validation.meanLabelF1", fmt(Scores.meanLabelF1(vp, vt, labelThresholds)));
            metrics.put("validation.exactMatch", fmt(Scores.exactMatch(vp, vt, labelThresholds)));
        } else {
            int[] tr = truth(targets, val);
            int[] pr = argmax(vp);
            metrics.put("validation.macroF1", fmt(Scores.macroF1(tr, pr, k)));
            metrics.put("validation.accuracy", fmt(Scores.accuracy(tr, pr)));
            double[] top = new double[vp.length];
            for (int i = 0; i < vp.length; i++) {
                top[i] = Math.min(1.0, vp[i][Scores.argmax(vp[i])]);
            }
            unknown = UnknownThreshold.calibrate(top, cfg.unknownQuantile());
        }
        metrics.put("train.seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return new Result(net, unknown, labelThresholds, metrics);
    }

    private float[] tuneThresholds(float[][] vp, float[][] vt) {
        float[] th = new float[k];
        for (int l = 0; l < k; l++) {
            double bestF = -1;
            float bestT = 0.5f;
            for (int s = 1; s <= 19; s++) {
                float t = s * 0.05f;
                double f = Scores.labelF1(vp, vt, l, t);
                if (f > bestF + 1e-12 || (Math.abs(f - bestF) <= 1e-12 && Math.abs(t - 0.5f) < Math.abs(bestT - 0.5f))) {
                    bestF = f;
                    bestT = t;
                }
            }
            th[l] = bestT;
        }
        return th;
    }

    /** Outputs for the maps at {@code idx}; averaged over the eight symmetries with test-time augmentation. */
    float[][] predict(ComputationGraph net, byte[][] codes, int[] idx) {
        float[][] out = new float[idx.length][];
        int views = cfg.testTimeAugment() ? 8 : 1;
        for (int from = 0; from < idx.length; from += EVAL_BATCH) {
            int b = Math.min(EVAL_BATCH, idx.length - from);
            float[] x = new float[b * 3 * plane];
            for (int t = 0; t < views; t++) {
                for (int i = 0; i < b; i++) {
                    fillOneHot(codes[idx[from + i]], t, x, i * 3 * plane);
                }
                float[][] p = net.outputSingle(false, Nd4j.create(x, new long[] {b, 3, n, n}, 'c')).toFloatMatrix();
                for (int i = 0; i < b; i++) {
                    if (t == 0) {
                        out[from + i] = p[i];
                    } else {
                        for (int c = 0; c < k; c++) {
                            out[from + i][c] += p[i][c];
                        }
                    }
                }
            }
            if (views > 1) {
                for (int i = 0; i < b; i++) {
                    for (int c = 0; c < k; c++) {
                        out[from + i][c] /= views;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Writes the one-hot planes of a map under one of the eight symmetries of the square
     * ({@code t & 3}: quarter turns, {@code t & 4}: mirror).
     */
    void fillOneHot(byte[] codes, int t, float[] dst, int off) {
        Arrays.fill(dst, off, off + 3 * plane, 0f);
        int q = t & 3;
        boolean mirror = (t & 4) != 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                int cc = mirror ? n - 1 - c : c;
                int sr;
                int sc;
                switch (q) {
                    case 0 -> { sr = r; sc = cc; }
                    case 1 -> { sr = n - 1 - cc; sc = r; }
                    case 2 -> { sr = n - 1 - r; sc = n - 1 - cc; }
                    default -> { sr = cc; sc = n - 1 - r; }
                }
                dst[off + codes[sr * n + sc] * plane + r * n + c] = 1f;
            }
        }
    }

    private int[][] lotSplit(int[] classes, String[] lots) {
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        if (!ValidationSplit.byLots(classes, k, lots, cfg.validationFraction(), cfg.seed(), tr, va)) {
            return null;
        }
        return new int[][] {tr.stream().mapToInt(Integer::intValue).sorted().toArray(),
                va.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    private int[][] split(int[] strata, Random rnd) {
        Map<Integer, List<Integer>> by = new java.util.TreeMap<>();
        for (int i = 0; i < strata.length; i++) {
            by.computeIfAbsent(strata[i], s -> new ArrayList<>()).add(i);
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        for (List<Integer> members : by.values()) {
            java.util.Collections.shuffle(members, rnd);
            int nv = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(cfg.validationFraction() * members.size()));
            va.addAll(members.subList(0, nv));
            tr.addAll(members.subList(nv, members.size()));
        }
        return new int[][] {tr.stream().mapToInt(Integer::intValue).sorted().toArray(),
                va.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    /** Class weights of an epoch's counts (each class capped at {@link #EPOCH_CLASS_CAP}). */
    private float[] classWeights(int[] classOf) {
        int[] count = counts(classOf, k);
        for (int c = 0; c < k; c++) {
            count[c] = Math.min(count[c], EPOCH_CLASS_CAP);
        }
        return classWeights(count, cfg.classWeightPower());
    }

    /**
     * Loss weight of each class: {@code (n / (k * n_c))^power} over {@code n} training maps of {@code k}
     * classes, 1 for a class without maps.
     */
    static float[] classWeights(int[] count, double power) {
        int total = 0;
        for (int c : count) {
            total += c;
        }
        float[] w = new float[count.length];
        for (int c = 0; c < count.length; c++) {
            w[c] = count[c] == 0 ? 1f : (float) Math.pow((double) total / (count.length * (double) count[c]), power);
        }
        return w;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static float[][] pick(float[][] rows, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }

    private static int[] truth(float[][] targets, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = Scores.argmax(targets[idx[i]]);
        }
        return out;
    }

    private static int[] argmax(float[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Scores.argmax(p[i]);
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
