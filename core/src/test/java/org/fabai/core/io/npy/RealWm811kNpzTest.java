package org.fabai.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fabai.core.SharedData;
import org.fabai.core.io.FormatException;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-map NPZ layout, on the real WM-811K sample as it ships and on crafted archives. */
class RealWm811kNpzTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheRealSampleAsItShips() throws Exception {
        Path npz = SharedData.require("wm811k/wm811k-sample.npz");
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(npz);
        assertEquals(2107, d.maps().size());
        assertTrue(d.hasLabels());
        Set<String> sizes = new HashSet<>();
        Set<String> classes = new HashSet<>();
        Set<String> lots = new HashSet<>();
        for (int i = 0; i < d.maps().size(); i++) {
            WaferMap m = d.maps().get(i);
            sizes.add(m.rows() + "x" + m.cols());
            lots.add(m.lotId());
            classes.addAll(d.labels().get(i));
            assertTrue(m.dieCount() > 0, "map " + i + " has no die");
        }
        assertEquals(74, sizes.size(), "the README's 74 map sizes");
        assertEquals(Set.of("Center", "Donut", "Edge-Loc", "Edge-Ring", "Loc", "Near-full", "Random", "Scratch",
                "none"), classes);
        assertTrue(lots.size() > 900, "lot names kept: " + lots.size());
        assertEquals("lot45748", d.maps().get(0).lotId());
        assertEquals("6", d.maps().get(0).waferId());
    }

    @Test
    void realMapsOfEverySizeComeToTheInputWithoutLosingFailingDies() throws Exception {
        WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(SharedData.require("wm811k/wm811k-sample.npz"));
        int checked = 0;
        for (WaferMap m : d.maps()) {
            WaferMap sq = MapSizing.toSquare(m, 32);
            assertEquals(32, sq.rows());
            assertEquals(32, sq.cols());
            if (m.failCount() > 0) {
                assertTrue(sq.failCount() > 0, "failing dies vanished from a " + m.rows() + "x" + m.cols() + " map");
            }
            checked++;
        }
        assertEquals(2107, checked);
    }

    @Test
    void roundTripOfMapsOfManySizes() throws Exception {
        WaferMap a = WaferMap.fromCodes(new int[][] {{0, 1, 0}, {1, 2, 1}}).withIds("lotA", "3");
        WaferMap b = WaferMap.fromCodes(new int[][] {{1, 1}, {2, 1}, {1, 0}, {0, 0}}).withIds("lotB", "7");
        Path p = tmp.resolve("ragged.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(List.of(a, b),
                List.of(List.of("Loc"), List.of()), List.of()), p, true);
        WaferMapArrays.LabeledWaferMaps back = WaferMapArrays.readNpz(p);
        assertEquals(List.of(a, b), back.maps());
        assertEquals(List.of(List.of("Loc"), List.of()), back.labels());
    }

    @Test
    void aGapInTheNumberingIsAShortError() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            if (i != 1234) {
                arrays.put(String.format("map_%05d", i), NpyArray.ofUnsignedBytes(new byte[] {1, 2, 1, 0}, 2, 2));
            }
        }
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(arrays, "gap.npz"));
        assertTrue(e.getMessage().contains("map 1234 is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("more"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, "message stays short: " + e.getMessage().length() + " chars");
    }

    @Test
    void aMapThatIsNot2dOrAMislengthedLabelArrayIsNamed() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("map_0", NpyArray.ofUnsignedBytes(new byte[] {1, 2, 1, 0}, 2, 2));
        arrays.put("map_1", NpyArray.ofUnsignedBytes(new byte[] {1, 2, 1, 0}, 1, 2, 2));
        FormatException e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(arrays, "f.npz"));
        assertTrue(e.getMessage().contains("'map_1'") && e.getMessage().contains("2-d"), e.getMessage());
        arrays.put("map_1", NpyArray.ofUnsignedBytes(new byte[] {1, 1}, 1, 2));
        arrays.put("labels", NpyArray.ofStrings(new String[] {"Loc"}));
        e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(arrays, "f.npz"));
        assertTrue(e.getMessage().contains("labels") && e.getMessage().contains("one label row per map"),
                e.getMessage());
        arrays.put("labels", NpyArray.ofStrings(new String[] {"Loc", ""}));
        arrays.put("lot_name", NpyArray.ofStrings(new String[] {"L1"}));
        e = assertThrows(FormatException.class, () -> WaferMapArrays.fromArrays(arrays, "f.npz"));
        assertTrue(e.getMessage().contains("lot_name"), e.getMessage());
    }

    @Test
    void paddingKeepsTheWaferRoundAndAThinScratchSurvivesShrinking() {
        // a 30 x 20 all-good rectangle: padded to 30 x 30, centred
        int[][] c = new int[30][20];
        for (int[] row : c) {
            java.util.Arrays.fill(row, 1);
        }
        WaferMap sq = MapSizing.padToSquare(WaferMap.fromCodes(c));
        assertEquals(30, sq.cols());
        assertEquals(DieState.OFF, sq.state(0, 4));
        assertEquals(DieState.GOOD, sq.state(0, 5));
        assertEquals(DieState.GOOD, sq.state(29, 24));
        assertEquals(DieState.OFF, sq.state(29, 25));
        // a one-die diagonal scratch on a 150 x 150 map stays connected at 48 x 48
        int[][] big = new int[150][150];
        for (int i = 0; i < 150; i++) {
            java.util.Arrays.fill(big[i], 1);
            big[i][i] = 2;
        }
        WaferMap small = MapSizing.toSquare(WaferMap.fromCodes(big), 48);
        for (int i = 0; i < 48; i++) {
            assertEquals(DieState.FAIL, small.state(i, i), "diagonal cell " + i);
        }
        assertFalse(small.failCount() > 3 * 48, "the scratch stays thin: " + small.failCount());
    }
}
