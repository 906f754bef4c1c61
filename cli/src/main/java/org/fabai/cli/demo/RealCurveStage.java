package org.fabai.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fabai.adc.eval.CrossValidation;
import org.fabai.adc.eval.FeatureModelFamily;
import org.fabai.adc.eval.LabelledMaps;
import org.fabai.adc.eval.LearningCurve;
import org.fabai.adc.eval.ModelFamily;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.model.cnn.CnnClassifier;
import org.fabai.adc.model.cnn.CnnConfig;
import org.fabai.adc.model.cnn.CnnFamily;
import org.fabai.adc.model.cnn.PretrainedCnnFamily;
import org.fabai.cli.AdcFamilies;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.WaferMap;

/**
 * Stage 2b, run only with {@code demo --real-maps NPZ}: the learning curve on a fab's own labelled
 * maps, the chart that tells a fab which model to use at its data size. Each repeat holds out a
 * fifth of the lots (by {@code lot_name}; maps without a lot name are their own group) as test
 * maps never trained on, and draws each training size stratified from the other lots, so that
 * every family at one size and repeat sees the same maps. Families: the small model as used on
 * real labels (the soft vote), the same with {@link DemoConfig#perClass()} maps per class of the
 * calibrated generator added (what {@code adc train --data} does below 100 labels per class), the
 * random forest alone, and, when {@link DemoConfig#realCnn()},
 * the CNN from scratch and the CNN pretrained on calibrated generated maps and fine-tuned.
 * Stateless.
 */
final class RealCurveStage {

    /** Folds of lots per repeat: one is the test fold. */
    static final int FOLDS = 5;

    /**
     * What stage 2b produced.
     *
     * @param source   the NPZ read
     * @param maps     labelled maps in it
     * @param lots     distinct lot names
     * @param unnamed  maps without a lot name (each a group of its own)
     * @param curve    the curve
     */
    record Result(Path source, int maps, int lots, int unnamed, LearningCurve.Result curve) {

        /** @return true when no map had a lot name, so the split is by map (optimistic) */
        boolean byMap() {
            return lots == 0;
        }

        /** @return e.g. "2107 from 1006 lots (66 without a lot name)" */
        String describe() {
            return maps + " from " + lots + " lots" + (unnamed == 0 ? "" : " (" + unnamed + " without a lot name)");
        }

        /** @return the largest training size of the curve */
        int largest() {
            List<Integer> s = curve.config().sizes();
            return s.get(s.size() - 1);
        }
    }

    private RealCurveStage() {
    }

    static Result run(DemoConfig cfg, Path npz, Progress progress) throws IOException, FormatException {
        LabelledMaps all = LabelledMaps.readNpz(npz);
        List<String> groups = new ArrayList<>(all.size());
        Set<String> named = new HashSet<>();
        int unnamed = 0;
        for (WaferMap m : all.maps()) {
            String lot = m.lotId() == null ? "" : m.lotId();
            groups.add(lot);
            if (lot.isEmpty()) {
                unnamed++;
            } else {
                named.add(lot);
            }
        }
        progress.step("read %d labelled real maps from %d lots, %d maps without a lot name (%s)", all.size(), named.size(),
                unnamed, npz.getFileName());
        int smallestPool = Integer.MAX_VALUE;
        for (int r = 0; r < cfg.realRepeats(); r++) {
            int[] f = CrossValidation.groupFolds(groups, FOLDS, cfg.seed() + r);
            int pool = 0;
            for (int x : f) {
                pool += x != 0 ? 1 : 0;
            }
            smallestPool = Math.min(smallestPool, pool);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int s : cfg.realSizes()) {
            if (s <= smallestPool) {
                sizes.add(s);
            }
        }
        if (sizes.isEmpty()) {
            throw new FormatException(npz.toString(), "maps", "too few labelled maps for a learning curve: the smallest"
                    + " training pool outside the test lots has " + smallestPool + " maps, the curve starts at "
                    + cfg.realSizes()[0]);
        }
        List<ModelFamily> families = new ArrayList<>();
        families.add(new FeatureModelFamily("small (soft vote)", FeatureClassifierConfig.realDataDefaults(cfg.seed())));
        families.add(new FeatureModelFamily("small (soft vote + generated)", FeatureClassifierConfig.realDataDefaults(cfg.seed()),
                AdcFamilies.addedToLabels(cfg.perClass(), cfg.seed(), all.classes())));
        families.add(new FeatureModelFamily("small (random forest)", FeatureClassifierConfig.defaults().withSeed(cfg.seed())));
        CnnClassifier pretrained = null;
        try {
            if (cfg.realCnn()) {
                CnnConfig cnn = CnnConfig.realDataDefaults(cfg.seed()).withEpochs(Math.max(1, cfg.cnnEpochs()));
                families.add(new CnnFamily(cnn));
                LabelledMaps gen = AdcFamilies.generated(cfg.perClass(), cfg.seed());
                pretrained = CnnClassifier.train(gen.maps(), gen.labels(),
                        CnnConfig.defaults(cfg.seed()).withEpochs(Math.max(1, cfg.cnnEpochs())));
                progress.step("pretrained a CNN on %d calibrated generated maps", gen.size());
                families.add(new PretrainedCnnFamily(pretrained, cnn.withLearningRate(cnn.learningRate() / 3)));
            }
            LearningCurve.Result curve = LearningCurve.runGrouped(families, all, groups, FOLDS,
                    new LearningCurve.Config(sizes, cfg.realRepeats(), cfg.seed()));
            progress.step("real-data learning curve: %d families x sizes %s x %d repeat%s", families.size(), sizes,
                    cfg.realRepeats(), cfg.realRepeats() == 1 ? "" : "s");
            return new Result(npz, all.size(), named.size(), unnamed, curve);
        } finally {
            if (pretrained != null) {
                pretrained.close();
            }
        }
    }
}
