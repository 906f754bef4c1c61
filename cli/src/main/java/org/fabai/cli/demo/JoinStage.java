package org.fabai.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.adc.model.FeatureClassifier;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.thread.Context;
import org.fabai.apc.thread.ControlThreads;
import org.fabai.apc.thread.JdbcThreadStateStore;
import org.fabai.apc.thread.Measurement;
import org.fabai.apc.thread.Seeding;
import org.fabai.apc.thread.ThreadPolicy;
import org.fabai.cli.joins.ApcJoin;
import org.fabai.cli.joins.PatternJoin;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.WaferHistory;
import org.fabai.core.wafer.WaferMap;
import org.fabai.rca.Ranking;
import org.fabai.rca.synth.SyntheticFab;

/**
 * Stage 5: the joins on the fab of stage 4. Every wafer gets a map (Edge-Ring more likely after the
 * bad chamber) classified by the small model of stage 2 ({@link PatternJoin}); one durable APC
 * thread per tool/chamber of the planted step controls its chamber, the bad one's process shifting
 * after the fault ({@link ApcJoin}). The joins are the library's; this stage only makes their inputs.
 */
final class JoinStage {

    /** Shift of the bad chamber's process after the fault, in output units. */
    static final double PROCESS_SHIFT = 6;

    /**
     * What stage 5 produced.
     *
     * @param pattern       the ADC → RCA join
     * @param apc           the APC → RCA join
     * @param updates       durable APC updates
     * @param threadStore   the SQLite file of the APC threads
     * @param referenceEnd  end of the reference period
     * @param anomalousStart start of the anomalous period
     * @param faultStart    when the planted chamber went bad
     */
    record Result(PatternJoin.Result pattern, ApcJoin.Result apc, int updates, Path threadStore, Instant referenceEnd,
                  Instant anomalousStart, Instant faultStart) {
    }

    private JoinStage() {
    }

    static Result run(DemoConfig cfg, SyntheticFab fab, FeatureClassifier small, Ranking baseline, DemoProcess process,
                      Path outDir, Progress progress) throws IOException {
        Map<String, String> predicted = classifyFabMaps(cfg, fab, small, progress);
        PatternJoin.Result pattern = PatternJoin.join(fab.histories(), predicted, DefectPattern.EDGE_RING.label());
        Path db = outDir.resolve("apc-threads.db");
        List<ApcJoin.Estimate> trace = new ArrayList<>();
        int updates = runThreads(cfg, fab, process, db, trace);
        Instant refEnd = fab.timeAt(0.5);
        Instant anomStart = fab.timeAt(0.8);
        ApcJoin.Result apc = ApcJoin.join(trace, refEnd, anomStart, baseline.asCauses());
        progress.step("APC: %d threads, %d durable updates in %s", apc.byThread().size(), updates, db.getFileName());
        return new Result(pattern, apc, updates, db, refEnd, anomStart, fab.faultStart());
    }

    /** Generates a map per fab wafer and classifies it: wafer id to predicted class, in history order. */
    private static Map<String, String> classifyFabMaps(DemoConfig cfg, SyntheticFab fab, FeatureClassifier small,
                                                       Progress progress) {
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
        Map<String, String> out = new LinkedHashMap<>();
        long er = 0;
        for (int k = 0; k < preds.size(); k++) {
            out.put(ids.get(k), preds.get(k).label());
            er += preds.get(k).label().equals(DefectPattern.EDGE_RING.label()) ? 1 : 0;
        }
        progress.step("classified %d fab wafers' maps: %d predicted Edge-Ring", preds.size(), er);
        return out;
    }

    /**
     * Runs one APC thread per tool/chamber of the planted step (lot-based control: one recipe per lot
     * and chamber, measured per wafer, one transaction per lot, durable in SQLite), recording each
     * thread's estimated intercept after every lot.
     *
     * @return the number of durable updates
     */
    private static int runThreads(DemoConfig cfg, SyntheticFab fab, DemoProcess process, Path db, List<ApcJoin.Estimate> trace)
            throws IOException {
        String step = fab.plantedStep().id();
        Files.deleteIfExists(db);
        double gain = process.gain();
        double intercept = process.intercept();
        ThreadPolicy policy = new ThreadPolicy(process.controllerConfig(), new EwmaEstimator(new EwmaConfig(0.3, gain, intercept)),
                Seeding.NOMINAL);
        SplittableRandom rnd = new SplittableRandom(cfg.seed() ^ 0xa9c);
        int updates = 0;
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
                    Context ctx = Context.of(r.tool()).with("step", step);
                    double u = recipe.computeIfAbsent(ctx.key(), k -> threads.recommend(ctx).input());
                    boolean bad = r.tool().equals(fab.plantedTool()) && !when.isBefore(fab.faultStart());
                    double y = intercept + (bad ? PROCESS_SHIFT : 0) + gain * u + rnd.nextGaussian();
                    batch.add(Map.entry(ctx, new Measurement(h.waferId(), ++seq, u, y)));
                }
                threads.updateBatch(batch);
                updates += batch.size();
                for (Map.Entry<Context, Measurement> e : batch) {
                    String key = "APC thread " + e.getKey().tool().orElseThrow().label() + " intercept";
                    double est = threads.controller(e.getKey()).orElseThrow().estimator().predictedOffset();
                    trace.add(new ApcJoin.Estimate(key, when, est));
                }
            }
        }
        return updates;
    }
}
