package org.fabai.rca.commonality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Bootstrap;
import org.fabai.rca.synth.FabConfig;
import org.fabai.rca.synth.SyntheticFab;
import org.junit.jupiter.api.Test;

class CommonalityScreenTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** One step S1; wafer i ran on tools[i] at time T0 + hours[i]. */
    private static List<WaferHistory> oneStep(String[] tools, int[] hours) {
        List<WaferHistory> hs = new ArrayList<>();
        for (int i = 0; i < tools.length; i++) {
            hs.add(new WaferHistory("W" + i, "L", List.of(new StepRun(Step.of("S1"), Tool.of(tools[i]),
                    T0.plus(Duration.ofHours(hours == null ? 0 : hours[i]))))));
        }
        return hs;
    }

    private static Map<String, Double> outcome(double[] y) {
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i < y.length; i++) {
            m.put("W" + i, y[i]);
        }
        return m;
    }

    private static CommonalityConfig cont(int minCount) {
        return new CommonalityConfig(CommonalityConfig.OutcomeKind.CONTINUOUS, true, CommonalityConfig.Level.TOOL,
                minCount, null, 5);
    }

    @Test
    void kruskalWallisMatchesScipy() {
        // scipy.stats.kruskal([1,3,5,7,9],[2,4,6,8,10]) = (0.27272727, 0.60150813)
        String[] tools = {"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"};
        double[] y = {1, 3, 5, 7, 9, 2, 4, 6, 8, 10};
        StepFinding f = new CommonalityScreen(cont(1)).run(oneStep(tools, null), outcome(y)).ranked().get(0);
        assertEquals("kruskal-wallis", f.test());
        assertEquals(0.2727272727272734, f.statistic(), 1e-9);
        assertEquals(0.6015081344405895, f.p(), 1e-9);
        assertEquals(1, f.df());
        assertEquals(0.2727272727272734 / 9, f.effectSize(), 1e-12);
        assertEquals("B", f.culprit().tool());  // higher values are bad here, B is higher
        // with ties: scipy.stats.kruskal([1,1,1],[2,2,2],[2,2]) = (7.0, 0.03019738)
        String[] t2 = {"A", "A", "A", "B", "B", "B", "C", "C"};
        double[] y2 = {1, 1, 1, 2, 2, 2, 2, 2};
        StepFinding g = new CommonalityScreen(cont(1)).run(oneStep(t2, null), outcome(y2)).ranked().get(0);
        assertEquals(7.0, g.statistic(), 1e-9);
        assertEquals(0.0301973834223185, g.p(), 1e-9);
    }

    @Test
    void gTestAndCramersVMatchScipy() {
        // tools A: 10 fail / 40 pass, B: 20 / 30, C: 5 / 45; scipy G = 13.132128, p = 0.00140733; chi2 = 13.043478
        List<String> tools = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int[][] t = {{10, 40}, {20, 30}, {5, 45}};
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < t[k][0] + t[k][1]; i++) {
                tools.add(String.valueOf((char) ('A' + k)));
                y.add(i < t[k][0] ? 1.0 : 0.0);
            }
        }
        CommonalityResult r = new CommonalityScreen(CommonalityConfig.binary().withLevel(CommonalityConfig.Level.TOOL))
                .run(oneStep(tools.toArray(new String[0]), null), outcome(y.stream().mapToDouble(Double::doubleValue).toArray()));
        StepFinding f = r.ranked().get(0);
        assertEquals("g-test", f.test());
        assertEquals(13.132128007180988, f.statistic(), 1e-9);
        assertEquals(0.0014073257543481277, f.p(), 1e-9);
        assertEquals(Math.sqrt(13.043478260869566 / 150), f.effectSize(), 1e-9);
        assertEquals("B", f.culprit().tool());
        assertEquals(0.4, f.culprit().meanOutcome(), 1e-12);
    }

    @Test
    void fisherExactMatchesScipyAndIsUsedWhenSparse() {
        // scipy.stats.fisher_exact([[6,2],[1,4]]) p = 0.1025641; alternative='greater' p = 0.0862471
        assertEquals(0.10256410256410256, FisherExact.twoSided(6, 2, 1, 4), 1e-12);
        assertEquals(0.08624708624708625, FisherExact.greater(6, 2, 1, 4), 1e-12);
        String[] tools = {"A", "A", "A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B"};
        double[] y = {1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
        StepFinding f = new CommonalityScreen(CommonalityConfig.binary().withLevel(CommonalityConfig.Level.TOOL))
                .run(oneStep(tools, null), outcome(y)).ranked().get(0);
        assertEquals("fisher-exact", f.test());
        assertEquals(Math.min(1, 2 * 0.10256410256410256), f.p(), 1e-12);
        assertEquals("A", f.culprit().tool());
        assertEquals(0.08624708624708625, f.culprit().p(), 1e-12);
    }

    @Test
    void benjaminiHochberg() {
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02},
                MultipleTesting.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> MultipleTesting.benjaminiHochberg(new double[] {Double.NaN}));
    }

    @Test
    void skipsOneToolStepsAndSmallToolsWithReasons() {
        List<WaferHistory> hs = new ArrayList<>();
        Map<String, Double> y = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String tool2 = i < 2 ? "RARE" : (i % 2 == 0 ? "E1" : "E2");
            hs.add(new WaferHistory("W" + i, "L", List.of(
                    new StepRun(Step.of("LITHO"), Tool.of("L1"), T0),
                    new StepRun(Step.of("ETCH"), Tool.of(tool2), T0),
                    new StepRun(Step.of("CMP"), Tool.of(i < 28 ? "C1" : "C2"), T0))));
            y.put("W" + i, (double) (i % 7));
        }
        y.remove("W29");
        CommonalityResult r = new CommonalityScreen(cont(5)).run(hs, y);
        assertEquals(1, r.wafersNoOutcome());
        assertEquals(29, r.wafers());
        Map<String, String> reasons = new HashMap<>();
        r.skipped().forEach(s -> reasons.put(s.step(), s.reason()));
        assertTrue(reasons.get("LITHO").contains("only one tool (L1)"), reasons.toString());
        assertTrue(reasons.get("CMP").contains("only 1 tool(s) with at least 5"), reasons.toString());
        assertEquals(1, r.ranked().size());
        StepFinding etch = r.ranked().get(0);
        assertEquals(List.of("RARE (2 wafers)"), etch.dropped());
        assertEquals(2, etch.tools().size());
    }

    @Test
    void partitionsMergeToTheSameResult() {
        SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(3).withLots(30));
        Map<String, Double> y = fab.outcome(SyntheticFab.YIELD);
        CommonalityScreen screen = new CommonalityScreen(CommonalityConfig.continuous(false).withWindow(Duration.ofDays(1)));
        CommonalityResult whole = screen.run(fab.histories(), y);
        OutcomeIndex idx = screen.index(y, CommonalityScreen.startTimes(fab.histories()));
        List<CommonalityPartial> parts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            parts.add(screen.newPartial(idx));
        }
        for (int i = 0; i < fab.histories().size(); i++) {
            parts.get(i % 4).add(fab.histories().get(i));
        }
        CommonalityPartial merged = parts.get(0).merge(parts.get(1)).merge(parts.get(2).merge(parts.get(3)));
        CommonalityResult split = screen.finish(merged);
        assertEquals(whole.ranked().size(), split.ranked().size());
        for (int i = 0; i < whole.ranked().size(); i++) {
            StepFinding a = whole.ranked().get(i);
            StepFinding b = split.ranked().get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.statistic(), b.statistic(), 1e-6 * Math.max(1, Math.abs(a.statistic())));
            assertEquals(a.culprit().tool(), b.culprit().tool());
        }
        assertTrue(whole.strata() > 1);
    }

    @Test
    void timeWindowsRemoveConfoundingByDrift() {
        // early window: tools X (mostly) and Y; late window: Y and Z. Outcome drifts upward (bad = high)
        // over time but no tool matters within a window. Unstratified, X looks good and Z bad.
        List<String> tools = new ArrayList<>();
        List<Integer> hours = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            boolean early = i < 100;
            String t = early ? (i % 4 == 0 ? "Y" : "X") : (i % 4 == 0 ? "Y" : "Z");
            tools.add(t);
            hours.add(early ? 1 : 30);
            y.add((early ? 0 : 3) + r.nextDouble());
        }
        String[] ta = tools.toArray(new String[0]);
        int[] ha = hours.stream().mapToInt(Integer::intValue).toArray();
        double[] ya = y.stream().mapToDouble(Double::doubleValue).toArray();
        StepFinding plain = new CommonalityScreen(cont(5)).run(oneStep(ta, ha), outcome(ya)).ranked().get(0);
        assertTrue(plain.p() < 1e-6, "unstratified p " + plain.p());
        assertEquals("Z", plain.culprit().tool());
        StepFinding strat = new CommonalityScreen(cont(5).withWindow(Duration.ofHours(24)))
                .run(oneStep(ta, ha), outcome(ya)).ranked().get(0);
        assertTrue(strat.p() > 0.01, "stratified p " + strat.p());
    }

    @Test
    void badInputIsRefusedWithTheWaferNamed() {
        String[] tools = {"A", "B"};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CommonalityScreen(CommonalityConfig.binary()).run(oneStep(tools, null), outcome(new double[] {0, 0.5})));
        assertTrue(e.getMessage().contains("W1"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> new CommonalityScreen(cont(1)).run(oneStep(tools, null), outcome(new double[] {0, Double.NaN})));
        assertTrue(e2.getMessage().contains("W1"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> new CommonalityConfig(CommonalityConfig.OutcomeKind.BINARY, true, CommonalityConfig.Level.TOOL, 0, null, 5));
        assertEquals("minCount must be >= 1, got 0", e3.getMessage());
    }

    @Test
    void bootstrapGivesConfidenceToThePlantedCause() {
        SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(60));
        List<Bootstrap.CauseConfidence> conf = new CommonalityScreen(CommonalityConfig.continuous(false))
                .bootstrap(fab.histories(), fab.outcome(SyntheticFab.YIELD), 20, 7);
        Bootstrap.CauseConfidence top = conf.get(0);
        assertEquals(fab.plantedCause(), top.name());
        assertTrue(top.firstRate() >= 0.8, "first rate " + top.firstRate());
        assertTrue(top.scoreLow() > 3 && top.scoreLow() <= top.scoreMedian() && top.scoreMedian() <= top.scoreHigh(), top.toString());
    }

    @Test
    void passFailOutcomeFindsThePlantedChamber() {
        int right = 0;
        for (long seed = 1; seed <= 10; seed++) {
            SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(seed));
            Map<String, Double> fail = new HashMap<>();
            fab.outcome(SyntheticFab.YIELD).forEach((w, y) -> fail.put(w, y < 0.85 ? 1.0 : 0.0));
            CommonalityResult r = new CommonalityScreen(CommonalityConfig.binary()).run(fab.histories(), fail);
            StepFinding top = r.ranked().get(0);
            assertEquals("g-test", top.test());
            if (r.causes().get(0).name().equals(fab.plantedCause())) {
                right++;
                assertTrue(top.q() < 0.01 && top.effectSize() > 0, top.toString());
            }
        }
        assertTrue(right >= 9, "pass/fail commonality found " + right + " of 10");
    }

    @Test
    void equalCulpritScoresAreOrderedByEvidenceNotByName() {
        // the same three wafers ran on X at both steps, so X's one-vs-rest z is the same; the rest
        // ran on one tool at step "S2" and on two at "S1" (two groups of very different outcomes),
        // which makes S2's Kruskal-Wallis p smaller (fewer degrees of freedom). By name S1 would come first.
        double[] y = {10, 11, 12, 1, 1.1, 1.2, 5, 5.1, 5.2, 5.3};
        List<WaferHistory> hs = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            String t1 = i < 3 ? "X" : "Y";
            String t2 = i < 3 ? "X" : i < 6 ? "Y" : "Z";
            hs.add(new WaferHistory("W" + i, "L", List.of(new StepRun(Step.of("S2"), Tool.of(t1), T0),
                    new StepRun(Step.of("S1"), Tool.of(t2), T0.plusSeconds(60)))));
        }
        List<StepFinding> r = new CommonalityScreen(cont(1)).run(hs, outcome(y)).ranked();
        assertEquals(2, r.size());
        assertEquals(r.get(0).culprit().z(), r.get(1).culprit().z(), 1e-12);
        assertTrue(r.get(0).p() < r.get(1).p(), "step p " + r.get(0).p() + " then " + r.get(1).p());
        assertEquals("S2", r.get(0).step());
    }
}
