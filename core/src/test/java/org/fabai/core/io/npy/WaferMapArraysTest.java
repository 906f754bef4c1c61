package org.fabai.core.io.npy;

import static org.fabai.core.io.npy.NpyReaderTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaferMapArraysTest {

    @TempDir
    Path tmp;

    @Test
    void multiHotNpzFromNumpy() throws Exception {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(fixture("wafer_maps.npz"));
        assertEquals(4, d.maps().size());
        WaferMap m0 = d.maps().get(0);
        assertEquals(8, m0.rows());
        assertEquals(8, m0.cols());
        assertEquals("0", m0.waferId());
        int[] fails = {4, 4, 11, 0};
        for (int i = 0; i < 4; i++) {
            assertEquals(32, d.maps().get(i).dieCount(), "map " + i);
            assertEquals(fails[i], d.maps().get(i).failCount(), "map " + i);
        }
        assertEquals(DieState.FAIL, m0.state(3, 3));
        assertEquals(DieState.OFF, d.maps().get(1).state(0, 2));
        assertEquals(DieState.FAIL, d.maps().get(1).state(1, 2));
        assertEquals(List.of("class_0", "class_1", "class_2"), d.classNames());
        assertEquals(List.of(List.of("class_0"), List.of("class_1"), List.of("class_0", "class_2"), List.of()), d.labels());

        List<List<String>> named = WaferMapArrays.toLabels(NpzReader.read(fixture("wafer_maps.npz")).get("arr_1"),
                List.of("Center", "Edge", "Random"), "arr_1");
        assertEquals(List.of("Center", "Random"), named.get(2));
    }

    @Test
    void stringLabelsFromNumpy() throws Exception {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(fixture("wafer_maps_strings.npz"));
        assertEquals(4, d.maps().size());
        assertEquals(List.of(List.of("Center"), List.of("Edge-Loc"), List.of("Random"), List.of("none")), d.labels());
        assertEquals(List.of(), d.classNames());
        assertEquals(11, d.maps().get(2).failCount());
    }

    @Test
    void unknownCodeNamesMapRowColumnAndValue() throws Exception {
        FormatException e = assertThrows(FormatException.class,
                () -> WaferMapArrays.readNpz(fixture("wafer_maps_code3.npz")));
        System.out.println("  message: " + e.getMessage());
        assertEquals("map 2, row 4, col 6 (flat index 166)", e.location());
        assertTrue(e.getMessage().contains("die code 3 is not 0 (off), 1 (good) or 2 (fail)"), e.getMessage());
        // MixedWM38's stray 3 is read as FAIL when asked
        NpyArray maps = NpzReader.read(fixture("wafer_maps_code3.npz")).get("arr_0");
        List<WaferMap> m = WaferMapArrays.toWaferMaps(maps, WaferMapArrays.DieCodes.MIXEDWM38, "code3");
        assertEquals(DieState.FAIL, m.get(2).state(4, 6));
        assertEquals(12, m.get(2).failCount());
        // a non-integral code
        NpyArray f = NpyArray.ofDoubles(new double[] {0, 1, 1.5, 2}, 1, 2, 2);
        e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(f, "f"));
        assertTrue(e.getMessage().contains("map 0, row 1, col 0") && e.getMessage().contains("die code 1.5"), e.getMessage());
    }

    @Test
    void mixedWm38LayoutIsDetected() throws Exception {
        // arr_0 n x 52 x 52 and arr_1 n x 8, as in Wafer_Map_Datasets.npz
        int n = 2;
        byte[] codes = new byte[n * 52 * 52];
        codes[52 * 10 + 10] = 1;
        codes[52 * 10 + 11] = 3;
        codes[52 * 52 + 5] = 2;
        byte[] hot = new byte[n * 8];
        hot[6] = 1;
        hot[8 + 3] = 1;
        hot[8 + 1] = 1;
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("arr_0", NpyArray.ofUnsignedBytes(codes, n, 52, 52));
        a.put("arr_1", NpyArray.ofUnsignedBytes(hot, n, 8));
        Path p = tmp.resolve("mixed.npz");
        NpzWriter.write(a, p, true);
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(p);
        assertEquals(WaferMapArrays.MIXEDWM38_CLASSES, d.classNames());
        assertEquals(List.of(List.of("Scratch"), List.of("Donut", "Edge-Ring")), d.labels());
        assertEquals(DieState.FAIL, d.maps().get(0).state(10, 11));
    }

    @Test
    void mixedWm38LayoutWrittenByNumpy() throws Exception {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(fixture("mixedwm38_like.npz"));
        assertEquals(3, d.maps().size());
        assertEquals(WaferMapArrays.MIXEDWM38_CLASSES, d.classNames());
        assertEquals(List.of(List.of("Center"), List.of("Center", "Scratch"), List.of()), d.labels());
        int[] fails = {144, 107, 50};
        for (int i = 0; i < 3; i++) {
            assertEquals(52, d.maps().get(i).rows());
            assertEquals(1976, d.maps().get(i).dieCount(), "map " + i);
            assertEquals(fails[i], d.maps().get(i).failCount(), "map " + i + " (the stray 3 counts as FAIL)");
        }
        assertEquals(DieState.FAIL, d.maps().get(1).state(30, 40));
        // strict conversion of the same array names the stray code
        NpyArray raw = NpzReader.read(fixture("mixedwm38_like.npz")).get("arr_0");
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(raw, "arr_0"));
        assertEquals("map 1, row 30, col 40 (flat index 4304)", e.location());
    }

    @Test
    void badLabels() {
        NpyArray maps = NpyArray.ofInts(new int[] {1, 2, 1, 1}, 2, 1, 2);
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(maps,
                NpyArray.ofInts(new int[] {0, 1, 2, 0}, 2, 2), null, WaferMapArrays.DieCodes.STRICT, "m", "l"));
        assertEquals("label row 1, column 0 (class_0)", e.location());
        assertTrue(e.getMessage().contains("multi-hot label value 2 is not 0 or 1"));
        e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(maps,
                NpyArray.ofStrings(new String[] {"a", "b", "c"}), null, WaferMapArrays.DieCodes.STRICT, "m", "l"));
        assertTrue(e.getMessage().contains("expected one label row per map (2), got shape [3]"), e.getMessage());
        e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(maps,
                NpyArray.ofInts(new int[] {0, 5}), List.of("a", "b"), WaferMapArrays.DieCodes.STRICT, "m", "l"));
        assertTrue(e.getMessage().contains("class index 5 outside"), e.getMessage());
        e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(
                Map.of("x", NpyArray.ofInts(new int[] {1})), "no-maps.npz"));
        assertTrue(e.getMessage().contains("no wafer-map array"), e.getMessage());
        e = assertThrows(FormatException.class,
                () -> WaferMapArrays.toWaferMaps(NpyArray.ofInts(new int[0], 0, 3, 1L << 62), "empty-but-huge"));
        assertTrue(e.getMessage().contains("exceed the 67108864 cells"), e.getMessage());
        e = assertThrows(FormatException.class, () -> WaferMapArrays.toWaferMaps(NpyArray.ofInts(new int[] {1, 1}), "1d"));
        assertTrue(e.getMessage().contains("must be a 3-d array"), e.getMessage());
    }

    @Test
    void roundTripMultiHotAndStrings() throws Exception {
        WaferMap a = WaferMap.fromCodes(new int[][] {{0, 1, 0}, {1, 2, 1}, {0, 1, 0}});
        WaferMap b = WaferMap.fromCodes(new int[][] {{0, 2, 0}, {1, 1, 1}, {0, 2, 0}});
        for (boolean compressed : new boolean[] {false, true}) {
            WaferMapArrays.LabeledWaferMaps hot = new WaferMapArrays.LabeledWaferMaps(List.of(a, b),
                    List.of(List.of("Center"), List.of("Edge-Loc", "Scratch")), List.of("Center", "Edge-Loc", "Scratch"));
            Path p = tmp.resolve("hot" + compressed + ".npz");
            WaferMapArrays.writeNpz(hot, p, compressed);
            WaferMapArrays.LabeledWaferMaps back = WaferMapArrays.readNpz(p);
            assertEquals(hot.labels(), back.labels());
            assertEquals(hot.classNames(), back.classNames());
            assertArrayEquals(a.codes(), back.maps().get(0).codes());
            assertArrayEquals(b.codes(), back.maps().get(1).codes());

            WaferMapArrays.LabeledWaferMaps str = new WaferMapArrays.LabeledWaferMaps(List.of(a, b),
                    List.of(List.of("Center"), List.of()), List.of());
            Path q = tmp.resolve("str" + compressed + ".npz");
            WaferMapArrays.writeNpz(str, q, compressed);
            assertEquals(str.labels(), WaferMapArrays.readNpz(q).labels());
            assertEquals(NpyDtype.Kind.UNICODE, NpzReader.read(q).get("arr_1").dtype().kind());
        }
    }
}
