package org.fabai.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NPZ files as other people's scripts write them: singleton axes on the maps, labels nested,
 * spelled otherwise or stored under another key, lot names beside a stacked array.
 */
class WaferMapArraysVarietyTest {

    @TempDir
    Path tmp;

    /** Two maps of their own sizes: 2x3 and 3x2. */
    private static final byte[] M0 = {0, 1, 0, 1, 2, 1};
    private static final byte[] M1 = {0, 2, 1, 1, 0, 1};

    private Path write(String name, Map<String, NpyArray> arrays) throws Exception {
        Path p = tmp.resolve(name);
        NpzWriter.write(arrays, p, true);
        return p;
    }

    private static List<List<String>> labels(String... l) {
        List<List<String>> out = new ArrayList<>();
        for (String s : l) {
            out.add(s.isEmpty() ? List.of() : List.of(s));
        }
        return out;
    }

    @Test
    void perMapArraysWithASingletonAxisReadAsTheirMap() throws Exception {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("map_00000", NpyArray.ofUnsignedBytes(M0, 1, 2, 3));   // [1, rows, cols]
        a.put("map_00001", NpyArray.ofInts(new int[] {0, 2, 1, 1, 0, 1}, 3, 2, 1));   // [rows, cols, 1]
        a.put("labels", NpyArray.ofStrings(new String[] {"Center", "none"}));
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(write("singleton.npz", a));
        assertEquals(2, d.maps().size());
        assertEquals(WaferMap.fromCodes(2, 3, M0).withIds("", "0"), d.maps().get(0));
        assertEquals(3, d.maps().get(1).rows());
        assertEquals(2, d.maps().get(1).cols());
        assertArrayEquals(M1, d.maps().get(1).codes());
        // other 3-d shapes are still refused, naming the array
        a.put("map_00001", NpyArray.ofUnsignedBytes(new byte[12], 2, 3, 2));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(write("3d.npz", a)));
        assertTrue(e.getMessage().contains("'map_00001'") && e.getMessage().contains("[2, 3, 2]"), e.getMessage());
    }

    @Test
    void stackedMapsWithAChannelAxisRead() throws Exception {
        byte[] two = new byte[12];
        System.arraycopy(M0, 0, two, 0, 6);
        System.arraycopy(M0, 0, two, 6, 6);
        for (long[] shape : new long[][] {{2, 1, 2, 3}, {2, 2, 3, 1}}) {
            Map<String, NpyArray> a = new LinkedHashMap<>();
            a.put("maps", NpyArray.ofUnsignedBytes(two, shape));
            a.put("labels", NpyArray.ofStrings(new String[] {"Loc", "Loc"}));
            WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(write("stacked.npz", a));
            assertEquals(2, d.maps().size(), java.util.Arrays.toString(shape));
            assertArrayEquals(M0, d.maps().get(1).codes());
            assertEquals(3, d.maps().get(1).cols());
        }
        // a 4-d array without a singleton axis is refused, naming its shape
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(
                NpyArray.ofUnsignedBytes(new byte[16], 2, 2, 2, 2), "four.npz: 'maps'"));
        assertTrue(e.getMessage().contains("[2, 2, 2, 2]"), e.getMessage());
    }

    @Test
    void labelsInOtherSpellingsReadAsTheWm811kClasses() throws Exception {
        String[] raw = {" Edge-Loc ", "edge_loc", "EDGE LOC", "EdgeLoc", "[['Near-full']]", "Near-Full", "b'none'",
                "None", "normal", "[]", "  ", "nan", "Blob", "['Scratch']", "donut", "center", "RANDOM", "edge-ring", "loc"};
        Map<String, NpyArray> a = new LinkedHashMap<>();
        for (int i = 0; i < raw.length; i++) {
            a.put(String.format("map_%05d", i), NpyArray.ofUnsignedBytes(M0, 2, 3));
        }
        a.put("labels", NpyArray.ofStrings(raw));
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(write("spellings.npz", a));
        assertEquals(labels("Edge-Loc", "Edge-Loc", "Edge-Loc", "Edge-Loc", "Near-full", "Near-full", "none",
                "none", "none", "", "", "", "Blob", "Scratch", "Donut", "Center", "Random", "Edge-Ring", "Loc"), d.labels());
        // the same reading through toLabels, and for class names
        assertEquals(labels("Edge-Ring", "Loc"), WaferMapArrays.toLabels(
                NpyArray.ofStrings(new String[] {"edge_ring", " LOC"}), null, "direct"));
        a.put("labels", NpyArray.ofUnsignedBytes(new byte[raw.length * 2], raw.length, 2));
        a.put(WaferMapArrays.CLASS_NAMES_KEY, NpyArray.ofStrings(new String[] {"center", "edge_loc"}));
        assertEquals(List.of("Center", "Edge-Loc"), WaferMapArrays.readNpz(write("names.npz", a)).classNames());
    }

    @Test
    void nestedStringLabelsOfShapeNByOneRead() throws Exception {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("map_00000", NpyArray.ofUnsignedBytes(M0, 2, 3));
        a.put("map_00001", NpyArray.ofUnsignedBytes(M1, 3, 2));
        a.put("labels", NpyArray.ofStrings(new String[] {"Scratch", ""}, 2, 1));
        assertEquals(labels("Scratch", ""), WaferMapArrays.readNpz(write("nested.npz", a)).labels());
        // [n, 2] strings are still not labels
        a.put("labels", NpyArray.ofStrings(new String[] {"a", "b", "c", "d"}, 2, 2));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(write("n2.npz", a)));
        assertTrue(e.getMessage().contains("labels must be"), e.getMessage());
    }

    @Test
    void labelsUnderOtherKeysAndLotsBesideAStackedArray() throws Exception {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("map_00000", NpyArray.ofUnsignedBytes(M0, 2, 3));
        a.put("map_00001", NpyArray.ofUnsignedBytes(M1, 3, 2));
        a.put("failureType", NpyArray.ofStrings(new String[] {"Donut", "Loc"}));
        assertEquals(labels("Donut", "Loc"), WaferMapArrays.readNpz(write("ft.npz", a)).labels());
        // the batch reader finds them too
        List<List<String>> batched = new ArrayList<>();
        WaferMapArrays.eachNpz(write("ft2.npz", a), 1, NpyLimits.DEFAULT, (first, b) -> batched.addAll(b.labels()));
        assertEquals(labels("Donut", "Loc"), batched);

        byte[] two = new byte[12];
        System.arraycopy(M0, 0, two, 0, 6);
        System.arraycopy(M1, 0, two, 6, 6);
        Map<String, NpyArray> s = new LinkedHashMap<>();
        s.put("x", NpyArray.ofUnsignedBytes(two, 2, 2, 3));
        s.put("y", NpyArray.ofInts(new int[] {1, 0}));
        s.put(WaferMapArrays.CLASS_NAMES_KEY, NpyArray.ofStrings(new String[] {"none", "Center"}));
        s.put(WaferMapArrays.LOT_KEY, NpyArray.ofStrings(new String[] {"lotA", "lotB"}));
        s.put(WaferMapArrays.WAFER_KEY, NpyArray.ofDoubles(new double[] {7, Double.NaN}));
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(write("xy.npz", s));
        assertEquals(labels("Center", "none"), d.labels());
        assertEquals("lotA", d.maps().get(0).lotId());
        assertEquals("7", d.maps().get(0).waferId());
        assertEquals("lotB", d.maps().get(1).lotId());
        assertEquals("1", d.maps().get(1).waferId());
        // a lot array of the wrong length is an error naming it
        s.put(WaferMapArrays.LOT_KEY, NpyArray.ofStrings(new String[] {"lotA"}));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(write("xy2.npz", s)));
        assertTrue(e.getMessage().contains("'lot_name'") && e.getMessage().contains("one entry per map (2)"),
                e.getMessage());
    }

    /** An NPZ of raw .npy entries, in this order. */
    private Path zip(String name, Map<String, byte[]> entries) throws Exception {
        Path p = tmp.resolve(name);
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(p))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    /** Fixed-width numpy unicode ({@code <U width}): UTF-32LE, zero-padded. */
    private static byte[] unicode(int width, String... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * width * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            for (int i = 0; i < width; i++) {
                b.putInt(i < v.length() ? v.charAt(i) : 0);
            }
        }
        return b.array();
    }

    @Test
    void pickledArraysTheMapsDoNotNeedAreLeftOutAndPickledLabelsOrMapsRefused() throws Exception {
        // what numpy.savez writes for pandas columns of strings: dtype 'O', a pickle after the header
        byte[] pickle = {(byte) 0x80, 3, ']', 'q', 0, '.'};
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("map_00000", npy("|u1", new long[] {2, 3}, M0));
        e.put("map_00001", npy("|u1", new long[] {3, 2}, M1));
        e.put("labels", npy("<U6", new long[] {2}, unicode(6, "Center", "none")));
        e.put(WaferMapArrays.LOT_KEY, npy("|O", new long[] {2}, pickle));
        e.put(WaferMapArrays.WAFER_KEY, npy("|O", new long[] {2}, pickle));
        e.put("trianTestLabel", npy("|O", new long[] {2}, pickle));
        Path side = zip("pickled-side.npz", e);
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(side);
        assertEquals(2, d.maps().size());
        assertArrayEquals(M1, d.maps().get(1).codes());
        assertEquals(labels("Center", "none"), d.labels());
        assertEquals("", d.maps().get(0).lotId(), "the lot names were left out");
        List<WaferMap> streamed = new ArrayList<>();
        assertEquals(2, WaferMapArrays.eachNpz(side, 1, NpyLimits.DEFAULT, (first, b) -> streamed.addAll(b.maps())));
        assertEquals(d.maps(), streamed);

        // labels are needed: refused, naming the entry and the fix
        e.put("labels", npy("|O", new long[] {2}, pickle));
        Path pickledLabels = zip("pickled-labels.npz", e);
        PickledArrayException x = assertThrows(PickledArrayException.class, () -> WaferMapArrays.readNpz(pickledLabels));
        assertTrue(x.getMessage().contains("'labels.npy'") && x.getMessage().contains("fixed-width dtype"), x.getMessage());
        assertThrows(PickledArrayException.class,
                () -> WaferMapArrays.eachNpz(pickledLabels, 1, NpyLimits.DEFAULT, (first, b) -> { }));
        // a pandas column of maps saved as one array: pickled maps are refused too
        Map<String, byte[]> stacked = new LinkedHashMap<>();
        stacked.put("maps", npy("|O", new long[] {2}, pickle));
        stacked.put(WaferMapArrays.LOT_KEY, npy("|O", new long[] {2}, pickle));
        Path pickledMaps = zip("pickled-maps.npz", stacked);
        x = assertThrows(PickledArrayException.class, () -> WaferMapArrays.readNpz(pickledMaps));
        assertTrue(x.getMessage().contains("'maps.npy'"), x.getMessage());
    }

    /** An .npy file as numpy writes it: magic, version 1.0, header padded to 64 bytes, data. */
    private static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder sh = new StringBuilder("(");
        for (long d : shape) {
            sh.append(d).append(", ");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh.append(")") + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        b.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        return b.toByteArray();
    }

    @Test
    void uint64AndFloat16MapsReadInEitherByteOrder() throws Exception {
        // codes 0 1 2 1 as big-endian uint64 and as little-endian float16 (0x0000, 0x3c00, 0x4000, 0x3c00)
        byte[] u8 = new byte[32];
        u8[15] = 1;
        u8[23] = 2;
        u8[31] = 1;
        NpyArray a = NpyReader.read(npy(">u8", new long[] {2, 2}, u8), "u8.npy");
        assertEquals(WaferMap.fromCodes(2, 2, new byte[] {0, 1, 2, 1}).withIds("", "0"), WaferMapArrays.toWaferMaps(a, "u8.npy").get(0));
        NpyArray h = NpyReader.read(npy("<f2", new long[] {2, 2}, new byte[] {0, 0, 0, 0x3c, 0, 0x40, 0, 0x3c}), "f2.npy");
        assertEquals(WaferMap.fromCodes(2, 2, new byte[] {0, 1, 2, 1}).withIds("", "0"), WaferMapArrays.toWaferMaps(h, "f2.npy").get(0));
        // half precision beyond the codes: -0.5, infinity, the smallest subnormal; uint64 above a long
        NpyArray odd = NpyReader.read(npy(">f2", new long[] {3}, new byte[] {(byte) 0xb8, 0, 0x7c, 0, 0, 1}), "odd.npy");
        assertEquals(-0.5, odd.getDouble(0));
        assertEquals(Double.POSITIVE_INFINITY, odd.getDouble(1));
        assertEquals(Math.pow(2, -24), odd.getDouble(2));
        byte[] max = new byte[8];
        java.util.Arrays.fill(max, (byte) 0xff);
        NpyArray big = NpyReader.read(npy("<u8", new long[] {1}, max), "max.npy");
        assertEquals(18446744073709551615.0, big.getDouble(0));
        assertThrows(ArithmeticException.class, () -> big.getLong(0));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(big.reshape(1, 1), "max"));
        assertTrue(e.getMessage().contains("die code 1.8446744073709552E19"), e.getMessage());
    }

    @Test
    void repeatedLabelsAndLotsAreHeldOnceNotOncePerMap() throws Exception {
        // all of WM-811K is 811,457 maps of nine classes in about 47,000 lots: one object per distinct value
        Map<String, NpyArray> a = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            a.put(String.format("map_%05d", i), NpyArray.ofUnsignedBytes(M0, 2, 3));
        }
        a.put("labels", NpyArray.ofStrings(new String[] {"Loc", "none", "Loc", "loc", "", ""}));
        a.put(WaferMapArrays.LOT_KEY, NpyArray.ofStrings(new String[] {"lot1", "lot1", "lot1", "lot2", "lot2", "lot2"}));
        a.put(WaferMapArrays.WAFER_KEY, NpyArray.ofDoubles(new double[] {3, 3, 3, 3, 3, 3}));
        List<List<String>> l = new ArrayList<>();
        List<WaferMap> m = new ArrayList<>();
        WaferMapArrays.eachNpz(write("repeat.npz", a), 2, NpyLimits.DEFAULT, (first, b) -> {
            l.addAll(b.labels());
            m.addAll(b.maps());
        });
        assertEquals(labels("Loc", "none", "Loc", "Loc", "", ""), l);
        org.junit.jupiter.api.Assertions.assertSame(l.get(0), l.get(2));
        org.junit.jupiter.api.Assertions.assertSame(l.get(0), l.get(3));
        org.junit.jupiter.api.Assertions.assertSame(m.get(0).lotId(), m.get(2).lotId());
        org.junit.jupiter.api.Assertions.assertSame(m.get(0).waferId(), m.get(5).waferId());
    }

    @Test
    void aDamagedEntryWhoseBytesStillLookValidIsRefusedByItsChecksum() throws Exception {
        byte[] ones = new byte[100];
        java.util.Arrays.fill(ones, (byte) 1);
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("map_00000", NpyArray.ofUnsignedBytes(ones, 10, 10));
        Path p = tmp.resolve("stored.npz");
        NpzWriter.write(a, p, false);
        byte[] b = java.nio.file.Files.readAllBytes(p);
        int at = -1;
        for (int i = 0; i + 100 <= b.length && at < 0; i++) {
            int run = 0;
            while (run < 100 && b[i + run] == 1) {
                run++;
            }
            at = run == 100 ? i : -1;
        }
        assertTrue(at > 0, "the map's data bytes are in the stored archive");
        b[at + 55] = 2; // a good die turned failing: still a valid code
        java.nio.file.Files.write(p, b);
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(p));
        assertTrue(e.getMessage().contains("map_00000.npy") && e.getMessage().contains("CRC-32"), e.getMessage());
        e = assertThrows(FormatException.class, () -> WaferMapArrays.eachNpz(p, 10, NpyLimits.DEFAULT, (f, d) -> { }));
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void aBoolMaskIsRefusedWithWhatToWriteInstead() {
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(
                NpyArray.ofBooleans(new boolean[] {true, false, false, true}, 2, 2), "mask.npz: 'map_00000'"));
        assertTrue(e.getMessage().contains("mask.npz: 'map_00000'") && e.getMessage().contains("|b1")
                && e.getMessage().contains("cannot tell off-wafer dies from good ones"), e.getMessage());
    }

    @Test
    void aBadCodeInAPerMapArrayIsNamedByArrayRowAndColumn() throws Exception {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("map_00000", NpyArray.ofUnsignedBytes(M0, 2, 3));
        a.put("map_00001", NpyArray.ofDoubles(new double[] {0, 1, 1, Double.NaN, 0, 1}, 3, 2));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(write("nan.npz", a)));
        assertEquals("row 1, col 1 (flat index 3)", e.location());
        assertTrue(e.getMessage().contains("'map_00001'") && e.getMessage().contains("die code NaN"), e.getMessage());
    }
}
