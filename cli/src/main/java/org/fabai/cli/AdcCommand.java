package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.eval.InputShift;
import org.fabai.adc.model.ensemble.EnsembleClassifier;
import org.fabai.adc.eval.EvalCharts;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.LearningCurve;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.eval.MultiLabelMetrics;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.adc.model.cnn.EngineKind;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.io.FileFormat;
import org.fabai.core.io.WaferFiles;
import org.fabai.core.io.WaferSummary;
import org.fabai.core.io.npy.NpyLimits;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai adc ...}: generate, train, export, classify, learning curve. */
@Command(name = "adc", mixinStandardHelpOptions = true, description = "Wafer-map defect classification.",
        subcommands = {AdcCommand.Generate.class, AdcCommand.Train.class, AdcCommand.Export.class,
            AdcCommand.Classify.class, AdcCommand.Curve.class, AdcEvaluate.class})
final class AdcCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which generator makes the maps when no file is given. */
    enum Generator {
        /** {@link GeneratorConfig#defaults()}: square 40-80 die grids, the generator's own ranges. */
        PLAIN,
        /**
         * {@link GeneratorConfig#calibrated()}: sizes, outlines, background and pattern ranges fitted
         * to real WM-811K maps; what a model meant for a fab's maps is trained on.
         */
        CALIBRATED;

        GeneratorConfig config() {
            return this == CALIBRATED ? GeneratorConfig.calibrated() : GeneratorConfig.defaults();
        }
    }

    /** Where labelled maps come from: an NPZ file or the generator. */
    static final class Data {
        @Option(names = "--data", description = "labelled wafer maps: NPZ (maps [n,rows,cols] of 0/1/2 + labels)")
        Path npz;
        @Option(names = "--synthetic", defaultValue = "100", description = "else: generated maps per class (default ${DEFAULT-VALUE})")
        int perClass;
        @Option(names = "--generator", description = "with generated maps: ${COMPLETION-CANDIDATES} (calibrated: fitted to"
                + " real WM-811K maps; default: calibrated for adc train, plain for evaluate, curve and --multi-label)")
        Generator generator;
        @Option(names = "--seed", defaultValue = "1", description = "random seed (generator, splits, training)")
        long seed;

        /** Maps from the file, else from the generator ({@code --generator}, else plain). */
        LabelledMaps load() throws Exception {
            return load(Generator.PLAIN);
        }

        /**
         * @param fallback the generator when {@code --generator} is not given
         * @return maps from the file, else from the generator
         * @throws IllegalArgumentException when {@code --generator} is given beside {@code --data}
         */
        LabelledMaps load(Generator fallback) throws Exception {
            if (npz != null) {
                requireNoGenerator();
                return LabelledMaps.readNpz(npz);
            }
            return LabelledMaps.ofSynthetic(new WaferMapGenerator(generator(fallback).config()).balanced(perClass, seed));
        }

        /** @return the generator generated maps come from */
        Generator generator(Generator fallback) {
            return generator == null ? fallback : generator;
        }

        private void requireNoGenerator() {
            if (generator != null) {
                throw new IllegalArgumentException("--generator " + generator.name().toLowerCase(Locale.ROOT)
                        + " applies to generated maps; these come from --data " + npz);
            }
        }

        /**
         * Maps with label sets, for multi-label training: an NPZ's labels (its class names, else the
         * labels that occur, sorted), else generated MixedWM38-style maps, {@code --synthetic} per
         * combination.
         */
        MultiLabelled loadMulti() throws Exception {
            if (npz != null) {
                requireNoGenerator();
                WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(npz);
                if (!d.hasLabels()) {
                    throw new BadInputException(npz + ": no labels in the file (expected arr_1 beside arr_0, or one of "
                            + WaferMapArrays.LABEL_KEYS + ")");
                }
                List<Set<String>> sets = new ArrayList<>();
                Set<String> seen = new java.util.TreeSet<>();
                for (List<String> l : d.labels()) {
                    Set<String> set = new java.util.LinkedHashSet<>(l);
                    set.remove("none");
                    sets.add(set);
                    seen.addAll(set);
                }
                List<String> names = d.classNames().isEmpty() ? new ArrayList<>(seen) : new ArrayList<>(d.classNames());
                names.remove("none");
                return new MultiLabelled(d.maps(), sets, names);
            }
            List<SyntheticWafer> w = new WaferMapGenerator(generator(Generator.PLAIN).config()).mixedWm38(perClass, seed);
            return new MultiLabelled(WaferMapGenerator.maps(w), labelSets(w), mixedLabelNames());
        }
    }

    /** Maps, the labels on each, and every label name in output order. */
    record MultiLabelled(List<WaferMap> maps, List<Set<String>> labelSets, List<String> labelNames) {
    }

    /** The labels of MixedWM38's eight defect types, in its order. */
    static List<String> mixedLabelNames() {
        List<String> names = new ArrayList<>();
        for (DefectPattern p : DefectPattern.mixedWm38Types()) {
            names.add(p.label());
        }
        return names;
    }

    /** The pattern labels on each generated wafer. */
    static List<Set<String>> labelSets(List<SyntheticWafer> wafers) {
        List<Set<String>> out = new ArrayList<>();
        for (SyntheticWafer w : wafers) {
            Set<String> set = new java.util.LinkedHashSet<>();
            for (DefectPattern p : DefectPattern.values()) {
                if (w.patterns().contains(p)) {
                    set.add(p.label());
                }
            }
            out.add(set);
        }
        return out;
    }

    static WaferMapClassifier load(Path model, EngineKind engine) throws Exception {
        WaferMapClassifier c = WaferMapClassifier.load(model);
        if (c instanceof CnnClassifier cnn) {
            return engine == null || engine == EngineKind.DL4J ? cnn : cnn.withEngine(engine);
        }
        if (engine != null) {
            c.close();
            throw new IllegalArgumentException("--engine applies to CNN models; " + model + " holds a "
                    + c.getClass().getSimpleName());
        }
        return c;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write generated, labelled wafer maps of the nine WM-811K classes (or, with --mixed, of "
                    + "MixedWM38's 38 combinations of 8 types, multi-hot labels) to an NPZ file.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--per-class", defaultValue = "100", description = "maps per class (per combination with --mixed)")
        int perClass;
        @Option(names = "--mixed", description = "MixedWM38-style mixed-type maps, multi-hot labels")
        boolean mixed;
        @Option(names = "--size", description = "map side in dies (default 52 for the plain generator; the calibrated"
                + " one draws sizes like real WM-811K maps unless given)")
        Integer size;
        @Option(names = "--generator", defaultValue = "plain", description = "${COMPLETION-CANDIDATES} (calibrated: fitted"
                + " to real WM-811K maps; default ${DEFAULT-VALUE})")
        Generator generator;
        @Option(names = "--seed", defaultValue = "1", description = "random seed")
        long seed;
        @Parameters(paramLabel = "OUT.npz", description = "NPZ file to write")
        Path out;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            GeneratorConfig config = generator.config();
            if (size != null || generator == Generator.PLAIN) {
                config = config.withFixedSize(size == null ? 52 : size);
            }
            WaferMapGenerator gen = new WaferMapGenerator(config);
            List<SyntheticWafer> w;
            List<List<String>> labels = new ArrayList<>();
            List<String> classes;
            if (mixed) {
                w = gen.mixedWm38(perClass, seed);
                for (Set<String> l : labelSets(w)) {
                    labels.add(List.copyOf(l));
                }
                classes = mixedLabelNames();
            } else {
                w = gen.balanced(perClass, seed);
                for (String l : WaferMapGenerator.labels(w)) {
                    labels.add(List.of(l));
                }
                classes = new ArrayList<>(new java.util.TreeSet<>(WaferMapGenerator.labels(w)));
            }
            List<WaferMap> maps = WaferMapGenerator.maps(w);
            WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(maps, labels, classes), out, true);
            String[] range = MapSizing.sizeRanges(maps);
            boolean oneSize = maps.stream().allMatch(m -> m.rows() == maps.get(0).rows() && m.cols() == maps.get(0).cols());
            String sizes = oneSize ? maps.get(0).rows() + "x" + maps.get(0).cols()
                    : "rows " + range[0] + " x cols " + range[1];
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d maps of %s, %d classes, to %s%n", w.size(), sizes,
                    classes.size(), out);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a classifier and save it with provenance.")
    static final class Train implements Callable<Integer> {
        /** Generated maps per class the small model gets beside few labelled maps when {@code --generated} is not given. */
        static final int AUTO_GENERATED = 100;
        /** Below this many labelled maps per class (on average) the generated maps are added by default. */
        static final int AUTO_GENERATED_BELOW = 100;

        @Option(names = "--model", defaultValue = "small", description = "small (engineered features and Smile"
                + " learners), cnn, or ensemble (both, probabilities averaged) (default ${DEFAULT-VALUE})")
        String model;
        @Option(names = "--pretrained", paramLabel = "CNN.fabai", description = "CNN or ensemble: fine-tune the CNN from"
                + " this CNN (e.g. one trained on generated maps) instead of starting fresh")
        Path pretrained;
        @Option(names = "--algorithm", description = "small model: ${COMPLETION-CANDIDATES} (default: VOTING on labels"
                + " from --data or maps of the calibrated generator, the real-data recipe; RANDOM_FOREST on the plain"
                + " generator's)")
        FeatureClassifierConfig.Algorithm algorithm;
        @Option(names = "--epochs", description = "CNN epochs (default: CnnConfig's)")
        Integer epochs;
        @Option(names = "--input-size", description = "CNN input size N (26..96)")
        Integer inputSize;
        @Option(names = "--arch", description = "CNN architecture: ${COMPLETION-CANDIDATES} (default: CnnConfig's)")
        CnnConfig.Architecture architecture;
        @Option(names = "--width", description = "CNN channel multiplier 1..4 (default 1; 2 with --multi-label)")
        Integer width;
        @Option(names = "--multi-label", description = "CNN for mixed-type maps: one sigmoid output per label, "
                + "per-label thresholds; NPZ label sets, or generated MixedWM38-style maps (--synthetic per "
                + "combination); defaults CnnConfig.mixedTypeDefaults")
        boolean multiLabel;
        @CommandLine.Mixin
        Data data;
        @Option(names = "--generated", paramLabel = "N", description = "small model or ensemble on --data: maps per class"
                + " of the calibrated generator added to the labelled maps, which alone calibrate the reject threshold"
                + " (0: none; default: for --model small " + AUTO_GENERATED + " when the labelled maps average fewer than "
                + AUTO_GENERATED_BELOW + " per class, else 0)")
        Integer generatedPerClass;
        @Option(names = "--out", required = true, description = "model file to write")
        Path out;
        @Option(names = "--json", description = "print one JSON object (schema fabai/adc-train, cli/JSON.md) instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            Verbosity.Stages stages = Verbosity.stages(spec.commandLine().getErr());
            if (multiLabel && !"cnn".equalsIgnoreCase(model)) {
                throw new IllegalArgumentException("--multi-label needs --model cnn, got --model " + model);
            }
            MultiLabelled m = multiLabel ? data.loadMulti() : null;
            LabelledMaps d = multiLabel ? null : data.load(generated());
            int count = multiLabel ? m.maps().size() : d.size();
            LabelledMaps added = addedMaps(d);
            stages.say("training %s on %d %s%s", model, count, data.npz != null ? "maps"
                    : "maps of the " + generated().name().toLowerCase(Locale.ROOT) + " generator",
                    added.size() == 0 ? "" : " (the small model also on " + added.size() + " maps of the calibrated generator)");
            long t0 = System.nanoTime();
            WaferMapClassifier c;
            boolean ensemble = "ensemble".equalsIgnoreCase(model);
            if ("cnn".equalsIgnoreCase(model) || ensemble) {
                if (ensemble && multiLabel) {
                    throw new IllegalArgumentException("--model ensemble is single-label; use --model cnn with --multi-label");
                }
                // labels from a file are a fab's labels: the real-data recipe; generated maps: the defaults
                CnnConfig cfg = multiLabel ? CnnConfig.mixedTypeDefaults(data.seed)
                        : data.npz != null ? CnnConfig.realDataDefaults(data.seed) : CnnConfig.defaults(data.seed);
                if (epochs != null) {
                    cfg = cfg.withEpochs(epochs);
                }
                if (inputSize != null) {
                    cfg = cfg.withInputSize(inputSize);
                }
                if (architecture != null) {
                    cfg = cfg.withArchitecture(architecture);
                }
                if (width != null) {
                    cfg = cfg.withWidth(width);
                }
                CnnClassifier cnn;
                if (multiLabel) {
                    cnn = CnnClassifier.trainMultiLabel(m.maps(), m.labelSets(), m.labelNames(), cfg);
                } else if (pretrained != null) {
                    try (CnnClassifier base = CnnClassifier.load(pretrained)) {
                        cnn = CnnClassifier.fineTune(base, d.maps(), d.labels(), cfg.withLearningRate(cfg.learningRate() / 3));
                    }
                } else {
                    cnn = CnnClassifier.train(d.maps(), d.labels(), cfg);
                }
                if (ensemble) {
                    FeatureClassifier small = fitSmall(d, added);
                    c = new EnsembleClassifier(List.of(small, cnn), new double[] {1, 1}, new double[] {
                        small.threshold().threshold(), cnn.unknownThreshold().threshold()});
                } else {
                    c = cnn;
                }
            } else if ("small".equalsIgnoreCase(model)) {
                c = fitSmall(d, added);
            } else {
                throw new IllegalArgumentException("--model must be small or cnn, got '" + model + "'");
            }
            try (c) {
                c.save(out);
                AdcOutput.trained(w, json, model, multiLabel, count, c, (System.nanoTime() - t0) / 1e9, out);
            }
            w.flush();
            return 0;
        }

        /**
         * The generated maps added to the small model's labelled maps ({@code --generated}), possibly none.
         * Without {@code --generated}: for {@code --model small}, {@value #AUTO_GENERATED} per class when the
         * labelled maps average fewer than {@value #AUTO_GENERATED_BELOW} per class — on the shared real
         * sample that lifts the small model's macro-F1 on held-out lots at every size measured up to 750
         * labels; from about 100 per class the sign depends on the test lots ({@code adc/REAL-DATA.md}).
         */
        private LabelledMaps addedMaps(LabelledMaps d) {
            boolean small = "small".equalsIgnoreCase(model) || "ensemble".equalsIgnoreCase(model);
            if (generatedPerClass != null) {
                if (generatedPerClass < 0) {
                    throw new IllegalArgumentException("--generated must be 0 or more, got " + generatedPerClass);
                }
                if (data.npz == null || multiLabel) {
                    throw new IllegalArgumentException("--generated adds generated maps to the labelled maps of --data"
                            + (multiLabel ? " for a single-label model" : "") + "; without --data, --synthetic sets how"
                            + " many generated maps per class to train on");
                }
                if (!small) {
                    throw new IllegalArgumentException("--generated applies to the small model (--model small or"
                            + " ensemble), not --model " + model);
                }
            }
            if (d == null || data.npz == null || !small) {
                return LabelledMaps.of(List.of(), List.of());
            }
            // automatic for the small model alone: the curve measured it, not the ensemble built on it
            boolean auto = "small".equalsIgnoreCase(model) && d.size() < (long) AUTO_GENERATED_BELOW * d.classes().size();
            int per = generatedPerClass != null ? generatedPerClass : auto ? AUTO_GENERATED : 0;
            if (per == 0) {
                return LabelledMaps.of(List.of(), List.of());
            }
            LabelledMaps g = AdcFamilies.addedToLabels(per, data.seed, d.classes());
            if (g.size() == 0 && generatedPerClass != null) {
                throw new IllegalArgumentException("--generated: the generator draws " + DefectPattern.wm811kLabels()
                        + ", none of them a class of " + data.npz + " " + d.classes());
            }
            return g;
        }

        private FeatureClassifier fitSmall(LabelledMaps d, LabelledMaps added) {
            return FeatureClassifier.fitWithGenerated(d.maps(), d.labels(), added.maps(), added.labels(), smallConfig());
        }

        /**
         * The generator maps come from without {@code --data}: {@code --generator}, else the calibrated one
         * (a model trained on generated maps alone is meant for a fab's maps), plain for MixedWM38-style
         * {@code --multi-label} maps.
         */
        private Generator generated() {
            return data.generator(multiLabel ? Generator.PLAIN : Generator.CALIBRATED);
        }

        /**
         * Labels from a file are a fab's labels, and maps from the calibrated generator are meant for
         * a fab's maps: the real-data recipe (the soft vote); the plain generator: the random forest.
         */
        private FeatureClassifierConfig smallConfig() {
            boolean forRealMaps = data.npz != null || generated() == Generator.CALIBRATED;
            FeatureClassifierConfig base = forRealMaps ? FeatureClassifierConfig.realDataDefaults(data.seed)
                    : FeatureClassifierConfig.defaults().withSeed(data.seed);
            return algorithm == null ? base : base.withAlgorithm(algorithm);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export a CNN model to ONNX (with a .properties sidecar).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--onnx", required = true, paramLabel = "OUT.onnx", description = "ONNX file to write")
        Path onnx;
        @Option(names = "--model", required = true, description = "CNN model file (from adc train --model cnn)")
        Path model;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (CnnClassifier c = CnnClassifier.load(model)) {
                c.exportOnnx(onnx);
            }
            spec.commandLine().getOut().println("wrote " + onnx);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = "Classify the wafers of KLARF, STDF or NPZ files; NPZ labels, when present, give a confusion summary.")
    static final class Classify implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file (from adc train)")
        Path model;
        @Option(names = "--engine", description = "CNN engine: dl4j (default: the network as trained), onnx (ONNX Runtime on the exported graph), java or gpu")
        String engine;
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "KLARF, STDF (.gz too) or NPZ files")
        List<Path> files;
        @Option(names = "--json", description = "print one JSON object with every prediction (schema fabai/adc-classify, cli/JSON.md) instead of text")
        boolean json;
        @Option(names = {"--out", "--csv"}, paramLabel = "FILE.csv", description = "also write every prediction to this CSV (default: none)")
        Path csvOut;
        @Option(names = "--limit", defaultValue = "50", description = "wafers listed per file in the text output (0: all; --json and --out always hold all)")
        int limit;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Wafers classified at a time: enough for the learners' parallel batch, few enough to stay small. */
        static final int BATCH = 2048;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            EngineKind ek = engine == null ? null : EngineKind.parse(engine);
            try (WaferMapClassifier c = load(model, ek);
                 AdcOutput.Predictions report = new AdcOutput.Predictions(w, json, limit, csvOut, model, c)) {
                try {
                    classifyAll(c, report);
                } catch (Exception | Error e) {
                    // --json: stdout stays one valid document, closed with the error (which also goes to stderr)
                    report.abort(e.getMessage() != null ? e.getMessage() : e.toString());
                    throw e;
                }
            }
            return 0;
        }

        /** Classifies every file into the report, batch by batch. */
        private void classifyAll(WaferMapClassifier c, AdcOutput.Predictions report) throws Exception {
            for (Path f : files) {
                FileFormat fmt = FileFormat.detect(f);
                report.begin(f);
                Pending pending = new Pending(c, report);
                if (fmt == FileFormat.NPZ) {
                    // batch by batch: all of WM-811K in one per-map NPZ never sits in memory at once
                    WaferMapArrays.eachNpz(f, READ_BATCH, NpyLimits.DEFAULT, (first, d) -> {
                        // an empty string label is an unlabelled map (no truth); an empty multi-hot row is 'none'
                        boolean strings = d.classNames().isEmpty();
                        for (int i = 0; i < d.maps().size(); i++) {
                            if (!d.hasLabels()) {
                                pending.add(d.maps().get(i), null, null);
                                continue;
                            }
                            List<String> l = d.labels().get(i);
                            pending.add(d.maps().get(i), l.isEmpty() ? (strings ? null : "none")
                                    : l.size() == 1 ? l.get(0) : String.join("+", l), l);
                        }
                    });
                } else {
                    WaferFiles.each(f, fmt, s -> pending.add(s.map(), null, null));
                }
                pending.flush();
                report.end();
            }
            report.finish();
        }

        /** Maps read at a time from a per-map NPZ. */
        static final int READ_BATCH = 256;

        /**
         * Most dies classified at a time: {@link #BATCH} maps of 40 x 40 dies are 3.3 million; maps of
         * 300 x 300 dies go about 180 at a time, so that their batch stays as small.
         */
        static final long BATCH_DIES = 16L << 20;

        /**
         * The maps of a file waiting to be classified, with their truth when the file has labels;
         * classified and reported at {@link #BATCH} maps or {@link #BATCH_DIES} dies, whichever
         * comes first.
         */
        static final class Pending {
            private final WaferMapClassifier c;
            private final AdcOutput.Predictions report;
            private final List<WaferMap> maps = new ArrayList<>();
            private final List<String> truth = new ArrayList<>();
            private final List<List<String>> sets = new ArrayList<>();
            private long dies;

            Pending(WaferMapClassifier c, AdcOutput.Predictions report) {
                this.c = c;
                this.report = report;
            }

            /** Adds a map (truth and its label set null when the file has no labels) and flushes when full. */
            void add(WaferMap m, String t, List<String> set) throws java.io.IOException {
                maps.add(m);
                if (set != null) {
                    truth.add(t);
                    sets.add(set);
                }
                dies += (long) m.rows() * m.cols();
                if (maps.size() >= BATCH || dies >= BATCH_DIES) {
                    flush();
                }
            }

            void flush() throws java.io.IOException {
                if (maps.isEmpty()) {
                    return;
                }
                report.batch(maps, truth, sets, c.predictBatch(maps));
                maps.clear();
                truth.clear();
                sets.clear();
                dies = 0;
            }
        }
    }

    @Command(name = "curve", mixinStandardHelpOptions = true,
            description = "Learning curve: macro-F1 against the number of labelled maps, for the small model and the"
                    + " CNN (from scratch and pretrained on generated maps): which model wins at my data size."
                    + " On a labelled NPZ the test maps are whole lots never trained on.")
    static final class Curve implements Callable<Integer> {
        @CommandLine.Mixin
        Data data;
        @Option(names = "--sizes", split = ",", defaultValue = "45,90,180,360",
                description = "training sizes, ascending; 'all' is every map outside the test lots (default ${DEFAULT-VALUE})")
        List<String> sizes;
        @Option(names = "--repeats", defaultValue = "1", description = "repeats, each with other test lots (default ${DEFAULT-VALUE})")
        int repeats;
        @Option(names = "--model", split = ",", description = "families (small, small-gen, rf, gbm, svm, logistic, cnn, cnn-pretrained,"
                + " ensemble; see adc evaluate);"
                + " default: small,svm,cnn on generated maps, small,small-gen,cnn (and cnn-pretrained with"
                + " --pretrain/--pretrained) on --data")
        List<String> models;
        @Option(names = "--group-by", defaultValue = "lot_name", description = "with --data: lot_name or none (default ${DEFAULT-VALUE})")
        String groupBy;
        @Option(names = "--cnn-epochs", defaultValue = "8", description = "generated maps: CNN epochs, 0 leaves the CNN out (default ${DEFAULT-VALUE})")
        int cnnEpochs;
        @Option(names = "--png", defaultValue = "learning-curve.png", description = "chart (default ${DEFAULT-VALUE})")
        Path png;
        @Option(names = "--csv", description = "also write every point (family, size, repeat, macro-F1, fit seconds)")
        Path csv;
        @CommandLine.Mixin
        AdcFamilies families;
        @Option(names = "--json", description = "print one JSON object (schema fabai/adc-curve, cli/JSON.md) instead of text")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            LabelledMaps all = data.load();
            Verbosity.stages(spec.commandLine().getErr()).say("learning curve on %d maps: sizes %s, %d repeat%s",
                    all.size(), sizes, repeats, repeats == 1 ? "" : "s");
            LearningCurve.Result r;
            try {
                if (data.npz != null) {
                    List<String> groups = AdcEvaluate.groups(all, groupBy);
                    int smallestPool = Integer.MAX_VALUE;
                    for (int rep = 0; rep < repeats; rep++) {
                        int[] f = CrossValidation.groupFolds(groups, 5, data.seed + rep);
                        smallestPool = Math.min(smallestPool, (int) java.util.Arrays.stream(f).filter(x -> x != 0).count());
                    }
                    List<String> names = models != null ? models
                            : families.pretrained != null || families.pretrainPerClass > 0
                            ? List.of("small", "small-gen", "cnn", "cnn-pretrained") : List.of("small", "small-gen", "cnn");
                    r = LearningCurve.runGrouped(families.families(names, data.seed, w), all, groups, 5,
                            new LearningCurve.Config(parseSizes(sizes, smallestPool), repeats, data.seed));
                } else {
                    int[] idx = LearningCurve.stratified(all.labels(), all.size() * 3 / 4, data.seed);
                    java.util.Set<Integer> in = new java.util.HashSet<>();
                    for (int i : idx) {
                        in.add(i);
                    }
                    int[] rest = java.util.stream.IntStream.range(0, all.size()).filter(i -> !in.contains(i)).toArray();
                    List<ModelFamily> fam = new ArrayList<>();
                    if (models != null) {
                        fam.addAll(families.families(models, data.seed, w));
                    } else {
                        fam.add(new FeatureModelFamily("random forest", FeatureClassifierConfig.defaults().withSeed(data.seed)));
                        fam.add(new FeatureModelFamily("SVM", FeatureClassifierConfig.defaults().withSeed(data.seed)
                                .withAlgorithm(FeatureClassifierConfig.Algorithm.SVM)));
                        if (cnnEpochs > 0) {
                            fam.add(new CnnFamily(CnnConfig.defaults(data.seed).withEpochs(cnnEpochs)));
                        }
                    }
                    r = LearningCurve.run(fam, all.subset(idx), all.subset(rest),
                            new LearningCurve.Config(parseSizes(sizes, idx.length), repeats, data.seed));
                }
            } finally {
                families.close();
            }
            EvalCharts.writeLearningCurvePng(r, data.npz != null ? "macro-F1 on held-out lots vs labelled maps"
                    : "macro-F1 vs training maps", png);
            if (csv != null) {
                StringBuilder sb = new StringBuilder("family,size,repeat,seed,macro_f1,fit_seconds\n");
                for (LearningCurve.Point p : r.points()) {
                    sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f,%.3f%n", p.family().replace(',', ';'),
                            p.size(), p.repeat(), p.seed(), p.macroF1(), p.fitSeconds()));
                }
                java.nio.file.Files.writeString(csv, sb.toString());
                if (!json) {
                    w.println("wrote " + csv);
                }
            }
            if (json) {
                AdcOutput.curve(w, r, png);
                return 0;
            }
            w.println(r.summary());
            w.println("wrote " + png);
            w.flush();
            return 0;
        }

        private static List<Integer> parseSizes(List<String> sizes, int all) {
            List<Integer> out = new ArrayList<>();
            for (String s : sizes) {
                String t = s.trim();
                try {
                    out.add("all".equalsIgnoreCase(t) ? all : Integer.parseInt(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--sizes: '" + t + "' is neither a number nor 'all'");
                }
            }
            return out;
        }
    }
}
