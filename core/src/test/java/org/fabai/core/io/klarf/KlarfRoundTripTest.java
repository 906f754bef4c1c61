package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fabai.core.defect.Defect;
import org.fabai.core.wafer.DieState;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KlarfRoundTripTest {

    static Stream<String> goodSamples() {
        return Stream.of("shared:simple12.klarf", "shared:klarf12Example.klarf", "shared:klarf12DefectListExample.klarf",
                "shared:simple18.klarf", "shared:klarfWithImagelist.klarf", "multi12.klarf", "lots18.klarf");
    }

    private static Path path(String id) {
        return id.startsWith("shared:") ? KlarfSamples.shared(id.substring(7)) : KlarfSamples.resource(id);
    }

    @ParameterizedTest
    @MethodSource("goodSamples")
    void readWriteReadIsEqual(String id, @TempDir Path tmp) throws Exception {
        KlarfFile original = KlarfReader.read(path(id));
        Path out = tmp.resolve("out.klarf");
        KlarfWriter.write(original, out);
        KlarfFile again = KlarfReader.read(out);
        assertEquals(original, again);
        for (int i = 0; i < original.wafers().size(); i++) {
            KlarfWafer a = original.wafers().get(i);
            KlarfWafer b = again.wafers().get(i);
            assertEquals(a.map(), b.map());
            assertEquals(a.defects(), b.defects());
            assertEquals(a.summaries(), b.summaries());
            assertEquals(a.diePitch(), b.diePitch());
            assertEquals(a.resultTimestamp(), b.resultTimestamp());
        }
        // writing is stable: the second write gives the same text
        assertEquals(KlarfWriter.toText(original), KlarfWriter.toText(again));
    }

    @Test
    void builtInCodeRoundTripsIn12And18() throws Exception {
        List<KlarfColumn> cols12 = List.of(new KlarfColumn("", "DEFECTID"), new KlarfColumn("", "XINDEX"),
                new KlarfColumn("", "YINDEX"), new KlarfColumn("", "XREL"), new KlarfColumn("", "YREL"),
                new KlarfColumn("", "DEFECTAREA"), new KlarfColumn("", "CLASSNUMBER"), new KlarfColumn("", "KILLPROB"));
        List<Defect> defects = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("KILLPROB", i % 3 == 0 ? "NA" : "0." + i);
            defects.add(new Defect(i + 1, i % 5 - 2, i / 5 - 1, 0.1 * i + 1e-3, 1234.567 + i, Double.NaN, Double.NaN,
                    i == 7 ? Double.NaN : 0.25 * i, Double.NaN, i % 4, Defect.UNKNOWN, List.of(), attrs));
        }
        KlarfRecord file = new KlarfRecord("FileRecord", "1.2", List.of(KlarfField.of("LotID", "\"LOT 9\""),
                KlarfField.of("DiePitch", "5000", "6000.5"), KlarfField.of("ResultTimestamp", "2024-01-02T03:04:05")),
                List.of(), List.of());
        KlarfRecord wafer = new KlarfRecord("WaferRecord", "W 9", List.of(KlarfField.of("Slot", "9")), List.of(), List.of());
        KlarfWafer w = new KlarfWafer("1.2", file, null, wafer, cols12, defects, List.of());
        KlarfFile f = new KlarfFile("1.2", List.of(w));
        String text = KlarfWriter.toText(f);
        KlarfFile back = read(text);
        assertEquals(f, back);
        assertEquals("LOT 9", back.wafers().get(0).lotId());
        assertEquals(9, back.wafers().get(0).slot());
        assertEquals(new KlarfPoint(5000, 6000.5), back.wafers().get(0).diePitch().orElseThrow());
        assertEquals(DieState.FAIL, back.wafers().get(0).map().state(0, 0));

        // the same defects in 1.8: lengths go out in nanometres and come back exactly
        List<KlarfColumn> cols18 = new ArrayList<>();
        for (KlarfColumn c : cols12) {
            cols18.add(new KlarfColumn(c.name().equals("KILLPROB") || c.name().equals("DEFECTAREA")
                    || c.name().endsWith("REL") ? "float" : "int32", c.name()));
        }
        KlarfRecord file18 = new KlarfRecord("FileRecord", "1.8", List.of(), List.of(), List.of());
        KlarfRecord lot18 = new KlarfRecord("LotRecord", "LOT 9", List.of(KlarfField.of("DiePitch", "5000000", "6000500")),
                List.of(), List.of());
        KlarfWafer w18 = new KlarfWafer("1.8", file18, lot18, wafer, cols18, defects, List.of());
        KlarfFile f18 = new KlarfFile("1.8", List.of(w18));
        String text18 = KlarfWriter.toText(f18);
        assertTrue(text18.contains("1 -2 -1 1 1234567"), text18);
        KlarfFile back18 = read(text18);
        assertEquals(f18, back18);
        assertEquals(w.defects().defects(), back18.wafers().get(0).defects().defects());
        assertEquals(w.map().toBuilder().build().rows(), back18.wafers().get(0).map().rows());
    }

    @Test
    void waferBuiltFromADefectListIsWrittenAndReadBack() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        List<DieIndex> plan = new ArrayList<>();
        for (int x = -6; x <= 6; x++) {
            for (int y = -6; y <= 6; y++) {
                if (x * x + y * y <= 36) {
                    plan.add(new DieIndex(x, y));
                }
            }
        }
        List<Defect> ds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DieIndex die = plan.get(rnd.nextInt(plan.size()));
            ds.add(new Defect(i + 1, die.x(), die.y(), rnd.nextDouble() * 5000, rnd.nextDouble() * 5000,
                    rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble(), Double.NaN, rnd.nextInt(5), 1, List.of(),
                    Map.of("ROUGHBINNUMBER", Integer.toString(rnd.nextInt(9)))));
        }
        org.fabai.core.defect.DefectList dl = new org.fabai.core.defect.DefectList("LOT 7", "07", 7, ds, Map.of());
        KlarfWafer w = KlarfWafer.of(dl, new KlarfPoint(5000, 5000), plan);
        KlarfFile f = new KlarfFile("1.2", List.of(w));
        KlarfFile back = read(KlarfWriter.toText(f));
        assertEquals(f, back);
        KlarfWafer b = back.wafers().get(0);
        assertEquals(ds, b.defects().defects());
        assertEquals("LOT 7", b.lotId());
        assertEquals(7, b.slot());
        assertEquals(13, b.map().rows());
        assertEquals(13, b.map().cols());
        assertEquals(plan.size(), b.map().dieCount());
        long failDies = ds.stream().map(d -> new DieIndex(d.dieX(), d.dieY())).distinct().count();
        assertEquals(failDies, b.map().failCount());
        KlarfReaderTest.assertMapMatches(b);
    }

    @Test
    void writerRefusesWhatItCannotWrite() {
        KlarfRecord file = new KlarfRecord("FileRecord", "1.2", List.of(KlarfField.of("LotID", "two words")),
                List.of(), List.of());
        KlarfRecord wafer = new KlarfRecord("WaferRecord", "W", List.of(), List.of(), List.of());
        KlarfWafer w = new KlarfWafer("1.2", file, null, wafer, List.of(), List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KlarfWriter.toText(new KlarfFile("1.2", List.of(w))));
        assertTrue(e.getMessage().contains("'two words' is not one KLARF token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KlarfWriter.toText(new KlarfFile("1.8", List.of(w))));
        Defect stray = Defect.of(1, 0, 0, 1, 1, 0);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> new KlarfWafer("1.2", file, null,
                wafer, List.of(new KlarfColumn("", "DEFECTID"), new KlarfColumn("", "ROUGHBIN")), List.of(stray), List.of()));
        assertTrue(e2.getMessage().contains("the columns need exactly [ROUGHBIN]"), e2.getMessage());
    }

    /**
     * A 1.2 file of many wafers produced on demand: the reader hands out the first wafer long
     * before the generator has produced the rest, i.e. it does not read the file ahead.
     */
    @Test
    void streamsWaferByWafer() throws Exception {
        int wafers = 400;
        Generated12 gen = new Generated12(wafers, 50);
        try (KlarfReader r = KlarfReader.open(gen, "generated")) {
            KlarfWafer first = r.next();
            assertEquals("W0", first.waferId());
            assertEquals(50, first.defects().size());
            assertTrue(gen.produced < 40, "generator had produced " + gen.produced + " wafers");
            int n = 1;
            for (KlarfWafer w = r.next(); w != null; w = r.next()) {
                assertEquals("W" + n, w.waferId());
                assertEquals(50, w.defects().size());
                n++;
            }
            assertEquals(wafers, n);
            assertNull(r.next());
        }
    }

    /** Emits a KLARF 1.2 text wafer by wafer as it is read. */
    private static final class Generated12 extends InputStream {
        private final int wafers;
        private final int defects;
        int produced;
        private byte[] chunk = ("FileVersion 1 2;\nLotID \"GEN\";\nDiePitch 1000 1000;\n"
                + "DefectRecordSpec 5 DEFECTID XINDEX YINDEX XREL YREL;\n").getBytes(StandardCharsets.US_ASCII);
        private int pos;
        private boolean ended;

        Generated12(int wafers, int defects) {
            this.wafers = wafers;
            this.defects = defects;
        }

        @Override
        public int read() throws IOException {
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            return chunk[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean refill() {
            if (produced < wafers) {
                StringBuilder sb = new StringBuilder("WaferID \"W").append(produced).append("\";\nDefectList");
                for (int i = 0; i < defects; i++) {
                    sb.append("\n ").append(i + 1).append(' ').append(i % 7).append(' ').append(i % 5)
                            .append(" 12.5 ").append(i).append(".25");
                }
                chunk = sb.append(";\n").toString().getBytes(StandardCharsets.US_ASCII);
                produced++;
            } else if (!ended) {
                chunk = "EndOfFile;\n".getBytes(StandardCharsets.US_ASCII);
                ended = true;
            } else {
                return false;
            }
            pos = 0;
            return true;
        }
    }

    private static KlarfFile read(String text) throws Exception {
        return KlarfReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "written");
    }
}
