package org.fabai.adc.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fabai.adc.eval.ConfusionMatrix;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.core.wafer.WaferMap;

/**
 * The measured run behind {@code adc/REAL-DATA.md}'s generator section (not a unit test; it takes
 * minutes). It compares a generator configuration with the real WM-811K sample in three ways:
 * <ol>
 *   <li>{@code stats}: {@link MapStatistics} per class of the real sample, and ({@code compare})
 *       the same statistics of generated maps beside them;</li>
 *   <li>real-versus-generated: a random forest (the small model's features and learner, 100 trees)
 *       tells real maps from as many generated maps of the same class mix; 5-fold cross-validation,
 *       folds grouped by lot on the real side ({@link CrossValidation#groupFolds}), generated maps in random folds; reports out-of-fold AUC and accuracy (0.5 = the
 *       generator is indistinguishable on these features);</li>
 *   <li>generator-only transfer: the small model ({@link FeatureClassifier}, defaults) trained on
 *       {@code perClass} generated maps of each of the nine classes, scored on all real maps:
 *       macro-F1 of its most probable class (no reject), and its reject rate with the calibrated
 *       unknown threshold.</li>
 * </ol>
 * Usage: {@code GeneratorTransferReport [stats|compare|gap] [perClass=400] [seed=1] [configs=defaults,calibrated]}.
 */
public final class GeneratorTransferReport {

    private GeneratorTransferReport() {
    }

    /**
     * @param args mode, maps per class, seed, comma-separated configuration names
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "gap";
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1L;
        List<String> configs = List.of((args.length > 3 ? args[3] : "defaults,calibrated").split(","));
        Path file = RealSample.find();
        if (file == null) {
            throw new IllegalStateException("the real sample ../shared/data/wm811k/wm811k-sample.npz is absent");
        }
        RealSample real = RealSample.load(file);
        System.out.printf(Locale.ROOT, "real sample: %s, %d maps, %d lots%n", file, real.maps().size(),
                real.lots().stream().distinct().count());
        switch (mode) {
            case "stats" -> System.out.println(MapStatistics.summarise(real.maps(), real.labels()).toMarkdown(MapStatistics.NAMES));
            case "compare" -> compare(real, configs, perClass, seed);
            case "gap" -> {
                double[][] xr = FeatureClassifier.extractParallel(real.maps());
                for (String c : configs) {
                    gap(real, xr, config(c), c, perClass, seed);
                }
            }
            default -> throw new IllegalArgumentException("mode must be stats, compare or gap, got " + mode);
        }
    }

    static GeneratorConfig config(String name) {
        return switch (name) {
            case "defaults" -> GeneratorConfig.defaults();
            case "broad" -> GeneratorConfig.broad();
            case "calibrated" -> GeneratorConfig.calibrated();
            default -> throw new IllegalArgumentException("unknown configuration '" + name + "'");
        };
    }

    /** Key statistics, real beside each generated configuration, median [p5, p95]. */
    private static void compare(RealSample real, List<String> configs, int perClass, long seed) {
        List<MapStatistics.Summary> gen = new ArrayList<>();
        for (String c : configs) {
            List<SyntheticWafer> w = new WaferMapGenerator(config(c)).balanced(perClass, seed);
            gen.add(MapStatistics.summarise(WaferMapGenerator.maps(w), WaferMapGenerator.labels(w)));
        }
        MapStatistics.Summary r = MapStatistics.summarise(real.maps(), real.labels());
        System.out.printf(Locale.ROOT, "%nMapStatistics per class: median [5th, 95th percentile] of the real sample and of %d generated maps per class (seed %d) for each configuration.%n%n",
                perClass, seed);
        List<String> global = List.of("die_count", "aspect", "outline_match", "fail_ratio", "background_rate", "edge_excess",
                "neighbour_fail_excess", "isolated_fail_fraction");
        List<String> pattern = List.of("pattern_area", "pattern_intensity", "pattern_radius", "pattern_radial_width_dies",
                "pattern_arc_span", "pattern_thickness_dies", "pattern_elongation");
        StringBuilder sb = new StringBuilder("| class | statistic | real |");
        for (String c : configs) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n|---|---|---|").append("---|".repeat(configs.size())).append('\n');
        for (String cls : DefectPattern.wm811kLabels()) {
            List<String> stats = new ArrayList<>(global);
            if (cls.equals("none") || cls.equals("Random")) {
                stats.add("pattern_area");
            } else if (!cls.equals("Near-full")) {
                stats.addAll(pattern);
            }
            for (String st : stats) {
                sb.append("| ").append(cls).append(" | ").append(st).append(" | ").append(cell(r.of(cls), st)).append(" |");
                for (MapStatistics.Summary g : gen) {
                    sb.append(' ').append(cell(g.of(cls), st)).append(" |");
                }
                sb.append('\n');
            }
        }
        System.out.println(sb);
    }

