package org.fabai.cli.joins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.Cause;
import org.junit.jupiter.api.Test;

/** The ADC → RCA and APC → RCA joins on small hand-made inputs whose answer is known. */
class JoinsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** 400 wafers over two steps; at S2 chamber ETCH1/B is used by every fourth wafer. */
    private static List<WaferHistory> histories() {
        List<WaferHistory> hs = new ArrayList<>();
        Step s1 = new Step("S1", "litho");
        Step s2 = new Step("S2", "etch");
        for (int i = 0; i < 400; i++) {
            Instant t = T0.plus(Duration.ofHours(i));
            Tool a = new Tool("LITHO" + (i % 2), "A");
            Tool b = new Tool("ETCH1", String.valueOf((char) ('A' + i % 4)));
            hs.add(new WaferHistory("W" + i, "L" + i / 25, List.of(new StepRun(s1, a, t), new StepRun(s2, b, t.plusSeconds(3600)))));
        }
        return hs;
    }

    @Test
    void patternJoinNamesTheChamberWithTheHighRateAndGivesEveryChambersRate() {
        List<WaferHistory> hs = histories();
        SplittableRandom r = new SplittableRandom(5);
        Map<String, String> predicted = new LinkedHashMap<>();
        for (WaferHistory h : hs) {
            boolean b = h.run("S2").orElseThrow().tool().chamber().equals("B");
            predicted.put(h.waferId(), r.nextDouble() < (b ? 0.6 : 0.05) ? "Edge-Ring" : "none");
        }
        predicted.remove("W7"); // a wafer without a prediction is left out, not guessed
        PatternJoin.Result j = PatternJoin.join(hs, predicted, "Edge-Ring");
        assertEquals("S2 ETCH1/B", j.culprit());
        assertTrue(j.p() < 1e-10, "p " + j.p());
        assertEquals(399, j.outcomes().size());
        assertEquals("class=Edge-Ring", j.outcomes().get(0).name());
        assertEquals(4, j.rates().size());
        int total = 0;
        for (PatternJoin.ChamberRate c : j.rates()) {
            total += c.wafers();
            assertTrue(c.tool().equals("ETCH1/B") ? c.rate() > 0.45 : c.rate() < 0.15, c.toString());
        }
        assertEquals(399, total);
        assertEquals(1, j.screen().wafersNoOutcome());
    }

    @Test
    void apcJoinRanksTheThreadWhoseInterceptMovedAndMergesItWithTheTools() {
        List<ApcJoin.Estimate> trace = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(9);
        for (int day = 0; day < 100; day++) {
            Instant t = T0.plus(Duration.ofDays(day));
            for (String c : List.of("A", "B", "C")) {
                double shift = c.equals("B") && day >= 70 ? 5 : 0;
                trace.add(new ApcJoin.Estimate("APC thread ETCH1/" + c + " intercept", t, 130 + shift + 0.5 * r.nextGaussian()));
            }
        }
        List<Cause> tools = List.of(new Cause("S2 ETCH1/B", 2.0), new Cause("S1 LITHO0/A", -1.0));
        ApcJoin.Result j = ApcJoin.join(trace, T0.plus(Duration.ofDays(50)), T0.plus(Duration.ofDays(80)), tools);
        assertEquals(3, j.byThread().size());
        assertEquals(100, j.byThread().get("APC thread ETCH1/B intercept").size());
        assertEquals("APC thread ETCH1/B intercept", j.threads().get(0).name());
        assertTrue(j.threads().get(0).score() > 5, j.threads().toString());
        assertEquals("APC thread ETCH1/B intercept", j.top());
        assertEquals(5, j.joined().size());
        // the tools' scores join as |z|
        assertTrue(j.joined().stream().anyMatch(c -> c.name().equals("S1 LITHO0/A") && c.score() == 1.0));
        for (int i = 1; i < j.joined().size(); i++) {
            assertTrue(j.joined().get(i - 1).score() >= j.joined().get(i).score());
        }
        assertThrows(IllegalArgumentException.class, () -> ApcJoin.join(trace, T0.plus(Duration.ofDays(80)),
                T0.plus(Duration.ofDays(50)), tools));
        assertThrows(IllegalArgumentException.class, () -> new ApcJoin.Estimate("t", T0, Double.NaN));
    }
}
