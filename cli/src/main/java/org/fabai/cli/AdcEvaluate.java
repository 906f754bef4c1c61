package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
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
            description = "model families, comma-separated: small (features + soft vote of forest, boosting, SVM and"
                    + " logistic regression), rf, gbm, svm, logistic (one learner), small-gen, generator-only,"
                    + " generator-only-rf, cnn, cnn-pretrained, ensemble (default ${DEFAULT-VALUE})")
    List<String> models;
    @CommandLine.Mixin
    AdcFamilies families;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        LabelledMaps all = data.load();
        List<String> groups = groups(all, groupBy);
        // an ensemble whose members are cross-validated too is computed from their held-out
        // probabilities (the same models, not fitted twice)
        List<String> names = new ArrayList<>();
        for (String m : models) {
            names.add(m.trim().toLowerCase(Locale.ROOT));
        }
        String cnnMember = families.pretrained != null || families.pretrainPerClass > 0 ? "cnn-pretrained" : "cnn";
        boolean derivedEnsemble = names.contains("ensemble") && names.contains("small") && names.contains(cnnMember);
        List<String> fitted = new ArrayList<>(names);
        if (derivedEnsemble) {
            fitted.remove("ensemble");
        }
        List<ModelFamily> fams = families.families(fitted, data.seed, w);
        CrossValidation.Config cfg = new CrossValidation.Config(folds, data.seed);
        String hash = CrossValidation.foldHash(CrossValidation.groupFolds(groups, folds, data.seed));
        w.printf(Locale.ROOT, "%d maps, %d classes, %d-fold cross-validation grouped by %s, seed %d, fold hash %s%n",
                all.size(), all.classes().size(), folds, groupBy, data.seed, hash.substring(0, 16));
        w.flush();
        try {
            java.util.Map<String, CrossValidation.Result> byName = new java.util.LinkedHashMap<>();
            for (int i = 0; i < fams.size(); i++) {
                CrossValidation.Result r = CrossValidation.run(fams.get(i), all, groups, cfg);
                byName.put(fitted.get(i), r);
                print(w, r);
            }
            if (derivedEnsemble) {
                print(w, CrossValidation.ensemble("ensemble (small + " + cnnMember + ")",
                        List.of(byName.get("small"), byName.get(cnnMember))));
            }
        } finally {
            families.close();
        }
        return 0;
    }

    /**
     * @param all     labelled maps
     * @param groupBy {@code lot_name} (each map's lot; no lot: a group of its own) or {@code none}
     * @return per map, its group for lot-grouped splits
     */
    static List<String> groups(LabelledMaps all, String groupBy) {
        if (!"lot_name".equals(groupBy) && !"none".equals(groupBy)) {
            throw new IllegalArgumentException("--group-by must be lot_name or none, got '" + groupBy + "'");
        }
        List<String> groups = new ArrayList<>(all.size());
        for (WaferMap m : all.maps()) {
            groups.add("none".equals(groupBy) ? "" : m.lotId());
        }
        return groups;
    }

    private static void print(PrintWriter w, CrossValidation.Result r) {
        w.print(r.summary());
        w.println("  pooled confusion matrix (rows: truth, columns: predicted):");
        w.print(indent(r.pooled()));
        w.flush();
    }

    private static String indent(ConfusionMatrix cm) {
        StringBuilder sb = new StringBuilder();
        for (String line : cm.report("none").split("\n")) {
            sb.append("    ").append(line).append('\n');
        }
        return sb.toString();
    }
}
