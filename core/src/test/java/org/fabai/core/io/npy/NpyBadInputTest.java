package org.fabai.core.io.npy;

import static org.fabai.core.io.npy.NpyReaderTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives a FormatException naming source, offset and expectation. */
class NpyBadInputTest {

    @TempDir
    Path tmp;

    /** A .npy image with the given version, header text (padded with spaces and '\n') and data. */
    static byte[] npy(int major, String header, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        StringBuilder h = new StringBuilder(header);
        int prefix = major == 1 ? 10 : 12;
        while ((prefix + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        b.write(hb.length & 0xFF);
        b.write((hb.length >>> 8) & 0xFF);
        if (major != 1) {
            b.write((hb.length >>> 16) & 0xFF);
            b.write((hb.length >>> 24) & 0xFF);
        }
        b.writeBytes(hb);
        b.writeBytes(data);
        return b.toByteArray();
    }

    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private static FormatException bad(byte[] bytes) {
        FormatException e = assertThrows(FormatException.class, () -> NpyReader.read(bytes, "t.npy"));
        assertEquals("t.npy", e.source());
        System.out.println("  message: " + e.getMessage());
        return e;
    }

    @Test
    void validImageOfTheHelperReads() throws Exception {
        NpyArray a = NpyReader.read(npy(1, dict("<i2", "(2,)"), new byte[] {1, 0, 2, 0}), "ok.npy");
        assertEquals(2, a.getInt(1));
    }

    @Test
    void badMagic() {
        byte[] b = npy(1, dict("<i2", "(2,)"), new byte[4]);
        b[1] = 'X';
        FormatException e = bad(b);
        assertEquals("byte 0", e.location());
        assertTrue(e.getMessage().contains("bad magic: expected \\x93NUMPY"));
        assertTrue(bad(new byte[] {(byte) 0x93, 'N'}).getMessage().contains("truncated"));
        assertTrue(bad(new byte[0]).getMessage().contains("input ends after 0"));
    }

    @Test
    void unsupportedVersion() {
        byte[] b = npy(1, dict("<i2", "(2,)"), new byte[4]);
        b[6] = 4;
        FormatException e = bad(b);
        assertEquals("byte 6", e.location());
        assertTrue(e.getMessage().contains("unsupported NPY format version 4.0; supported 1.0, 2.0, 3.0"));
        b[6] = 1;
        b[7] = 1;
        assertTrue(bad(b).getMessage().contains("version 1.1"));
    }

    @Test
    void malformedHeaders() {
        String[] headers = {
            "{'descr': '<i2', 'fortran_order': False}",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
            "{'descr': '<i2', 'fortran_order': Maybe, 'shape': (2,)}",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (2, x)}",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (-2,)}",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (2)}",
            "{'descr': '<i2', 'descr': '<i2', 'fortran_order': False, 'shape': (2,)}",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (2,)",
            "['descr', '<i2']",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (2,)} trailing",
            "{'descr': '<i2', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
        };
        for (String h : headers) {
            FormatException e = bad(npy(1, h, new byte[4]));
            assertTrue(e.getMessage().contains("malformed header"), h + " -> " + e.getMessage());
            assertTrue(e.location().startsWith("byte "), e.location());
        }
    }

    @Test
    void unknownObjectAndStructuredDtypes() throws Exception {
        assertTrue(bad(npy(1, dict("<c16", "(1,)"), new byte[16])).getMessage().contains("unknown or unsupported dtype '<c16'"));
        assertTrue(bad(npy(1, dict("<q8", "(1,)"), new byte[8])).getMessage().contains("unsupported dtype"));
        FormatException o = assertThrows(FormatException.class, () -> NpyReader.read(fixture("object.npy")));
        assertTrue(o.getMessage().contains("object arrays"), o.getMessage());
        assertTrue(o.getMessage().contains("pickled"), o.getMessage());
        FormatException s = assertThrows(FormatException.class, () -> NpyReader.read(fixture("structured.npy")));
        assertTrue(s.getMessage().contains("structured dtypes"), s.getMessage());
    }

    @Test
    void shapeOverflowAndOversize() {
        FormatException e = bad(npy(1, dict("<i8", "(4294967296, 4294967296, 4294967296)"), new byte[8]));
        assertTrue(e.getMessage().contains("overflows a 64-bit integer"), e.getMessage());
        e = bad(npy(1, dict("<i8", "(1000000000,)"), new byte[8]));
        assertTrue(e.getMessage().contains("more than the"), e.getMessage());
        e = bad(npy(1, dict("<f8", "(100000000,)"), new byte[8]));
        assertTrue(e.getMessage().contains("needs 800000000 data bytes, but only 8 follow the header"), e.getMessage());
        assertEquals("byte 128", e.location());
    }

    @Test
    void huge_declared_size_on_a_stream_allocates_only_what_arrives() {
        // a stream of unknown length: the reader must not allocate 800 MB (within the default
        // NpyLimits) because a header says so
        byte[] b = npy(1, dict("<f8", "(100000000,)"), new byte[1000]);
        long before = allocated();
        FormatException e = assertThrows(FormatException.class,
                () -> NpyReader.read(new ByteArrayInputStream(b), "stream.npy"));
        long used = allocated() - before;
        assertTrue(e.getMessage().contains("truncated: array data needs 800000000 bytes from byte 128, input ends after 1000"),
                e.getMessage());
        assertTrue(used < 8_000_000, "allocated " + used + " bytes");
    }

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void truncatedAndTrailingData() throws Exception {
        byte[] ok = Files.readAllBytes(fixture("i4.npy"));
        FormatException e = bad(Arrays.copyOf(ok, ok.length - 1));
        assertEquals("byte 128", e.location());
        assertTrue(e.getMessage().contains("truncated: shape [2, 3] of <i4 needs 24 data bytes, but only 23 follow"),
                e.getMessage());
        e = bad(Arrays.copyOf(ok, 100));
        assertTrue(e.getMessage().contains("header length 118 but only 90 bytes follow"), e.getMessage());
        e = bad(Arrays.copyOf(ok, ok.length + 3));
        assertEquals("byte 152", e.location());
        assertTrue(e.getMessage().contains("found 3 more bytes"), e.getMessage());
        // the stream API reads one array and leaves the rest
        ByteArrayInputStream two = new ByteArrayInputStream(concat(ok, ok));
        assertEquals(2, NpyReader.read(two, "two").getInt(5));
        assertEquals(2, NpyReader.read(two, "two").getInt(5));
        assertThrows(FormatException.class, () -> NpyReader.read(two, "two"));
    }

    @Test
    void badElementValues() {
        assertTrue(bad(npy(1, dict("|b1", "(2,)"), new byte[] {1, 7})).getMessage().contains("bool element 1 must be 0 or 1"));
        FormatException e = bad(npy(1, dict("<U1", "(1,)"), new byte[] {0, 0, 0x20, 0}));
        assertTrue(e.getMessage().contains("0x200000"), e.getMessage());
    }

    @Test
    void version3HeaderMustBeUtf8() {
        byte[] b = npy(3, dict("<i2", "(1,)"), new byte[2]);
        b[12 + 3] = (byte) 0xC3; // a lone UTF-8 lead byte inside "descr"
        assertTrue(bad(b).getMessage().contains("not valid UTF-8"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A deflated entry whose .npy header declares 8 bytes of data followed by 50 MB of zeros. */
    private byte[] bombZip() throws IOException {
        byte[] head = npy(1, dict("<i4", "(2,)"), new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            z.putNextEntry(new ZipEntry("arr_0.npy"));
            z.write(head);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 50; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        return bo.toByteArray();
    }

    @Test
    void npzEntryInflatingBeyondItsDeclaredArrayIsRefused() throws Exception {
        byte[] zip = bombZip();
        assertTrue(zip.length < 200_000, "bomb is " + zip.length + " bytes");
        Path p = tmp.resolve("bomb.npz");
        Files.write(p, zip);
        long before = allocated();
        FormatException e = assertThrows(FormatException.class, () -> NpzReader.read(p));
        long used = allocated() - before;
        System.out.println("  message: " + e.getMessage() + " (allocated " + used + " bytes)");
        assertTrue(e.location().startsWith("entry 'arr_0.npy', byte 136"), e.location());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertTrue(used < 10_000_000, "allocated " + used);
        before = allocated();
        e = assertThrows(FormatException.class, () -> NpzReader.read(zip, "bomb.npz"));
        used = allocated() - before;
        System.out.println("  message: " + e.getMessage() + " (allocated " + used + " bytes)");
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertTrue(used < 10_000_000, "allocated " + used);
    }

    @Test
    void badArchives() throws Exception {
        FormatException e = assertThrows(FormatException.class, () -> NpzReader.read(fixture("extra_entry.npz")));
        assertEquals("entry 'readme.txt'", e.location());
        assertTrue(e.getMessage().contains("expected only .npy array entries"));

        Path garbage = tmp.resolve("garbage.npz");
        Files.write(garbage, "this is not a zip archive at all".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(FormatException.class, () -> NpzReader.read(garbage));
        assertTrue(e.getMessage().contains("not a readable zip archive"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NpzReader.read(Files.readAllBytes(garbage), "garbage.npz"));
        assertTrue(e.getMessage().contains("no entries"), e.getMessage());

        byte[] stored = Files.readAllBytes(fixture("stored.npz"));
        for (int cut : new int[] {30, 200, stored.length / 2, stored.length - 30}) {
            Path t = tmp.resolve("cut" + cut + ".npz");
            Files.write(t, Arrays.copyOf(stored, cut));
            assertThrows(FormatException.class, () -> NpzReader.read(t), "file cut at " + cut);
            assertThrows(FormatException.class, () -> NpzReader.read(Arrays.copyOf(stored, cut), "cut"),
                    "stream cut at " + cut);
        }
        // a corrupted array header inside a valid zip names the entry
        Map<String, NpyArray> m = Map.of("x", NpyArray.ofInts(new int[] {1, 2}));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        NpzWriter.write(m, bo, false);
        byte[] z = bo.toByteArray();
        int at = indexOf(z, "NUMPY".getBytes(StandardCharsets.US_ASCII));
        z[at + 5] = 9;
        byte[] zz = z;
        e = assertThrows(FormatException.class, () -> NpzReader.read(zz, "v9.npz"));
        System.out.println("  message: " + e.getMessage());
        assertTrue(e.getMessage().contains("entry 'x.npy'"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
