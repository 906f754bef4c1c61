package org.fabai.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.fabai.core.io.klarf.KlarfReader;
import org.fabai.core.io.klarf.KlarfWafer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Read any wafer file": the format found by content, then each reader's wafers with their remarks. */
class WaferFilesTest {

    private static Path resource(String name) {
        return Path.of("src", "test", "resources", name);
    }

    @Test
    void klarfIsFoundByContentEvenGzippedAndUnderAnotherName(@TempDir Path dir) throws Exception {
        Path klarf = resource("klarf/multi12.klarf");
        Path hidden = dir.resolve("results.bin");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hidden))) {
            Files.copy(klarf, out);
        }
        assertEquals(FileFormat.KLARF, FileFormat.detect(klarf));
        assertEquals(FileFormat.KLARF, FileFormat.detect(hidden));
        List<KlarfWafer> direct = new ArrayList<>();
        try (KlarfReader r = KlarfReader.open(klarf)) {
            for (KlarfWafer w = r.next(); w != null; w = r.next()) {
                direct.add(w);
            }
        }
        List<WaferSummary> all = WaferFiles.read(hidden);
        assertEquals(direct.size(), all.size());
        assertTrue(direct.size() > 1);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(direct.get(i).map(), all.get(i).map());
            assertTrue(all.get(i).remarks().startsWith("KLARF " + direct.get(i).version() + ", defects "
                    + direct.get(i).defects().size()), all.get(i).remarks());
        }
        List<WaferSummary> streamed = new ArrayList<>();
        WaferFiles.each(klarf, FileFormat.KLARF, streamed::add);
        assertEquals(all, streamed);
    }

    @Test
    void npzMapsComeWithTheirLabels() throws Exception {
        Path npz = resource("npy/mixedwm38_like.npz");
        assertEquals(FileFormat.NPZ, FileFormat.detect(npz));
        List<WaferSummary> all = WaferFiles.read(npz);
        assertTrue(!all.isEmpty() && all.stream().allMatch(w -> w.remarks().startsWith("NPZ, labels ")), all.toString());
    }

    @Test
    void aTableIsNotAWaferFile() throws Exception {
        Path csv = resource("csv/histories.csv");
        assertEquals(FileFormat.CSV, FileFormat.detect(csv));
        FormatException e = assertThrows(FormatException.class, () -> WaferFiles.read(csv));
        assertTrue(e.getMessage().contains("histories.csv") && e.getMessage().contains("not a recognised format"),
                e.getMessage());
    }

    @Test
    void anEmptyOrDamagedArrayFileGetsTheArrayReadersOwnError(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // numpy.savez of nothing: a zip holding only its end record
        Path empty = tmp.resolve("empty.npz");
        java.nio.file.Files.write(empty, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(FileFormat.NPZ, FileFormat.detect(empty));
        FormatException e = assertThrows(FormatException.class, () -> WaferFiles.read(empty));
        assertTrue(e.getMessage().contains("empty.npz") && !e.getMessage().contains("not a recognised format"),
                e.getMessage());
        // a file named .npz whose head is gone is read as one, and refused as a damaged archive
        Path cut = tmp.resolve("cut.npz");
        java.nio.file.Files.write(cut, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(FileFormat.NPZ, FileFormat.detect(cut));
        e = assertThrows(FormatException.class, () -> WaferFiles.read(cut));
        assertTrue(e.getMessage().contains("truncated, damaged, or not an .npz file"), e.getMessage());
        Path npy = tmp.resolve("cut.npy");
        java.nio.file.Files.write(npy, new byte[] {1, 2, 3});
        assertEquals(FileFormat.NPY, FileFormat.detect(npy));
    }

    @Test
    void aPerMapNpzStreamsTheWafersItReads(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        java.util.Map<String, org.fabai.core.io.npy.NpyArray> a = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 2500; i++) {
            a.put(String.format("map_%05d", i), org.fabai.core.io.npy.NpyArray.ofUnsignedBytes(
                    new byte[] {0, 1, (byte) (i % 3), 1}, 2, 2));
        }
        Path npz = tmp.resolve("permap.npz");
        org.fabai.core.io.npy.NpzWriter.write(a, npz, true);
        List<WaferSummary> streamed = new ArrayList<>();
        WaferFiles.each(npz, FileFormat.NPZ, streamed::add);
        assertEquals(WaferFiles.read(npz), streamed);
        assertEquals("2499", streamed.get(2499).map().waferId());
    }
}
