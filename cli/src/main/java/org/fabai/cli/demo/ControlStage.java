package org.fabai.cli.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.apc.sim.ComparisonTable;
import org.fabai.apc.sim.DisturbanceSpec;
import org.fabai.apc.sim.PlantConfig;
import org.fabai.apc.sim.SimulationConfig;
import org.fabai.apc.sim.SimulationResult;
import org.fabai.apc.sim.Simulator;

/**
 * Stage 3: run-to-run control. EWMA, double EWMA and a Kalman filter with a drift state compared
 * on one plant (white noise, drift, maintenance step shifts, gain mismatch 1.1), same seeds for
 * every controller. Stateless.
 */
final class ControlStage {

    /** The disturbance, as {@code fabai apc simulate --disturbance} reads it. */
    static final String DISTURBANCE = "white:sigma=1+drift:delta=0.02+pm:every=250,shift=3";

    /** Runs drawn on the control chart. */
    static final int CHART_RUNS = 600;

    /**
     * What stage 3 produced.
     *
     * @param process the process
     * @param plant   the simulated plant
     * @param table   the comparison over seeds
     * @param seed    the seed of the charted run
     * @param outputs controller to its outputs over the first {@link #CHART_RUNS} runs of that seed
     */
    record Result(DemoProcess process, PlantConfig plant, ComparisonTable table, long seed, Map<String, double[]> outputs) {

        /** @return the controller with the lowest MSE */
        ComparisonTable.Row best() {
            return table.rows().stream().min(Comparator.comparingDouble(ComparisonTable.Row::mse)).orElseThrow();
        }

        /** @return the runs (1-based, as charted) at which a maintenance shift happened, within the chart */
        List<Integer> maintenanceRuns() {
            List<Integer> out = new ArrayList<>();
            int n = outputs.values().iterator().next().length;
            for (int t = plant.pmEvery(); plant.pmEvery() > 0 && t < n; t += plant.pmEvery()) {
                out.add(t + 1);
            }
            return out;
        }
    }

    private ControlStage() {
    }

    static Result run(DemoConfig cfg, DemoProcess process, Progress progress) {
        ControllerConfig cc = process.controllerConfig();
        double gain = process.gain();
        double intercept = process.intercept();
        PlantConfig plant = DisturbanceSpec.parse(DISTURBANCE, intercept, gain * 1.1, 0, 1);
        SimulationConfig sim = new SimulationConfig(plant, cfg.apcRuns(), 50, process.lsl(), process.usl(), 1.0);
        Map<String, Supplier<Controller>> ctl = new LinkedHashMap<>();
        ctl.put("EWMA(0.3)", ControllerSpec.factory("ewma:lambda=0.3", cc, gain, intercept));
        ctl.put("double EWMA(0.3,0.05)", ControllerSpec.factory("dewma:lambda1=0.3,lambda2=0.05", cc, gain, intercept));
        ctl.put("Kalman(level+drift)", ControllerSpec.factory("kalman:q=0.1,r=1,qdrift=1e-4", cc, gain, intercept));
        long[] seeds = new long[cfg.apcSeeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.seed() + i;
        }
        ComparisonTable t = Simulator.compare(ctl, sim, seeds);
        progress.step("simulated %d controllers x %d seeds x %d runs (gain mismatch 1.1)", ctl.size(), seeds.length, cfg.apcRuns());
        Map<String, double[]> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Controller>> e : ctl.entrySet()) {
            SimulationResult r = Simulator.run(e.getValue().get(), sim, seeds[0]);
            double[] y = r.outputs();
            outputs.put(e.getKey(), Arrays.copyOf(y, Math.min(y.length, CHART_RUNS)));
        }
        return new Result(process, plant, t, seeds[0], outputs);
    }
}
