package org.fabai.core.io.stdf;

import static org.fabai.core.io.stdf.StdfTestFiles.standard;
import static org.fabai.core.io.stdf.StdfTestFiles.stdf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input: every problem is a FormatException naming source, record, type, offset and expectation. */
class StdfReaderErrorsTest {

    private static FormatException failRead(byte[] data) {
        return failRead(data, StdfReadOptions.defaults());
    }

    private static FormatException failRead(byte[] data, StdfReadOptions options) {
        FormatException e = assertThrows(FormatException.class,
                () -> StdfReader.read(new ByteArrayInputStream(data), "bad.stdf", options));
        assertEquals("bad.stdf", e.source());
        assertTrue(e.getMessage().startsWith("bad.stdf: "), e.getMessage());
        return e;
    }

    /** Record start offsets of a well-formed file, walked independently of the reader. */
    private static Set<Integer> recordBoundaries(byte[] d, ByteOrder order) {
        Set<Integer> starts = new HashSet<>();
        int off = 0;
        while (off < d.length) {
            starts.add(off);
            int len = order == ByteOrder.BIG_ENDIAN ? (d[off] & 0xff) << 8 | (d[off + 1] & 0xff)
                    : (d[off + 1] & 0xff) << 8 | (d[off] & 0xff);
            off += 4 + len;
        }
        assertEquals(d.length, off);
        starts.add(d.length);
        return starts;
    }

    @Test
    void emptyInput() {
        FormatException e = failRead(new byte[0]);
        assertTrue(e.getMessage().contains("empty input"), e.getMessage());
    }

