package org.fabai.adc.eval;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.SimilarWaferIndex;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.PatternParams;
import org.fabai.adc.synth.Range;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.fabai.core.wafer.WaferMapRenderer;

/**
 * The measured run behind the numbers reported for the small-model path (not a unit test; run
 * once, it takes minutes). Usage: {@code SmallModelReport <outDir> [perClassTrain] [lcMaxSize] [lcRepeats]}.
 * Writes {@code report.txt} and PNGs to {@code outDir}.
 */
public final class SmallModelReport {

    private SmallModelReport() {
    }

    /**
     * @param args output folder, then optional maps per class for training (default 1000), the
     *             largest learning-curve size (default 4500) and learning-curve repeats (default 3)
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "adc-report");
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int lcMax = args.length > 2 ? Integer.parseInt(args[2]) : 4500;
        int lcRepeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Files.createDirectories(out);
        try (PrintStream log = new PrintStream(Files.newOutputStream(out.resolve("report.txt")), true, StandardCharsets.UTF_8)) {
            run(out, perClass, lcMax, lcRepeats, new Tee(log));
        }
    }

    /** Prints to stdout and the report file. */
    private record Tee(PrintStream file) {
        void println(String s) {
            System.out.println(s);
            file.println(s);
        }
    }

    private static void run(Path out, int perClass, int lcMax, int lcRepeats, Tee log) throws Exception {
        log.println("cores available: " + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version"));
        WaferMapGenerator gen = new WaferMapGenerator();
        writeGrid(gen, out.resolve("samples.png"));
        // ---- 1. held-out balanced set, default generator, background noise on
        long trainSeed = 11;
        long testSeed = 22;
        List<SyntheticWafer> train = gen.balanced(perClass, trainSeed);
        List<SyntheticWafer> test = gen.balanced(300, testSeed);
        log.println(String.format(Locale.ROOT, "%n== 1. held-out balanced test: train %d maps (%d/class, seed %d), test %d maps (300/class, seed %d), generator defaults (26-64 dies a side, half non-square, background 0-4%%)",
                train.size(), perClass, trainSeed, test.size(), testSeed));
        FeatureClassifierConfig cfg = FeatureClassifierConfig.defaults();
        log.println("config: " + cfg);
        long t0 = System.nanoTime();
        FeatureClassifier model = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train), cfg);
        double fitSecs = (System.nanoTime() - t0) / 1e9;
        log.println(String.format(Locale.ROOT, "training wall time (feature extraction + split + fit + calibration): %.1f s", fitSecs));
        log.println("provenance: " + model.provenance());
        log.println("unknown threshold: " + model.threshold());
        t0 = System.nanoTime();
        List<Prediction> preds = model.predictBatch(WaferMapGenerator.maps(test));
        double predSecs = (System.nanoTime() - t0) / 1e9;
        List<String> truth = WaferMapGenerator.labels(test);
        List<String> best = new ArrayList<>();
        for (Prediction p : preds) {
            best.add(p.bestClass());
        }
        ConfusionMatrix cm = ConfusionMatrix.of(DefectPattern.wm811kLabels(), truth, best);
        log.println(cm.report("none"));
        ConfusionMatrix withReject = ConfusionMatrix.ofPredictions(DefectPattern.wm811kLabels(), truth, preds);
        log.println(String.format(Locale.ROOT, "with the reject rule: %.2f%% of test maps unknown (target false-reject rate %.2f%%), accuracy on accepted maps %.4f",
                100 * withReject.rejectRate(), 100 * cfg.falseRejectRate(),
                withReject.accuracy() / Math.max(1e-12, 1 - withReject.rejectRate())));
        log.println(String.format(Locale.ROOT, "prediction of %d maps (features + forest, one thread): %.1f s", test.size(), predSecs));
        EvalCharts.writeConfusionPng(cm, "feature model (RF), held-out synthetic set", out.resolve("confusion_heldout.png"));
        // ---- 2. save / load
        Path file = out.resolve("feature-rf.fabai");
        model.save(file);
        t0 = System.nanoTime();
        try (FeatureClassifier back = FeatureClassifier.load(file)) {
            double loadSecs = (System.nanoTime() - t0) / 1e9;
            int same = 0;
            for (int i = 0; i < 200; i++) {
                if (back.predict(test.get(i).map()).equals(preds.get(i))) {
                    same++;
                }
            }
            log.println(String.format(Locale.ROOT, "%n== 2. save/load: file %d bytes, load (re-fit + check) %.1f s, %d/200 identical predictions after load",
                    Files.size(file), loadSecs, same));
        }
        // ---- 3. other generators: parameters and sizes never seen in training. Shifted-A (wider
        // ranges) was defined first; broad() training was added after seeing the defaults model on
        // A; shifted-B (larger grids, narrower ranges) was defined before any broad() model was fitted.
        GeneratorConfig shiftedA = new GeneratorConfig(20, 100, 0.6, 1.8, Range.of(0.0, 0.06), true, true,
                new PatternParams(Range.of(0.5, 1.0), Range.of(0.0, 0.18), Range.of(0.1, 0.4),
                        Range.of(0.0, 0.12), Range.of(0.2, 0.55), Range.of(0.1, 0.3), Range.of(270, 360),
                        Range.of(0.08, 0.35), Range.of(15, 120), Range.of(0.04, 0.18), Range.of(240, 360),
                        Range.of(0.15, 0.75), Range.of(0.05, 0.25), Range.of(0.7, 0.99), Range.of(0.1, 0.5),
                        Range.of(0.4, 2.0), Range.of(0.0, 2.5), Range.of(0.01, 0.04), Range.of(0.0, 3.0), Range.of(0.7, 1.0)));
        GeneratorConfig shiftedB = new GeneratorConfig(36, 120, 0.3, 1.25, Range.of(0.01, 0.03), true, true,
                new PatternParams(Range.of(0.7, 0.9), Range.of(0.0, 0.1), Range.of(0.15, 0.3),
                        Range.of(0.0, 0.05), Range.of(0.3, 0.45), Range.of(0.08, 0.2), Range.of(320, 360),
                        Range.of(0.12, 0.25), Range.of(30, 80), Range.of(0.03, 0.1), Range.of(300, 360),
                        Range.of(0.25, 0.65), Range.of(0.08, 0.16), Range.of(0.8, 0.95), Range.of(0.15, 0.3),
                        Range.of(0.8, 1.4), Range.of(0.3, 1.0), Range.of(0.008, 0.02), Range.of(0.5, 1.5), Range.of(0.9, 1.0)));
        log.println(String.format(Locale.ROOT, "%n== 3. other generators (300/class each): shifted-A seed 33, shifted-B seed 66"));
        log.println("shifted-A: " + shiftedA);
        log.println("shifted-B: " + shiftedB);
        List<SyntheticWafer> setA = new WaferMapGenerator(shiftedA).balanced(300, 33);
        List<SyntheticWafer> setB = new WaferMapGenerator(shiftedB).balanced(300, 66);
        ConfusionMatrix cmA = score(model, setA);
        log.println("-- model trained on defaults, tested on shifted-A:");
        log.println(cmA.report("none"));
        EvalCharts.writeConfusionPng(cmA, "feature model (RF, defaults-trained), shifted-A generator", out.resolve("confusion_shiftedA.png"));
        ConfusionMatrix cmB = score(model, setB);
        log.println("-- model trained on defaults, tested on shifted-B:");
        log.println(cmB.report("none"));
        List<SyntheticWafer> broadTrain = new WaferMapGenerator(GeneratorConfig.broad()).balanced(perClass, 12);
        t0 = System.nanoTime();
        try (FeatureClassifier broad = FeatureClassifier.fit(WaferMapGenerator.maps(broadTrain), WaferMapGenerator.labels(broadTrain), cfg)) {
            log.println(String.format(Locale.ROOT, "-- model trained on GeneratorConfig.broad() (%d maps, seed 12) in %.1f s:", broadTrain.size(),
                    (System.nanoTime() - t0) / 1e9));
            ConfusionMatrix bd = score(broad, test);
            ConfusionMatrix ba = score(broad, setA);
            ConfusionMatrix bb = score(broad, setB);
            log.println(String.format(Locale.ROOT, "   macro-F1: defaults test %.4f, shifted-A %.4f, shifted-B %.4f (defaults-trained model: %.4f, %.4f, %.4f)",
                    bd.macroF1(), ba.macroF1(), bb.macroF1(), cm.macroF1(), cmA.macroF1(), cmB.macroF1()));
            log.println("-- broad-trained model on shifted-A:");
            log.println(ba.report("none"));
            EvalCharts.writeConfusionPng(ba, "feature model (RF, broad-trained), shifted-A generator", out.resolve("confusion_shiftedA_broad.png"));
        }
        // ---- 4. similar-wafer search
        SimilarWaferIndex index = SimilarWaferIndex.build(WaferMapGenerator.maps(train), ids(train), WaferMapGenerator.labels(train));
        int agree = 0;
        int total = 0;
        for (int i = 0; i < 450; i++) {
            for (SimilarWaferIndex.Neighbour n : index.nearest(test.get(i).map(), 5)) {
                total++;
                if (n.label().equals(truth.get(i))) {
                    agree++;
                }
            }
        }
        log.println(String.format(Locale.ROOT, "%n== 4. similar-wafer search: %d training maps indexed; for 450 test maps, %.2f%% of the 5 nearest share the query's class",
                index.size(), 100.0 * agree / total));
        model.close();
        // ---- 5. learning curve
        List<Integer> sizes = new ArrayList<>();
        for (int s : new int[] {45, 90, 180, 450, 900, 1800, 4500, 9000, 18000, 45000}) {
            if (s <= lcMax && s <= train.size()) {
                sizes.add(s);
            }
        }
        LabelledMaps pool = LabelledMaps.ofSynthetic(train);
        LabelledMaps lcTest = LabelledMaps.ofSynthetic(gen.balanced(150, 44));
        List<ModelFamily> fams = List.of(FeatureModelFamily.of(FeatureClassifierConfig.Algorithm.RANDOM_FOREST),
                FeatureModelFamily.of(FeatureClassifierConfig.Algorithm.SVM),
                FeatureModelFamily.of(FeatureClassifierConfig.Algorithm.GRADIENT_BOOSTING));
        t0 = System.nanoTime();
        LearningCurve.Result lc = LearningCurve.run(fams, pool, lcTest, new LearningCurve.Config(sizes, lcRepeats, 55));
        log.println(String.format(Locale.ROOT, "%n== 5. learning curve: pool = the %d training maps above, test 1350 maps (150/class, seed 44), %d repeats, base seed 55 (%.0f s)",
                train.size(), lcRepeats, (System.nanoTime() - t0) / 1e9));
        log.println(lc.summary());
        for (LearningCurve.Point p : lc.points()) {
            log.println(String.format(Locale.ROOT, "point %s n=%d repeat=%d seed=%d macroF1=%.4f fit=%.2fs", p.family(), p.size(), p.repeat(), p.seed(), p.macroF1(), p.fitSeconds()));
        }
        EvalCharts.writeLearningCurvePng(lc, "macro-F1 vs training maps (synthetic, 9 classes)", out.resolve("learning_curve.png"));
    }

    private static ConfusionMatrix score(FeatureClassifier m, List<SyntheticWafer> set) {
        List<String> best = new ArrayList<>();
        for (Prediction p : m.predictBatch(WaferMapGenerator.maps(set))) {
            best.add(p.bestClass());
        }
        return ConfusionMatrix.of(DefectPattern.wm811kLabels(), WaferMapGenerator.labels(set), best);
    }

    private static List<String> ids(List<SyntheticWafer> ws) {
        List<String> out = new ArrayList<>();
        for (SyntheticWafer w : ws) {
            out.add("seed" + w.seed());
        }
        return out;
    }

    private static void writeGrid(WaferMapGenerator gen, Path file) throws IOException {
        int per = 6;
        int cell = 4 * 64 + 8;
        DefectPattern[] ps = DefectPattern.values();
        BufferedImage img = new BufferedImage(per * cell, ps.length * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int r = 0; r < ps.length; r++) {
                for (int i = 0; i < per; i++) {
                    WaferMap m = gen.generate(ps[r], 1000 + i).map();
                    int scale = Math.max(1, (cell - 8) / Math.max(m.rows(), m.cols()));
                    g.drawImage(WaferMapRenderer.render(m, new WaferMapRenderer.Style(scale, false, false, ps[r].label())), i * cell, r * cell, null);
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
