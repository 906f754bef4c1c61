package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedNativesTest {

    /** Library-like bytes: repetitive runs with noise, 1 MB. */
    private static byte[] payload() {
        byte[] b = new byte[1 << 20];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 4096 < 3800 ? (i * 31) >> 3 : r.nextInt(256));
        }
        return b;
    }

    @Test
    void packsSmallerAndUnpacksTheSameBytesOnce(@TempDir Path tmp) throws Exception {
        byte[] data = payload();
        Path xz = tmp.resolve("lib.so.xz");
        PackedNatives.Entry e = PackedNatives.pack(new ByteArrayInputStream(data), xz);
        assertEquals(data.length, e.size());
        assertTrue(Files.size(xz) < data.length / 2, "xz size " + Files.size(xz));
        Path target = tmp.resolve("cache/dir/libx.so");
        PackedNatives.unpack(Files.newInputStream(xz), e, target);
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(e.sha256(), Files.readString(tmp.resolve("cache/dir/libx.so.sha256")).trim());
        assertTrue(Files.isExecutable(target));
        // a second run finds it in place and does not write it again
        FileTime before = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(target, before);
        PackedNatives.unpack(Files.newInputStream(xz), e, target);
        assertEquals(before, Files.getLastModifiedTime(target));
        // a file of the right size under a stale checksum (another jar's build) is replaced
        Files.writeString(tmp.resolve("cache/dir/libx.so.sha256"), "0".repeat(64));
        PackedNatives.unpack(Files.newInputStream(xz), e, target);
        assertFalse(before.equals(Files.getLastModifiedTime(target)));
        assertArrayEquals(data, Files.readAllBytes(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(2, files.count(), "no .part files left behind");
        }
    }

    @Test
    void damagedDataIsRefusedAndNothingIsLeftInPlace(@TempDir Path tmp) throws Exception {
        byte[] data = payload();
        Path xz = tmp.resolve("lib.so.xz");
        PackedNatives.Entry e = PackedNatives.pack(new ByteArrayInputStream(data), xz);
        PackedNatives.Entry wrong = new PackedNatives.Entry(e.size(), "ab".repeat(32));
        Path target = tmp.resolve("out/libx.so");
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> PackedNatives.unpack(Files.newInputStream(xz), wrong, target));
        assertTrue(ex.getMessage().contains("libx.so is damaged") && ex.getMessage().contains(e.sha256()), ex.getMessage());
        assertFalse(Files.exists(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(0, files.count());
        }
        assertThrows(IllegalStateException.class, () -> PackedNatives.Entry.parse("x", "12"));
    }

    @Test
    void anOrdinaryClassPathHasNothingPacked() {
        assertFalse(PackedNatives.isPacked(getClass().getClassLoader(),
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libnd4jcpu.so"));
    }
}
