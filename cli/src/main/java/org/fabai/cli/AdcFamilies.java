package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.GeneratorOnlyFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.adc.model.cnn.PretrainedCnnFamily;
import org.fabai.adc.model.ensemble.EnsembleFamily;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.WaferMapGenerator;
import picocli.CommandLine.Option;

/**
 * The model families the {@code adc} commands compare, by name: {@code small}, {@code svm},
 * {@code small-gen} (the small model with generated maps added to its training maps; validation and
 * the reject threshold from the labelled maps alone),
 * {@code generator-only} (the small model trained on generated maps alone),
 * {@code cnn}, {@code cnn-pretrained} (fine-tuned from a CNN trained on generated maps) and
 * {@code ensemble} (small model and CNN averaged; the pretrained CNN when one is given).
 */
public final class AdcFamilies {
    @Option(names = "--epochs", description = "CNN maximum epochs (default: the recipe's: 30 for real labels)")
    Integer epochs;
    @Option(names = "--pretrained", paramLabel = "CNN.fabai",
            description = "a CNN trained on generated maps to fine-tune from (cnn-pretrained, ensemble)")
    Path pretrained;
    @Option(names = "--pretrain", paramLabel = "N", defaultValue = "0",
            description = "else: pretrain a CNN on N maps per class from the calibrated generator first"
                    + " (default ${DEFAULT-VALUE}: none)")
    int pretrainPerClass;
    @Option(names = "--pretrain-epochs", defaultValue = "15",
            description = "epochs of that pretraining (default ${DEFAULT-VALUE})")
    int pretrainEpochs;

    @Option(names = "--generated", paramLabel = "N", defaultValue = "100",
            description = "small-gen: maps per class of the calibrated generator added to the labelled training maps;"
                    + " generator-only: its training maps per class (default ${DEFAULT-VALUE})")
    int generatedPerClass;

    private CnnClassifier base;
    private LabelledMaps extra;

    /**
     * @param perClass maps per class
     * @param seed     seed
     * @return maps drawn by the calibrated generator, {@code perClass} of every class
     */
    public static LabelledMaps generated(int perClass, long seed) {
        return LabelledMaps.ofSynthetic(new WaferMapGenerator(GeneratorConfig.calibrated())
                .balanced(perClass, seed + 1_000_003L));
    }

    /**
     * The generated maps added to a fab's labelled maps ({@code adc train --data --generated}, the
     * {@code small-gen} family): the calibrated generator's, drawn from {@code seed}, of the classes the
     * labelled maps hold (a generated class the fab does not label would be a class the model invents).
     *
     * @param perClass maps per class (positive)
     * @param seed     the run's seed
     * @param classes  the classes of the labelled maps
     * @return the maps (empty when no class of the generator is among {@code classes})
     */
    public static LabelledMaps addedToLabels(int perClass, long seed, java.util.Collection<String> classes) {
        LabelledMaps g = generated(perClass, seed + 17);
        int[] keep = java.util.stream.IntStream.range(0, g.size()).filter(i -> classes.contains(g.labels().get(i))).toArray();
        return keep.length == g.size() ? g : g.subset(keep);
    }

    /** The CNN recipe for labelled maps from a fab. */
    CnnConfig cnnConfig(long seed) {
        CnnConfig c = CnnConfig.realDataDefaults(seed);
        return epochs == null ? c : c.withEpochs(epochs);
    }

    /** The fine-tuning recipe: the real-data recipe at a third of the learning rate. */
    CnnConfig fineTuneConfig(long seed) {
        CnnConfig c = cnnConfig(seed);
        return c.withLearningRate(c.learningRate() / 3);
    }

    /** The pretrained CNN (loaded or trained on first use), or null when none was asked for. */
    CnnClassifier pretrained(long seed, PrintWriter log) throws Exception {
        if (base == null && pretrained != null) {
            base = CnnClassifier.load(pretrained);
        } else if (base == null && pretrainPerClass > 0) {
            long t0 = System.nanoTime();
            LabelledMaps gen = generated(pretrainPerClass, seed);
            base = CnnClassifier.train(gen.maps(), gen.labels(), CnnConfig.defaults(seed).withEpochs(pretrainEpochs));
            log.printf(Locale.ROOT, "pretrained a CNN on %d generated maps in %.1f s (validation macro-F1 %s)%n",
                    gen.size(), (System.nanoTime() - t0) / 1e9, base.provenance().get("metric.validation.macroF1").orElse("?"));
            log.flush();
        }
        return base;
    }

