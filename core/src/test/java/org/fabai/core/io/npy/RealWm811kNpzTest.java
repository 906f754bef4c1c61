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
    void batchesOfTheRealSampleAreTheWholeReadInOrder() throws Exception {
        Path npz = SharedData.require("wm811k/wm811k-sample.npz");
        WaferMapArrays.LabeledWaferMaps whole = WaferMapArrays.readNpz(npz);
        // a budget far below the file's 2,107 arrays together: one batch at a time must fit, not the file
        NpyLimits small = new NpyLimits(1 << 20, 1 << 20);
        assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(npz, small));
        java.util.List<Integer> firsts = new java.util.ArrayList<>();
        int[] seen = {0};
        int n = WaferMapArrays.eachNpz(npz, 500, small, (first, batch) -> {
            firsts.add(first);
            assertTrue(batch.maps().size() <= 500);
            for (int i = 0; i < batch.maps().size(); i++) {
                WaferMap a = whole.maps().get(first + i);
                WaferMap b = batch.maps().get(i);
                assertEquals(a, b, "map " + (first + i));
                assertEquals(a.lotId(), b.lotId());
                assertEquals(a.waferId(), b.waferId());
                assertEquals(whole.labels().get(first + i), batch.labels().get(i));
            }
            seen[0] += batch.maps().size();
        });
        assertEquals(2107, n);
        assertEquals(2107, seen[0]);
        assertEquals(List.of(0, 500, 1000, 1500, 2000), firsts);
    }

    @Test
    void batchesOfOtherLayoutsAndBadArchivesFailAsTheWholeReadDoes() throws Exception {
        List<WaferMap> maps = new java.util.ArrayList<>();
        List<List<String>> labels = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            maps.add(WaferMap.fromCodes(2, 2, new byte[] {1, 2, 1, (byte) (i % 3)}).withIds("L" + i, "w" + i));
            labels.add(i % 2 == 0 ? List.of("Center") : List.of());
        }
        Path stacked = tmp.resolve("stacked.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(maps, labels, List.of()), stacked, false);
        int[] batches = {0};
        assertEquals(7, WaferMapArrays.eachNpz(stacked, 3, NpyLimits.DEFAULT, (first, b) -> {
            batches[0]++;
            assertEquals(first == 6 ? 1 : 3, b.maps().size());
            assertEquals(labels.subList(first, first + b.maps().size()), b.labels());
        }));
        assertEquals(3, batches[0]);
        // a gap in the numbering: the same message as the whole read, naming a few arrays
        Path gapped = tmp.resolve("gap.npz");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(gapped))) {
            for (String key : List.of("map_00000", "map_00002")) {
                z.putNextEntry(new java.util.zip.ZipEntry(key + ".npy"));
                z.write(NpyWriter.toBytes(NpyArray.ofBytes(new byte[] {1, 1, 1, 1}, 2, 2)));
                z.closeEntry();
            }
        }
        FormatException whole = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(gapped));
        FormatException batched = assertThrows(FormatException.class,
                () -> WaferMapArrays.eachNpz(gapped, 10, NpyLimits.DEFAULT, (f, b) -> { }));
        assertTrue(batched.getMessage().contains("map 1 is missing"), batched.getMessage());
        assertTrue(whole.getMessage().contains("map 1 is missing"), whole.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> WaferMapArrays.eachNpz(stacked, 0, NpyLimits.DEFAULT, (f, b) -> { }));
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
        // [1, rows, cols] and [rows, cols, 1] read as their map (WaferMapArraysVarietyTest); [2, 1, 2] does not
        arrays.put("map_1", NpyArray.ofUnsignedBytes(new byte[] {1, 2, 1, 0}, 2, 1, 2));
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
