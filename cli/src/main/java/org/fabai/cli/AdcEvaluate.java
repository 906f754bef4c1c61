package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.core.wafer.WaferMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabai adc evaluate}: lot-grouped cross-validation of one or more model families. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Cross-validate models on labelled maps, folds grouped by lot (a model is always scored on"
                + " lots it never saw): macro-F1 mean and spread, per-class F1, pooled confusion matrix.")
final class AdcEvaluate implements Callable<Integer> {
    @CommandLine.Mixin
    AdcCommand.Data data;
    @Option(names = "--cv", defaultValue = "5", description = "number of folds K (default ${DEFAULT-VALUE})")
    int folds;
    @Option(names = "--group-by", defaultValue = "lot_name",
            description = "lot_name (maps of one lot stay in one fold; maps without a lot name are their own group)"
                    + " or none (each map its own group) (default ${DEFAULT-VALUE})")
    String groupBy;
    @Option(names = "--model", split = ",", defaultValue = "small,cnn",
            description = "model families, comma-separated: small (features + random forest), svm, cnn"
                    + " (default ${DEFAULT-VALUE})")
    List<String> models;
    @Option(names = "--epochs", description = "CNN maximum epochs (default: CnnConfig's)")
    Integer epochs;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        LabelledMaps all = data.load();
        List<String> groups = new ArrayList<>(all.size());
        if ("lot_name".equals(groupBy)) {
            for (WaferMap m : all.maps()) {
                groups.add(m.lotId());
            }
        } else if ("none".equals(groupBy)) {
            for (int i = 0; i < all.size(); i++) {
                groups.add("");
            }
        } else {
            throw new IllegalArgumentException("--group-by must be lot_name or none, got '" + groupBy + "'");
        }
        List<ModelFamily> fams = new ArrayList<>();
        for (String m : models) {
            switch (m.trim().toLowerCase(Locale.ROOT)) {
                case "small" -> fams.add(new FeatureModelFamily("small (random forest)",
                        FeatureClassifierConfig.defaults().withSeed(data.seed)));
                case "svm" -> fams.add(new FeatureModelFamily("small (SVM)", FeatureClassifierConfig.defaults()
                        .withSeed(data.seed).withAlgorithm(FeatureClassifierConfig.Algorithm.SVM)));
                case "cnn" -> {
                    CnnConfig cfg = CnnConfig.defaults(data.seed);
                    fams.add(new CnnFamily(epochs == null ? cfg : cfg.withEpochs(epochs)));
                }
                default -> throw new IllegalArgumentException("--model: unknown family '" + m
                        + "'; expected small, svm or cnn");
            }
        }
        CrossValidation.Config cfg = new CrossValidation.Config(folds, data.seed);
        w.printf(Locale.ROOT, "%d maps, %d classes, %d-fold cross-validation grouped by %s%n", all.size(),
                all.classes().size(), folds, groupBy);
        w.flush();
        for (ModelFamily f : fams) {
            CrossValidation.Result r = CrossValidation.run(f, all, groups, cfg);
            w.print(r.summary());
            w.println("  pooled confusion matrix (rows: truth, columns: predicted):");
            w.print(indent(r.pooled()));
            w.flush();
        }
        return 0;
    }

    private static String indent(ConfusionMatrix cm) {
        StringBuilder sb = new StringBuilder();
        for (String line : cm.report("none").split("\n")) {
            sb.append("    ").append(line).append('\n');
        }
        return sb.toString();
    }
}
