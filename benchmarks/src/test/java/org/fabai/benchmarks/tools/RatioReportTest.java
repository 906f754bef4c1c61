package org.fabai.benchmarks.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fabai.benchmarks.PeerOf;
import org.junit.jupiter.api.Test;

class RatioReportTest {

    /** Stands in for a JMH benchmark class with a peer method. */
    public static class Fake {
        /** @return nothing */
        public int fast() {
            return 0;
        }

        /** @return nothing */
        @PeerOf(value = "fast", name = "Fake peer")
        public int slowPeer() {
            return 0;
        }

        /** @return nothing */
        @PeerOf(value = "other.pkg.Cls.method", name = "Elsewhere")
        public int qualifiedPeer() {
            return 0;
        }
    }

    private static final String FAKE = Fake.class.getName();

    @Test
    void resolvesPeersFromAnnotationsAndJson() {
        assertEquals(Optional.of(new RatioReport.Peer(FAKE + ".fast", "Fake peer")),
                RatioReport.peerOf(BenchResult.of(FAKE + ".slowPeer", "avgt", 1, "us/op")));
        assertEquals(Optional.of(new RatioReport.Peer("other.pkg.Cls.method", "Elsewhere")),
                RatioReport.peerOf(BenchResult.of(FAKE + ".qualifiedPeer", "avgt", 1, "us/op")));
        assertEquals(Optional.empty(), RatioReport.peerOf(BenchResult.of(FAKE + ".fast", "avgt", 1, "us/op")));
        assertEquals(Optional.empty(), RatioReport.peerOf(BenchResult.of("no.such.Class.m", "avgt", 1, "us/op")));
        BenchResult py = new BenchResult("peers.torch.rot90", Map.of(), "avgt", 1, 0.1, "us/op", FAKE + ".fast", "torch");
        assertEquals(Optional.of(new RatioReport.Peer(FAKE + ".fast", "torch")), RatioReport.peerOf(py));
    }

    @Test
    void pairsAndComputesRatioWithSpread() {
        BenchResult fabai = new BenchResult(FAKE + ".fast", Map.of(), "avgt", 2.0, 0.2, "us/op", null, null);
        BenchResult jvm = new BenchResult(FAKE + ".slowPeer", Map.of(), "avgt", 4.0, 0.4, "us/op", null, null);
        // a peer in another unit and mode: 1e5 ops/s = 10 us/op
        BenchResult py = new BenchResult("peers.t.x", Map.of(), "thrpt", 1e5, Double.NaN, "ops/s", FAKE + ".fast", "py");
        List<RatioReport.Row> rows = RatioReport.rows(List.of(jvm, py, fabai), RatioReport::peerOf);
        assertEquals(3, rows.size());
        assertNull(rows.get(0).peer());
        assertEquals(fabai, rows.get(0).fabai());
        RatioReport.Row r1 = rows.get(1);
        assertEquals("Fake peer", r1.peerName());
        assertEquals(0.5, r1.ratio(), 1e-12);
        // 10% relative error on each side: 0.5 * sqrt(0.01 + 0.01)
        assertEquals(0.5 * Math.sqrt(0.02), r1.spread(), 1e-12);
        RatioReport.Row r2 = rows.get(2);
        assertEquals(0.2, r2.ratio(), 1e-12);
        assertTrue(Double.isNaN(r2.spread()));
        String table = RatioReport.render(rows);
        assertTrue(table.contains("vs Fake peer") && table.contains("0.50 ± 0.07") && table.contains("0.20"), table);
    }

    @Test
    void peersPairOnlyWithSameParameters() {
        BenchResult f64 = new BenchResult(FAKE + ".fast", Map.of("n", "64"), "avgt", 1, 0.1, "us/op", null, null);
        BenchResult p32 = new BenchResult(FAKE + ".slowPeer", Map.of("n", "32"), "avgt", 1, 0.1, "us/op", null, null);
        List<RatioReport.Row> rows = RatioReport.rows(List.of(f64, p32), RatioReport::peerOf);
        assertEquals(2, rows.size());
        assertNull(rows.get(1).fabai(), "a peer with other parameters stays unpaired");
        assertTrue(RatioReport.render(rows).contains("(not run)"));
    }

    @Test
    void invalidSideGivesNoRatio() {
        BenchResult fabai = BenchResult.of(FAKE + ".fast", "avgt", Double.NaN, "us/op");
        BenchResult peer = BenchResult.of(FAKE + ".slowPeer", "avgt", 1, "us/op");
        List<RatioReport.Row> rows = RatioReport.rows(List.of(fabai, peer), RatioReport::peerOf);
        assertTrue(Double.isNaN(rows.get(1).ratio()));
    }

    @Test
    void roundsGiveMedianRatioAndRange() {
        java.util.List<java.util.List<RatioReport.Row>> rounds = new java.util.ArrayList<>();
        double[] peerScores = {4.0, 8.0, 2.0};
        for (double p : peerScores) {
            BenchResult f = new BenchResult(FAKE + ".fast", Map.of(), "avgt", 2.0, 0.1, "us/op", null, null);
            BenchResult q = new BenchResult(FAKE + ".slowPeer", Map.of(), "avgt", p, 0.1, "us/op", null, null);
            rounds.add(RatioReport.rows(List.of(f, q), RatioReport::peerOf));
        }
        String t = RatioReport.renderRounds(rounds);
        // ratios 0.5, 0.25, 1.0: median 0.5, range 0.25 - 1.00; peer scores median 4
        assertTrue(t.contains(" 0.50 | 0.25 – 1.00 |") && t.contains("0.25 – 1.00") && t.contains("4.000"), t);
        assertTrue(t.contains("median over 3 rounds"), t);
        assertEquals(RatioReport.render(rounds.get(0)), RatioReport.renderRounds(rounds.subList(0, 1)));
        assertEquals(2.5, RatioReport.median(new double[] {1, 2, 3, 4}), 0.0);
    }
}
