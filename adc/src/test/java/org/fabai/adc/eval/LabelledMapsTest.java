package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading labelled NPZ files for training: what an empty label means in each label encoding. */
class LabelledMapsTest {

    private static List<WaferMap> maps(int n) {
        List<WaferMap> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int side = 3 + i % 2; // two sizes: the per-map layout
            byte[] codes = new byte[side * side];
            java.util.Arrays.fill(codes, (byte) 1);
            codes[i % codes.length] = 2;
            out.add(WaferMap.fromCodes(side, side, codes).withIds("L" + i / 2, Integer.toString(i)));
        }
        return out;
    }

    @Test
    void anEmptyStringLabelIsAnUnlabelledMapAndIsLeftOut(@TempDir Path dir) throws Exception {
        List<WaferMap> m = maps(6);
        Path f = dir.resolve("wm811k-like.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(m, List.of(List.of("Center"), List.of(),
                List.of("none"), List.of(), List.of("Scratch"), List.of("Center")), List.of()), f, false);
        LabelledMaps d = LabelledMaps.readNpz(f);
        assertEquals(List.of("Center", "none", "Scratch", "Center"), d.labels());
        assertEquals(List.of("0", "2", "4", "5"), d.maps().stream().map(WaferMap::waferId).toList());

        Path none = dir.resolve("unlabelled.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(m.subList(0, 2), List.of(List.of(), List.of()),
                List.of()), none, false);
        FormatException e = assertThrows(FormatException.class, () -> LabelledMaps.readNpz(none));
        assertTrue(e.getMessage().contains("none of its 2 maps has a label"), e.getMessage());
    }

    @Test
    void anEmptyMultiHotRowIsANormalMap(@TempDir Path dir) throws Exception {
        List<WaferMap> m = maps(3);
        Path f = dir.resolve("mixed-like.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(m, List.of(List.of("Center"), List.of(),
                List.of("Scratch")), List.of("Center", "Scratch")), f, false);
        assertEquals(List.of("Center", "none", "Scratch"), LabelledMaps.readNpz(f).labels());
    }

    @Test
    void aFileWithoutMapsSaysSoRatherThanThatItHasNoLabels(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("zero.npz");
        java.util.Map<String, org.fabai.core.io.npy.NpyArray> a = new java.util.LinkedHashMap<>();
        a.put("maps", org.fabai.core.io.npy.NpyArray.ofUnsignedBytes(new byte[0], 0, 52, 52));
        a.put("labels", org.fabai.core.io.npy.NpyArray.ofStrings(new String[0]));
        org.fabai.core.io.npy.NpzWriter.write(a, f, true);
        FormatException e = assertThrows(FormatException.class, () -> LabelledMaps.readNpz(f));
        assertTrue(e.getMessage().contains("holds no wafer maps"), e.getMessage());
    }
}
