package org.fabai.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

    @TempDir
    Path tmp;

    static List<NpyArray> samples() {
        return List.of(
                NpyArray.ofBooleans(new boolean[] {true, false}),
                NpyArray.ofBytes(new byte[] {-128, 0, 127}),
                NpyArray.ofUnsignedBytes(new byte[] {0, (byte) 200, (byte) 255}, 3, 1),
                NpyArray.ofShorts(new short[] {Short.MIN_VALUE, 0, Short.MAX_VALUE, 7}, 2, 2),
                NpyArray.ofInts(new int[] {Integer.MIN_VALUE, 5, Integer.MAX_VALUE, 0, 0, 1}, 1, 2, 3),
                NpyArray.ofLongs(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}),
                NpyArray.ofFloats(new float[] {Float.NaN, -0.0f, 1e-30f, Float.POSITIVE_INFINITY}, 2, 2),
                NpyArray.ofDoubles(new double[] {Math.PI, -1e300, Double.MIN_VALUE}),
                NpyArray.ofDoubles(new double[] {42}).reshape(),
                NpyArray.ofInts(new int[0], 2, 0, 4),
                NpyArray.ofStrings(new String[] {"Loc", "", "\uD83D\uDE00\u00e9", "Near-full"}, 2, 2));
    }

    @Test
    void npyRoundTrip() throws Exception {
        for (NpyArray a : samples()) {
            NpyArray back = NpyReader.read(NpyWriter.toBytes(a), "mem");
            assertEquals(a, back, a.toString());
            Path p = tmp.resolve("a.npy");
            NpyWriter.write(a, p);
            assertEquals(a, NpyReader.read(p));
            assertEquals(0, NpyWriter.header(a).length % 64);
        }
    }

    @Test
    void npzRoundTripStoredAndDeflated() throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        int i = 0;
        for (NpyArray a : samples()) {
            m.put("a" + i++, a);
        }
        for (boolean c : new boolean[] {false, true}) {
            Path p = tmp.resolve("x" + c + ".npz");
            NpzWriter.write(m, p, c);
            assertEquals(m, NpzReader.read(p));
            assertEquals(m, NpzReader.read(Files.readAllBytes(p), "x"));
        }
        assertThrows(IllegalArgumentException.class, () -> NpzWriter.write(Map.of("", samples().get(0)), tmp.resolve("e"), true));
    }

    @Test
    void factoriesValidate() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofInts(new int[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(NpyDtype.BOOL, new long[] {1}, new byte[] {2}));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofInts(new int[] {1}).reshape(2));
        assertArrayEquals(new long[] {1, 1}, NpyArray.ofInts(new int[] {1}).reshape(1, 1).shape());
        assertEquals("<U9", NpyDtype.parse("<U9").descr());
        assertEquals(">i4", NpyDtype.parse(">i4").descr());
        assertEquals("|u1", NpyDtype.parse("<u1").descr());
    }
}
