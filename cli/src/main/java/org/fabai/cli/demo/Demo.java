package org.fabai.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.apc.sim.ComparisonTable;
import org.fabai.core.io.FormatException;
import org.fabai.rca.Ranking;
import org.fabai.rca.synth.FabEvaluation;

/**
 * The end-to-end demo as a composition: five stages, each returning a typed result
 * ({@link FormatsStage}, {@link ClassifyStage}, {@link ControlStage}, {@link RootCauseStage},
 * {@link JoinStage}), their key figures printed as they become known, and {@link DemoReport}
 * rendering the results as HTML. Not thread-safe; one instance per run.
 */
final class Demo {

    private final DemoConfig cfg;
    private final Path outDir;
    private final Path realMaps;
    private final Progress progress;
    private final Figures figures;

    /**
     * @param realMaps a labelled NPZ of the fab's own maps for the real-data learning curve
     *                 ({@link RealCurveStage}), or null to leave that stage out
     */
    Demo(DemoConfig cfg, Path outDir, Path realMaps, PrintWriter out) {
        this.cfg = cfg;
        this.outDir = outDir;
        this.realMaps = realMaps;
        this.progress = new Progress(out, realMaps == null ? 5 : 6);
        this.figures = new Figures(progress);
    }

    /** @return the key figures printed and reported */
    Map<String, String> figures() {
        return figures.all();
    }

    Path run() throws IOException, FormatException {
        Files.createDirectories(outDir);
        progress.stage("wafer maps of all pattern classes, written as KLARF and STDF and read back");
        FormatsStage.Result formats = FormatsStage.run(cfg, outDir.resolve("files"), progress);
        figures.put("maps generated", Integer.toString(formats.wafers().size()));
        figures.put("KLARF round trip", formats.klarfOk() + "/" + formats.sample().size());
        figures.put("STDF round trip", formats.stdfOk() + "/" + formats.sample().size());
        progress.done();

        progress.stage("defect classification: small model (features + random forest), CNN, learning curve");
        ClassifyStage.Result adc = ClassifyStage.run(cfg, formats.wafers(), formats.classes(), outDir.resolve("files"), progress);
        try {
            classifyFigures(adc);
            progress.done();

            RealCurveStage.Result real = null;
            if (realMaps != null) {
                progress.stage("learning curve on real labelled maps: which model at which number of labels");
                real = RealCurveStage.run(cfg, realMaps, progress);
                realCurveFigures(real);
                progress.done();
            }

            progress.stage("run-to-run control: EWMA vs double EWMA vs Kalman, drift + maintenance shift");
            ControlStage.Result apc = ControlStage.run(cfg, DemoProcess.CMP, progress);
            for (ComparisonTable.Row r : apc.table().rows()) {
                figures.put("MSE " + r.controller(), Figures.f3(r.mse()));
            }
            figures.put("best controller", apc.best().controller());
            progress.done();

            progress.stage("root cause on a synthetic fab with a planted bad chamber; joined with ADC and APC");
            RootCauseStage.Result rca = RootCauseStage.run(cfg, progress);
            JoinStage.Result join = JoinStage.run(cfg, rca.fab(), adc.small(), rca.baseline(), DemoProcess.CMP, outDir, progress);
            rootCauseFigures(rca, join);
            progress.done();

            progress.stage("report");
            Path summary = writeSummary();
            Path index = new DemoReport(cfg, outDir, figures).write(formats, adc, real, apc, rca, join);
            progress.step("wrote %s and %s", index, summary.getFileName());
            progress.done();
            return index;
        } finally {
            adc.small().close();
        }
    }

    private void classifyFigures(ClassifyStage.Result adc) {
        figures.put("held-out maps", Integer.toString(adc.testMaps().size()));
        figures.put("small model macro-F1", Figures.f3(adc.cm().macroF1()));
        figures.put("small model macro-F1 without none",
                Figures.f3(adc.cm().macroF1Excluding(List.of(DefectPattern.NONE.label()))));
        figures.put("small model accuracy", Figures.f3(adc.cm().accuracy()));
        figures.put("small model balanced accuracy", Figures.f3(adc.cm().balancedAccuracy()));
        figures.put("unknown (rejected) rate", Figures.f3(adc.cm().rejectRate()));
        if (adc.cnnCm() != null) {
            figures.put("CNN macro-F1", Figures.f3(adc.cnnCm().macroF1()));
            figures.put("CNN accuracy", Figures.f3(adc.cnnCm().accuracy()));
        }
        figures.put("learning-curve winner at " + adc.largest() + " maps", adc.winner());
    }

    private void realCurveFigures(RealCurveStage.Result real) {
        figures.put("real maps", real.describe());
        for (int size : real.curve().config().sizes()) {
            figures.put("real maps: best model at " + size + " labels", real.curve().winnerAt(size));
        }
        int largest = real.largest();
        for (String f : real.curve().families()) {
            figures.put("real maps: " + f + " macro-F1 at " + largest, Figures.f3(real.curve().mean(f, largest)));
        }
    }

    private void rootCauseFigures(RootCauseStage.Result rca, JoinStage.Result join) {
        String truth = rca.fab().plantedCause();
        figures.put("planted cause", truth);
        figures.put("commonality top cause", top(rca.commonality()));
        figures.put("SCM attribution top cause", top(rca.scm()));
        figures.put("robust z baseline top cause", top(rca.baseline()));
        List<String> foundBy = rca.rankedFirstBy();
        figures.put("planted cause ranked first by", foundBy.isEmpty() ? "none" : String.join(", ", foundBy));
        if (!rca.bootstrap().isEmpty()) {
            figures.put("bootstrap: top cause ranked first", Figures.f3(rca.bootstrap().get(0).firstRate()));
        }
        figures.put("chamber that goes with predicted Edge-Ring maps", join.pattern().culprit());
        figures.put("predicted Edge-Ring: p of that step", Figures.g3(join.pattern().p()));
        figures.put("APC threads", Integer.toString(join.apc().byThread().size()));
        figures.put("joined ranking top cause", join.apc().top());
        for (FabEvaluation.Accuracy a : rca.accuracy()) {
            figures.put("AC@1 " + a.method(), Figures.f3(a.ac1()));
        }
    }

    private static String top(Ranking r) {
        return r.causes().isEmpty() ? "-" : r.top().name();
    }

    /**
     * Writes {@code summary.json} (before the report, which links it): the key figures as printed,
     * for pipelines (schema {@code fabai/demo-summary}, version 1, cli/JSON.md).
     */
    private Path writeSummary() throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "fabai/demo-summary");
        j.put("version", 1);
        j.put("seed", cfg.seed());
        j.put("report", "index.html");
        j.put("figures", figures.all());
        Path f = outDir.resolve("summary.json");
        Files.writeString(f, new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls()
                .disableHtmlEscaping().create().toJson(j) + "\n");
        return f;
    }
}
