package org.fabai.rca.synth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.Route;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * A synthetic fab with a planted root cause. A linear route of steps {@code S01..Snn}; each step
 * has tools {@code SnnTk} with chambers {@code A, B, ...}; lots are released every 4 hours and
 * each lot takes a tool at every step, each wafer a chamber. After every few steps a metrology
 * value {@code Mj} is measured:
 * {@code Mj = 0.3 M(j-1) + Σ chamber offsets of the steps since M(j-1) + N(0, 1)}, the offsets
 * benign {@code N(0, chamberSpread²)} — except that one chamber at one step adds
 * {@code faultShift} to its wafers from a known time on. Yield then follows the metrology:
 * {@code yield = clamp(0.92 - 0.02 Σ Mj + N(0, 0.02²), 0, 1)}. Seeded and deterministic.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SyntheticFab {

    /** Name of the yield outcome. */
    public static final String YIELD = "yield";

    private final FabConfig config;
    private final Route route;
    private final List<WaferHistory> histories;
    private final List<Outcome> outcomes;
    private final Step plantedStep;
    private final Tool plantedTool;
    private final Instant faultStart;
    private final Instant firstRelease;
    private final Instant lastRelease;
    private final Map<String, List<String>> metrologySteps;

    private SyntheticFab(FabConfig config, Route route, List<WaferHistory> histories, List<Outcome> outcomes,
                         Step plantedStep, Tool plantedTool, Instant faultStart, Instant firstRelease,
                         Instant lastRelease, Map<String, List<String>> metrologySteps) {
        this.config = config;
        this.route = route;
        this.histories = List.copyOf(histories);
        this.outcomes = List.copyOf(outcomes);
        this.plantedStep = plantedStep;
        this.plantedTool = plantedTool;
        this.faultStart = faultStart;
        this.firstRelease = firstRelease;
        this.lastRelease = lastRelease;
        this.metrologySteps = metrologySteps;
    }

    /**
     * Generates a fab.
     *
     * @param config the configuration
     * @return the fab
     */
    public static SyntheticFab generate(FabConfig config) {
        Objects.requireNonNull(config, "config");
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int ns = config.steps();
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < ns; s++) {
            steps.add(Step.of(String.format("S%02d", s + 1)));
        }
        Route route = Route.linear(steps);
        int nt = config.toolsPerStep();
        int nc = config.chambersPerTool();
        double[][][] offset = new double[ns][nt][nc];
        for (int s = 0; s < ns; s++) {
            for (int t = 0; t < nt; t++) {
                for (int c = 0; c < nc; c++) {
                    offset[s][t][c] = config.chamberSpread() * gaussian(rnd);
                }
            }
        }
        int badStep = rnd.nextInt(ns);
        int badTool = rnd.nextInt(nt);
        int badChamber = rnd.nextInt(nc);
        int partner = badStep > 0 ? badStep - 1 : badStep + 1;
        Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
        Duration lotGap = Duration.ofHours(4);
        Instant last = t0.plus(lotGap.multipliedBy(config.lots() - 1));
        long spanMs = Duration.between(t0, last).toMillis();
        Instant faultStart = t0.plusMillis((long) (config.faultStartFraction() * spanMs));
        Map<String, List<String>> metro = new LinkedHashMap<>();
        List<int[]> windows = metrologyWindows(steps, config.metrologyEvery(), metro);
        List<WaferHistory> hist = new ArrayList<>();
        List<Outcome> outs = new ArrayList<>();
        for (int lot = 0; lot < config.lots(); lot++) {
            String lotId = String.format("L%03d", lot + 1);
            Instant release = t0.plus(lotGap.multipliedBy(lot));
            int[] lotTool = new int[ns];
            for (int s = 0; s < ns; s++) {
                lotTool[s] = rnd.nextInt(nt);
            }
            if (config.routing() == FabConfig.Routing.CONFOUNDED) {
                lotTool[partner] = lotTool[badStep];
            }
            for (int w = 0; w < config.wafersPerLot(); w++) {
                String waferId = lotId + "-" + String.format("%02d", w + 1);
                int[] ch = new int[ns];
                for (int s = 0; s < ns; s++) {
                    ch[s] = rnd.nextInt(nc);
                }
                if (config.routing() == FabConfig.Routing.CONFOUNDED) {
                    ch[partner] = ch[badStep];
                }
                List<StepRun> runs = new ArrayList<>();
                Instant[] times = new Instant[ns];
                for (int s = 0; s < ns; s++) {
                    times[s] = release.plus(Duration.ofHours(2L * s)).plus(Duration.ofMinutes(w));
                    runs.add(new StepRun(steps.get(s), toolOf(s, lotTool[s], ch[s]), times[s]));
                }
                hist.add(new WaferHistory(waferId, lotId, runs));
                double prev = 0;
                double sum = 0;
                for (int j = 0; j < windows.size(); j++) {
                    double m = 0.3 * prev + gaussian(rnd);
                    for (int s = windows.get(j)[0]; s < windows.get(j)[1]; s++) {
                        m += offset[s][lotTool[s]][ch[s]];
                        if (s == badStep && lotTool[s] == badTool && ch[s] == badChamber && !times[s].isBefore(faultStart)) {
                            m += config.faultShift();
                        }
                    }
                    outs.add(new Outcome(waferId, "M" + (j + 1), m));
                    sum += m;
                    prev = m;
                }
                double y = Math.max(0, Math.min(1, 0.92 - 0.02 * sum + 0.02 * gaussian(rnd)));
                outs.add(new Outcome(waferId, YIELD, y));
            }
        }
        return new SyntheticFab(config, route, hist, outs, steps.get(badStep), toolOf(badStep, badTool, badChamber),
                faultStart, t0, last, metro);
    }

    /**
     * The metrology windows: every {@code every} steps one measurement M1, M2, ... of the steps
     * since the last one.
     *
     * @param metro receives each measurement's step ids
     * @return each window's first step and the step after its last
     */
    private static List<int[]> metrologyWindows(List<Step> steps, int every, Map<String, List<String>> metro) {
        int ns = steps.size();
        List<int[]> windows = new ArrayList<>();
        for (int s = 0, j = 1; s < ns; s += every, j++) {
            int e = Math.min(ns, s + every);
            windows.add(new int[] {s, e});
            List<String> ids = new ArrayList<>();
            for (int k = s; k < e; k++) {
                ids.add(steps.get(k).id());
            }
            metro.put("M" + j, List.copyOf(ids));
        }
        return windows;
    }

    private static Tool toolOf(int step, int tool, int chamber) {
        return new Tool(String.format("S%02dT%d", step + 1, tool + 1), String.valueOf((char) ('A' + chamber)));
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** @return the configuration */
    public FabConfig config() {
        return config;
    }

    /** @return the route */
    public Route route() {
        return route;
    }

    /** @return wafer histories in release order */
    public List<WaferHistory> histories() {
        return histories;
    }

    /** @return all outcomes (metrology values and yield) */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** @return the step where the fault was planted */
    public Step plantedStep() {
        return plantedStep;
    }

    /** @return the tool and chamber that goes bad */
    public Tool plantedTool() {
        return plantedTool;
    }

    /** @return the candidate name of the planted cause, {@code "step tool/chamber"} */
    public String plantedCause() {
        return plantedStep.id() + " " + plantedTool.label();
    }

    /** @return when the chamber went bad */
    public Instant faultStart() {
        return faultStart;
    }

    /**
     * @param fraction a fraction of the release span, in [0, 1]
     * @return the time at that fraction
     */
    public Instant timeAt(double fraction) {
        long span = Duration.between(firstRelease, lastRelease).toMillis();
        return firstRelease.plusMillis((long) (fraction * span));
    }

    /** @return metrology name to the steps it follows (measures) */
    public Map<String, List<String>> metrologySteps() {
        return metrologySteps;
    }

    /**
     * @param name outcome name ({@code "yield"} or a metrology name)
     * @return wafer id to value
     */
    public Map<String, Double> outcome(String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.name().equals(name)) {
                m.put(o.waferId(), o.value());
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no outcome named '" + name + "'");
        }
        return m;
    }

    /**
     * The fab as a root-cause problem: its histories and outcomes, low yield bad, the first half
     * of the release span as reference and its last fifth as the anomalous period (the fault
     * starts at a time the methods are not told), with {@link #table()} and {@link #knowledge()}.
     *
     * @return the problem every {@link org.fabai.rca.CauseRanker} is scored on
     */
    public org.fabai.rca.RcaProblem problem() {
        return new org.fabai.rca.RcaProblem(histories, outcomes, YIELD, true, timeAt(0.5), timeAt(0.8), null, null)
                .withTable(table(), knowledge());
    }

    /**
     * The wafers as a table, one row per wafer in release order: a categorical column per step
     * (its tool/chamber), then the metrology columns, then yield.
     *
     * @return the table
     */
    public DataTable table() {
        int n = histories.size();
        DataTable.Builder b = DataTable.builder();
        for (Step s : route.steps()) {
            Map<String, Integer> codes = new LinkedHashMap<>();
            List<String> labels = new ArrayList<>();
            for (int t = 0; t < config.toolsPerStep(); t++) {
                for (int c = 0; c < config.chambersPerTool(); c++) {
                    String l = toolOf(Integer.parseInt(s.id().substring(1)) - 1, t, c).label();
                    codes.put(l, labels.size());
                    labels.add(l);
                }
            }
            int[] col = new int[n];
            for (int i = 0; i < n; i++) {
                col[i] = codes.get(histories.get(i).run(s.id()).orElseThrow().tool().label());
            }
            b.categorical(s.id(), col, labels);
        }
        Map<String, Map<String, Double>> byName = new HashMap<>();
        for (Outcome o : outcomes) {
            byName.computeIfAbsent(o.name(), k -> new HashMap<>()).put(o.waferId(), o.value());
        }
        List<String> outNames = new ArrayList<>(metrologySteps.keySet());
        outNames.add(YIELD);
        for (String name : outNames) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = byName.get(name).get(histories.get(i).waferId());
            }
            b.continuous(name, v);
        }
        return b.build();
    }

    /**
     * Background knowledge from the process order for discovery on {@link #table()}: step i
     * (0-based) gets tier 2i, a metrology value measured after step i tier 2i + 1, yield the
     * last tier. Edges between the tool variables of two steps are forbidden: tools are assigned
     * per lot, so with a finite number of lots their assignments correlate by chance (the
     * wafer-level tests count 25 wafers of a lot as 25 independent draws), and the routing is
     * known not to be a cause of interest.
     *
     * @return the knowledge
     */
    public org.fabai.rca.discovery.Knowledge knowledge() {
        org.fabai.rca.discovery.Knowledge.Builder k = org.fabai.rca.discovery.Knowledge.builder();
        List<Step> st = route.steps();
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < st.size(); i++) {
            pos.put(st.get(i).id(), i);
            k.tier(st.get(i).id(), 2 * i);
        }
        for (Step a : st) {
            for (Step b : st) {
                if (!a.equals(b)) {
                    k.forbid(a.id(), b.id());
                }
            }
        }
        for (Map.Entry<String, List<String>> e : metrologySteps.entrySet()) {
            List<String> ws = e.getValue();
            k.tier(e.getKey(), 2 * pos.get(ws.get(ws.size() - 1)) + 1);
        }
        k.tier(YIELD, 2 * st.size());
        return k.build();
    }

    /**
     * Writes the fab in the CSV forms read by {@link org.fabai.rca.data.HistoryCsv}:
     * {@code histories.csv} ({@code wafer_id,lot_id,step,tool,chamber,timestamp}) and
     * {@code outcomes.csv} ({@code wafer_id,name,value}), plus {@code table.csv} (one row per
     * wafer, the columns of {@link #table()}, categorical columns as their labels).
     *
     * @param dir an existing directory
     * @throws java.io.IOException on write failure
     */
    public void writeCsv(java.nio.file.Path dir) throws java.io.IOException {
        StringBuilder h = new StringBuilder("wafer_id,lot_id,step,tool,chamber,timestamp\n");
        for (WaferHistory w : histories) {
            for (StepRun r : w.runs()) {
                h.append(w.waferId()).append(',').append(w.lotId()).append(',').append(r.step().id()).append(',')
                        .append(r.tool().id()).append(',').append(r.tool().chamber()).append(',').append(r.time()).append('\n');
            }
        }
        java.nio.file.Files.writeString(dir.resolve("histories.csv"), h);
        StringBuilder o = new StringBuilder("wafer_id,name,value\n");
        for (Outcome x : outcomes) {
            o.append(x.waferId()).append(',').append(x.name()).append(',').append(x.value()).append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve("outcomes.csv"), o);
        DataTable t = table();
        StringBuilder tb = new StringBuilder(String.join(",", t.names())).append('\n');
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j < t.columns(); j++) {
                if (j > 0) {
                    tb.append(',');
                }
                tb.append(t.isCategorical(j) ? t.levels(j).get((int) t.get(i, j)) : String.valueOf(t.get(i, j)));
            }
            tb.append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve("table.csv"), tb);
    }

    /**
     * The true causal graph of {@link #table()}: each step's chamber causes the metrology that
     * follows it, each metrology the next one and yield.
     *
     * @return the DAG
     */
    public DirectedAcyclicGraph<String, DefaultEdge> trueGraph() {
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        route.steps().forEach(s -> g.addVertex(s.id()));
        String prev = null;
        for (Map.Entry<String, List<String>> e : metrologySteps.entrySet()) {
            g.addVertex(e.getKey());
            for (String s : e.getValue()) {
                g.addEdge(s, e.getKey());
            }
            if (prev != null) {
                g.addEdge(prev, e.getKey());
            }
            prev = e.getKey();
        }
        g.addVertex(YIELD);
        metrologySteps.keySet().forEach(m -> g.addEdge(m, YIELD));
        return g;
    }
}
