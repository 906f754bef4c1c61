package org.fabai.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads the fixtures that make_fixtures.py wrote with numpy. */
class NpyReaderTest {

    static Path fixture(String name) {
        try {
            return Path.of(NpyReaderTest.class.getResource("/npy/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    static final long[] INTS = {-3, -2, -1, 0, 1, 2};
    static final long[] UINTS = {0, 1, 2, 253, 254, 255};
    static final long[] I64 = {-(1L << 40), -1, 0, 1, 1L << 40, 1L << 62};
    static final double[] FLOATS = {-1.5, 0.0, 0.25, 1e10, Double.NaN, Double.NEGATIVE_INFINITY};

    @ParameterizedTest
    @ValueSource(strings = {"i1.npy", "i2.npy", "i4.npy", "be_i2.npy", "be_i4.npy", "v2_i4.npy"})
    void signedIntegers(String name) throws Exception {
        NpyArray a = NpyReader.read(fixture(name));
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(INTS, a.toLongArray());
        assertArrayEquals(new int[] {-3, -2, -1, 0, 1, 2}, a.toIntArray());
        assertEquals(-1.0, a.getDouble(a.index(0, 2)));
        assertEquals(ByteOrder.LITTLE_ENDIAN, a.dtype().byteOrder());
    }

    @Test
    void dtypesAreRecognised() throws Exception {
        assertEquals(NpyDtype.Kind.INT8, NpyReader.read(fixture("i1.npy")).dtype().kind());
        assertEquals(NpyDtype.Kind.UINT8, NpyReader.read(fixture("u1.npy")).dtype().kind());
        assertEquals(NpyDtype.Kind.INT16, NpyReader.read(fixture("be_i2.npy")).dtype().kind());
        assertEquals(NpyDtype.Kind.UINT32, NpyReader.read(fixture("u4.npy")).dtype().kind());
        assertEquals(NpyDtype.Kind.FLOAT32, NpyReader.read(fixture("be_f4.npy")).dtype().kind());
        assertEquals(">f8", NpyReader.readHeader(fixture("be_f8.npy")).dtype().descr());
        assertEquals(2, NpyReader.readHeader(fixture("v2_i4.npy")).major());
        assertEquals(128, NpyReader.readHeader(fixture("i4.npy")).dataOffset());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1.npy"})
    void unsignedBytes(String name) throws Exception {
        assertArrayEquals(UINTS, NpyReader.read(fixture(name)).toLongArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u2.npy", "be_u2.npy"})
    void unsignedShorts(String name) throws Exception {
        assertArrayEquals(new long[] {0, 200, 400, 50600, 50800, 51000}, NpyReader.read(fixture(name)).toLongArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u4.npy", "be_u4.npy"})
    void unsignedInts(String name) throws Exception {
        NpyArray a = NpyReader.read(fixture(name));
        long[] expect = new long[6];
        for (int i = 0; i < 6; i++) {
            expect[i] = UINTS[i] << 24;
        }
        assertArrayEquals(expect, a.toLongArray());
        assertThrows(ArithmeticException.class, a::toIntArray, "4278190080 does not fit an int");
    }

    @ParameterizedTest
    @ValueSource(strings = {"i8.npy", "be_i8.npy"})
    void longs(String name) throws Exception {
        assertArrayEquals(I64, NpyReader.read(fixture(name)).toLongArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4.npy", "be_f4.npy", "f8.npy", "be_f8.npy"})
    void floats(String name) throws Exception {
        NpyArray a = NpyReader.read(fixture(name));
        double[] d = a.toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(FLOATS[i], d[i], name.contains("f4") && Double.isFinite(FLOATS[i]) ? 1e-6 * Math.abs(FLOATS[i]) : 0.0, "element " + i);
        }
        assertTrue(Double.isNaN(a.getDouble(4)));
        assertThrows(UnsupportedOperationException.class, () -> a.getLong(0));
    }

    @Test
    void bools() throws Exception {
        NpyArray a = NpyReader.read(fixture("bool.npy"));
        assertEquals(NpyDtype.Kind.BOOL, a.dtype().kind());
        assertArrayEquals(new boolean[] {true, false, true, false, false, true}, a.toBooleanArray());
    }

    @Test
    void fortranOrderIsReadRowMajor() throws Exception {
        NpyHeader h = NpyReader.readHeader(fixture("fortran_i4.npy"));
        assertTrue(h.fortranOrder());
        NpyArray a = NpyReader.read(fixture("fortran_i4.npy"));
        assertArrayEquals(new long[] {2, 3, 4}, a.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(i, a.getInt(i), "C-order element " + i);
        }
        assertEquals(23, a.getInt(a.index(1, 2, 3)));
        assertEquals(4, a.getInt(a.index(0, 1, 0)));

        NpyArray b = NpyReader.read(fixture("fortran_be_f8.npy"));
        assertArrayEquals(new long[] {3, 4}, b.shape());
        for (int i = 0; i < 12; i++) {
            assertEquals(i / 4.0, b.getDouble(i));
        }
    }

    @Test
    void zeroDimensionalAndEmpty() throws Exception {
        NpyArray s = NpyReader.read(fixture("scalar_f8.npy"));
        assertEquals(0, s.ndim());
        assertEquals(1, s.size());
        assertEquals(2.5, s.getDouble(0));
        assertEquals(2.5, s.getDouble(s.index()));

        NpyArray e = NpyReader.read(fixture("empty_i4.npy"));
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertEquals(0, e.size());
        assertEquals(0, e.toIntArray().length);
        assertThrows(IndexOutOfBoundsException.class, () -> e.getInt(0));
        assertEquals(0, NpyReader.read(fixture("empty_1d_f8.npy")).size());
    }

    static final String[] STRS = {"Center", "Edge-Ring", "none", "\u00dcn\u00efc\u00f6d\u00e9", "\uD83D\uDE00x", ""};

    @ParameterizedTest
    @ValueSource(strings = {"str_u.npy", "str_be_u.npy"})
    void unicodeStrings(String name) throws Exception {
        NpyArray a = NpyReader.read(fixture(name));
        assertEquals(NpyDtype.Kind.UNICODE, a.dtype().kind());
        assertEquals(9, a.dtype().width());
        assertArrayEquals(STRS, a.toStringArray());
        assertEquals("Edge-Ring", a.getString(1));
        assertThrows(UnsupportedOperationException.class, () -> a.getDouble(0));
    }

    @Test
    void fortranStringsAndByteStringsAndVersion3() throws Exception {
        assertArrayEquals(new String[] {"a", "bb", "ccc", "dddd", "e", "ff"},
                NpyReader.read(fixture("str_fortran_u.npy")).toStringArray());
        NpyArray s = NpyReader.read(fixture("str_s.npy"));
        assertEquals(NpyDtype.Kind.BYTES, s.dtype().kind());
        assertArrayEquals(new String[] {"ab", "c", ""}, s.toStringArray());
        NpyArray v3 = NpyReader.read(fixture("v3_u.npy"));
        assertEquals(3, NpyReader.readHeader(fixture("v3_u.npy")).major());
        assertArrayEquals(new String[] {"x", "yz"}, v3.toStringArray());
    }

    @Test
    void npzStoredAndDeflated() throws Exception {
        for (String name : new String[] {"stored.npz", "deflated.npz"}) {
            for (int via = 0; via < 3; via++) {
                Path p = fixture(name);
                Map<String, NpyArray> m = via == 0 ? NpzReader.read(p)
                        : via == 1 ? NpzReader.read(Files.readAllBytes(p), name)
                        : NpzReader.read(Files.newInputStream(p), name);
                assertEquals(java.util.List.of("names", "arr_0", "arr_1"), java.util.List.copyOf(m.keySet()), name);
                assertArrayEquals(INTS, m.get("arr_0").toLongArray());
                assertArrayEquals(FLOATS, m.get("arr_1").toDoubleArray());
                assertArrayEquals(new String[] {"a", "bc"}, m.get("names").toStringArray());
            }
        }
    }

    @Test
    void writerOutputIsByteIdenticalToNumpy() throws Exception {
        assertArrayEquals(Files.readAllBytes(fixture("i4.npy")),
                NpyWriter.toBytes(NpyArray.ofInts(new int[] {-3, -2, -1, 0, 1, 2}, 2, 3)));
        assertArrayEquals(Files.readAllBytes(fixture("f8.npy")), NpyWriter.toBytes(NpyArray.ofDoubles(FLOATS, 2, 3)));
        assertArrayEquals(Files.readAllBytes(fixture("u1.npy")), NpyWriter.toBytes(
                NpyArray.ofUnsignedBytes(new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255}, 2, 3)));
        assertArrayEquals(Files.readAllBytes(fixture("str_u.npy")), NpyWriter.toBytes(NpyArray.ofStrings(STRS)));
        assertArrayEquals(Files.readAllBytes(fixture("scalar_f8.npy")),
                NpyWriter.toBytes(NpyArray.ofDoubles(new double[] {2.5}).reshape()));
        assertArrayEquals(Files.readAllBytes(fixture("empty_i4.npy")), NpyWriter.toBytes(NpyArray.ofInts(new int[0], 0, 3)));
        assertArrayEquals(Files.readAllBytes(fixture("bool.npy")), NpyWriter.toBytes(
                NpyArray.ofBooleans(new boolean[] {true, false, true, false, false, true}, 2, 3)));
        // a re-written read array equals numpy's C-order little-endian save of the same values
        NpyArray be = NpyReader.read(fixture("be_i8.npy"));
        assertArrayEquals(Files.readAllBytes(fixture("i8.npy")), NpyWriter.toBytes(be));
        assertFalse(NpyReader.readHeader(fixture("be_i8.npy")).dtype().equals(be.dtype()));
    }
}
