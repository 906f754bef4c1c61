package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.core.wafer.WaferMap;
import org.slf4j.LoggerFactory;
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
    @Option(names = "--json", description = "print one JSON object (schema fabai/adc-evaluate, cli/JSON.md) instead of text")
    boolean json;
    @CommandLine.Mixin
    Json.CsvOption csv;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // with --json, stdout carries the JSON object only; what the text prints as it goes goes to stderr
        PrintWriter w = json ? spec.commandLine().getErr() : out;
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
        if (!json) {
            w.printf(Locale.ROOT, "%d maps, %d classes, %d-fold cross-validation grouped by %s, seed %d, fold hash %s%n",
                    all.size(), all.classes().size(), folds, groupBy, data.seed, hash.substring(0, 16));
            w.flush();
        }
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            Map<String, CrossValidation.Result> byName = new LinkedHashMap<>();
            for (int i = 0; i < fams.size(); i++) {
                CrossValidation.Result r = CrossValidation.run(fams.get(i), all, groups, cfg);
                byName.put(fitted.get(i), r);
                if (json || csv.given()) {
                    results.add(result(fitted.get(i), r, null));
                }
                if (!json) {
                    print(w, r);
                }
            }
            if (derivedEnsemble) {
                CrossValidation.Result e = CrossValidation.ensemble("ensemble (small + " + cnnMember + ")",
                        List.of(byName.get("small"), byName.get(cnnMember)));
                if (json || csv.given()) {
                    results.add(result("ensemble", e, List.of("small", cnnMember)));
                }
                if (!json) {
                    print(w, e);
                }
            }
        } finally {
            families.close();
        }
        if (csv.given()) {
            // one row per model and fold
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> res : results) {
                for (Object f : (List<?>) res.get("folds")) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("model", res.get("model"));
                    row.put("family", res.get("family"));
                    row.putAll(castMap((Map<?, ?>) f));
                    rows.add(row);
                }
            }
            csv.write(rows);
        }
        if (json) {
            Map<String, Object> j = Json.object("adc evaluate", 1);
            j.put("data", data.npz == null ? null : data.npz.toString());
            j.put("maps", all.size());
            j.put("classes", all.classes());
            j.put("folds", folds);
            j.put("groupBy", groupBy);
            j.put("seed", data.seed);
            j.put("foldHash", hash);
            j.put("results", results);
            Json.print(out, j);
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** One family's cross-validation as the {@code fabai/adc-evaluate} schema's {@code results[]} entry. */
    static Map<String, Object> result(String name, CrossValidation.Result r, List<String> derivedFrom) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("family", r.family());
        m.put("derivedFrom", derivedFrom);
        m.put("meanMacroF1", Json.num(r.meanMacroF1()));
        m.put("stdMacroF1", Json.num(r.stdMacroF1()));
        m.put("meanAccuracy", Json.num(r.meanAccuracy()));
        List<Map<String, Object>> fs = new ArrayList<>();
        for (CrossValidation.Fold f : r.folds()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("fold", f.fold());
            x.put("trainSize", f.trainSize());
            x.put("testSize", f.testSize());
            x.put("macroF1", Json.num(f.macroF1()));
            x.put("accuracy", Json.num(f.accuracy()));
            x.put("rejectRate", Json.num(f.rejectRate()));
            x.put("acceptedAccuracy", Json.num(f.acceptedAccuracy()));
            x.put("threshold", Json.num(f.threshold()));
            x.put("fitSeconds", Json.num(f.fitSeconds()));
            fs.add(x);
        }
        m.put("folds", fs);
        List<Map<String, Object>> pc = new ArrayList<>();
        for (ConfusionMatrix.ClassMetrics c : r.pooled().perClass()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("class", c.className());
            x.put("precision", Json.num(c.precision()));
            x.put("recall", Json.num(c.recall()));
            x.put("f1", Json.num(c.f1()));
            x.put("support", c.support());
            pc.add(x);
        }
        m.put("perClass", pc);
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("classes", r.pooled().classes());
        cm.put("counts", r.pooled().counts());
        List<Long> rejected = new ArrayList<>();
        for (String c : r.pooled().classes()) {
            rejected.add(r.pooled().rejected(c));
        }
        cm.put("rejected", rejected);
        m.put("pooledConfusion", cm);
        return m;
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
        if ("lot_name".equals(groupBy) && !groups.isEmpty() && groups.stream().allMatch(g -> g == null || g.isEmpty())) {
            LoggerFactory.getLogger(AdcEvaluate.class).warn("--group-by lot_name: no map has a lot name, so every map"
                    + " is a group of its own (as --group-by none) and maps of one lot can fall on both sides of a split,"
                    + " which scores too well; give the file a lot_name array of strings");
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