    ModelFamily family(String name, long seed, PrintWriter log) throws Exception {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "small" -> new FeatureModelFamily("small (soft vote: forest, boosting, SVM, logistic)",
                    FeatureClassifierConfig.realDataDefaults(seed));
            case "small-gen" -> {
                if (generatedPerClass < 1) {
                    throw new IllegalArgumentException("small-gen adds --generated maps per class: needs 1 or more, got "
                            + generatedPerClass);
                }
                if (extra == null) {
                    extra = addedToLabels(generatedPerClass, seed, DefectPattern.wm811kLabels());
                }
                yield new FeatureModelFamily("small + generated (soft vote)", FeatureClassifierConfig.realDataDefaults(seed),
                        extra);
            }
            case "rf" -> new FeatureModelFamily("small (random forest)", FeatureClassifierConfig.defaults().withSeed(seed));
            case "gbm" -> new FeatureModelFamily("small (gradient boosting)", FeatureClassifierConfig.defaults()
                    .withSeed(seed).withAlgorithm(FeatureClassifierConfig.Algorithm.GRADIENT_BOOSTING));
            case "svm" -> new FeatureModelFamily("small (SVM)", FeatureClassifierConfig.defaults().withSeed(seed)
                    .withAlgorithm(FeatureClassifierConfig.Algorithm.SVM));
            case "logistic" -> new FeatureModelFamily("small (logistic regression)", FeatureClassifierConfig.defaults()
                    .withSeed(seed).withAlgorithm(FeatureClassifierConfig.Algorithm.LOGISTIC));
            case "generator-only", "generator-only-rf" -> {
                if (generatedPerClass < 1) {
                    throw new IllegalArgumentException(name.trim() + " trains on --generated maps per class: needs 1 or"
                            + " more, got " + generatedPerClass);
                }
                yield generatorOnly(name.trim().toLowerCase(Locale.ROOT), seed);
            }
            case "cnn" -> new CnnFamily(cnnConfig(seed));
            case "cnn-pretrained" -> new PretrainedCnnFamily(requirePretrained(seed, log), fineTuneConfig(seed));
            case "ensemble" -> {
                CnnClassifier p = pretrained(seed, log);
                ModelFamily cnn = p == null ? new CnnFamily(cnnConfig(seed)) : new PretrainedCnnFamily(p, fineTuneConfig(seed));
                yield new EnsembleFamily(p == null ? "ensemble (small + cnn)" : "ensemble (small + cnn-pretrained)",
                        List.of(family("small", seed, log), cnn));
            }
            default -> throw new IllegalArgumentException("unknown model family '" + name
                    + "'; expected small, small-gen, rf, gbm, svm, logistic, generator-only, generator-only-rf, cnn,"
                    + " cnn-pretrained or ensemble");
        };
    }

    /** The small model (the vote, or the forest for {@code generator-only-rf}) on generated maps alone. */
    private ModelFamily generatorOnly(String name, long seed) {
        FeatureModelFamily learner = name.endsWith("-rf")
                ? new FeatureModelFamily("small (random forest)", FeatureClassifierConfig.defaults().withSeed(seed))
                : new FeatureModelFamily("small", FeatureClassifierConfig.realDataDefaults(seed));
        return new GeneratorOnlyFamily(learner, generated(generatedPerClass, seed + 29));
    }

    List<ModelFamily> families(List<String> names, long seed, PrintWriter log) throws Exception {
        List<ModelFamily> out = new ArrayList<>();
        for (String n : names) {
            out.add(family(n, seed, log));
        }
        return out;
    }

    private CnnClassifier requirePretrained(long seed, PrintWriter log) throws Exception {
        CnnClassifier p = pretrained(seed, log);
        if (p == null) {
            throw new IllegalArgumentException("cnn-pretrained needs --pretrained CNN.fabai or --pretrain N");
        }
        return p;
    }

    void close() {
        if (base != null) {
            base.close();
        }
    }
}
