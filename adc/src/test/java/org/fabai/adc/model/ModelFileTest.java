package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private static ModelFile sample() {
        Map<String, byte[]> sec = new LinkedHashMap<>();
        sec.put("weights", ModelFile.encodeDoubles(new double[][] {{1.5, -2}, {Double.MIN_VALUE, 3e300}}));
        sec.put("labels", ModelFile.encodeInts(new int[] {3, -1, 7}));
        return new ModelFile("test-kind", 2, Map.of("config.note", "line1\nline2 \\ back = eq", "name", "Größe"), sec);
    }

    @Test
    void roundTrip() throws Exception {
        Path f = dir.resolve("m.fabai");
        sample().write(f);
        ModelFile m = ModelFile.read(f, "test-kind", 2);
        assertEquals("test-kind", m.kind());
        assertEquals(2, m.version());
        assertEquals("line1\nline2 \\ back = eq", m.header().get("config.note"));
        assertEquals("Größe", m.header().get("name"));
        assertArrayEquals(new double[] {Double.MIN_VALUE, 3e300}, ModelFile.decodeDoubles(m.section("weights"), 2, 2)[1]);
        assertArrayEquals(new int[] {3, -1, 7}, ModelFile.decodeInts(m.section("labels")));
        assertArrayEquals(sample().toBytes(), Files.readAllBytes(f), "deterministic bytes");
    }

    @Test
    void everyDamageIsATypedError() throws Exception {
        byte[] good = sample().toBytes();
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.parse("hello".getBytes(), "x.bin"));
        assertEquals(ModelFileException.Reason.NOT_A_MODEL_FILE, e.reason());
        assertTrue(e.getMessage().startsWith("x.bin: byte 0:"), e.getMessage());
        // flip one byte anywhere in the body: checksum catches it
        for (int pos : new int[] {9, 20, good.length / 2, good.length - 40}) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x5A;
            assertEquals(ModelFileException.Reason.CORRUPT,
                    assertThrows(ModelFileException.class, () -> ModelFile.parse(bad, "f")).reason(), "byte " + pos);
        }
        // truncation
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 10);
        assertEquals(ModelFileException.Reason.CORRUPT, assertThrows(ModelFileException.class, () -> ModelFile.parse(cut, "f")).reason());
        Path f = dir.resolve("m.fabai");
        sample().write(f);
        assertEquals(ModelFileException.Reason.WRONG_KIND,
                assertThrows(ModelFileException.class, () -> ModelFile.read(f, "feature-classifier", 1)).reason());
        assertEquals(ModelFileException.Reason.UNSUPPORTED_VERSION,
                assertThrows(ModelFileException.class, () -> ModelFile.read(f, "test-kind", 1)).reason());
    }

    @Test
    void newerContainerVersionIsRejected() {
        byte[] b = sample().toBytes();
        b[9] = 9; // format version 9, then fix the checksum so only the version is wrong
        byte[] body = java.util.Arrays.copyOf(b, b.length - 32);
        byte[] sum = hexToBytes(ModelFile.sha256Hex(body));
        System.arraycopy(sum, 0, b, b.length - 32, 32);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.parse(b, "f"));
        assertEquals(ModelFileException.Reason.UNSUPPORTED_VERSION, e.reason());
        assertTrue(e.getMessage().contains("container format version 9"), e.getMessage());
    }

    private static byte[] hexToBytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @Test
    void badHeaderKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ModelFile("k", 1, Map.of("bad key", "v"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ModelFile("k", 0, Map.of(), Map.of()));
    }

    @Test
    void classifierLoadFindsKindsThroughTheServiceLoaderAndNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        // fabai-adc alone: no small-model kind on the class path; the message says which artifact brings it
        Path small = dir.resolve("small.fabai");
        new ModelFile(WaferMapClassifier.SMALL_MODEL_KIND, 1, Map.of(), Map.of()).write(small);
        ModelFileException e = assertThrows(ModelFileException.class, () -> WaferMapClassifier.load(small));
        assertEquals(ModelFileException.Reason.WRONG_KIND, e.reason());
        assertTrue(e.getMessage().contains("fabai-adc-smile"), e.getMessage());
        Path other = dir.resolve("other.fabai");
        new ModelFile("ewma", 1, Map.of(), Map.of()).write(other);
        e = assertThrows(ModelFileException.class, () -> WaferMapClassifier.load(other));
        assertTrue(e.getMessage().contains("'ewma' is not a wafer-map classifier (expected one of [cnn-classifier, "
                + "ensemble-classifier] or feature-classifier)"), e.getMessage());
    }
}