    @Test
    void notStdf() {
        FormatException e = failRead("Hello, world. This is not STDF.".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("record 1 (UNKNOWN(108,108)) at byte 0", e.location());
        assertTrue(e.getMessage().contains("expected a FAR (REC_TYP 0, REC_SUB 10)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 255})
    void wrongVersion(int version) {
        byte[] d = standard(ByteOrder.BIG_ENDIAN);
        d[5] = (byte) version;
        FormatException e = failRead(d);
        assertEquals("record 1 (FAR) at byte 0", e.location());
        assertTrue(e.getMessage().contains("STDF_VER must be 4 (this reader reads STDF V4), got " + version),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 200})
    void unsupportedCpuType(int cpu) {
        byte[] d = standard(ByteOrder.LITTLE_ENDIAN);
        d[4] = (byte) cpu;
        FormatException e = failRead(d);
        assertTrue(e.getMessage().contains("CPU_TYP must be 1 (big-endian, Sun) or 2 (little-endian, PC), got " + cpu),
                e.getMessage());
    }

    @Test
    void cpuTypeContradictingTheFarLength() {
        byte[] d = standard(ByteOrder.LITTLE_ENDIAN);
        d[4] = 1; // says big-endian, but REC_LEN bytes are 02 00 -> 512 big-endian
        FormatException e = failRead(d);
        assertEquals("record 1 (FAR) at byte 0", e.location());
        assertTrue(e.getMessage().contains("FAR CPU_TYP 1 selects big-endian, but the FAR's REC_LEN reads 512 that "
                + "way and 2 (its defined length) the other way"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void truncationAtEveryByteFailsCleanlyOrEndsAtARecordBoundary(String orderName) throws Exception {
        ByteOrder order = StdfReaderTest.order(orderName);
        byte[] full = standard(order);
        Set<Integer> boundaries = recordBoundaries(full, order);
        int ok = 0;
        for (int cut = 0; cut < full.length; cut++) {
            byte[] d = Arrays.copyOf(full, cut);
            try {
                StdfFile f = StdfReader.read(new ByteArrayInputStream(d), "cut.stdf", StdfReadOptions.defaults());
                assertTrue(boundaries.contains(cut), "cut at " + cut + " inside a record was accepted");
                assertTrue(f.warnings().stream().anyMatch(s -> s.contains("no MRR")), "cut " + cut);
                ok++;
            } catch (FormatException e) {
                if (cut > 6) { // past the FAR: the message names a record, its type and offset
                    assertTrue(e.location().matches("record \\d+ \\((\\w+|\\?)\\) at byte \\d+"), e.location());
                }
                if (!boundaries.contains(cut)) {
                    assertTrue(e.getMessage().contains("input ends inside") || cut < 6, e.getMessage());
                }
            }
        }
        assertEquals(boundaries.size() - 2, ok); // every boundary but 0 (empty) and the full length
    }

    @Test
    void truncatedRecordNamesRecordNumberTypeAndOffset() {
        byte[] full = standard(ByteOrder.BIG_ENDIAN);
        // records: FAR(6 bytes) MIR WCR WIR ...; cut inside the WCR
        int mirLen = (full[6] & 0xff) << 8 | (full[7] & 0xff);
        int wcrStart = 6 + 4 + mirLen;
        byte[] d = Arrays.copyOf(full, wcrStart + 10);
        FormatException e = failRead(d);
        assertEquals("record 3 (WCR) at byte " + wcrStart, e.location());
        assertTrue(e.getMessage().contains("REC_LEN is 20 but only 6 bytes follow its header"), e.getMessage());
        byte[] h = Arrays.copyOf(full, wcrStart + 3);
        FormatException e2 = failRead(h);
        assertEquals("record 3 (?) at byte " + wcrStart, e2.location());
        assertTrue(e2.getMessage().contains("3 of its 4 bytes"), e2.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void recordEndingMidField(String orderName) {
        ByteOrder order = StdfReaderTest.order(orderName);
        byte[] d = stdf(order, w -> {
            w.far();
            w.wir(1, null, "W");
            // 8 bytes: ends after the first byte of SOFT_BIN
            w.record(5, 20).u1(1).u1(1).u1(0).u2(1).u2(1).u1(0).write();
        });
        FormatException e = failRead(d);
        assertEquals("record 3 (PRR) at byte 18", e.location());
        assertTrue(e.getMessage().contains("record ends inside field SOFT_BIN at record byte 7: it needs 2 bytes, "
                + "only 1 left of REC_LEN 8"), e.getMessage());
    }

    @Test
    void prrTooShortForItsRequiredFields() {
        byte[] d = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            w.record(5, 20).u1(1).u1(1).u1(0).write();
        });
        FormatException e = failRead(d);
        assertEquals("record 2 (PRR) at byte 6", e.location());
        assertTrue(e.getMessage().contains("PRR must hold at least HEAD_NUM, SITE_NUM, PART_FLG, NUM_TEST and HARD_BIN"),
                e.getMessage());
    }

    @Test
    void stringLongerThanItsRecord() {
        byte[] d = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.record(2, 10).u1(1).u1(255).u4(0).u1(200).bytes("W1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .write();
        });
        FormatException e = failRead(d);
        assertEquals("record 2 (WIR) at byte 6", e.location());
        assertTrue(e.getMessage().contains("field WAFER_ID at record byte 6 declares 200 characters but only 2 bytes"),
                e.getMessage());
    }

    @Test
    void secondFar() {
        byte[] d = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.far();
        });
        FormatException e = failRead(d);
        assertEquals("record 2 (FAR) at byte 6", e.location());
    }

    @Test
    void prrForAHeadWithoutWaferWhileOthersAreOpen() {
        byte[] d = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "A");
            w.wir(2, null, "B");
            w.pir(3, 1).prr(3, 1, 0, 1, 1, 1, 0, 0, "");
        });
        FormatException e = failRead(d);
        assertTrue(e.location().startsWith("record 5 (PRR) at byte 36"), e.location());
        assertTrue(e.getMessage().contains("PRR on HEAD_NUM 3 but the open wafers (WIR) are on heads [1, 2]"),
                e.getMessage());
    }

    @Test
    void implausibleDieCoordinatesAreRefusedNotAllocated() {
        byte[] d = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "HUGE");
            w.pir(1, 1).prr(1, 1, 0, 1, 1, 1, -30000, -30000, "");
            w.pir(1, 1).prr(1, 1, 0, 1, 1, 1, 30000, 30000, "");
            w.wrr(1, null, 2, 0, 2, "");
        });
        FormatException e = failRead(d);
        // refused at the PRR that widens the grid, before any grid is allocated
        assertTrue(e.location().startsWith("record 6 (PRR) at byte "), e.location());
        assertTrue(e.getMessage().contains("wafer 'HUGE' has die coordinates X -30000..30000, Y -30000..30000: "
                + "a 60001x60001 grid"), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the limit of 4194304"), e.getMessage());
    }

    @Test
    void garbageAfterAValidStart() {
        byte[] good = standard(ByteOrder.BIG_ENDIAN);
        byte[] d = Arrays.copyOf(good, good.length + 5);
        // appended record header claims REC_LEN 0xFFFF with one body byte present
        d[good.length] = (byte) 0xff;
        d[good.length + 1] = (byte) 0xff;
        d[good.length + 2] = 7;
        d[good.length + 3] = 7;
        FormatException e = failRead(d);
        assertEquals("record 19 (UNKNOWN(7,7)) at byte " + good.length, e.location());
        assertTrue(e.getMessage().contains("REC_LEN is 65535 but only 1 bytes follow"), e.getMessage());
    }

    @Test
    void randomGarbageOnlyEverGivesFormatException() throws Exception {
        Random rnd = new Random(42);
        int formatErrors = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] d = standard(i % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            int flips = 1 + rnd.nextInt(8);
            for (int k = 0; k < flips; k++) {
                d[6 + rnd.nextInt(d.length - 6)] = (byte) rnd.nextInt(256);
            }
            try {
                StdfReader.read(new ByteArrayInputStream(d), "garbage.stdf",
                        StdfReadOptions.defaults().withMaxMapCells(1 << 16));
            } catch (FormatException e) {
                formatErrors++;
                assertTrue(e.location().startsWith("record "), e.getMessage());
            }
        }
        // corrupting a record header or string almost always breaks the structure
        assertTrue(formatErrors > 100, "only " + formatErrors + " of 2000 corrupted files were rejected");
    }

    @Test
    void corruptAndTruncatedGzip() {
        byte[] gz = StdfTestFiles.gzip(standard(ByteOrder.LITTLE_ENDIAN));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        FormatException e = failRead(cut);
        assertTrue(e.getMessage().contains("corrupt or truncated gzip data"), e.getMessage());
        byte[] bad = gz.clone();
        for (int i = 12; i < bad.length - 8; i++) {
            bad[i] = (byte) (bad[i] ^ 0x5a);
        }
        FormatException e2 = failRead(bad);
        assertTrue(e2.getMessage().contains("gzip"), e2.getMessage());
        byte[] headerOnly = {0x1f, (byte) 0x8b, 8};
        FormatException e3 = failRead(headerOnly);
        assertTrue(e3.getMessage().contains("gzip header is corrupt"), e3.getMessage());
    }

    @Test
    void gzipThatInflatesBeyondTheLimitIsRefused() throws Exception {
        // 200 records of 65,535 zero bytes: 13 MB inflated from some 13 kB of gzip
        byte[] big = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            byte[] zeros = new byte[65535];
            for (int i = 0; i < 200; i++) {
                w.record(180, 0).bytes(zeros).write();
            }
        });
        byte[] gz = StdfTestFiles.gzip(big);
        assertTrue(gz.length < 100_000, "gzip of " + gz.length + " bytes");
        FormatException e = failRead(gz, StdfReadOptions.defaults().withMaxInflatedBytes(1_000_000));
        assertTrue(e.getMessage().contains("gzip input inflates beyond the limit of 1000000 bytes"), e.getMessage());
        assertTrue(e.location().matches("record 17 \\(UNKNOWN\\(180,0\\)\\) at byte \\d+"), e.location());
        // the default limit takes it (and the plain bytes are never limited)
        StdfFile f = StdfReader.read(new ByteArrayInputStream(gz), "big.gz", StdfReadOptions.defaults());
        assertEquals(200, f.unknownRecords());
    }

    @Test
    void optionsValidate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StdfReadOptions(0, 10));
        assertEquals("maxInflatedBytes must be >= 1, got 0", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> new StdfReadOptions(10, 0));
        assertEquals("maxMapCells must be in [1, 67108864], got 0", e2.getMessage());
    }

    @Test
    void fileErrorsNameThePath(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("broken.stdf");
        byte[] d = standard(ByteOrder.BIG_ENDIAN);
        d[5] = 3;
        Files.write(p, d);
        try {
            StdfReader.read(p);
            fail("expected FormatException");
        } catch (FormatException e) {
            assertEquals(p.toString(), e.source());
            assertTrue(e.getMessage().startsWith(p + ": record 1 (FAR) at byte 0: "), e.getMessage());
        }
    }

    @Test
    void warningsAreCappedSoHostileInputCannotGrowThemWithoutBound() throws Exception {
        byte[] d = stdf(ByteOrder.LITTLE_ENDIAN, w -> {
            w.far();
            for (int i = 0; i < 1500; i++) {
                w.mrr(null);
            }
        });
        StdfFile f = StdfReader.read(new ByteArrayInputStream(d), "many.stdf", StdfReadOptions.defaults());
        assertEquals(1001, f.warnings().size());
        assertEquals("... and 499 more warnings (only the first 1000 are kept)", f.warnings().get(1000));
        assertEquals(1500L, f.count("MRR"));
    }

    @Test
    void aStreamingReaderIsSpentAfterAnError() throws Exception {
        byte[] d = stdf(ByteOrder.BIG_ENDIAN, w -> {
            w.far();
            w.wir(1, null, "A");
            w.record(5, 20).u1(1).write();
            w.wrr(1, null, 0, 0, 0, "A");
        });
        try (StdfReader r = StdfReader.open(new ByteArrayInputStream(d), "spent.stdf", StdfReadOptions.defaults())) {
            assertThrows(FormatException.class, r::nextWafer);
            IllegalStateException e = assertThrows(IllegalStateException.class, r::nextWafer);
            assertTrue(e.getMessage().contains("stopped at an earlier error: spent.stdf: record 3 (PRR)"),
                    e.getMessage());
        }
    }
}
