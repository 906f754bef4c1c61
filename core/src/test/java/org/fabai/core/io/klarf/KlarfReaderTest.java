package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.util.List;

import org.fabai.core.defect.Defect;
import org.fabai.core.defect.DefectList;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.Notch;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

class KlarfReaderTest {

    @Test
    void simple12HeaderDefectAndMap() throws Exception {
        KlarfFile f = KlarfReader.read(KlarfSamples.shared("simple12.klarf"));
        assertEquals("1.2", f.version());
        assertEquals(1, f.wafers().size());
        KlarfWafer w = f.wafers().get(0);
        assertEquals("aLot", w.lotId());
        assertEquals("aWafer", w.waferId());
        assertEquals("aDevice", w.deviceId());
        assertEquals("aStep", w.stepId());
        assertEquals("", w.setupId());
        assertEquals(1, w.slot());
        assertEquals(LocalDateTime.of(1977, 7, 7, 7, 7, 7), w.resultTimestamp().orElseThrow());
        assertEquals(LocalDateTime.of(1977, 7, 7, 0, 17, 7), w.fileTimestamp().orElseThrow());
        assertEquals(new KlarfPoint(150000, 150000), w.diePitch().orElseThrow());
        assertEquals(new KlarfPoint(0, 0), w.dieOrigin().orElseThrow());
        assertEquals(new KlarfPoint(75000, 75000), w.sampleCenter().orElseThrow());
        assertEquals(Notch.DOWN, w.notch());
        assertEquals(List.of(new DieIndex(0, 0)), w.sampleTestPlan());

        DefectList dl = w.defects();
        assertEquals(1, dl.size());
        assertEquals("aLot", dl.lotId());
        assertEquals(1, dl.slot());
        assertEquals("\"aVendor\" \"A\" \"B\"", dl.header().get("InspectionStationID"));
        assertEquals("2 -1 \"Unclassified\" 10 \"Blork\"", dl.header().get("ClassLookup"));
        Defect d = dl.defects().get(0);
        assertEquals(1, d.id());
        assertEquals(3500.123, d.xRel());
        assertEquals(75000.123, d.yRel());
        assertEquals(1.111, d.xSize());
        assertEquals(1.444, d.ySize());
        assertEquals(25.123, d.area());
        assertEquals(5.0, d.dSize());
        assertEquals(10, d.classNumber());
        assertEquals(1, d.test());
        assertEquals("0", d.attributes().get("IMAGECOUNT"));
        assertEquals(List.of(), d.imageIds());

        KlarfTable sum = w.summaries().get(0);
        assertEquals(List.of("1", "1", "5.11e-007", "1", "1"), sum.rows().get(0));
        assertEquals(4, sum.columnIndex("NDEFDIE"));

        WaferMap m = w.map();
        assertEquals(1, m.rows());
        assertEquals(1, m.cols());
        assertEquals(DieState.FAIL, m.state(0, 0));
        assertEquals(150000, m.diePitchX());
    }

