package org.fabai.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs (issue 15): archives of a few megabytes whose entries honestly declare
 * gigabytes. Before the budget these ran the test JVM (-Xmx3g) out of memory in
 * {@code NpyReader$Pos.readData}; now each is refused from the entry's header, naming the entry.
 */
class NpzBombTest {

    @TempDir
    Path dir;

    private void refusedEverywhere(byte[] npz, String entry, String why, boolean stream) throws IOException {
        Path f = dir.resolve("bomb.npz");
        Files.write(f, npz);
        FormatException a = assertThrows(FormatException.class, () -> NpzReader.read(f));
        FormatException b = assertThrows(FormatException.class, () -> NpzReader.read(npz, "bomb.npz"));
        FormatException d = assertThrows(FormatException.class, () -> WaferMapArrays.readNpz(f));
        List<FormatException> all = new java.util.ArrayList<>(List.of(a, b, d));
        if (stream) {
            all.add(assertThrows(FormatException.class, () -> NpzReader.read(new ByteArrayInputStream(npz), "bomb.npz")));
        }
        for (FormatException e : all) {
            assertTrue(e.location().contains("entry '" + entry + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(why), e.getMessage());
            assertTrue(e.getMessage().contains("refused before reading"), e.getMessage());
        }
    }

    @Test
    void oneEntryOfTwoGigabytesOfZerosIsRefusedFromItsHeader() throws IOException {
        byte[] npz = NpzBombs.single("|i1", false, 46340, 1);
        assertTrue(npz.length < 3 << 20, "the bomb is small: " + npz.length);
        refusedEverywhere(npz, "arr_0.npy", "limit per array", true);
    }

    @Test
    void fortranOrderBombIsRefusedToo() throws IOException {
        refusedEverywhere(NpzBombs.single("|i1", true, 46340, 1), "arr_0.npy", "limit per array", true);
    }

    @Test
    void unicodeStringBombIsRefusedToo() throws FormatException {
        // 23170^2 elements of <U1: 2.1 GB of data, and a Java string per element on top
        FormatException e = assertThrows(FormatException.class,
                () -> NpzReader.read(NpzBombs.single("<U1", false, 23170, 4), "u.npz"));
        assertTrue(e.getMessage().contains("limit per array"), e.getMessage());
        // strings are charged for the objects they become: 1 MiB of <U1 is 256 Ki strings
        byte[] small = NpzBombs.npz(List.of(new NpzBombs.Entry("s.npy",
                "{'descr': '<U1', 'fortran_order': False, 'shape': (262144,), }", 1 << 20)));
        FormatException s = assertThrows(FormatException.class,
                () -> NpzReader.read(small, "s.npz", NpyLimits.of(4 << 20)));
        assertTrue(s.getMessage().contains((1L << 20) + 262144L * NpyLimits.STRING_OVERHEAD_BYTES + " bytes"),
                s.getMessage());
        assertEquals(262144, NpzReader.read(small, "s.npz", NpyLimits.of(64 << 20)).get("s").size());
    }

    @Test
    void twentyLegalEntriesOf256MiBPassTheArchiveBudgetAtTheNinth() throws IOException {
        byte[] npz = NpzBombs.many(20, 256);
        assertTrue(npz.length < 6 << 20, "the archive is small: " + npz.length);
        // 8 x 256 MiB = 2 GiB, the default per-archive limit: the central directory declares more
        // by the ninth entry, and the archive is refused before anything is inflated
        refusedEverywhere(npz, "arr_8.npy", "limit per archive", false);
    }

    @Test
    void aStreamWithoutDirectoryIsChargedEntryByEntry() {
        // a stream is read by local headers, with no directory ahead: the running total refuses the
        // first entry that passes the budget, from its header, before reading its data
        byte[] npz = NpzBombs.many(20, 1);
        FormatException e = assertThrows(FormatException.class,
                () -> NpzReader.read(new ByteArrayInputStream(npz), "s.npz", new NpyLimits(1 << 20, 8 << 20)));
        assertTrue(e.location().contains("entry 'arr_8.npy'"), e.getMessage());
        assertTrue(e.getMessage().contains("limit per archive (NpyLimits.maxTotalBytes); refused before reading its data"),
                e.getMessage());
    }

    @Test
    void limitsAreConfigurable() throws IOException, FormatException {
        byte[] two = NpzBombs.npz(List.of(
                new NpzBombs.Entry("a.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (1048576,), }", 1 << 20),
                new NpzBombs.Entry("b.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (1048576,), }", 1 << 20)));
        Map<String, NpyArray> m = NpzReader.read(two, "two.npz", NpyLimits.of(2 << 20));
        assertEquals(1 << 20, m.get("b").size());
        FormatException total = assertThrows(FormatException.class,
                () -> NpzReader.read(two, "two.npz", new NpyLimits(1 << 20, (2 << 20) - 1)));
        assertTrue(total.location().contains("entry 'b.npy'"), total.getMessage());
        FormatException each = assertThrows(FormatException.class,
                () -> NpzReader.read(two, "two.npz", NpyLimits.of((1 << 20) - 1)));
        assertTrue(each.location().contains("entry 'a.npy'"), each.getMessage());

        byte[] npy = NpyWriter.toBytes(NpyArray.ofUnsignedBytes(new byte[1000], 1000));
        assertEquals(1000, NpyReader.read(npy, "x.npy", NpyLimits.of(1000)).size());
        FormatException one = assertThrows(FormatException.class, () -> NpyReader.read(npy, "x.npy", NpyLimits.of(999)));
        assertTrue(one.getMessage().contains("999-byte limit per array"), one.getMessage());
        Path f = dir.resolve("x.npy");
        Files.write(f, npy);
        assertThrows(FormatException.class, () -> NpyReader.read(f, NpyLimits.of(999)));
        assertThrows(FormatException.class,
                () -> NpyReader.read(new ByteArrayInputStream(npy), "x.npy", NpyLimits.of(999)));
    }

    @Test
    void limitsAreValidated() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new NpyLimits(0, 10));
        assertTrue(a.getMessage().contains("maxArrayBytes must be in [1, "), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new NpyLimits(10, 9));
        assertTrue(b.getMessage().contains("maxTotalBytes must be at least maxArrayBytes (10), got 9"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NpyLimits(NpyArray.MAX_BYTES + 1, Long.MAX_VALUE));
    }
}
