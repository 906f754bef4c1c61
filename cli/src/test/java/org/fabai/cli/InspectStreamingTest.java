package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fabai.core.io.stdf.StdfWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: {@code inspect} on a large STDF kept every wafer ({@code StdfReader.read}) and ran out
 * of a small heap; it streams now ({@code open}/{@code nextWafer}). The file here is about 40 MB
 * of 120 wafers whose parsed form (part ids, bins) is about twice that; the command runs in a child
 * JVM with a 48 MB heap.
 */
class InspectStreamingTest {

    @Test
    void inspectStreamsAnStdfFileLargerThanTheHeap(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.stdf");
        int wafers = 120;
        int side = 100;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
             StdfWriter w = new StdfWriter(os, ByteOrder.LITTLE_ENDIAN)) {
            w.far();
            for (int k = 0; k < wafers; k++) {
                w.wir(1, null, "W" + k);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        w.pir(1, 1);
                        boolean fail = (x * 7 + y * 3 + k) % 11 == 0;
                        w.prr(1, 1, fail ? 0x08 : 0, 0, fail ? 5 : 1, fail ? 5 : 1, x, y, "P" + k + "-" + x + "-" + y);
                    }
                }
                w.wrr(1, null, (long) side * side, 0, -1, "W" + k);
            }
            w.mrr(null);
        }
        assertTrue(Files.size(f) > 30_000_000, "file " + Files.size(f));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Fabai.class.getName(), "inspect", f.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "inspect did not end");
        assertEquals(0, p.exitValue(), out.length() > 2000 ? out.substring(0, 2000) : out);
        assertTrue(out.contains(wafers + " wafers"), out.substring(0, Math.min(500, out.length())));
        assertTrue(out.contains("wafer W119"), "last wafer listed");
    }

    @Test
    void inspectStreamsAPerMapNpzWhoseMapsExceedTheHeap(@TempDir Path dir) throws Exception {
        // 2,500 maps of 200 x 200 dies: 100 MB of die codes, read by a 48 MB heap a batch at a time
        int n = 2500;
        int side = 200;
        java.util.Map<String, org.fabai.core.io.npy.NpyArray> arrays = new java.util.LinkedHashMap<>();
        byte[] codes = new byte[side * side];
        java.util.Arrays.fill(codes, (byte) 1);
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            codes[i % codes.length] = 2;
            arrays.put(String.format("map_%05d", i), org.fabai.core.io.npy.NpyArray.ofUnsignedBytes(codes, side, side));
            labels[i] = i % 2 == 0 ? "Scratch" : "none";
        }
        arrays.put("labels", org.fabai.core.io.npy.NpyArray.ofStrings(labels));
        Path f = dir.resolve("big.npz");
        org.fabai.core.io.npy.NpzWriter.write(arrays, f, true);
        arrays.clear();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Fabai.class.getName(), "-q", "inspect", f.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "inspect did not end");
        assertEquals(0, p.exitValue(), out.length() > 2000 ? out.substring(0, 2000) : out);
        assertTrue(out.contains(n + " wafers"), out.substring(0, Math.min(500, out.length())));
        assertTrue(out.contains("wafer 2499") && out.contains("labels none"), "last wafer listed");
    }
}