    @Test
    void gzipCompressedFilesAreInflatedWhateverTheirName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        for (String name : List.of("simple12.klarf", "simple18.klarf")) {
            java.nio.file.Path plain = KlarfSamples.shared(name);
            java.nio.file.Path gz = dir.resolve(name); // same name, compressed bytes: found by magic, not extension
            try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(Files.readAllBytes(plain));
            }
            KlarfFile a = KlarfReader.read(plain);
            try (KlarfReader r = KlarfReader.open(gz)) {
                int n = 0;
                for (KlarfWafer w = r.next(); w != null; w = r.next(), n++) {
                    KlarfWafer e = a.wafers().get(n);
                    assertEquals(e.waferId(), w.waferId(), name);
                    assertEquals(e.defects().size(), w.defects().size(), name);
                    assertEquals(e.map(), w.map(), name);
                }
                assertEquals(a.wafers().size(), n, name);
            }
        }
    }

    @Test
    void klarf11WithSeveralDefectListsAndImageLines() throws Exception {
        KlarfWafer w = KlarfReader.read(KlarfSamples.shared("klarf12DefectListExample.klarf")).wafers().get(0);
        assertEquals("1.1", w.version());
        assertEquals(13, w.defects().size());
        List<Integer> counts = w.sections().stream().map(DefectSection::count).toList();
        assertEquals(List.of(0, 3, 1, 3, 3, 3), counts);
        assertEquals("A_1.jpg", w.sections().get(1).tiffFileName());
        assertNull(w.sections().get(4).tiffFileName());
        // defect 9's image list continues on the next line ("39 1")
        Defect d9 = w.defects().defects().get(8);
        assertEquals(9, d9.id());
        assertEquals(List.of("39"), d9.imageIds());
        assertEquals("1 39 1", d9.attributes().get("IMAGELIST"));
        Defect d10 = w.defects().defects().get(9);
        assertEquals(10, d10.id());
        Defect d11 = w.defects().defects().get(10);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), d11.imageIds());
        assertEquals("8969.590", w.defects().defects().get(0).attributes().get("X"));
        assertEquals(List.of(new DieIndex(-2, -1), new DieIndex(0, 0), new DieIndex(0, 1)), w.sampleTestPlan());
        assertEquals("5", w.tests().get(0).name());
        assertEquals(new KlarfPoint(-20, 2000), w.sampleCenter().orElseThrow());
        // 14 rows (y -1..12) x 4 cols (x -2..1); origin maps cells back to die indices
        WaferMap m = w.map();
        assertEquals(14, m.rows());
        assertEquals(4, m.cols());
        assertEquals(-2, m.originX());
        assertEquals(12, m.originY());
        assertMapMatches(w);
        assertEquals(2, m.failCount());
        assertEquals(5, m.dieCount());
    }

    @Test
    void klarf18TwoWafersWithLotFieldsAfterTheWafers() throws Exception {
        KlarfFile f = KlarfReader.read(KlarfSamples.shared("simple18.klarf"));
        assertEquals("1.8", f.version());
        assertEquals(2, f.wafers().size());
        KlarfWafer w1 = f.wafers().get(0);
        KlarfWafer w2 = f.wafers().get(1);
        assertEquals("aLot.String", w1.lotId());
        assertEquals("FirstWaferId", w1.waferId());
        assertEquals("SecondWaferId", w2.waferId());
        assertEquals(25, w1.slot());
        assertEquals(3, w2.slot());
        // lot fields come after the wafers in this file, yet both wafers see them
        assertEquals("aDevice", w2.deviceId());
        assertEquals("ARecipe", w1.setupId());
        assertEquals(new KlarfPoint(5744.15, 5410.203), w1.diePitch().orElseThrow()); // nm -> um
        assertEquals(new KlarfPoint(4929, -490.333), w1.sampleCenter().orElseThrow());
        assertEquals(LocalDateTime.of(1971, 12, 11, 12, 32, 22), w1.resultTimestamp().orElseThrow());
        assertEquals(LocalDateTime.of(1972, 12, 12, 16, 27, 59), w1.fileTimestamp().orElseThrow());
        assertEquals(Notch.DOWN, w1.notch());
        assertEquals(3, w1.defects().size());
        Defect d = w1.defects().defects().get(0);
        assertEquals(2, d.id());
        assertEquals(1254.96, d.xRel());
        assertEquals(4346.692, d.yRel());
        assertEquals(0.315, d.xSize());
        assertEquals(0.006445, d.area(), 1e-15);
        assertEquals(91, d.classNumber());
        assertEquals(2, w1.tests().size());
        assertEquals(9, w1.sampleTestPlan().size());
        assertTrue(w2.sampleTestPlan().isEmpty());
        assertEquals(2, w1.summaries().get(0).rows().size());
        assertEquals("ClassLookupList", w1.lotRecord().orElseThrow().lists().get(0).name());
        assertMapMatches(w1);
        assertEquals(3, w1.map().failCount());
        assertEquals(12, w1.map().dieCount());
        // without a test plan the map spans the defect dies only
        assertEquals(1, w2.map().rows() * w2.map().cols());
    }

    @Test
    void klarf18ImageListColumn() throws Exception {
        KlarfWafer w = KlarfReader.read(KlarfSamples.shared("klarfWithImagelist.klarf")).wafers().get(0);
        assertEquals(6, w.defects().size());
        Defect d = w.defects().defects().get(0);
        assertEquals(List.of("a/path/here", "a/path/there", "a/path/anywhere"), d.imageIds());
        assertEquals(List.of(), w.defects().defects().get(1).imageIds());
        assertEquals("N", w.defects().defects().get(1).attributes().get("IMAGEINFO"));
        assertEquals("21725264.1", d.attributes().get("GDSX"));
        assertEquals("\"aWaferScribe\"", w.defects().header().get("WaferScribe"));
        assertEquals("OPERATORID", KlarfTokenizer.unquote(w.waferRecord().lists().get(0).rows().get(0).get(0)));
        assertEquals(LocalDateTime.of(2000, 1, 30, 15, 40, 57), w.resultTimestamp().orElseThrow());
        assertMapMatches(w);
    }

    @Test
    void multiWafer12WithNaStickySpecAndTimestampForms() throws Exception {
        KlarfFile f = KlarfReader.read(KlarfSamples.resource("multi12.klarf"));
        assertEquals(3, f.wafers().size());
        KlarfWafer w1 = f.wafers().get(0);
        KlarfWafer w2 = f.wafers().get(1);
        KlarfWafer w3 = f.wafers().get(2);
        assertEquals(List.of("W01", "W02", "W03"), f.wafers().stream().map(KlarfWafer::waferId).toList());
        assertEquals("LOT 0001", w1.lotId());
        assertEquals("recipe one", w1.setupId());
        assertEquals(LocalDateTime.of(2024, 3, 5, 14, 30), w1.fileTimestamp().orElseThrow());
        assertEquals(LocalDateTime.of(2024, 3, 5, 14, 29, 59), w1.resultTimestamp().orElseThrow());
        assertEquals(LocalDateTime.of(2024, 3, 5, 15, 0), w3.resultTimestamp().orElseThrow()); // wafer level wins
        // DefectRecordSpec before the first wafer applies to the wafers until another is given
        assertEquals(12, w1.defectColumns().size());
        assertEquals(12, w2.defectColumns().size());
        assertEquals(6, w3.defectColumns().size());
        Defect d2 = w1.defects().defects().get(1);
        assertTrue(Double.isNaN(d2.xRel()));
        assertTrue(Double.isNaN(d2.area()));
        assertEquals(12.0, d2.yRel());
        assertEquals(List.of("7"), d2.imageIds());
        Defect d3 = w1.defects().defects().get(2);
        assertEquals(Defect.UNKNOWN, d3.classNumber());
        assertEquals(List.of("8", "9"), d3.imageIds());
        assertEquals(0, w2.defects().size());
        assertEquals("NA", w3.defects().defects().get(2).attributes().get("ROUGHBINNUMBER"));
        // W01: plan of 6 dies in rows y=1 and y=0, x=-1..1; defects on (0,0) and (1,1)
        WaferMap m = w1.map();
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertEquals(DieState.GOOD, m.state(0, 0)); // (-1, 1)
        assertEquals(DieState.FAIL, m.state(0, 2)); // (1, 1)
        assertEquals(DieState.FAIL, m.state(1, 1)); // (0, 0)
        assertEquals(2, m.failCount());
        assertEquals(6, m.dieCount());
        assertEquals(10000, m.diePitchX());
        assertEquals(20000, m.diePitchY());
        assertMapMatches(w1);
        // W02: no defects; plan dies (0,0) and (2,-1) are GOOD, the rest of the box OFF
        WaferMap m2 = w2.map();
        assertEquals(2, m2.rows());
        assertEquals(3, m2.cols());
        assertEquals(2, m2.dieCount());
        assertEquals(0, m2.failCount());
        assertEquals(DieState.OFF, m2.state(1, 0));
        // W03: no plan, the map spans the defect dies
        assertEquals(7, w3.map().rows());
        assertEquals(6, w3.map().cols());
        assertEquals(2, w3.map().failCount());
        assertEquals(List.of("1", "3", "6.0e-11", "6", "2"), w1.summaries().get(0).rows().get(0));
    }

    @Test
    void klarf18WrittenFromTheSpecWithTwoLots() throws Exception {
        KlarfFile f = KlarfReader.read(KlarfSamples.resource("lots18.klarf"));
        assertEquals(3, f.wafers().size());
        KlarfWafer a1 = f.wafers().get(0);
        KlarfWafer a2 = f.wafers().get(1);
        KlarfWafer b1 = f.wafers().get(2);
        assertEquals("LOT-A", a1.lotId());
        assertEquals("LOT-B", b1.lotId());
        assertEquals("ETCH", b1.stepId()); // a lot field given after the lot's wafer
        assertEquals("M1_CMP", a1.stepId());
        assertEquals(Notch.UP, a1.notch());
        assertEquals(new KlarfPoint(10000, 20000), a1.diePitch().orElseThrow());
        assertEquals(new KlarfPoint(5000, 5000), b1.diePitch().orElseThrow());
        assertEquals(LocalDateTime.of(2024, 3, 5, 15, 0), a2.resultTimestamp().orElseThrow()); // ISO with Z
        Defect d1 = a1.defects().defects().get(0);
        assertEquals(100.5, d1.xRel());
        assertEquals(200.25, d1.yRel());
        assertEquals(3.75, d1.area());
        Defect d2 = a1.defects().defects().get(1);
        assertTrue(Double.isNaN(d2.xRel()));
        assertTrue(Double.isNaN(d2.area()));
        assertEquals(List.of("img/1.jpg", "img/2.jpg"), d2.imageIds());
        assertEquals(Defect.UNKNOWN, a1.defects().defects().get(2).classNumber());
        assertEquals(0, a2.defects().size());
        assertEquals("\"near the notch\"", b1.defects().defects().get(0).attributes().get("NOTE"));
        assertEquals(5, a1.map().dieCount()); // 4 plan dies and defect die (1, 1) outside the plan
        assertEquals(2, a1.map().failCount());
        assertMapMatches(a1);
        assertMapMatches(b1);
    }

    @Test
    void streamingReturnsOneWaferAtATime() throws Exception {
        try (KlarfReader r = KlarfReader.open(KlarfSamples.resource("multi12.klarf"))) {
            assertEquals("W01", r.next().waferId());
            assertEquals("1.2", r.version());
            assertEquals("W02", r.next().waferId());
            assertEquals("W03", r.next().waferId());
            assertNull(r.next());
            assertNull(r.next());
        }
        byte[] bytes = Files.readAllBytes(KlarfSamples.resource("lots18.klarf"));
        try (KlarfReader r = KlarfReader.open(new ByteArrayInputStream(bytes), "lots18 stream")) {
            assertEquals("W01", r.next().waferId());
            assertEquals("W02", r.next().waferId());
            KlarfWafer b = r.next();
            assertEquals("B01", b.waferId());
            assertEquals("ETCH", b.stepId());
            assertNull(r.next());
        }
    }

    @Test
    void toleratesCrlfCaseAndWhitespace() throws Exception {
        String text = Files.readString(KlarfSamples.resource("multi12.klarf"));
        KlarfFile plain = KlarfReader.read(KlarfSamples.resource("multi12.klarf"));
        String crlf = text.replace("\n", "\r\n");
        assertEquals(plain, read(crlf));
        String cr = text.replace("\n", "\r");
        assertEquals(plain, read(cr));
        String spaced = text.replace(";", " \t ;").replace("\n", "  \t\n\n   ").replace("DefectList", "defectlist")
                .replace("SampleTestPlan", "SAMPLETESTPLAN").replace("WaferID", "waferid");
        KlarfFile s = read(spaced);
        assertEquals(3, s.wafers().size());
        assertEquals(plain.wafers().get(0).defects().defects(), s.wafers().get(0).defects().defects());
        assertEquals(plain.wafers().get(0).map(), s.wafers().get(0).map());
    }

    @Test
    void toleratesPaddingAfterEndOfFileAndAByteOrderMark() throws Exception {
        String text = Files.readString(KlarfSamples.resource("multi12.klarf"));
        KlarfFile plain = read(text);
        assertEquals(plain, read(text + "\u0000\u0000\r\n\u001a"));
        assertEquals(plain, read("\ufeff" + text));
    }

    @Test
    void readFromAStreamLeavesItOpen() throws Exception {
        for (String name : List.of("multi12.klarf", "lots18.klarf")) {
            boolean[] closed = {false};
            java.io.InputStream in = new java.io.FilterInputStream(
                    new ByteArrayInputStream(Files.readAllBytes(KlarfSamples.resource(name)))) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };
            KlarfReader.read(in, name);
            assertFalse(closed[0], name);
            KlarfReader.open(in, name).close();
            assertTrue(closed[0], name);
        }
    }

    @Test
    void readsSameFromPathAndStream() throws Exception {
        for (String name : List.of("multi12.klarf", "lots18.klarf")) {
            byte[] bytes = Files.readAllBytes(KlarfSamples.resource(name));
            assertEquals(KlarfReader.read(KlarfSamples.resource(name)),
                    KlarfReader.read(new ByteArrayInputStream(bytes), name));
        }
    }

    @Test
    void timestampForms() {
        assertEquals(LocalDateTime.of(1977, 7, 7, 7, 7, 7), KlarfValues.parseTimestamp(List.of("07-07-77", "07:07:07")));
        assertEquals(LocalDateTime.of(2024, 7, 7, 0, 1, 59), KlarfValues.parseTimestamp(List.of("07-07-2024", "0:01:59")));
        assertEquals(LocalDateTime.of(2024, 7, 7, 21, 59, 59), KlarfValues.parseTimestamp(List.of("2024-07-07", "21:59:59")));
        assertEquals(LocalDateTime.of(2024, 7, 7, 21, 59, 59), KlarfValues.parseTimestamp(List.of("2024-07-07T21:59:59")));
        assertEquals(LocalDateTime.of(2024, 7, 7, 19, 59, 59),
                KlarfValues.parseTimestamp(List.of("\"2024-07-07T21:59:59+02:00\"")));
        assertEquals(LocalDateTime.of(2012, 1, 2, 3, 4, 5), KlarfValues.parseTimestamp(List.of("01/02/12", "03:04:05")));
    }

    private static KlarfFile read(String text) throws Exception {
        return KlarfReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    /** Every defect's die is FAIL, every plan die without defects GOOD, at the cell the origin gives. */
    static void assertMapMatches(KlarfWafer w) {
        WaferMap m = w.map();
        java.util.Set<DieIndex> fail = new java.util.HashSet<>();
        for (Defect d : w.defects().defects()) {
            if (d.dieX() != Defect.UNKNOWN && d.dieY() != Defect.UNKNOWN) {
                fail.add(new DieIndex(d.dieX(), d.dieY()));
            }
        }
        java.util.Set<DieIndex> plan = new java.util.HashSet<>(w.sampleTestPlan());
        int dies = 0;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                DieIndex die = new DieIndex(m.originX() + c, m.originY() - r);
                DieState expected = fail.contains(die) ? DieState.FAIL : plan.contains(die) ? DieState.GOOD : DieState.OFF;
                assertEquals(expected, m.state(r, c), "cell " + r + "," + c + " die " + die);
                if (expected != DieState.OFF) {
                    dies++;
                }
            }
        }
        java.util.Set<DieIndex> all = new java.util.HashSet<>(fail);
        all.addAll(plan);
        assertEquals(all.size(), dies);
        assertFalse(w.lotId().isEmpty() && w.waferId().isEmpty() && dies > 0 && false);
    }
}
