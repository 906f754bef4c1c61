package org.fabai.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.EvalCharts;
import org.fabai.adc.eval.LearningCurve;
import org.fabai.apc.sim.ComparisonTable;
import org.fabai.cli.joins.ApcJoin;
import org.fabai.cli.joins.PatternJoin;
import org.fabai.cli.report.Charts;
import org.fabai.cli.report.GraphSvg;
import org.fabai.cli.report.HtmlReport;
import org.fabai.core.wafer.WaferMap;
import org.fabai.core.wafer.WaferMapRenderer;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.Cause;
import org.fabai.rca.Ranking;
import org.fabai.rca.commonality.StepFinding;
import org.fabai.rca.discovery.Cpdag;
import org.fabai.rca.synth.FabEvaluation;
import org.fabai.rca.synth.SyntheticFab;

/**
 * Renders the demo's stage results as {@code index.html}: the verdict first (planted cause and who
 * found it with what confidence, best controller, classifier figures, the joins' answers), then
 * each stage's detail, the joins as tables and charts, links to every file written. Figures shown
 * are the {@link Figures} printed on the terminal. Not thread-safe; one instance per report.
 */
final class DemoReport {

    private static final Map<String, String> MAP_LEGEND = legend();

    private final DemoConfig cfg;
    private final Path outDir;
    private final Figures figures;
    private final HtmlReport report;

    DemoReport(DemoConfig cfg, Path outDir, Figures figures) throws IOException {
        this.cfg = cfg;
        this.outDir = outDir;
        this.figures = figures;
        this.report = new HtmlReport(outDir, "fabai demo — defect classification, R2R control and root cause on one synthetic fab");
    }

