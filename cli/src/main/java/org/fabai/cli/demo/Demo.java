package org.fabai.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.EvalCharts;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.LearningCurve;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.sim.ComparisonTable;
import org.fabai.apc.sim.DisturbanceSpec;
import org.fabai.apc.sim.PlantConfig;
import org.fabai.apc.sim.SimulationConfig;
import org.fabai.apc.sim.SimulationResult;
import org.fabai.apc.sim.Simulator;
import org.fabai.apc.thread.Context;
import org.fabai.apc.thread.ControlThreads;
import org.fabai.apc.thread.JdbcThreadStateStore;
import org.fabai.apc.thread.Measurement;
import org.fabai.apc.thread.Seeding;
import org.fabai.apc.thread.ThreadPolicy;
import org.fabai.cli.report.Charts;
import org.fabai.cli.report.GraphSvg;
import org.fabai.cli.report.HtmlReport;
import org.fabai.core.defect.Defect;
import org.fabai.core.defect.DefectList;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.klarf.DieIndex;
import org.fabai.core.io.klarf.KlarfFile;
import org.fabai.core.io.klarf.KlarfPoint;
import org.fabai.core.io.klarf.KlarfReader;
import org.fabai.core.io.klarf.KlarfWafer;
import org.fabai.core.io.klarf.KlarfWriter;
import org.fabai.core.io.stdf.StdfFile;
import org.fabai.core.io.stdf.StdfMir;
import org.fabai.core.io.stdf.StdfReader;
import org.fabai.core.io.stdf.StdfWafer;
import org.fabai.core.io.stdf.StdfWriter;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.fabai.core.wafer.WaferMapRenderer;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.Cause;
import org.fabai.rca.baseline.RobustZScore;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityResult;
import org.fabai.rca.commonality.CommonalityScreen;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.discovery.MixedLinearTest;
import org.fabai.rca.discovery.Pc;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.FabEvaluation;
import org.fabai.rca.synth.SyntheticFab;

/**
 * The end-to-end demo: synthetic wafer maps through the real file formats, defect
 * classification, run-to-run control with durable threads, root-cause analysis on a synthetic
 * fab with a planted bad chamber, and the join of the three, written as an HTML report.
 * Not thread-safe; one instance per run.
 */
final class Demo {

    private final DemoConfig cfg;
    private final Path outDir;
    private final Progress progress;
    private final HtmlReport report;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<String> classes = new ArrayList<>();
    private FeatureClassifier small;

    Demo(DemoConfig cfg, Path outDir, PrintWriter out) throws IOException {
        this.cfg = cfg;
        this.outDir = outDir;
        this.progress = new Progress(out, 5);
        this.report = new HtmlReport(outDir, "fabai demo — defect classification, R2R control and root cause on one synthetic fab");
    }

    /** @return the key figures printed and reported */
    Map<String, String> figures() {
        return figures;
    }

    Path run() throws IOException, FormatException {
        report.paragraph(String.format(Locale.ROOT,
                "Everything below was generated and computed by this run (seed %d), nothing downloaded. "
                        + "Each key figure is also printed on the terminal.", cfg.seed()));
        List<SyntheticWafer> wafers = formats();
        classify(wafers);
        apc();
        rca();
        progress.stage("report");
        report.section("figures", "Key figures (as printed on the terminal)");
        List<String> kv = new ArrayList<>();
        figures.forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        report.figures(kv.toArray(new String[0]));
        Path index = report.write();
        Path summary = writeSummary(index);
        progress.step("wrote %s (%d images) and %s", index, report.images().size(), summary.getFileName());
        progress.done();
        return index;
    }

