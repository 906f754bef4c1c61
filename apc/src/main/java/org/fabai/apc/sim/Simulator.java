package org.fabai.apc.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.control.UpdateOutcome;

/**
 * Closed-loop run-to-run simulator. Each run: the controller recommends u; the plant gives
 * {@code y = α + β u + N_t}; if the run is sampled its measurement is delivered d runs later (after
 * run t + d, before the recommendation for run t + d + 1), otherwise a "missing" event is delivered
 * then and the controller makes a time update.
 *
 * <p>Stateless and thread-safe (each call builds its own state).
 */
public final class Simulator {

    private static final double DIVERGED = 1e9;

    private Simulator() {
    }

    /**
     * Simulates one controller on one seed.
     *
     * @param controller a fresh controller (it is mutated)
     * @param config     the experiment
     * @param seed       the disturbance seed
     * @return traces and metrics
     */
    public static SimulationResult run(Controller controller, SimulationConfig config, long seed) {
        PlantConfig plant = config.plant();
        Disturbance n = Disturbance.generate(plant, config.runs(), seed);
        double target = controller.config().target();
        int runs = config.runs();
        double[] u = new double[runs];
        double[] y = new double[runs];
        Arrays.fill(u, Double.NaN);
        Arrays.fill(y, Double.NaN);
        ArrayDeque<double[]> pending = new ArrayDeque<>();
        int clipped = 0;
        int held = 0;
        boolean diverged = false;
        for (int t = 0; t < runs; t++) {
            Recommendation r = controller.recommend();
            u[t] = r.input();
            y[t] = plant.alpha() + plant.beta() * u[t] + n.value(t);
            if (t >= config.warmup() && r.clipped()) {
                clipped++;
            }
            if (!Double.isFinite(y[t]) || Math.abs(y[t] - target) > DIVERGED) {
                diverged = true;
                break;
            }
            boolean sampled = t % plant.sampleEvery() == 0;
            pending.addLast(new double[] {t + plant.delay(), sampled ? 1 : 0, u[t], y[t]});
            while (!pending.isEmpty() && pending.peekFirst()[0] <= t) {
                double[] ev = pending.removeFirst();
                if (ev[1] == 1) {
                    UpdateOutcome o = controller.update(ev[2], ev[3]);
                    if (o.status() == UpdateOutcome.Status.OUTLIER_HELD) {
                        held++;
                    }
                } else {
                    controller.missing();
                }
            }
        }
        Metrics m = metrics(config, n, target, y, clipped, held, diverged);
        return new SimulationResult(target, u, y, m, seed);
    }

    private static Metrics metrics(SimulationConfig config, Disturbance n, double target, double[] y,
                                   int clipped, int held, boolean diverged) {
        if (diverged) {
            return new Metrics(Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN, Double.NaN, clipped, held, true);
        }
        int from = config.warmup();
        int count = y.length - from;
        double sum = 0;
        double sumSq = 0;
        for (int t = from; t < y.length; t++) {
            double e = y[t] - target;
            sum += e;
            sumSq += e * e;
        }
        double mean = sum / count;
        double mse = sumSq / count;
        double var = Math.max(0, mse - mean * mean);
        double sd = Math.sqrt(var);
        double ybar = target + mean;
        double cpk = Math.min(config.usl() - ybar, ybar - config.lsl()) / (3 * sd);
        List<Integer> shifts = new ArrayList<>();
        for (int t = 0; t < y.length; t++) {
            if (n.shiftAt(t)) {
                shifts.add(t);
            }
        }
        double settling = Double.NaN;
        if (!shifts.isEmpty()) {
            double total = 0;
            for (int i = 0; i < shifts.size(); i++) {
                int s = shifts.get(i);
                int end = i + 1 < shifts.size() ? shifts.get(i + 1) : y.length;
                total += settle(y, target, s, end, config.settleBand());
            }
            settling = total / shifts.size();
        }
        return new Metrics(mse, mean, sd, cpk, settling, clipped, held, false);
    }

    /** Runs from the shift until the rolling mean error is within the band (censored at the next shift). */
    private static int settle(double[] y, double target, int start, int end, double band) {
        int w = Metrics.SETTLE_WINDOW;
        for (int k = start + w - 1; k < end; k++) {
            double s = 0;
            for (int j = k - w + 1; j <= k; j++) {
                s += y[j] - target;
            }
            if (Math.abs(s / w) <= band) {
                return k - start + 1;
            }
        }
        return end - start;
    }

    /**
     * Compares controllers on the same seeds (common random numbers) and averages the metrics.
     *
     * @param controllers name → factory of a fresh controller, in table order
     * @param config      the experiment
     * @param seeds       disturbance seeds, at least one
     * @return the table
     */
    public static ComparisonTable compare(Map<String, Supplier<Controller>> controllers, SimulationConfig config,
                                          long... seeds) {
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("seeds must contain at least one seed");
        }
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("controllers must not be empty");
        }
        List<ComparisonTable.Row> rows = new ArrayList<>();
        for (Map.Entry<String, Supplier<Controller>> e : new LinkedHashMap<>(controllers).entrySet()) {
            double mse = 0;
            double offset = 0;
            double cpk = 0;
            double settling = 0;
            int settleCount = 0;
            int stableSeeds = 0;
            int diverged = 0;
            for (long seed : seeds) {
                Metrics m = run(e.getValue().get(), config, seed).metrics();
                if (m.diverged()) {
                    diverged++;
                    continue;
                }
                stableSeeds++;
                mse += m.mse();
                offset += m.meanOffset();
                cpk += m.cpk();
                if (!Double.isNaN(m.settlingRuns())) {
                    settling += m.settlingRuns();
                    settleCount++;
                }
            }
            if (stableSeeds == 0) {
                rows.add(new ComparisonTable.Row(e.getKey(), Double.POSITIVE_INFINITY, Double.NaN, Double.NaN,
                        Double.NaN, seeds.length, diverged));
            } else {
                rows.add(new ComparisonTable.Row(e.getKey(), diverged > 0 ? Double.POSITIVE_INFINITY : mse / stableSeeds,
                        offset / stableSeeds, cpk / stableSeeds, settleCount == 0 ? Double.NaN : settling / settleCount,
                        seeds.length, diverged));
            }
        }
        return new ComparisonTable(config, seeds, rows);
    }
}