    private static Map<String, String> legend() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("good die", hex(WaferMapRenderer.GOOD));
        m.put("failing die", hex(WaferMapRenderer.FAIL));
        m.put("off wafer", hex(WaferMapRenderer.OFF));
        return m;
    }

    private static String hex(java.awt.Color c) {
        return String.format(Locale.ROOT, "#%06X", c.getRGB() & 0xFFFFFF);
    }

    /**
     * @param real the real-data learning curve, or null when the demo ran without {@code --real-maps}
     */
    Path write(FormatsStage.Result formats, ClassifyStage.Result adc, RealCurveStage.Result real, ControlStage.Result apc,
               RootCauseStage.Result rca, JoinStage.Result join) throws IOException {
        report.paragraph(String.format(Locale.ROOT,
                "Everything below was generated and computed by this run (seed %d), nothing downloaded. "
                        + "Each key figure is also printed on the terminal and written to summary.json.", cfg.seed()));
        verdict(adc, real, apc, rca, join);
        formats(formats);
        classification(adc, formats.classes());
        if (real != null) {
            realCurve(real);
        }
        control(apc);
        rootCause(rca);
        joins(rca.fab(), join);
        files();
        report.section("figures", "Key figures (as printed on the terminal)");
        List<String> kv = new ArrayList<>();
        figures.all().forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        report.figures(kv.toArray(new String[0]));
        return report.write();
    }

    // ---------------------------------------------------------------- verdict

    private void verdict(ClassifyStage.Result adc, RealCurveStage.Result real, ControlStage.Result apc, RootCauseStage.Result rca,
                         JoinStage.Result join) {
        String truth = rca.fab().plantedCause();
        report.section("verdict", "Verdict");
        report.box();
        List<String> foundBy = rca.rankedFirstBy();
        report.paragraph("Planted cause " + truth + ": " + (foundBy.isEmpty() ? "ranked first by no method"
                : "ranked first by " + String.join(", ", foundBy)) + ". "
                + String.format(Locale.ROOT, "Best controller: %s (MSE %s against target 50, spec limits %.0f..%.0f). ",
                apc.best().controller(), Figures.f3(apc.best().mse()), apc.process().lsl(), apc.process().usl())
                + "Small-model classifier: macro-F1 " + Figures.f3(adc.cm().macroF1()) + " on "
                + adc.testMaps().size() + " held-out maps"
                + (adc.cnnCm() != null ? ", CNN " + Figures.f3(adc.cnnCm().macroF1()) : "") + "."
                + (real == null ? "" : " On your " + real.maps() + " real maps, the best model with " + real.largest()
                + " labels is " + real.curve().winnerAt(real.largest()) + " (section 2b)."));
        report.figures(figures.pairs("planted cause", "planted cause ranked first by", "best controller",
                "small model macro-F1", "small model accuracy", "chamber that goes with predicted Edge-Ring maps",
                "predicted Edge-Ring: p of that step", "joined ranking top cause"));
        List<List<String>> rows = new ArrayList<>();
        for (Ranking r : rca.rankings()) {
            int pos = r.position(truth);
            Ranking.Ranked top = r.top();
            rows.add(List.of(RootCauseStage.Result.label(r), pos < 0 ? "not ranked" : Integer.toString(pos + 1),
                    top == null ? "-" : top.name(), top == null ? "-" : Figures.f3(top.confidence()), r.confidenceMeaning()));
        }
        if (!rca.bootstrap().isEmpty()) {
            Bootstrap.CauseConfidence b = rca.bootstrap().get(0);
            rows.add(List.of("commonality, bootstrap", b.name().equals(truth) ? "1" : "-", b.name(), Figures.f3(b.firstRate()),
                    "share of " + cfg.bootstrap() + " resamples that rank it first"));
        }
        report.table(List.of("method", "rank of the planted cause", "top cause", "confidence", "confidence means"), rows);
        report.endBox();
    }

    // ---------------------------------------------------------------- 2b. real-data learning curve

    private void realCurve(RealCurveStage.Result real) throws IOException {
        EvalCharts.writeLearningCurvePng(real.curve(), "macro-F1 on held-out lots vs labelled real maps",
                report.imagePath("learning-curve-real.png"));
        LearningCurve.Config c = real.curve().config();
        report.section("adc-real", "2b. Which model at which number of labels, on your real maps");
        report.paragraph(String.format(Locale.ROOT, "%s labelled maps, read from %s. Each repeat holds out a fifth of the %s "
                        + "as test maps never trained on and draws every training size stratified from the rest; all families "
                        + "see the same maps at one size and repeat. %d repeat%s; the figures are macro-F1 over the classes "
                        + "on the held-out %s, mean and (with repeats) standard deviation.", real.describe(),
                real.source().getFileName(), real.byMap() ? "maps (no lot names: a split by map, which flatters every model)" : "lots",
                c.repeats(), c.repeats() == 1 ? "" : "s", real.byMap() ? "maps" : "lots"));
        List<String> head = new ArrayList<>(List.of("labelled maps"));
        head.addAll(real.curve().families());
        head.add("best");
        List<List<String>> rows = new ArrayList<>();
        for (int size : c.sizes()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(size)));
            for (String f : real.curve().families()) {
                row.add(Figures.f3(real.curve().mean(f, size))
                        + (c.repeats() > 1 ? " ± " + Figures.f3(real.curve().std(f, size)) : ""));
            }
            row.add(real.curve().winnerAt(size));
            rows.add(row);
        }
        report.table(head, rows);
        report.image("learning-curve-real.png", "macro-F1 on held-out real lots against the number of labelled maps");
    }

    // ---------------------------------------------------------------- 1. formats

    private void formats(FormatsStage.Result f) throws IOException {
        report.section("formats", "1. Wafer maps and fab file formats");
        report.paragraph("One map of each WM-811K class was written to KLARF 1.2 (files/klarf/, one file per wafer: failing "
                + "dies as defects, all dies in the sample test plan, the die pitch that makes its wafer round) and STDF V4 "
                + "(files/demo.stdf, one PRR per die, hard bin 1 pass, 8 fail), then read back through fabai's readers "
                + "and compared die by die. The maps below are drawn from the KLARF file, to its die pitch.");
        report.figures(figures.pairs("maps generated", "KLARF round trip", "STDF round trip"));
        List<String> names = new ArrayList<>();
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < f.readBack().size(); i++) {
            String n = "klarf-" + i + ".png";
            WaferMapRenderer.writePng(f.readBack().get(i), new WaferMapRenderer.Style(4, false, false, ""), report.imagePath(n));
            names.add(n);
            caps.add(f.classes().get(i) + " (read from KLARF)");
        }
        report.legend(MAP_LEGEND);
        report.gallery(names, caps);
    }

    /** A generated map (no pitch) with the die pitch that draws its inscribed wafer round. */
    private static WaferMap toPitch(WaferMap m) {
        if (m.diePitchX() > 0 && m.diePitchY() > 0) {
            return m;
        }
        return m.toBuilder().diePitch(FormatsStage.WAFER_DIAMETER_UM / m.cols(), FormatsStage.WAFER_DIAMETER_UM / m.rows())
                .build();
    }

    // ---------------------------------------------------------------- 2. classification

    private void classification(ClassifyStage.Result adc, List<String> classes) throws IOException {
        EvalCharts.writeConfusionPng(adc.cm(), "small model, held-out maps", report.imagePath("confusion-small.png"));
        if (adc.cnnCm() != null) {
            EvalCharts.writeConfusionPng(adc.cnnCm(), "CNN (ONNX Runtime), held-out maps", report.imagePath("confusion-cnn.png"));
        }
        EvalCharts.writeLearningCurvePng(adc.curve(), "macro-F1 vs training maps", report.imagePath("learning-curve.png"));
        report.section("adc", "2. Defect classification");
        report.paragraph(String.format(Locale.ROOT, "Small model: engineered features (%d, OpenCV) and a Smile random forest, "
                + "trained on %d generated maps, evaluated on %d held-out maps; low-confidence predictions are "
                + "reported as 'unknown' (threshold calibrated on validation data).", adc.small().featureNames().size(),
                adc.trainSize(), adc.testMaps().size()));
        report.figures(figures.pairs("small model macro-F1", "small model macro-F1 without none", "small model accuracy",
                "small model balanced accuracy", "unknown (rejected) rate"));
        List<List<String>> rows = new ArrayList<>();
        for (ConfusionMatrix.ClassMetrics m : adc.cm().perClass()) {
            rows.add(List.of(m.className(), Figures.f3(m.precision()), Figures.f3(m.recall()), Figures.f3(m.f1()),
                    Long.toString(m.support())));
        }
        report.table(List.of("class", "precision", "recall", "F1", "support"), rows);
        report.image("confusion-small.png", "small model: confusion matrix, held-out maps");
        if (adc.cnnCm() != null) {
            report.paragraph(String.format(Locale.ROOT, "The CNN (Deeplearning4j, %d epochs on %dx%d one-hot maps, "
                    + "exported to ONNX by fabai and served by ONNX Runtime) on the same held-out maps; model and "
                    + "ONNX file in files/.", cfg.cnnEpochs(), cfg.cnnInputSize(), cfg.cnnInputSize()));
            report.figures(figures.pairs("CNN macro-F1", "CNN accuracy"));
            report.image("confusion-cnn.png", "CNN: confusion matrix, held-out maps");
        }
        String winnerKey = "learning-curve winner at " + adc.largest() + " maps";
        report.image("learning-curve.png", "learning curve: which model wins at my data size (" + winnerKey + ": "
                + figures.get(winnerKey) + ")");
        Map<String, List<Integer>> byPred = new TreeMap<>();
        for (int i = 0; i < adc.preds().size(); i++) {
            byPred.computeIfAbsent(adc.preds().get(i).label(), k -> new ArrayList<>()).add(i);
        }
        report.paragraph("Held-out maps by predicted class, drawn to die pitch:");
        report.legend(MAP_LEGEND);
        for (Map.Entry<String, List<Integer>> e : byPred.entrySet()) {
            List<String> names = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            for (int i : e.getValue().subList(0, Math.min(6, e.getValue().size()))) {
                String n = "pred-" + e.getKey().replaceAll("[^A-Za-z0-9]", "_") + "-" + i + ".png";
                WaferMapRenderer.writePng(toPitch(adc.testMaps().get(i)), new WaferMapRenderer.Style(3, false, false, ""),
                        report.imagePath(n));
                names.add(n);
                caps.add("true " + adc.testLabels().get(i) + String.format(Locale.ROOT, " (p=%.2f)",
                        adc.preds().get(i).confidence()));
            }
            report.paragraph("Predicted " + e.getKey() + " (" + e.getValue().size() + " maps):");
            report.gallery(names, caps);
        }
    }

    // ---------------------------------------------------------------- 3. control

    private void control(ControlStage.Result apc) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        apc.outputs().forEach((k, y) -> {
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
            }
            series.put(k, new double[][] {x, y});
        });
        DemoProcess p = apc.process();
        List<Charts.Marker> events = new ArrayList<>();
        for (int run : apc.maintenanceRuns()) {
            events.add(new Charts.Marker(run, "maintenance"));
        }
        Charts.lines(report.imagePath("control-chart.png"), "Controlled output, first " + ControlStage.CHART_RUNS
                        + " runs (seed " + apc.seed() + ")", "run", "output (nm)", series,
                List.of(new Charts.Marker(p.lsl(), "LSL " + (int) p.lsl()), new Charts.Marker(p.target(), "target"),
                        new Charts.Marker(p.usl(), "USL " + (int) p.usl())), events);
        report.section("apc", "3. Run-to-run control");
        report.paragraph(String.format(Locale.ROOT, "Plant y = %.0f %+.2f u + noise with drift 0.02/run and a ±3 maintenance "
                + "shift every %d runs; the controllers' model gain is %.1f (gain mismatch 1.1); target %.0f, spec limits "
                + "%.0f..%.0f. The same seeds drive every controller; the double EWMA is Butler and Stefani's.",
                p.intercept(), p.gain() * 1.1, apc.plant().pmEvery(), p.gain(), p.target(), p.lsl(), p.usl()));
        List<List<String>> rows = new ArrayList<>();
        for (ComparisonTable.Row r : apc.table().rows()) {
            rows.add(List.of(r.controller(), Figures.f3(r.mse()), Figures.f3(r.meanOffset()), Figures.f3(r.cpk()),
                    String.format(Locale.ROOT, "%.1f", r.settlingRuns())));
        }
        report.table(List.of("controller", "MSE", "mean offset", "Cpk", "settling runs"), rows);
        report.image("control-chart.png", "control chart: output per run, spec limits and target dashed, maintenance "
                + "shifts as vertical lines");
    }

    // ---------------------------------------------------------------- 4. root cause

    private void rootCause(RootCauseStage.Result rca) {
        SyntheticFab fab = rca.fab();
        String truth = fab.plantedCause();
        report.section("rca", "4. Root cause: commonality, causal discovery, attribution, confidence");
        report.paragraph(String.format(Locale.ROOT, "A fab of %d steps (3 tools x 2 chambers each), %d wafers; "
                + "chamber %s goes bad half-way through, its effect passing through downstream metrology to yield. "
                + "Every method answers through the same front door (CauseRanker: histories and outcomes in, ranked causes "
                + "with confidence out).", fab.route().steps().size(), fab.histories().size(), truth));
        report.figures(figures.pairs("planted cause", "commonality top cause", "SCM attribution top cause",
                "robust z baseline top cause"));
        List<List<String>> rows = new ArrayList<>();
        for (StepFinding s : rca.screen().ranked().subList(0, Math.min(6, rca.screen().ranked().size()))) {
            rows.add(List.of(s.step(), s.test(), Figures.g3(s.p()), Figures.g3(s.q()), Figures.f3(s.effectSize()),
                    s.culprit().tool(), Figures.g3(s.culpritQ())));
        }
        report.paragraph("Tool commonality on yield (Kruskal-Wallis, Benjamini-Hochberg over steps; culprit by post-hoc test):");
        report.table(List.of("step", "test", "p", "q", "effect (ε²)", "culprit", "culprit q"), rows);
        Cpdag graph = rca.graph();
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
        for (Bootstrap.CauseConfidence c : rca.bootstrap().subList(0, Math.min(5, rca.bootstrap().size()))) {
            rows.add(List.of(c.name(), Figures.f3(c.firstRate()), Figures.f3(c.top3Rate()), Figures.f3(c.scoreLow()),
                    Figures.f3(c.scoreMedian()), Figures.f3(c.scoreHigh())));
        }
        report.paragraph("Confidence of the commonality ranking (" + cfg.bootstrap() + " bootstrap replicates):");
        report.table(List.of("cause", "ranked first", "in top 3", "score low", "median", "high"), rows);
        rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(i + 1));
            for (Ranking r : rca.rankings()) {
                row.add(i < r.causes().size() ? r.causes().get(i).name() + " (" + Figures.f3(r.causes().get(i).confidence()) + ")"
                        : "");
            }
            rows.add(row);
        }
        report.paragraph("Rankings side by side, confidence in brackets (the robust z baseline first, as RCAEval advises):");
        report.table(List.of("rank", "robust z baseline", "commonality", "SCM attribution"), rows);
        rows = new ArrayList<>();
        for (FabEvaluation.Accuracy a : rca.accuracy()) {
            rows.add(List.of(a.method().toString(), Figures.f3(a.ac1()), Figures.f3(a.ac3()), Integer.toString(a.seeds())));
        }
        report.paragraph("Accuracy over synthetic fabs with a planted cause (seeds from " + rca.firstAccuracySeed() + "):");
        report.table(List.of("method", "AC@1", "AC@3", "fabs"), rows);
    }

    // ---------------------------------------------------------------- 5. joins

    private void joins(SyntheticFab fab, JoinStage.Result join) throws IOException {
        report.section("join", "5. Joined: pattern classes and APC estimates as causes");
        PatternJoin.Result pj = join.pattern();
        StepFinding step = pj.culpritStep();
        report.paragraph("ADC → RCA. Each wafer of the fab got a wafer map (Edge-Ring more likely after passing the bad "
                + "chamber), classified by the small model of section 2; 'predicted Edge-Ring' (" + pj.patternWafers() + " of "
                + pj.outcomes().size() + " wafers) is then an RCA outcome, screened by tool commonality"
                + (step == null ? "." : " (" + step.test() + "). At step " + step.step() + " the Edge-Ring rate differs "
                + "by chamber with p = " + Figures.g3(step.p()) + " (q over steps " + Figures.g3(step.q()) + "); culprit "
                + step.culprit().tool() + ", post-hoc q " + Figures.g3(step.culpritQ()) + "."));
        report.figures(figures.pairs("chamber that goes with predicted Edge-Ring maps", "predicted Edge-Ring: p of that step"));
        if (!pj.rates().isEmpty()) {
            String culpritTool = step.culprit().tool();
            List<List<String>> rows = new ArrayList<>();
            Map<String, Double> bars = new LinkedHashMap<>();
            for (PatternJoin.ChamberRate r : pj.rates()) {
                rows.add(List.of(step.step() + " " + r.tool(), Integer.toString(r.wafers()), Integer.toString(r.withPattern()),
                        Figures.f3(r.rate())));
                bars.put(r.tool(), r.rate());
            }
            report.table(List.of("step and chamber", "wafers", "predicted Edge-Ring", "rate"), rows);
            Charts.bars(report.imagePath("join-pattern-rate.png"), "Predicted Edge-Ring rate by chamber at step " + step.step()
                    + " (p = " + Figures.g3(step.p()) + ")", "Edge-Ring rate", bars, culpritTool);
            report.image("join-pattern-rate.png", "ADC → RCA: predicted Edge-Ring rate by chamber at the culprit step; "
                    + "culprit in red");
        }
        ApcJoin.Result aj = join.apc();
        Instant t0 = fab.histories().get(0).runs().get(0).time();
        Map<String, double[][]> series = new LinkedHashMap<>();
        aj.byThread().forEach((thread, ests) -> {
            List<ApcJoin.Estimate> perLot = new ArrayList<>();
            for (ApcJoin.Estimate e : ests) {
                if (perLot.isEmpty() || !perLot.get(perLot.size() - 1).time().equals(e.time())) {
                    perLot.add(e);
                }
            }
            double[] x = new double[perLot.size()];
            double[] y = new double[perLot.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = days(t0, perLot.get(i).time());
                y[i] = perLot.get(i).intercept();
            }
            series.put(thread.replace("APC thread ", "").replace(" intercept", ""), new double[][] {x, y});
        });
        Charts.lines(report.imagePath("join-apc-intercepts.png"), "APC threads at step " + fab.plantedStep().id()
                        + ": estimated intercept per lot", "days since the first release", "estimated intercept (nm)", series,
                List.of(), events(new Charts.Marker(days(t0, join.faultStart()), "fault starts"),
                        new Charts.Marker(days(t0, join.referenceEnd()), "reference ends"),
                        new Charts.Marker(days(t0, join.anomalousStart()), "anomalous from")));
        report.paragraph("APC → RCA. One APC thread per tool/chamber of step " + fab.plantedStep().id() + " (state in the "
                + "embedded SQLite database apc-threads.db, " + join.updates() + " durable updates) controls its chamber; "
                + "the planted chamber's process shifts by " + (int) JoinStage.PROCESS_SHIFT + " nm when the fault starts. "
                + "Each thread's estimated intercept over the anomalous period against the reference period is a candidate "
                + "cause beside the tools (robust z).");
        report.image("join-apc-intercepts.png", "APC → RCA: estimated intercept per thread over time; the fault's start "
                + "and the periods marked");
        report.figures(figures.pairs("APC threads", "joined ranking top cause"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(8, aj.joined().size()); i++) {
            Cause c = aj.joined().get(i);
            rows.add(List.of(Integer.toString(i + 1), c.name(), Figures.f3(c.score())));
        }
        report.table(List.of("rank", "candidate (tool or APC thread)", "|robust z|"), rows);
    }

    /** Event lines, those within 0.1 day of each other drawn as one with their labels joined. */
    private static List<Charts.Marker> events(Charts.Marker... ms) {
        List<Charts.Marker> out = new ArrayList<>();
        for (Charts.Marker m : ms) {
            int near = -1;
            for (int i = 0; i < out.size(); i++) {
                if (Math.abs(out.get(i).at() - m.at()) < 0.1) {
                    near = i;
                }
            }
            if (near < 0) {
                out.add(m);
            } else {
                out.set(near, new Charts.Marker(out.get(near).at(), out.get(near).label() + ", " + m.label()));
            }
        }
        return out;
    }

    private static double days(Instant t0, Instant t) {
        return Duration.between(t0, t).toMinutes() / 1440.0;
    }

    // ---------------------------------------------------------------- files

    private void files() throws IOException {
        report.section("files", "Files written by this run");
        List<String> hrefs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(outDir)) {
            s.filter(Files::isRegularFile).map(p -> outDir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("index.html")).sorted().forEach(hrefs::add);
        }
        report.paragraph("Every file beside this report (" + hrefs.size() + "), including the images above:");
        report.links(hrefs);
    }
}