    /**
     * Writes {@code summary.json} beside the report: the key figures as printed, for pipelines
     * (schema {@code fabai/demo-summary}, version 1, cli/JSON.md).
     */
    private Path writeSummary(Path index) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "fabai/demo-summary");
        j.put("version", 1);
        j.put("seed", cfg.seed());
        j.put("report", index.getFileName().toString());
        j.put("figures", figures);
        Path f = index.resolveSibling("summary.json");
        java.nio.file.Files.writeString(f, new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls()
                .disableHtmlEscaping().create().toJson(j) + "\n");
        return f;
    }

    private void figure(String key, String value) {
        figures.put(key, value);
        progress.figure(key, value);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // ---------------------------------------------------------------- 1. maps and formats

    private List<SyntheticWafer> formats() throws IOException, FormatException {
        progress.stage("wafer maps of all pattern classes, written as KLARF and STDF and read back");
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults());
        List<SyntheticWafer> wafers = gen.balanced(cfg.perClass(), cfg.seed());
        for (DefectPattern p : DefectPattern.values()) {
            classes.add(p.label());
        }
        progress.step("generated %d maps, %d per class, %d classes", wafers.size(), cfg.perClass(), classes.size());
        // one map of each class through the real writers and readers
        List<WaferMap> sample = new ArrayList<>();
        for (DefectPattern p : DefectPattern.values()) {
            for (SyntheticWafer w : wafers) {
                if (w.patterns().contains(p) || (p == DefectPattern.NONE && w.patterns().isEmpty())
                        || w.label().equals(p.label())) {
                    sample.add(w.map().withIds("DEMO-LOT", String.format(Locale.ROOT, "W%02d", sample.size() + 1)));
                    break;
                }
            }
        }
        Path files = outDir.resolve("files");
        Files.createDirectories(files);
        Path klarf = files.resolve("demo.klarf");
        List<KlarfWafer> kw = new ArrayList<>();
        for (WaferMap m : sample) {
            kw.add(toKlarf(m));
        }
        KlarfWriter.write(new KlarfFile("1.2", kw), klarf);
        KlarfFile back = KlarfReader.read(klarf);
        int klarfOk = 0;
        for (int i = 0; i < sample.size(); i++) {
            if (sameDies(sample.get(i), back.wafers().get(i).map())) {
                klarfOk++;
            }
        }
        progress.step("KLARF 1.2: wrote %d wafers, read back %d, die states equal on %d", sample.size(),
                back.wafers().size(), klarfOk);
        Path stdf = files.resolve("demo.stdf");
        writeStdf(sample, stdf);
        StdfFile sb = StdfReader.read(stdf);
        int stdfOk = 0;
        for (int i = 0; i < sample.size(); i++) {
            if (sameDies(sample.get(i), sb.wafers().get(i))) {
                stdfOk++;
            }
        }
        progress.step("STDF V4: wrote %d wafers, read back %d, die states equal on %d", sample.size(),
                sb.wafers().size(), stdfOk);
        figure("maps generated", Integer.toString(wafers.size()));
        figure("KLARF round trip", klarfOk + "/" + sample.size());
        figure("STDF round trip", stdfOk + "/" + sample.size());
        report.section("formats", "1. Wafer maps and fab file formats");
        report.paragraph("One map of each WM-811K class was written to KLARF 1.2 (files/demo.klarf, failing dies as defects, "
                + "all dies in the sample test plan) and STDF V4 (files/demo.stdf, one PRR per die, hard bin 1 pass, 8 fail), "
                + "then read back through fabai's readers and compared die by die.");
        report.figures("maps generated", figures.get("maps generated"), "KLARF round trip", figures.get("KLARF round trip"),
                "STDF round trip", figures.get("STDF round trip"));
        List<String> names = new ArrayList<>();
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < back.wafers().size(); i++) {
            String n = "klarf-" + i + ".png";
            WaferMapRenderer.writePng(back.wafers().get(i).map(), new WaferMapRenderer.Style(4, false, false, ""),
                    report.imagePath(n));
            names.add(n);
            caps.add(classes.get(i) + " (read from KLARF)");
        }
        report.gallery(names, caps);
        progress.done();
        return wafers;
    }

    private static KlarfWafer toKlarf(WaferMap m) {
        List<Defect> defects = new ArrayList<>();
        List<DieIndex> plan = new ArrayList<>();
        long id = 1;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.state(r, c) == DieState.OFF) {
                    continue;
                }
                plan.add(new DieIndex(m.dieX(c), m.dieY(r)));
                if (m.state(r, c) == DieState.FAIL) {
                    defects.add(Defect.of(id++, m.dieX(c), m.dieY(r), 2500.0, 2500.0, 1));
                }
            }
        }
        return KlarfWafer.of(new DefectList(m.lotId(), m.waferId(), Defect.UNKNOWN, defects, Map.of()),
                new KlarfPoint(5000, 5000), plan);
    }

    private static void writeStdf(List<WaferMap> maps, Path file) throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (OutputStream os = Files.newOutputStream(file); StdfWriter w = new StdfWriter(os, ByteOrder.LITTLE_ENDIAN)) {
            w.far().mir(StdfMir.of("DEMO-LOT", "DEMO", t));
            for (WaferMap m : maps) {
                w.wir(1, t, m.waferId());
                long parts = 0;
                long good = 0;
                for (int r = 0; r < m.rows(); r++) {
                    for (int c = 0; c < m.cols(); c++) {
                        DieState s = m.state(r, c);
                        if (s == DieState.OFF) {
                            continue;
                        }
                        boolean pass = s == DieState.GOOD;
                        w.pir(1, 1);
                        w.prr(1, 1, pass ? 0 : 0x08, 1, pass ? 1 : 8, pass ? 1 : 8, m.dieX(c), m.dieY(r), "");
                        parts++;
                        good += pass ? 1 : 0;
                    }
                }
                w.wrr(1, t, parts, 0, good, m.waferId());
            }
            w.mrr(t);
        }
    }

    /** Die-by-die comparison through die coordinates (grids may be cropped differently). */
    private static boolean sameDies(WaferMap original, WaferMap read) {
        Map<Long, Integer> a = dies(original, original::dieX, original::dieY);
        Map<Long, Integer> b = dies(read, read::dieX, read::dieY);
        return a.equals(b);
    }

    private static boolean sameDies(WaferMap original, StdfWafer read) {
        return dies(original, original::dieX, original::dieY).equals(dies(read.map(), read::dieX, read::dieY));
    }

    private static Map<Long, Integer> dies(WaferMap m, java.util.function.IntUnaryOperator x,
                                           java.util.function.IntUnaryOperator y) {
        Map<Long, Integer> out = new HashMap<>();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.code(r, c) != 0) {
                    out.put(((long) x.applyAsInt(c) << 32) ^ (y.applyAsInt(r) & 0xffffffffL), m.code(r, c));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- 2. classification

    private List<Prediction> classify(List<SyntheticWafer> wafers) throws IOException {
        progress.stage("defect classification: small model (features + random forest), CNN, learning curve");
        List<WaferMap> trainMaps = new ArrayList<>();
        List<String> trainLabels = new ArrayList<>();
        List<WaferMap> testMaps = new ArrayList<>();
        List<String> testLabels = new ArrayList<>();
        for (int i = 0; i < wafers.size(); i++) {
            boolean test = i % 4 == 3;
            (test ? testMaps : trainMaps).add(wafers.get(i).map());
            (test ? testLabels : trainLabels).add(wafers.get(i).label());
        }
        FeatureClassifierConfig fcc = FeatureClassifierConfig.defaults().withSeed(cfg.seed());
        small = FeatureClassifier.fit(trainMaps, trainLabels, fcc);
        progress.step("trained %s on %d maps (%d features)", fcc.algorithm(), trainMaps.size(), small.featureNames().size());
        List<Prediction> preds = small.predictBatch(testMaps);
        ConfusionMatrix cm = ConfusionMatrix.ofPredictions(classes, testLabels, preds);
        progress.step("classified %d held-out maps", testMaps.size());
        figure("held-out maps", Integer.toString(testMaps.size()));
        figure("small model macro-F1", f3(cm.macroF1()));
        figure("small model macro-F1 without none", f3(cm.macroF1Excluding(List.of(DefectPattern.NONE.label()))));
        figure("small model accuracy", f3(cm.accuracy()));
        figure("small model balanced accuracy", f3(cm.balancedAccuracy()));
        figure("unknown (rejected) rate", f3(cm.rejectRate()));
        EvalCharts.writeConfusionPng(cm, "small model, held-out maps", report.imagePath("confusion-small.png"));
        ConfusionMatrix cnnCm = null;
        CnnConfig cnnCfg = CnnConfig.defaults(cfg.seed()).withEpochs(Math.max(1, cfg.cnnEpochs()))
                .withInputSize(cfg.cnnInputSize());
        if (cfg.cnnEpochs() > 0) {
            long t0 = System.nanoTime();
            try (CnnClassifier cnn = CnnClassifier.train(trainMaps, trainLabels, cnnCfg);
                 CnnClassifier served = cnn.withEngine(EngineKind.ONNX)) {
                double secs = (System.nanoTime() - t0) / 1e9;
                progress.step("trained CNN (%d epochs, %dx%d) in %.1fs; serving with %s", cfg.cnnEpochs(),
                        cfg.cnnInputSize(), cfg.cnnInputSize(), secs, served.engineName());
                cnnCm = ConfusionMatrix.ofPredictions(classes, testLabels, served.predictBatch(testMaps));
                cnn.save(outDir.resolve("files").resolve("cnn.fabai"));
                cnn.exportOnnx(outDir.resolve("files").resolve("cnn.onnx"));
            }
            figure("CNN macro-F1", f3(cnnCm.macroF1()));
            figure("CNN accuracy", f3(cnnCm.accuracy()));
            EvalCharts.writeConfusionPng(cnnCm, "CNN (ONNX Runtime), held-out maps", report.imagePath("confusion-cnn.png"));
        }

        LabelledMaps pool = LabelledMaps.of(trainMaps, trainLabels);
        LabelledMaps test = LabelledMaps.of(testMaps, testLabels);
        List<ModelFamily> families = new ArrayList<>();
        families.add(new FeatureModelFamily("random forest", fcc.withTrees(100)));
        families.add(new FeatureModelFamily("SVM", fcc.withAlgorithm(FeatureClassifierConfig.Algorithm.SVM)));
        if (cfg.cnnEpochs() > 0) {
            families.add(new CnnFamily(cnnCfg));
        }
        List<Integer> sizes = new ArrayList<>();
        for (int s : cfg.curveSizes()) {
            if (s <= trainMaps.size()) {
                sizes.add(s);
            }
        }
        LearningCurve.Result curve = LearningCurve.run(families, pool, test,
                new LearningCurve.Config(sizes, cfg.curveRepeats(), cfg.seed()));
        progress.step("learning curve: %d families x %d sizes x %d repeats", families.size(), sizes.size(), cfg.curveRepeats());
        int largest = sizes.get(sizes.size() - 1);
        figure("learning-curve winner at " + largest + " maps", curve.winnerAt(largest));
        EvalCharts.writeLearningCurvePng(curve, "macro-F1 vs training maps", report.imagePath("learning-curve.png"));

        report.section("adc", "2. Defect classification");
        report.paragraph(String.format(Locale.ROOT, "Small model: engineered features (%d, OpenCV) and a Smile random forest, "
                + "trained on %d generated maps, evaluated on %d held-out maps; low-confidence predictions are "
                + "reported as 'unknown' (threshold calibrated on validation data).", small.featureNames().size(),
                trainMaps.size(), testMaps.size()));
        report.figures("small model macro-F1", figures.get("small model macro-F1"),
                "small model macro-F1 without none", figures.get("small model macro-F1 without none"),
                "small model accuracy", figures.get("small model accuracy"),
                "small model balanced accuracy", figures.get("small model balanced accuracy"),
                "unknown (rejected) rate", figures.get("unknown (rejected) rate"));
        List<List<String>> rows = new ArrayList<>();
        for (ConfusionMatrix.ClassMetrics m : cm.perClass()) {
            rows.add(List.of(m.className(), f3(m.precision()), f3(m.recall()), f3(m.f1()), Long.toString(m.support())));
        }
        report.table(List.of("class", "precision", "recall", "F1", "support"), rows);
        report.image("confusion-small.png", "small model: confusion matrix, held-out maps");
        if (cnnCm != null) {
            report.paragraph(String.format(Locale.ROOT, "The CNN (Deeplearning4j, %d epochs on %dx%d one-hot maps, "
                    + "exported to ONNX by fabai and served by ONNX Runtime) on the same held-out maps; model and "
                    + "ONNX file in files/.", cfg.cnnEpochs(), cfg.cnnInputSize(), cfg.cnnInputSize()));
            report.figures("CNN macro-F1", figures.get("CNN macro-F1"), "CNN accuracy", figures.get("CNN accuracy"));
            report.image("confusion-cnn.png", "CNN: confusion matrix, held-out maps");
        }
        report.image("learning-curve.png", "learning curve: which model wins at my data size ("
                + "learning-curve winner at " + largest + " maps: " + figures.get("learning-curve winner at " + largest + " maps") + ")");
        // gallery grouped by predicted class
        Map<String, List<Integer>> byPred = new TreeMap<>();
        for (int i = 0; i < preds.size(); i++) {
            byPred.computeIfAbsent(preds.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> e : byPred.entrySet()) {
            List<String> names = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            for (int i : e.getValue().subList(0, Math.min(6, e.getValue().size()))) {
                String n = "pred-" + e.getKey().replaceAll("[^A-Za-z0-9]", "_") + "-" + i + ".png";
                WaferMapRenderer.writePng(testMaps.get(i), new WaferMapRenderer.Style(3, false, false, ""), report.imagePath(n));
                names.add(n);
                caps.add("true " + testLabels.get(i) + String.format(Locale.ROOT, " (p=%.2f)", preds.get(i).confidence()));
            }
            report.paragraph("Predicted " + e.getKey() + " (" + e.getValue().size() + " maps):");
            report.gallery(names, caps);
        }
        progress.done();
        return preds;
    }

    // ---------------------------------------------------------------- 3. run-to-run control

    private void apc() throws IOException {
        progress.stage("run-to-run control: EWMA vs double EWMA vs Kalman, drift + maintenance shift");
        double gain = -0.8;
        double intercept = 130;
        ControllerConfig cc = ControllerConfig.of(50, 20, 180, (50 - intercept) / gain);
        PlantConfig plant = DisturbanceSpec.parse("white:sigma=1+drift:delta=0.02+pm:every=250,shift=3", intercept,
                gain * 1.1, 0, 1);
        SimulationConfig sim = new SimulationConfig(plant, cfg.apcRuns(), 50, 45, 55, 1.0);
        Map<String, Supplier<Controller>> ctl = new LinkedHashMap<>();
        ctl.put("EWMA(0.3)", ControllerSpec.factory("ewma:lambda=0.3", cc, gain, intercept));
        ctl.put("double EWMA(0.3,0.05)", ControllerSpec.factory("dewma:lambda1=0.3,lambda2=0.05", cc, gain, intercept));
        ctl.put("Kalman(level+drift)", ControllerSpec.factory("kalman:q=0.1,r=1,qdrift=1e-4", cc, gain, intercept));
        long[] seeds = new long[cfg.apcSeeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.seed() + i;
        }
        ComparisonTable t = Simulator.compare(ctl, sim, seeds);
        progress.step("simulated %d controllers x %d seeds x %d runs (gain mismatch 1.1)", ctl.size(), seeds.length, cfg.apcRuns());
        List<List<String>> rows = new ArrayList<>();
        for (ComparisonTable.Row r : t.rows()) {
            rows.add(List.of(r.controller(), f3(r.mse()), f3(r.meanOffset()), f3(r.cpk()),
                    String.format(Locale.ROOT, "%.1f", r.settlingRuns())));
            figure("MSE " + r.controller(), f3(r.mse()));
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        double[] x = null;
        for (Map.Entry<String, Supplier<Controller>> e : ctl.entrySet()) {
            SimulationResult r = Simulator.run(e.getValue().get(), sim, seeds[0]);
            double[] y = r.outputs();
            int n = Math.min(y.length, 600);
            series.put(e.getKey(), Arrays.copyOf(y, n));
            if (x == null) {
                x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i + 1;
                }
            }
        }
        Charts.lines(report.imagePath("control-chart.png"), "Controlled output, first 600 runs (seed " + seeds[0] + ")",
                "run", "output", x, series, List.of(45.0, 50.0, 55.0));
        report.section("apc", "3. Run-to-run control");
        report.paragraph("Plant y = 130 - 0.88 u + noise with drift 0.02/run and a ±3 maintenance shift every 250 runs; "
                + "the controllers' model gain is -0.8 (gain mismatch 1.1); target 50, spec limits 45..55. "
                + "The same seeds drive every controller.");
        report.table(List.of("controller", "MSE", "mean offset", "Cpk", "settling runs"), rows);
        report.image("control-chart.png", "control chart");
        progress.done();
    }

    // ---------------------------------------------------------------- 4. root cause, and the join

    private void rca() throws IOException {
        progress.stage("root cause on a synthetic fab with a planted bad chamber; joined with ADC and APC");
        FabConfig fc = FabConfig.defaults(cfg.seed()).withLots(cfg.fabLots());
        SyntheticFab fab = SyntheticFab.generate(fc);
        String truth = fab.plantedCause();
        progress.step("fab: %d steps, %d wafers, planted cause %s", fab.route().steps().size(), fab.histories().size(), truth);
        Map<String, Double> yield = fab.outcome(SyntheticFab.YIELD);
        CommonalityScreen screen = new CommonalityScreen(CommonalityConfig.continuous(false));
        CommonalityResult cr = screen.run(fab.histories(), yield);
        List<Cause> commonality = cr.causes();
        progress.step("commonality on yield: %d steps tested, %d skipped", cr.ranked().size(), cr.skipped().size());
        Cpdag graph = new Pc(new PcConfig(0.01, 3, 2, PcConfig.ColliderRule.SEPSETS))
                .search(new MixedLinearTest(fab.table()), fab.knowledge());
        progress.step("PC under process-order tiers: %d edges, %d CI tests", graph.edges().size(), graph.testsRun());
        List<Cause> scm = FabEvaluation.rank(FabEvaluation.Method.SCM_DISCOVERED, fab, cfg.seed());
        List<Cause> baseline = FabEvaluation.rank(FabEvaluation.Method.ROBUST_Z_BASELINE, fab, cfg.seed());
        progress.step("SCM attribution on the discovered graph; robust z baseline");
        List<Bootstrap.CauseConfidence> conf = screen.bootstrap(fab.histories(), yield, cfg.bootstrap(), cfg.seed());
        progress.step("bootstrap: %d replicates", cfg.bootstrap());
        figure("planted cause", truth);
        figure("commonality top cause", top(commonality));
        figure("SCM attribution top cause", top(scm));
        figure("robust z baseline top cause", top(baseline));
        if (!conf.isEmpty()) {
            figure("bootstrap: top cause ranked first", f3(conf.get(0).firstRate()));
        }

        // ADC joined: predicted pattern class per wafer as an outcome
        Map<String, Double> edgeRing = adcOutcome(fab);
        CommonalityResult er = new CommonalityScreen(CommonalityConfig.binary()).run(fab.histories(), edgeRing);
        figure("chamber that goes with predicted Edge-Ring maps", top(er.causes()));
        // APC joined: each thread's estimated intercept as a candidate cause beside the tools
        List<Cause> joined = apcJoined(fab, baseline);
        figure("joined ranking top cause", top(joined));

        List<FabEvaluation.Accuracy> acc = FabEvaluation.evaluate(fc, cfg.seed() + 1000, cfg.accuracySeeds(),
                List.of(FabEvaluation.Method.ROBUST_Z_BASELINE, FabEvaluation.Method.COMMONALITY,
                        FabEvaluation.Method.COMMONALITY_WINDOWED, FabEvaluation.Method.SCM_DISCOVERED));
        progress.step("AC@1/AC@3 over %d fabs", cfg.accuracySeeds());
        for (FabEvaluation.Accuracy a : acc) {
            figure("AC@1 " + a.method(), f3(a.ac1()));
        }

        report.section("rca", "4. Root cause: commonality, causal discovery, attribution, confidence");
        report.paragraph(String.format(Locale.ROOT, "A fab of %d steps (3 tools x 2 chambers each), %d wafers; "
                + "chamber %s goes bad half-way through, its effect passing through downstream metrology to yield.",
                fab.route().steps().size(), fab.histories().size(), truth));
        report.figures("planted cause", truth, "commonality top cause", figures.get("commonality top cause"),
                "SCM attribution top cause", figures.get("SCM attribution top cause"),
                "robust z baseline top cause", figures.get("robust z baseline top cause"));
        List<List<String>> rows = new ArrayList<>();
        for (StepFinding s : cr.ranked().subList(0, Math.min(6, cr.ranked().size()))) {
            rows.add(List.of(s.step(), s.test(), String.format(Locale.ROOT, "%.3g", s.p()), String.format(Locale.ROOT, "%.3g", s.q()),
                    f3(s.effectSize()), s.culprit().tool(), String.format(Locale.ROOT, "%.3g", s.culpritQ())));
        }
        report.paragraph("Tool commonality on yield (Kruskal-Wallis, Benjamini-Hochberg over steps; culprit by post-hoc test):");
        report.table(List.of("step", "test", "p", "q", "effect (ε²)", "culprit", "culprit q"), rows);
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (String n : graph.nodes()) {
            nodes.put(n, fab.knowledge().tier(n));
        }
        List<GraphSvg.Edge> edges = new ArrayList<>();
        for (Cpdag.Edge e : graph.edges()) {
            edges.add(new GraphSvg.Edge(e.from(), e.to(), e.directed()));
        }
        Map<String, String> hi = new LinkedHashMap<>();
        hi.put(fab.plantedStep().id(), "planted step");
        hi.put(SyntheticFab.YIELD, "");
        report.paragraph("Causal graph discovered by PC-stable (α = 0.01, depth 3) with the process order as tiers:");
        report.raw(GraphSvg.render(nodes, edges, hi));
        rows = new ArrayList<>();
        for (Bootstrap.CauseConfidence c : conf.subList(0, Math.min(5, conf.size()))) {
            rows.add(List.of(c.name(), f3(c.firstRate()), f3(c.top3Rate()), f3(c.scoreLow()), f3(c.scoreMedian()), f3(c.scoreHigh())));
        }
        report.paragraph("Confidence of the commonality ranking (" + cfg.bootstrap() + " bootstrap replicates):");
        report.table(List.of("cause", "ranked first", "in top 3", "score low", "median", "high"), rows);
        rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(List.of(Integer.toString(i + 1), name(baseline, i), name(commonality, i), name(scm, i)));
        }
        report.paragraph("Rankings side by side (the robust z baseline first, as RCAEval advises):");
        report.table(List.of("rank", "robust z baseline", "commonality", "SCM attribution"), rows);
        rows = new ArrayList<>();
        for (FabEvaluation.Accuracy a : acc) {
            rows.add(List.of(a.method().toString(), f3(a.ac1()), f3(a.ac3()), Integer.toString(a.seeds())));
        }
        report.paragraph("Accuracy over synthetic fabs with a planted cause (seeds from " + (cfg.seed() + 1000) + "):");
        report.table(List.of("method", "AC@1", "AC@3", "fabs"), rows);

        report.section("join", "5. Joined: pattern classes and APC disturbances as causes");
        report.paragraph("Each wafer of the fab got a wafer map (Edge-Ring more likely after passing the bad chamber), "
                + "classified by the small model of section 2; 'predicted Edge-Ring' is then an RCA outcome. Each APC "
                + "thread (one per tool/chamber of the planted step, state in an embedded SQLite database) controls its "
                + "chamber; its estimated intercept is a candidate cause beside the tools.");
        report.figures("chamber that goes with predicted Edge-Ring maps", figures.get("chamber that goes with predicted Edge-Ring maps"),
                "joined ranking top cause", figures.get("joined ranking top cause"));
        rows = new ArrayList<>();
        for (int i = 0; i < Math.min(8, joined.size()); i++) {
            rows.add(List.of(Integer.toString(i + 1), joined.get(i).name(), f3(joined.get(i).score())));
        }
        report.table(List.of("rank", "candidate (tool or APC thread)", "robust z"), rows);
        progress.done();
    }

    private static String top(List<Cause> causes) {
        return causes.isEmpty() ? "-" : causes.get(0).name();
    }

    private static String name(List<Cause> causes, int i) {
        return i < causes.size() ? causes.get(i).name() : "";
    }

    /** Generates a map per fab wafer, classifies it and returns 1/0 "predicted Edge-Ring" per wafer. */
    private Map<String, Double> adcOutcome(SyntheticFab fab) {
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults());
        SplittableRandom rnd = new SplittableRandom(cfg.seed() ^ 0x5eed);
        DefectPattern[] others = {DefectPattern.CENTER, DefectPattern.DONUT, DefectPattern.EDGE_LOC, DefectPattern.LOC,
            DefectPattern.RANDOM, DefectPattern.SCRATCH, DefectPattern.NEAR_FULL};
        List<WaferMap> maps = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long i = 0;
        for (WaferHistory h : fab.histories()) {
            boolean bad = h.run(fab.plantedStep().id()).map(StepRun::tool).map(t -> t.equals(fab.plantedTool())).orElse(false)
                    && !h.runs().get(0).time().isBefore(fab.faultStart());
            DefectPattern p;
            double u = rnd.nextDouble();
            if (bad && u < 0.7) {
                p = DefectPattern.EDGE_RING;
            } else if (u < 0.8) {
                p = DefectPattern.NONE;
            } else if (u < 0.83) {
                p = DefectPattern.EDGE_RING;
            } else {
                p = others[rnd.nextInt(others.length)];
            }
            maps.add(gen.generate(p, WaferMapGenerator.mix(cfg.seed(), i++)).map());
            ids.add(h.waferId());
        }
        List<Prediction> preds = small.predictBatch(maps);
        Map<String, Double> out = new LinkedHashMap<>();
        long er = 0;
        for (int k = 0; k < preds.size(); k++) {
            boolean isEr = preds.get(k).label().equals(DefectPattern.EDGE_RING.label());
            er += isEr ? 1 : 0;
            out.put(ids.get(k), isEr ? 1.0 : 0.0);
        }
        progress.step("classified %d fab wafers' maps: %d predicted Edge-Ring", preds.size(), er);
        return out;
    }

    /**
     * Runs one APC thread per tool/chamber of the planted step (lot-based control, durable in SQLite),
     * the bad chamber's process shifting after the fault, and ranks the threads' estimated intercepts
     * beside the tools' robust z of yield.
     */
    private List<Cause> apcJoined(SyntheticFab fab, List<Cause> toolBaseline) throws IOException {
        String step = fab.plantedStep().id();
        Path db = outDir.resolve("apc-threads.db");
        Files.deleteIfExists(db);
        double gain = -0.8;
        double intercept = 130;
        ControllerConfig cc = ControllerConfig.of(50, 20, 180, (50 - intercept) / gain);
        ThreadPolicy policy = new ThreadPolicy(cc, new EwmaEstimator(new EwmaConfig(0.3, gain, intercept)), Seeding.NOMINAL);
        SplittableRandom rnd = new SplittableRandom(cfg.seed() ^ 0xa9c);
        Instant refEnd = fab.timeAt(0.5);
        Instant anomStart = fab.timeAt(0.8);
        Map<String, List<Double>> ref = new LinkedHashMap<>();
        Map<String, List<Double>> cur = new LinkedHashMap<>();
        int updates = 0;
        // lots in release order: one recipe per lot and chamber, measured per wafer, one transaction per lot
        Map<String, List<WaferHistory>> lots = new LinkedHashMap<>();
        for (WaferHistory h : fab.histories()) {
            lots.computeIfAbsent(h.lotId(), k -> new ArrayList<>()).add(h);
        }
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            ControlThreads threads = new ControlThreads(policy, store);
            long seq = 0;
            for (List<WaferHistory> lot : lots.values()) {
                Map<String, Double> recipe = new HashMap<>();
                List<Map.Entry<Context, Measurement>> batch = new ArrayList<>();
                Instant when = lot.get(0).runs().get(0).time();
                for (WaferHistory h : lot) {
                    StepRun r = h.run(step).orElseThrow();
                    Context ctx = Context.of("step", step, "tool", r.tool().id(), "chamber", r.tool().chamber());
                    double u = recipe.computeIfAbsent(ctx.key(), k -> threads.recommend(ctx).input());
                    boolean bad = r.tool().equals(fab.plantedTool()) && !when.isBefore(fab.faultStart());
                    double y = intercept + (bad ? 6 : 0) + gain * u + rnd.nextGaussian();
                    batch.add(Map.entry(ctx, new Measurement(h.waferId(), ++seq, u, y)));
                }
                threads.updateBatch(batch);
                updates += batch.size();
                for (Map.Entry<Context, Measurement> e : batch) {
                    String key = "APC thread " + e.getKey().get("tool") + "/" + e.getKey().get("chamber") + " intercept";
                    double est = threads.controller(e.getKey()).orElseThrow().estimator().predictedOffset();
                    Map<String, List<Double>> target = when.isBefore(refEnd) ? ref : !when.isBefore(anomStart) ? cur : null;
                    if (target != null) {
                        target.computeIfAbsent(key, k -> new ArrayList<>()).add(est);
                    }
                }
            }
        }
        progress.step("APC: %d threads, %d durable updates in %s", ref.size(), updates, db.getFileName());
        figure("APC threads", Integer.toString(ref.size()));
        Map<String, double[]> refArr = new LinkedHashMap<>();
        ref.forEach((k, v) -> refArr.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        Map<String, Double> curMed = new LinkedHashMap<>();
        cur.forEach((k, v) -> curMed.put(k, RobustZScore.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        List<Cause> apc = RobustZScore.rankCandidates(refArr, curMed, 0);
        List<Cause> all = new ArrayList<>();
        for (Cause c : toolBaseline) {
            all.add(new Cause(c.name(), Math.abs(c.score())));
        }
        for (Cause c : apc) {
            all.add(new Cause(c.name(), Math.abs(c.score())));
        }
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        return all;
    }
}