    private static String cell(MapStatistics.ClassSummary s, String st) {
        double m = s.median(st);
        if (Double.isNaN(m)) {
            return "-";
        }
        return fmt(m) + " [" + fmt(s.quantile(st, 0.05)) + ", " + fmt(s.quantile(st, 0.95)) + "]";
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 20 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static void gap(RealSample real, double[][] xr, GeneratorConfig cfg, String name, int perClass, long seed) {
        long t0 = System.nanoTime();
        WaferMapGenerator gen = new WaferMapGenerator(cfg);
        // (b) generator-only small model on the real sample
        List<SyntheticWafer> train = gen.balanced(perClass, seed);
        double[][] xt = FeatureClassifier.extractParallel(WaferMapGenerator.maps(train));
        FeatureClassifier model = FeatureClassifier.fitFeatures(xt, WaferMapGenerator.labels(train),
                FeatureClassifierConfig.defaults().withSeed(seed));
        List<String> predicted = new ArrayList<>();
        int rejected = 0;
        for (double[] f : xr) {
            double[] p = model.probabilities(f);
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            predicted.add(model.classNames().get(best));
            if (model.predictFeatures(f).isUnknown()) {
                rejected++;
            }
        }
        ConfusionMatrix cm = ConfusionMatrix.of(DefectPattern.wm811kLabels(), real.labels(), predicted);
        System.out.printf(Locale.ROOT, "%n### %s: generator-only small model (%d maps per class, seed %d) on the %d real maps%n%n",
                name, perClass, seed, xr.length);
        System.out.printf(Locale.ROOT, "macro-F1 (most probable class, no reject) %.3f, accuracy %.3f, rejected as unknown with the calibrated threshold %.1f%%%n%n",
                cm.macroF1(), cm.accuracy(), 100.0 * rejected / xr.length);
        StringBuilder sb = new StringBuilder("| class | precision | recall | F1 | real maps |\n|---|---:|---:|---:|---:|\n");
        for (ConfusionMatrix.ClassMetrics m : cm.perClass()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", m.className(), m.precision(), m.recall(), m.f1(), m.support()));
        }
        System.out.println(sb);
        System.out.println("confusion (rows truth, columns predicted, order " + DefectPattern.wm811kLabels() + "):");
        for (long[] row : cm.counts()) {
            System.out.println("    " + Arrays.toString(row));
        }
        model.close();
        // (a) real versus generated, same class mix, lot-grouped 5-fold CV
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (String l : real.labels()) {
            mix.merge(l, 1, Integer::sum);
        }
        List<WaferMap> gm = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, Integer> e : mix.entrySet()) {
            gm.addAll(WaferMapGenerator.maps(gen.dataset(List.of(DefectPattern.parse(e.getKey())), e.getValue(),
                    WaferMapGenerator.mix(seed + 1000, k++))));
        }
        double[][] xg = FeatureClassifier.extractParallel(gm);
        int folds = 5;
        int[] foldR = CrossValidation.groupFolds(real.lots(), folds, seed);
        int[] foldG = new int[xg.length];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = 0; i < foldG.length; i++) {
            foldG[i] = rng.nextInt(folds);
        }
        double[] scoreR = new double[xr.length];
        double[] scoreG = new double[xg.length];
        for (int f = 0; f < folds; f++) {
            List<double[]> x = new ArrayList<>();
            List<String> y = new ArrayList<>();
            for (int i = 0; i < xr.length; i++) {
                if (foldR[i] != f) {
                    x.add(xr[i]);
                    y.add("real");
                }
            }
            for (int i = 0; i < xg.length; i++) {
                if (foldG[i] != f) {
                    x.add(xg[i]);
                    y.add("generated");
                }
            }
            FeatureClassifier d = FeatureClassifier.fitFeatures(x.toArray(double[][]::new), y,
                    FeatureClassifierConfig.defaults().withTrees(100).withSeed(seed + f));
            int realIdx = d.classNames().indexOf("real");
            for (int i = 0; i < xr.length; i++) {
                if (foldR[i] == f) {
                    scoreR[i] = d.probabilities(xr[i])[realIdx];
                }
            }
            for (int i = 0; i < xg.length; i++) {
                if (foldG[i] == f) {
                    scoreG[i] = d.probabilities(xg[i])[realIdx];
                }
            }
            d.close();
        }
        double auc = auc(scoreR, scoreG);
        long correct = Arrays.stream(scoreR).filter(s -> s > 0.5).count() + Arrays.stream(scoreG).filter(s -> s <= 0.5).count();
        System.out.printf(Locale.ROOT, "%nreal-versus-generated random forest (100 trees), %d real + %d generated maps (real class mix), 5-fold lot-grouped CV: AUC %.3f, accuracy %.3f%n",
                xr.length, xg.length, auc, (double) correct / (xr.length + xg.length));
        System.out.printf(Locale.ROOT, "(%s took %.0f s)%n", name, (System.nanoTime() - t0) / 1e9);
    }

    /** Mann-Whitney AUC of positives over negatives (ties count one half). */
    static double auc(double[] pos, double[] neg) {
        double[] all = new double[pos.length + neg.length];
        System.arraycopy(pos, 0, all, 0, pos.length);
        System.arraycopy(neg, 0, all, pos.length, neg.length);
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double[] rank = new double[all.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double r = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                rank[order[t]] = r;
            }
            i = j + 1;
        }
        double sum = 0;
        for (int i = 0; i < pos.length; i++) {
            sum += rank[i];
        }
        return (sum - pos.length * (pos.length + 1) / 2.0) / ((double) pos.length * neg.length);
    }
}
