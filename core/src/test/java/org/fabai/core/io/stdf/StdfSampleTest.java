package org.fabai.core.io.stdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.Notch;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real sample {@code shared/data/stdf/lot2.stdf.gz} (rust-stdf's demo file, MIT), checked against
 * facts taken from it by a minimal independent parse below (big-endian, as its FAR says) and against the
 * counts its own WRR, PCR and HBR records report.
 */
class StdfSampleTest {

    private static Path sample;

    /** What the minimal parse finds. */
    private static final class Facts {
        final Map<String, Long> counts = new LinkedHashMap<>();
        long records;
        int prrs;
        long wrrPartCount = -1;
        String wrrWaferId = "";
        long pcrPartCount = -1;
        long hbrHead255Total;
        /** last PRR per die: key x,y -> {flags, hardBin, softBin}. */
        final Map<String, int[]> lastPerDie = new HashMap<>();
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
    }

    private static Facts facts;

    @BeforeAll
    static void locate() throws IOException {
        Path data = StdfTestFiles.sharedData();
        if (data != null && Files.isReadable(data.resolve("stdf/lot2.stdf.gz"))) {
            sample = data.resolve("stdf/lot2.stdf.gz");
            facts = parseIndependently(sample);
        }
    }

    @BeforeEach
    void requireSample() {
        assumeTrue(sample != null, "shared/data/stdf/lot2.stdf.gz not found in any folder above "
                + Path.of("").toAbsolutePath() + ": the real-sample STDF test is skipped");
    }

    private static Facts parseIndependently(Path p) throws IOException {
        Facts f = new Facts();
        try (InputStream raw = Files.newInputStream(p);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException end) {
                    break;
                }
                int typ = in.readUnsignedByte();
                int sub = in.readUnsignedByte();
                byte[] b = new byte[len];
                in.readFully(b);
                f.records++;
                String name = StdfRecordTypes.name(typ, sub);
                f.counts.merge(name, 1L, Long::sum);
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b); // big-endian by default
                if (typ == 5 && sub == 20) {
                    f.prrs++;
                    bb.get();
                    bb.get();
                    int flags = bb.get() & 0xff;
                    bb.getShort();
                    int hard = bb.getShort() & 0xffff;
                    int soft = bb.getShort() & 0xffff;
                    int x = bb.getShort();
                    int y = bb.getShort();
                    f.lastPerDie.put(x + "," + y, new int[] {flags, hard, soft});
                    f.minX = Math.min(f.minX, x);
                    f.maxX = Math.max(f.maxX, x);
                    f.minY = Math.min(f.minY, y);
                    f.maxY = Math.max(f.maxY, y);
                } else if (typ == 2 && sub == 20) {
                    bb.position(6);
                    f.wrrPartCount = bb.getInt() & 0xffffffffL;
                    bb.position(26);
                    int n = bb.get() & 0xff;
                    f.wrrWaferId = new String(b, 27, n, StandardCharsets.ISO_8859_1);
                } else if (typ == 1 && sub == 30) {
                    bb.position(2);
                    f.pcrPartCount = bb.getInt() & 0xffffffffL;
                } else if (typ == 1 && sub == 40 && (b[0] & 0xff) == 255) {
                    bb.position(4);
                    f.hbrHead255Total += bb.getInt() & 0xffffffffL;
                }
            }
        }
        return f;
    }

    @Test
    void readsTheRealSampleAsTheIndependentParseAndItsOwnSummariesSay() throws Exception {
        StdfFile f = StdfReader.read(sample);
        assertTrue(f.gzip());
        assertEquals(ByteOrder.BIG_ENDIAN, f.byteOrder());
        assertEquals(facts.counts, f.recordCounts());
        assertEquals(facts.records, f.recordCount());
        assertEquals("GAL-LOT", f.lotId());
        assertEquals(1, f.wafers().size());
        assertEquals(1L, f.count("WIR"));

        StdfWafer w = f.wafers().get(0);
        // the file's own summaries: WRR PART_CNT, PCR PART_CNT and the HBR totals all count every PRR
        assertEquals(facts.prrs, w.partCount());
        assertEquals(facts.wrrPartCount, w.reportedPartCount());
        assertEquals(facts.pcrPartCount, w.partCount());
        assertEquals(facts.hbrHead255Total, w.partCount());
        assertEquals(facts.wrrWaferId, w.waferId());
        assertEquals("GAL-LOT-02", w.waferId());

        // retests: PRRs beyond the distinct die positions; the last test of each die is on the map
        assertEquals(facts.prrs - facts.lastPerDie.size(), w.retestCount());
        assertTrue(w.retestCount() > 0, "the sample has retested dies");
        // the same figures from a separate Python parse of the file: 1569 PRRs on 1456 dies
        assertEquals(1569, w.partCount());
        assertEquals(113, w.retestCount());
        assertEquals(1389, w.goodCount());
        assertEquals(67, w.failCount());
        assertEquals(facts.lastPerDie.size(), w.testedDieCount());
        assertEquals(0, w.unplacedCount());

        WaferMap m = w.map();
        assertEquals(facts.maxX - facts.minX + 1, m.cols());
        assertEquals(facts.maxY - facts.minY + 1, m.rows());
        // WCR: POS_X 'R', POS_Y 'U', WF_FLAT 'D' -> no mirroring, the WaferMap's mapping holds
        StdfWcr wcr = f.wcr().orElseThrow();
        assertEquals('R', wcr.posX());
        assertEquals('U', wcr.posY());
        assertEquals(Notch.DOWN, m.notch());
        assertEquals(facts.minX, m.originX());
        assertEquals(facts.maxY, m.originY());

        Map<Integer, Integer> binsExpected = new TreeMap<>();
        int good = 0;
        int fail = 0;
        for (Map.Entry<String, int[]> e : facts.lastPerDie.entrySet()) {
            String[] xy = e.getKey().split(",");
            int x = Integer.parseInt(xy[0]);
            int y = Integer.parseInt(xy[1]);
            int[] v = e.getValue();
            int r = m.originY() - y;
            int c = x - m.originX();
            assertEquals(x, m.dieX(c));
            assertEquals(y, m.dieY(r));
            DieState want = (v[0] & 0x10) != 0 ? DieState.OFF : (v[0] & 0x08) != 0 ? DieState.FAIL : DieState.GOOD;
            assertEquals(want, m.state(r, c), "die " + e.getKey());
            assertEquals(v[1], m.bin(r, c), "hard bin of die " + e.getKey());
            assertEquals(v[2] == 0xffff ? WaferMap.NO_BIN : v[2], w.softBin(r, c), "soft bin of die " + e.getKey());
            binsExpected.merge(v[1], 1, Integer::sum);
            good += want == DieState.GOOD ? 1 : 0;
            fail += want == DieState.FAIL ? 1 : 0;
        }
        Map<Integer, Integer> binsSeen = new TreeMap<>();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.bin(r, c) != WaferMap.NO_BIN) {
                    binsSeen.merge(m.bin(r, c), 1, Integer::sum);
                }
            }
        }
        assertEquals(binsExpected, binsSeen);
        assertEquals(good, w.goodCount());
        assertEquals(fail, w.failCount());
        assertEquals(good, m.dieCount() - m.failCount());
        assertEquals(1, w.sites().size());
        assertEquals(facts.prrs, w.sites().get(0).parts());
    }

    @Test
    void streamingGivesTheSameWafer() throws Exception {
        StdfFile whole = StdfReader.read(sample);
        try (StdfReader r = StdfReader.open(sample)) {
            StdfWafer w = r.nextWafer();
            assertEquals(whole.wafers().get(0), w);
            assertEquals(null, r.nextWafer());
            assertEquals(whole.recordCounts(), r.recordCounts());
        }
    }

    @Test
    void writingTheSampleBackInTheOtherByteOrderKeepsEveryDie() throws Exception {
        StdfFile f = StdfReader.read(sample);
        StdfWafer w = f.wafers().get(0);
        byte[] le = StdfTestFiles.stdf(ByteOrder.LITTLE_ENDIAN, x -> {
            x.far();
            x.mir(f.mir().orElseThrow());
            x.wcr(f.wcr().orElseThrow());
            x.wafer(1, w);
            x.mrr(f.finishTime().orElse(null));
        });
        StdfFile back = StdfReader.read(new java.io.ByteArrayInputStream(le), "lot2-le.stdf",
                StdfReadOptions.defaults());
        assertEquals(ByteOrder.LITTLE_ENDIAN, back.byteOrder());
        StdfWafer b = back.wafers().get(0);
        assertEquals(w.map(), b.map());
        assertEquals(java.util.Arrays.toString(w.softBins()), java.util.Arrays.toString(b.softBins()));
        assertEquals(w.testedDieCount(), b.partCount());
        assertEquals(0, b.retestCount());
        assertEquals(w.goodCount(), b.reportedGoodCount());
        assertEquals(f.mir(), back.mir());
    }
}
