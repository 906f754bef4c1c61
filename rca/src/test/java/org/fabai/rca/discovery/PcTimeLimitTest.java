package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: PC on a dense table ran for hours with no warning (the causRCA lathe's 88 variables:
 * 37 min and still running). With a time limit the search bounds each phase's tests before it
 * starts and refuses one that would not fit, instead of starting it.
 */
class PcTimeLimitTest {

    /** Every pair dependent (p = 0): the skeleton stays complete, as on a dense real table; each test costs ~0.5 ms. */
    private static IndependenceTest denseSlow(int n, AtomicLong calls, List<Integer> depths) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("v" + i);
        }
        return new IndependenceTest() {
            @Override
            public List<String> variables() {
                return names;
            }

            @Override
            public double pValue(int x, int y, int[] s) {
                calls.incrementAndGet();
                synchronized (depths) {
                    depths.add(s.length);
                }
                long until = System.nanoTime() + 500_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return 0;
            }

            @Override
            public String name() {
                return "dense";
            }
        };
    }

    @Test
    void aDepthThatWouldRunPastTheLimitIsRefusedBeforeItStarts() {
        int n = 30;
        AtomicLong calls = new AtomicLong();
        List<Integer> depths = new ArrayList<>();
        Pc pc = new Pc(new PcConfig(0.01, -1, 1, PcConfig.ColliderRule.MAX_P)).withTimeLimit(Duration.ofSeconds(3));
        long t0 = System.nanoTime();
        SearchTooLongException e = assertThrows(SearchTooLongException.class,
                () -> pc.search(denseSlow(n, calls, depths), Knowledge.none()));
        double wall = (System.nanoTime() - t0) / 1e9;
        // depth 0 ran (435 pairs, both sides: 870 tests, ~0.5 s); depth 1 (435 x 2 x 28 = 24,360 tests, ~12 s) did not start
        assertEquals("depth 1", e.phase());
        assertEquals(24_360, e.testBound(), 0);
        assertEquals(870, calls.get());
        assertTrue(depths.stream().allMatch(d -> d == 0), "no depth-1 test ran");
        assertTrue(e.estimateSeconds() > 3, "estimate " + e.estimateSeconds());
        assertTrue(wall < 3, "refused after " + wall + " s, before the limit");
        assertTrue(e.getMessage().startsWith("PC on 30 variables would run past its time limit of 3 s: depth 1 needs up "
                + "to 24,360 independence tests"), e.getMessage());
        assertTrue(e.getMessage().contains("--depth"), e.getMessage());
    }

    @Test
    void aLevelWhoseTestsTurnOutSlowerIsStoppedAtTheLimit() {
        // depth 0 costs 0.5 ms a test, later levels 20 ms: the estimate from depth 0 (about 1 s) fits, the level (26 s) does not
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("v" + i);
        }
        AtomicLong deep = new AtomicLong();
        IndependenceTest slowing = new IndependenceTest() {
            @Override
            public List<String> variables() {
                return names;
            }

            @Override
            public double pValue(int x, int y, int[] s) {
                if (s.length > 0) {
                    deep.incrementAndGet();
                }
                long until = System.nanoTime() + (s.length == 0 ? 500_000 : 20_000_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return 0;
            }

            @Override
            public String name() {
                return "slowing";
            }
        };
        Pc pc = new Pc(new PcConfig(0.01, -1, 1, PcConfig.ColliderRule.SEPSETS)).withTimeLimit(Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        SearchTooLongException e = assertThrows(SearchTooLongException.class, () -> pc.search(slowing, Knowledge.none()));
        double wall = (System.nanoTime() - t0) / 1e9;
        assertEquals("depth 1", e.phase());
        assertTrue(e.getMessage().startsWith("PC on 12 variables ran past its time limit of 5 s in depth 1"), e.getMessage());
        assertTrue(wall < 5.5, "stopped after " + wall + " s");
        assertTrue(deep.get() > 10 && deep.get() < 1320, deep.get() + " depth-1 tests of 1,320");
    }

    @Test
    void withinTheLimitOrWithoutOneTheSearchRunsAsBefore() {
        AtomicLong a = new AtomicLong();
        AtomicLong b = new AtomicLong();
        PcConfig cfg = new PcConfig(0.01, 1, 1, PcConfig.ColliderRule.SEPSETS);
        Cpdag limited = new Pc(cfg).withTimeLimit(Duration.ofMinutes(5)).search(denseSlow(8, a, new ArrayList<>()),
                Knowledge.none());
        Cpdag free = new Pc(cfg).search(denseSlow(8, b, new ArrayList<>()), Knowledge.none());
        assertEquals(free.edges(), limited.edges());
        assertEquals(b.get(), a.get());
        assertEquals(28, free.edges().size());
        assertThrows(IllegalArgumentException.class, () -> new Pc(cfg).withTimeLimit(Duration.ofSeconds(-1)));
        assertTrue(Double.isInfinite(new Pc(cfg).withTimeLimit(Duration.ZERO).timeLimitSeconds()));
    }

    @Test
    void binomialsAndDurations() {
        assertEquals(1, Pc.binomial(5, 0));
        assertEquals(10, Pc.binomial(5, 2));
        assertEquals(0, Pc.binomial(2, 3));
        assertEquals(137_846_528_820.0, Pc.binomial(40, 20));
        assertEquals("42 s", Pc.duration(42));
        assertEquals("17 min", Pc.duration(17 * 60));
        assertEquals("3.5 h", Pc.duration(3.5 * 3600));
        assertEquals("12 days", Pc.duration(12 * 86400));
    }
}
