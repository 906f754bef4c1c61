package org.fabai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.apc.control.StabilityAnalysis;
import org.fabai.apc.control.StabilityReport;
import org.fabai.apc.sim.ComparisonTable;
import org.fabai.apc.sim.ControlChart;
import org.fabai.apc.sim.DisturbanceSpec;
import org.fabai.apc.sim.PlantConfig;
import org.fabai.apc.sim.Replay;
import org.fabai.apc.sim.SimulationConfig;
import org.fabai.apc.sim.SimulationResult;
import org.fabai.apc.sim.Simulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabai apc ...}: run-to-run control simulation, stability check and what-if replay. */
@Command(name = "apc", mixinStandardHelpOptions = true, description = "Run-to-run process control.",
        subcommands = {ApcCommand.Simulate.class, ApcCommand.Stability.class, ApcCommand.ReplayCmd.class})
final class ApcCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the subcommands: the process model and the controller settings. */
    static final class Process {
        @Option(names = "--target", defaultValue = "50", description = "target output (default ${DEFAULT-VALUE})")
        double target;
        @Option(names = "--gain", defaultValue = "-0.8", description = "model gain b (default ${DEFAULT-VALUE})")
        double gain;
        @Option(names = "--intercept", defaultValue = "130", description = "nominal intercept a (default ${DEFAULT-VALUE})")
        double intercept;
        @Option(names = "--bounds", split = ",", defaultValue = "20,180", description = "input bounds lo,hi (default ${DEFAULT-VALUE})")
        double[] bounds;
        @Option(names = "--max-step", defaultValue = "Infinity", description = "rate limit on the input per run (default ${DEFAULT-VALUE}: none)")
        double maxStep;

        ControllerConfig config() {
            ControllerConfig c = ControllerConfig.of(target, bounds[0], bounds[1], (target - intercept) / gain);
            return Double.isInfinite(maxStep) ? c : c.withMaxStep(maxStep);
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Compare controllers on the same seeded disturbance; print the table, optionally chart the first seed.")
    static final class Simulate implements Callable<Integer> {
        @CommandLine.Mixin
        Process process;
        @Option(names = {"-c", "--controller"}, defaultValue = "ewma:lambda=0.3", paramLabel = "SPEC",
                description = "estimator spec, repeatable: ewma:lambda=0.3, dewma:lambda1=0.3,lambda2=0.05 (Butler-Stefani double EWMA), holt:lambda1=0.3,lambda2=0.05 (Holt's smoother, the earlier dewma), kalman:q=0.1,r=1[,qdrift=1e-4], rls:mu=0.98")
        List<String> controllers;
        @Option(names = "--disturbance", defaultValue = "white:sigma=1+drift:delta=0.02+pm:every=250,shift=3",
                description = "plant disturbance (default ${DEFAULT-VALUE})")
        String disturbance;
        @Option(names = "--xi", defaultValue = "1.0", description = "gain mismatch: true gain / model gain (default ${DEFAULT-VALUE})")
        double xi;
        @Option(names = "--delay", defaultValue = "0", description = "metrology delay in runs")
        int delay;
        @Option(names = "--sample-every", defaultValue = "1", description = "measure every m-th run")
        int sampleEvery;
        /** Most runs per simulation: each run keeps a few doubles per controller and seed. */
        static final int MAX_RUNS = 10_000_000;
        /** Most seeds per comparison. */
        static final int MAX_SEEDS = 10_000;
        @Option(names = "--runs", defaultValue = "2000", description = "runs per seed, 1.." + MAX_RUNS)
        int runs;
        @Option(names = "--seeds", defaultValue = "5", description = "number of seeds, 1.." + MAX_SEEDS)
        int seeds;
        @Option(names = "--seed", defaultValue = "1", description = "first seed (seeds are SEED..SEED+N-1)")
        long seed;
        @Option(names = "--spec", split = ",", defaultValue = "45,55", description = "spec limits lsl,usl for Cpk")
        double[] specLimits;
        @Option(names = "--png", description = "control chart (y with target and spec limits, u) of the first seed for each controller, into this folder (default: no charts)")
        Path png;
        @Option(names = "--json", description = "print one JSON object (schema fabai/apc-simulate, cli/JSON.md) instead of the table")
        boolean json;
        @Option(names = "--record", paramLabel = "RUNS.csv", description = "also write the first controller's runs on the first seed "
                + "as recorded runs (run_id,context,sequence,input,output), the input of apc replay (default: none)")
        Path record;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (runs < 1 || runs > MAX_RUNS) {
                throw new IllegalArgumentException("--runs must be in [1, " + MAX_RUNS + "], got " + runs);
            }
            if (seeds < 1 || seeds > MAX_SEEDS) {
                throw new IllegalArgumentException("--seeds must be in [1, " + MAX_SEEDS + "], got " + seeds);
            }
            PlantConfig plant = DisturbanceSpec.parse(disturbance, process.intercept, process.gain * xi, delay, sampleEvery);
            SimulationConfig sim = new SimulationConfig(plant, runs, Math.min(50, runs / 10), specLimits[0], specLimits[1], 1.0);
            Map<String, Supplier<Controller>> ctl = new LinkedHashMap<>();
            for (String c : controllers) {
                ctl.put(c, ControllerSpec.factory(c, process.config(), process.gain, process.intercept));
            }
            long[] s = new long[seeds];
            for (int i = 0; i < seeds; i++) {
                s[i] = seed + i;
            }
            Verbosity.Stages stages = Verbosity.stages(spec.commandLine().getErr());
            stages.say("simulating %d controller%s x %d seed%s x %d runs", ctl.size(), ctl.size() == 1 ? "" : "s",
                    seeds, seeds == 1 ? "" : "s", runs);
            ComparisonTable t = Simulator.compare(ctl, sim, s);
            List<String> charts = new ArrayList<>();
            if (!json) {
                out.println(t.format());
            }
            if (png != null) {
                java.nio.file.Files.createDirectories(png);
                int i = 0;
                for (Map.Entry<String, Supplier<Controller>> e : ctl.entrySet()) {
                    SimulationResult r = Simulator.run(e.getValue().get(), sim, seed);
                    Path f = png.resolve("control-" + (i++) + ".png");
                    ControlChart.writePng(r, specLimits[0], specLimits[1], e.getKey(), f);
                    charts.add(f.toString());
                    if (!json) {
                        out.println("wrote " + f);
                    }
                }
            }
            if (record != null) {
                Map.Entry<String, Supplier<Controller>> first = ctl.entrySet().iterator().next();
                SimulationResult r = Simulator.run(first.getValue().get(), sim, seed);
                StringBuilder csv = new StringBuilder("run_id,context,sequence,input,output\n");
                double[] u = r.inputs();
                double[] y = r.outputs();
                for (int i = 0; i < u.length; i++) {
                    csv.append(String.format(Locale.ROOT, "R%d,tool=SIM,%d,%s,%s%n", i, i, u[i], y[i]));
                }
                if (record.getParent() != null) {
                    java.nio.file.Files.createDirectories(record.getParent());
                }
                java.nio.file.Files.writeString(record, csv);
                if (!json) {
                    out.println("wrote " + u.length + " runs of " + first.getKey() + " to " + record);
                }
            }
            if (json || csv.given()) {
                Map<String, Object> j = Json.object("apc simulate", 1);
                j.put("disturbance", disturbance);
                j.put("gainMismatch", xi);
                j.put("delay", delay);
                j.put("sampleEvery", sampleEvery);
                j.put("runs", runs);
                j.put("seeds", t.seeds());
                j.put("lsl", specLimits[0]);
                j.put("usl", specLimits[1]);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ComparisonTable.Row r : t.rows()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("controller", r.controller());
                    m.put("mse", Json.num(r.mse()));
                    m.put("meanOffset", Json.num(r.meanOffset()));
                    m.put("cpk", Json.num(r.cpk()));
                    m.put("settlingRuns", Json.num(r.settlingRuns()));
                    m.put("seeds", r.seeds());
                    m.put("diverged", r.diverged());
                    rows.add(m);
                }
                j.put("controllers", rows);
                j.put("charts", charts);
                j.put("recordedRuns", record == null ? null : record.toString());
                csv.write(rows);
                if (json) {
                    Json.print(out, j);
                }
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "stability", mixinStandardHelpOptions = true,
            description = "Closed-loop stability over gain mismatch and delay, from the characteristic roots.")
    static final class Stability implements Callable<Integer> {
        @CommandLine.Mixin
        Process process;
        @Option(names = {"-c", "--controller"}, defaultValue = "ewma:lambda=0.3", paramLabel = "SPEC",
                description = "estimator spec, as in apc simulate")
        String controller;
        @Option(names = "--xi", split = ",", defaultValue = "0.25,0.5,1,1.5,2,3,4,6",
                description = "gain mismatches (true gain / model gain) to check")
        double[] xis;
        @Option(names = "--delay", split = ",", defaultValue = "0,1,2", description = "metrology delays in runs to check")
        int[] delays;
        @Option(names = "--margin", defaultValue = "0.05", description = "warn when the spectral radius is within this of 1")
        double margin;
        @Option(names = "--json", description = "print one JSON object (schema fabai/apc-stability, cli/JSON.md) instead of the table")
        boolean json;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            StabilityReport r = StabilityAnalysis.analyze(ControllerSpec.estimator(controller, process.gain, process.intercept),
                    xis, delays, margin);
            if (json || csv.given()) {
                Map<String, Object> j = Json.object("apc stability", 1);
                j.put("controller", controller);
                j.put("estimator", r.estimator());
                j.put("margin", r.margin());
                j.put("allStable", r.allStable());
                j.put("anyNearEdge", r.anyNearEdge());
                List<Map<String, Object>> pts = new ArrayList<>();
                for (org.fabai.apc.control.StabilityPoint p : r.points()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("gainMismatch", p.xi());
                    m.put("delay", p.delay());
                    m.put("spectralRadius", Json.num(p.spectralRadius()));
                    m.put("stable", p.stable());
                    m.put("nearEdge", p.nearEdge());
                    pts.add(m);
                }
                j.put("points", pts);
                csv.write(pts);
                if (json) {
                    Json.print(spec.commandLine().getOut(), j);
                }
            }
            if (!json) {
                spec.commandLine().getOut().println(r.format());
            }
            spec.commandLine().getOut().flush();
            // an unstable case is the analysis' failing verdict
            return r.allStable() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "What-if: replay recorded runs (CSV run_id,context,sequence,input,output) through a controller.")
    static final class ReplayCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Process process;
        @Option(names = {"-c", "--controller"}, defaultValue = "ewma:lambda=0.3", paramLabel = "SPEC",
                description = "estimator spec to replay the runs through, as in apc simulate")
        String controller;
        @Option(names = "--runs", required = true, paramLabel = "RUNS.csv", description = "recorded runs: run_id,context,sequence,input,output")
        Path file;
        @Option(names = "--show", defaultValue = "20", description = "runs to list in the text output (default ${DEFAULT-VALUE}; 0: summary only; --json lists every run)")
        int show;
        @Option(names = "--json", description = "print one JSON object (schema fabai/apc-replay, cli/JSON.md) with every run instead of text")
        boolean json;
        @CommandLine.Mixin
        Json.CsvOption csv;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Replay.Report r = Replay.replay(Replay.readCsv(file),
                    ControllerSpec.factory(controller, process.config(), process.gain, process.intercept));
            PrintWriter out = spec.commandLine().getOut();
            if (json || csv.given()) {
                Map<String, Object> j = Json.object("apc replay", 1);
                j.put("runsFile", file.toString());
                j.put("controller", controller);
                j.put("target", r.target());
                j.put("runs", r.steps().size());
                j.put("actualMse", Json.num(r.actualMse()));
                j.put("whatIfMse", Json.num(r.whatIfMse()));
                List<Map<String, Object>> steps = new ArrayList<>();
                for (Replay.Step st : r.steps()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("runId", st.run().runId());
                    m.put("context", st.run().context());
                    m.put("sequence", st.run().sequence());
                    m.put("input", Json.num(st.run().input()));
                    m.put("output", Json.num(st.run().output()));
                    m.put("recommended", Json.num(st.recommended()));
                    m.put("predictedAtUsed", Json.num(st.predictedAtUsed()));
                    m.put("whatIfOutput", Json.num(st.whatIfOutput()));
                    m.put("status", String.valueOf(st.status()));
                    steps.add(m);
                }
                j.put("steps", steps);
                csv.write(steps);
                if (json) {
                    Json.print(out, j);
                    return ExitCode.OK;
                }
            }
            if (show > 0) {
                out.printf(Locale.ROOT, "%-14s %-24s %10s %12s %12s  %s%n", "run", "context", "input used", "recommended",
                        "what-if y", "status");
                for (Replay.Step s : r.steps().subList(0, Math.min(show, r.steps().size()))) {
                    out.printf(Locale.ROOT, "%-14s %-24s %10.3f %12.3f %12.3f  %s%n", s.run().runId(),
                            s.run().context().isEmpty() ? "-" : s.run().context(), s.run().input(), s.recommended(),
                            s.whatIfOutput(), s.status());
                }
            }
            out.printf(Locale.ROOT, "runs %d  actual MSE %.4f  what-if MSE %.4f (target %.3f)%n",
                    r.steps().size(), r.actualMse(), r.whatIfMse(), r.target());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
