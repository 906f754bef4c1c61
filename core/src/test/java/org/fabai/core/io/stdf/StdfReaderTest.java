package org.fabai.core.io.stdf;

import static org.fabai.core.io.stdf.StdfTestFiles.FINISH;
import static org.fabai.core.io.stdf.StdfTestFiles.START;
import static org.fabai.core.io.stdf.StdfTestFiles.standard;
import static org.fabai.core.io.stdf.StdfTestFiles.stdf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.Notch;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StdfReaderTest {

    static StdfFile read(byte[] data) throws Exception {
        return StdfReader.read(new ByteArrayInputStream(data), "test.stdf", StdfReadOptions.defaults());
    }

    static ByteOrder order(String name) {
        return name.equals("BIG") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void readsTheStandardWaferInEitherByteOrder(String orderName) throws Exception {
        ByteOrder order = order(orderName);
        StdfFile f = read(standard(order));
        assertEquals(order, f.byteOrder());
        assertFalse(f.gzip());
        assertEquals("LOT1", f.lotId());
        StdfMir mir = f.mir().orElseThrow();
        assertEquals("PART-A", mir.partType());
        assertEquals(Optional.of(START), mir.startTime());
        assertEquals('P', mir.modeCode());
        assertEquals("FLOW", mir.flowId());
        assertEquals(Optional.of(FINISH), f.finishTime());
        assertEquals(1, f.wafers().size());
        assertEquals(List.of(), f.warnings());

        StdfWafer w = f.wafers().get(0);
        WaferMap m = w.map();
        assertEquals("W01", w.waferId());
        assertEquals("W01", m.waferId());
        assertEquals("LOT1", m.lotId());
        // x -1..2 -> 4 columns, y -1..1 -> 3 rows; row 0 is y = 1 (y grows up)
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertEquals(-1, m.originX());
        assertEquals(1, m.originY());
        int[][] codes = {
            {0, 1, 0, 0},   // y=1: (0,1) pass, (2,1) no pass/fail -> OFF
            {0, 1, 1, 0},   // y=0: (0,0) pass, (1,0) retest passed
            {2, 0, 0, 0},   // y=-1: (-1,-1) fail
        };
        int[][] hard = {
            {-1, 1, -1, 9},
            {-1, 1, 1, -1},
            {7, -1, -1, -1},
        };
        int[][] soft = {
            {-1, 2, -1, 9},
            {-1, 1, 1, -1},
            {-1, -1, -1, -1},
        };
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(codes[r][c], m.code(r, c), "state at " + r + "," + c);
                assertEquals(hard[r][c], m.bin(r, c), "hard bin at " + r + "," + c);
                assertEquals(hard[r][c], w.hardBin(r, c));
                assertEquals(soft[r][c], w.softBin(r, c), "soft bin at " + r + "," + c);
                // the WaferMap's own coordinate mapping holds (x right, y up)
                assertEquals(m.dieX(c), w.dieX(c));
                assertEquals(m.dieY(r), w.dieY(r));
                assertEquals(c, w.col(w.dieX(c)));
                assertEquals(r, w.row(w.dieY(r)));
            }
        }
        assertEquals("p5", w.partId(1, 2));
        assertEquals("p6", w.partId(0, 3));
        assertEquals("", w.partId(0, 0));
        assertEquals(6, w.partCount());
        assertEquals(1, w.retestCount());
        assertEquals(3, w.goodCount());
        assertEquals(1, w.failCount());
        assertEquals(1, w.noPassFailCount());
        assertEquals(5, w.testedDieCount());
        assertEquals(0, w.unplacedCount());
        assertEquals(4, m.dieCount());
        assertEquals(1, m.failCount());
        assertEquals(List.of(new StdfSiteCount(1, 1, 3, 3, 0), new StdfSiteCount(1, 2, 3, 0, 2)), w.sites());
        assertEquals(Optional.of(START), w.startTime());
        assertEquals(Optional.of(FINISH), w.finishTime());
        assertTrue(w.hasWir());
        assertTrue(w.hasWrr());
        assertEquals(6, w.reportedPartCount());
        assertEquals(1, w.reportedRetestCount());
        assertEquals(3, w.reportedGoodCount());
        assertEquals(Notch.DOWN, m.notch());
        assertEquals(5000.0, m.diePitchX(), 1e-9);
        assertEquals(4000.0, m.diePitchY(), 1e-9);
        StdfWcr wcr = f.wcr().orElseThrow();
        assertEquals(200.0, wcr.waferSizeMillimetres(), 1e-9);

        assertEquals(14 + 4, f.recordCount());
        assertEquals(6L, f.count("PRR"));
        assertEquals(6L, f.count("PIR"));
        assertEquals(1L, f.count("FAR"));
        assertEquals(0, f.skippedRecords());
    }

    @Test
    void byteOrdersDifferOnDiskButGiveTheSameWafer() throws Exception {
        byte[] be = standard(ByteOrder.BIG_ENDIAN);
        byte[] le = standard(ByteOrder.LITTLE_ENDIAN);
        // FAR per the spec: REC_LEN 2, REC_TYP 0, REC_SUB 10, CPU_TYP (1 Sun / 2 PC), STDF_VER 4
        assertArrayEquals(new byte[] {0, 2, 0, 10, 1, 4}, java.util.Arrays.copyOf(be, 6));
        assertArrayEquals(new byte[] {2, 0, 0, 10, 2, 4}, java.util.Arrays.copyOf(le, 6));
        assertEquals(be.length, le.length);
        assertFalse(java.util.Arrays.equals(be, le));
        assertEquals(read(be).wafers(), read(le).wafers());
    }

    /** A file assembled byte by byte from the STDF V4 spec, without StdfWriter. */
    static byte[] handMade(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(256).order(order);
        // FAR
        b.putShort((short) 2).put((byte) 0).put((byte) 10).put((byte) (order == ByteOrder.BIG_ENDIAN ? 1 : 2))
                .put((byte) 4);
        // WIR: HEAD_NUM 1, SITE_GRP 255, START_T, WAFER_ID "AB"
        b.putShort((short) 9).put((byte) 2).put((byte) 10).put((byte) 1).put((byte) 255).putInt(1_000_000)
                .put((byte) 2).put("AB".getBytes(StandardCharsets.US_ASCII));
        // PIR
        b.putShort((short) 2).put((byte) 5).put((byte) 10).put((byte) 1).put((byte) 3);
        // PRR: head 1 site 3 flags 0x08 NUM_TEST 12 HARD 300 SOFT 301 X 260 Y -2 TEST_T 5 PART_ID "" PART_TXT ""
        // PART_FIX (B*n, length 0)
        b.putShort((short) 20).put((byte) 5).put((byte) 20).put((byte) 1).put((byte) 3).put((byte) 0x08)
                .putShort((short) 12).putShort((short) 300).putShort((short) 301).putShort((short) 260)
                .putShort((short) -2).putInt(5).put((byte) 0).put((byte) 0).put((byte) 0);
        // WRR: head, group, FINISH_T, PART_CNT 1 -- stops there; WAFER_ID comes from the WIR
        b.putShort((short) 10).put((byte) 2).put((byte) 20).put((byte) 1).put((byte) 255).putInt(1_000_100)
                .putInt(1);
        // MRR: FINISH_T only
        b.putShort((short) 4).put((byte) 1).put((byte) 20).putInt(1_000_200);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void readsAFileBuiltByHandFromTheSpec(String orderName) throws Exception {
        ByteOrder order = order(orderName);
        StdfFile f = read(handMade(order));
        assertEquals(order, f.byteOrder());
        StdfWafer w = f.wafers().get(0);
        assertEquals("AB", w.waferId());
        assertEquals(1, w.map().rows());
        assertEquals(1, w.map().cols());
        assertEquals(260, w.map().originX());
        assertEquals(-2, w.map().originY());
        assertEquals(DieState.FAIL, w.map().state(0, 0));
        assertEquals(300, w.hardBin(0, 0));
        assertEquals(301, w.softBin(0, 0));
        assertEquals(List.of(new StdfSiteCount(1, 3, 1, 0, 1)), w.sites());
        assertEquals(1, w.reportedPartCount());
        assertEquals(-1, w.reportedGoodCount());
        assertEquals(Optional.of(java.time.Instant.ofEpochSecond(1_000_000)), w.startTime());
        assertEquals(Optional.of(java.time.Instant.ofEpochSecond(1_000_100)), w.finishTime());
        assertEquals(Optional.of(java.time.Instant.ofEpochSecond(1_000_200)), f.finishTime());
        assertTrue(f.mir().isEmpty());
        assertEquals(Notch.UNKNOWN, w.map().notch());
        assertTrue(Double.isNaN(w.map().diePitchX()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void writerProducesTheSpecBytes(String orderName) throws Exception {
        ByteOrder order = order(orderName);
        byte[] written = stdf(order, w -> {
            w.far();
            w.wir(1, java.time.Instant.ofEpochSecond(1_000_000), "AB");
            w.pir(1, 3);
            w.prr(1, 3, 0x08, 12, 300, 301, 260, -2, "");
            w.record(5, 20); // a record started and never written leaves no trace
        });
        byte[] hand = handMade(order);
        // the hand-made PRR has TEST_T 5 and empty PART_TXT/PART_FIX; compare up to the PRR's TEST_T
        int prrStart = 6 + 13 + 6;
        assertArrayEquals(java.util.Arrays.copyOf(hand, prrStart), java.util.Arrays.copyOf(written, prrStart));
        byte[] prrHead = java.util.Arrays.copyOfRange(hand, prrStart + 4, prrStart + 4 + 13);
        assertArrayEquals(prrHead, java.util.Arrays.copyOfRange(written, prrStart + 4, prrStart + 4 + 13));
    }

    @Test
    void trailingFieldsMayBeAbsent() throws Exception {
        byte[] data = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            // MIR stops after LOT_ID
            w.record(1, 10).u4(0).u4(1_600_000_000L).u1(1).c1('P').c1(' ').c1(' ').u2(0).c1(' ').cn("L9").write();
            // WCR stops after WF_FLAT
            w.record(2, 30).r4(300f).r4(0f).r4(0f).u1(3).c1('L').write();
            w.record(2, 10).u1(1).u1(255).u4(0).cn("WIR-ID").write();
            // PRR through Y_COORD (no TEST_T, PART_ID, ...), one only through HARD_BIN
            w.record(5, 20).u1(1).u1(1).u1(0).u2(1).u2(4).u2(40).i2(3).i2(7).write();
            w.record(5, 20).u1(1).u1(1).u1(8).u2(1).u2(6).write();
            // WRR with no WAFER_ID: the WIR's id is used
            w.record(2, 20).u1(1).u1(255).u4(0).u4(2).write();
            w.record(1, 20).write(); // empty MRR
        });
        StdfFile f = read(data);
        assertEquals("L9", f.lotId());
        assertEquals("", f.mir().orElseThrow().partType());
        assertTrue(f.mir().orElseThrow().setupTime().isEmpty());
        assertEquals(Optional.of(java.time.Instant.ofEpochSecond(1_600_000_000L)), f.mir().orElseThrow().startTime());
        StdfWcr wcr = f.wcr().orElseThrow();
        assertEquals(' ', wcr.posX());
        assertEquals(StdfWcr.MISSING_COORD, wcr.centerX());
        StdfWafer w = f.wafers().get(0);
        assertEquals("WIR-ID", w.waferId());
        assertEquals(2, w.partCount());
        assertEquals(1, w.unplacedCount());
        assertEquals(1, w.testedDieCount());
        assertEquals(3, w.map().originX());
        assertEquals(7, w.map().originY());
        assertEquals(4, w.hardBin(0, 0));
        assertEquals(40, w.softBin(0, 0));
        assertEquals(Notch.LEFT, w.map().notch());
        assertEquals(2, w.reportedPartCount());
        assertEquals(-1, w.reportedRetestCount());
        assertTrue(f.finishTime().isEmpty());
        assertTrue(f.warnings().stream().anyMatch(s -> s.contains("1 PRRs without X/Y")), f.warnings().toString());
        assertTrue(f.warnings().stream().anyMatch(s -> s.contains("2 PRRs had no matching PIR")),
                f.warnings().toString());
    }

    @Test
    void unknownAndUninterpretedRecordsAreSkippedByLength() throws Exception {
        byte[] data = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.record(180, 1).bytes(new byte[300]).write(); // undefined type
            w.record(2, 10).u1(1).u1(255).u4(0).cn("W").write();
            w.record(15, 10).u4(1).u1(1).u1(1).bytes((byte) 0, (byte) 0).r4(1.5f).cn("ptr").write(); // PTR
            w.pir(1, 1);
            w.prr(1, 1, 0, 1, 1, 1, 0, 0, "");
            w.record(50, 10).u2(0).write(); // GDR
            w.record(255, 255).write(); // empty undefined record
            w.wrr(1, null, 1, -1, -1, "");
            w.mrr(null);
        });
        StdfFile f = read(data);
        assertEquals(10, f.recordCount());
        assertEquals(4, f.skippedRecords());
        assertEquals(2, f.unknownRecords());
        assertEquals(1L, f.count("UNKNOWN(180,1)"));
        assertEquals(1L, f.count("UNKNOWN(255,255)"));
        assertEquals(1L, f.count("PTR"));
        assertEquals(1L, f.count("GDR"));
        assertEquals(List.of("FAR", "UNKNOWN(180,1)", "WIR", "PTR", "PIR", "PRR", "GDR", "UNKNOWN(255,255)", "WRR",
                "MRR"), List.copyOf(f.recordCounts().keySet()));
        assertEquals("W", f.wafers().get(0).waferId());
        assertEquals(DieState.GOOD, f.wafers().get(0).map().state(0, 0));
    }

    @Test
    void partsOfSeveralSitesAreMatchedByHeadAndSite() throws Exception {
        byte[] data = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "MS");
            w.pir(1, 0).pir(1, 1).pir(1, 2).pir(1, 3);
            w.prr(1, 2, 0x08, 1, 3, 3, 2, 0, "");
            w.prr(1, 0, 0, 1, 1, 1, 0, 0, "");
            w.prr(1, 3, 0, 1, 1, 1, 3, 0, "");
            w.prr(1, 1, 0x08, 1, 2, 2, 1, 0, "");
            w.pir(1, 1).pir(1, 0);
            w.prr(1, 0, 0, 1, 1, 1, 0, 1, "");
            w.prr(1, 1, 0, 1, 1, 1, 1, 1, "");
            w.wrr(1, null, 6, -1, -1, "MS");
            w.mrr(null);
        });
        StdfFile f = read(data);
        assertEquals(List.of(), f.warnings());
        StdfWafer w = f.wafers().get(0);
        assertEquals(List.of(new StdfSiteCount(1, 0, 2, 2, 0), new StdfSiteCount(1, 1, 2, 1, 1),
                new StdfSiteCount(1, 2, 1, 0, 1), new StdfSiteCount(1, 3, 1, 1, 0)), w.sites());
        // row 0 = y 1, row 1 = y 0
        assertEquals(2, w.hardBin(1, 1));
        assertEquals(3, w.hardBin(1, 2));
        assertEquals(1, w.hardBin(0, 1));
        assertEquals(DieState.OFF, w.map().state(0, 2));
        assertEquals(0, w.retestCount());
    }

    @Test
    void partsOfTwoHeadsGoToTheWaferOfTheirHead() throws Exception {
        byte[] data = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "H1");
            w.wir(2, null, "H2");
            w.pir(1, 1).pir(2, 1);
            w.prr(2, 1, 0x08, 1, 8, 8, 5, 5, "");
            w.prr(1, 1, 0, 1, 1, 1, 5, 5, "");
            w.wrr(2, null, 1, 0, 0, "H2");
            w.wrr(1, null, 1, 0, 1, "H1");
            w.mrr(null);
        });
        List<StdfWafer> ws = read(data).wafers();
        assertEquals(2, ws.size());
        assertEquals("H2", ws.get(0).waferId());
        assertEquals(2, ws.get(0).head());
        assertEquals(8, ws.get(0).hardBin(0, 0));
        assertEquals("H1", ws.get(1).waferId());
        assertEquals(1, ws.get(1).hardBin(0, 0));
    }

    @Test
    void streamsWaferByWafer() throws Exception {
        byte[] data = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            w.mir(StdfMir.of("LOTS", "P", START));
            for (int i = 0; i < 3; i++) {
                w.wir(1, START, "W" + i);
                for (int d = 0; d <= i; d++) {
                    w.pir(1, 1);
                    w.prr(1, 1, 0, 1, 1, 1, d, 0, "");
                }
                w.wrr(1, FINISH, i + 1, 0, i + 1, "");
            }
            w.mrr(FINISH);
        });
        try (StdfReader r = StdfReader.open(new ByteArrayInputStream(data), "three.stdf", StdfReadOptions.defaults())) {
            assertEquals(ByteOrder.LITTLE_ENDIAN, r.byteOrder());
            for (int i = 0; i < 3; i++) {
                StdfWafer w = r.nextWafer();
                assertEquals("W" + i, w.waferId());
                assertEquals("LOTS", w.map().lotId());
                assertEquals(i + 1, w.map().cols());
                assertEquals(i + 1, w.goodCount());
                // the reader has not run ahead: the next WIR (or the MRR) is still unread
                assertEquals(2L + (long) (i + 1) * (i + 4), r.recordCount());
            }
            assertNull(r.nextWafer());
            assertNull(r.nextWafer());
            assertEquals(Optional.of(FINISH), r.finishTime());
        }
    }

    @Test
    void readsGzipDirectlyFromStreamAndPath(@TempDir Path dir) throws Exception {
        byte[] plain = standard(ByteOrder.BIG_ENDIAN);
        byte[] gz = StdfTestFiles.gzip(plain);
        StdfFile a = read(gz);
        assertTrue(a.gzip());
        assertEquals(read(plain).wafers(), a.wafers());
        Path p = dir.resolve("x.stdf.gz");
        Files.write(p, gz);
        StdfFile b = StdfReader.read(p);
        assertEquals(p.toString(), b.source());
        assertEquals(a.wafers(), b.wafers());
        // a gzip file without the .gz name is recognised by its magic bytes too
        Path q = dir.resolve("y.stdf");
        Files.write(q, gz);
        assertEquals(a.wafers(), StdfReader.read(q).wafers());
    }

    @Test
    void mirroredAxesFollowPosXAndPosY() throws Exception {
        StdfWafer ru = waferWithAxes('R', 'U');
        StdfWafer ld = waferWithAxes('L', 'D');
        StdfWafer blank = waferWithAxes(' ', ' ');
        assertEquals(ru.map().toBuilder().build().codes().length, ld.map().codes().length);
        assertArrayEquals(ru.map().flipHorizontal().flipVertical().codes(), ld.map().codes());
        assertArrayEquals(ru.map().codes(), blank.map().codes());
        assertFalse(ru.xIncreasesToLeft());
        assertTrue(ld.xIncreasesToLeft());
        assertTrue(ld.yIncreasesDownward());
        // origin = die coordinates of column 0 / row 0; x in 10..12, y in 20..21
        assertEquals(10, ru.map().originX());
        assertEquals(21, ru.map().originY());
        assertEquals(12, ld.map().originX());
        assertEquals(20, ld.map().originY());
        for (StdfWafer w : List.of(ru, ld)) {
            // the failing die (12, 20) and its bin are where the mapping says
            int r = w.row(20);
            int c = w.col(12);
            assertEquals(DieState.FAIL, w.map().state(r, c));
            assertEquals(12, w.dieX(c));
            assertEquals(20, w.dieY(r));
            assertEquals(6, w.hardBin(r, c));
        }
        assertEquals(0, ld.row(20));
        assertEquals(0, ld.col(12));
        assertEquals(1, ru.row(20));
        assertEquals(2, ru.col(12));
    }

    private static StdfWafer waferWithAxes(char posX, char posY) throws Exception {
        byte[] data = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wcr(new StdfWcr(0f, 0f, 0f, 0, ' ', StdfWcr.MISSING_COORD, StdfWcr.MISSING_COORD, posX, posY));
            w.wir(1, null, "A");
            w.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 10, 21, "");
            w.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 11, 21, "");
            w.pir(1, 1).prr(1, 1, 0x08, 1, 6, 6, 12, 20, "");
            w.wrr(1, null, 3, 0, 2, "A");
            w.mrr(null);
        });
        return read(data).wafers().get(0);
    }

    @Test
    void partsOutsideAnyWaferAndMissingWrrAreKeptWithWarnings() throws Exception {
        byte[] data = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            w.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 0, 0, "");
            w.pir(1, 1).prr(1, 1, 0x08, 1, 2, 2, 1, 0, "");
            w.pir(1, 1);
        });
        StdfFile f = read(data);
        assertEquals(1, f.wafers().size());
        StdfWafer w = f.wafers().get(0);
        assertFalse(w.hasWir());
        assertFalse(w.hasWrr());
        assertEquals("", w.waferId());
        assertEquals(2, w.partCount());
        assertEquals(-1, w.reportedPartCount());
        List<String> warn = f.warnings();
        assertTrue(warn.stream().anyMatch(s -> s.contains("outside any WIR")), warn.toString());
        assertTrue(warn.stream().anyMatch(s -> s.contains("1 PIRs had no matching PRR")), warn.toString());
        assertTrue(warn.stream().anyMatch(s -> s.contains("no MRR")), warn.toString());

        byte[] noWrr = stdf(ByteOrder.LITTLE_ENDIAN, x -> {
            x.far();
            x.wir(1, null, "OPEN");
            x.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 0, 0, "");
            x.wir(1, null, "NEXT");
            x.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 0, 0, "");
            x.mrr(null);
        });
        StdfFile g = read(noWrr);
        assertEquals(List.of("OPEN", "NEXT"), g.wafers().stream().map(StdfWafer::waferId).toList());
        assertFalse(g.wafers().get(0).hasWrr());
        assertEquals(2, g.warnings().size(), g.warnings().toString());
    }

    @Test
    void aWaferWithoutDiesIsAOneCellOffMap() throws Exception {
        byte[] data = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "EMPTY");
            w.wrr(1, null, 0, 0, 0, "");
            w.mrr(null);
        });
        StdfWafer w = read(data).wafers().get(0);
        assertEquals("EMPTY", w.waferId());
        assertEquals(1, w.map().rows() * w.map().cols());
        assertEquals(0, w.map().dieCount());
        assertEquals(0, w.partCount());
    }

    @Test
    void fixturesInTestResourcesMatchTheWriter() throws Exception {
        for (String name : List.of("small-le.stdf", "small-be.stdf")) {
            ByteOrder order = name.contains("-le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            byte[] fixture;
            try (var in = StdfReaderTest.class.getResourceAsStream("/stdf/" + name)) {
                assertTrue(in != null, "fixture /stdf/" + name + " missing");
                fixture = in.readAllBytes();
            }
            assertArrayEquals(standard(order), fixture, name + " differs from StdfTestFiles.standard(" + order + ")");
            StdfFile f = read(fixture);
            assertEquals(order, f.byteOrder());
            assertEquals(Notch.DOWN, f.wafers().get(0).map().notch());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void writerRoundTripsAWaferIncludingMirroredAxes(String orderName) throws Exception {
        ByteOrder order = order(orderName);
        for (char[] axes : new char[][] {{'R', 'U'}, {'L', 'D'}, {'L', 'U'}}) {
            StdfWcr wcr = new StdfWcr(150f, 2f, 3f, 3, 'R', 0, 0, axes[0], axes[1]);
            byte[] first = stdf(order, w -> {
                w.far();
                w.wcr(wcr);
                w.wir(7, START, "RT");
                w.pir(7, 1).prr(7, 1, 0, 1, 1, 11, -3, 4, "a");
                w.pir(7, 1).prr(7, 1, 0x08, 1, 4, 44, 2, 5, "b");
                w.pir(7, 1).prr(7, 1, 0x10, 1, 9, 65535, 0, 9, "");
                w.wrr(7, FINISH, 3, 0, 1, "RT");
                w.mrr(FINISH);
            });
            StdfWafer a = read(first).wafers().get(0);
            byte[] again = stdf(order, w -> {
                w.far();
                w.wcr(wcr);
                w.wafer(7, a);
                w.mrr(FINISH);
            });
            StdfWafer b = read(again).wafers().get(0);
            assertEquals(a, b, "axes " + new String(axes));
            assertEquals(Notch.RIGHT, b.map().notch());
            assertEquals(44, b.softBin(b.row(5), b.col(2)));
            assertEquals("b", b.partId(b.row(5), b.col(2)));
        }
    }
}
