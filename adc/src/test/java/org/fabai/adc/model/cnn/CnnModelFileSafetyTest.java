package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.onnx.OnnxExporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 15: a CNN model file is untrusted input. With its checksum recomputed, an edited DL4J
 * section used to reach {@code ObjectInputStream.readObject} (through DL4J's
 * {@code ModelSerializer} and a {@code preprocessor.bin} entry), and an edited ONNX section used to
 * load and predict differently from the DL4J network in the same file.
 */
class CnnModelFileSafetyTest {

    static CnnClassifier model;
    static CnnClassifier other;

    @BeforeAll
    static void trainTwo() {
        TestMaps.Data small = TestMaps.balanced(10, 32, 5);
        CnnConfig cfg = CnnClassifierTest.FAST.withEpochs(1);
        model = CnnClassifier.train(small.maps(), small.labels(), cfg);
        other = CnnClassifier.train(small.maps(), small.labels(), cfg.withSeed(99));
    }

    /** Records whether Java deserialization ever ran on it. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                m.put(e.getName(), z.readAllBytes());
            }
        }
        return m;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /** Saves the model, replaces sections and writes it back with a valid checksum. */
    private static Path edited(Path dir, String name, Map<String, byte[]> replace) throws IOException, ModelFileException {
        Path f = dir.resolve("orig-" + name);
        model.save(f);
        ModelFile m = ModelFile.read(f);
        Map<String, byte[]> secs = new LinkedHashMap<>();
        for (String s : m.sectionNames()) {
            secs.put(s, replace.getOrDefault(s, m.section(s)));
        }
        Path out = dir.resolve(name);
        new ModelFile(CnnClassifier.KIND, CnnClassifier.FORMAT_VERSION, m.header(), secs).write(out);
        return out;
    }

    private static Map<String, byte[]> dl4jEntries(Path dir) throws IOException, ModelFileException {
        Path f = dir.resolve("plain.fabai");
        model.save(f);
        return entries(ModelFile.read(f).section(CnnClassifier.SECTION_DL4J));
    }

    @Test
    void aPreprocessorEntryIsRefusedWithoutBeingDeserialized(@TempDir Path dir) throws Exception {
        Map<String, byte[]> es = dl4jEntries(dir);
        assertEquals(Set.of(Dl4jSection.CONFIG_ENTRY, Dl4jSection.PARAMS_ENTRY), es.keySet(), "what save() writes");
        es.put("preprocessor.bin", serialize(new Canary()));
        Path f = edited(dir, "canary.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es)));
        Canary.deserialized = false;
        ModelFileException e = assertThrows(ModelFileException.class, () -> CnnClassifier.load(f));
        assertFalse(Canary.deserialized, "a model file reached ObjectInputStream.readObject");
        assertEquals(ModelFileException.Reason.INVALID_CONTENT, e.reason());
        assertTrue(e.getMessage().contains("unexpected entry 'preprocessor.bin'"), e.getMessage());
        assertTrue(e.location().contains(CnnClassifier.SECTION_DL4J), e.getMessage());
    }

    @Test
    void aNestedHashSetPayloadCostsNothing(@TempDir Path dir) throws Exception {
        // sets of sets whose hash codes take 2^depth steps to recompute on deserialization (42 s at
        // depth 28 through ModelSerializer); refused before any of it is read
        Set<Object> root = new HashSet<>();
        Set<Object> a = root;
        Set<Object> b = new HashSet<>();
        for (int i = 0; i < 28; i++) {
            Set<Object> ta = new HashSet<>();
            Set<Object> tb = new HashSet<>();
            ta.add("x");
            a.add(ta);
            a.add(tb);
            b.add(ta);
            b.add(tb);
            a = ta;
            b = tb;
        }
        Map<String, byte[]> es = dl4jEntries(dir);
        es.put("preprocessor.bin", serialize(root));
        Path f = edited(dir, "hashset.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es)));
        long t = System.nanoTime();
        assertThrows(ModelFileException.class, () -> CnnClassifier.load(f));
        double s = (System.nanoTime() - t) / 1e9;
        assertTrue(s < 10, "refusal took " + s + " s");
    }

    @Test
    void otherEntriesAndBadParametersAreRefused(@TempDir Path dir) throws Exception {
        Map<String, byte[]> es = dl4jEntries(dir);
        es.put("updaterState.bin", es.get(Dl4jSection.PARAMS_ENTRY));
        Path f = edited(dir, "updater.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es)));
        assertTrue(assertThrows(ModelFileException.class, () -> CnnClassifier.load(f)).getMessage()
                .contains("unexpected entry 'updaterState.bin'"));

        INDArray p = model.network().params().dup();
        p.putScalar(3, Float.NaN);
        ByteArrayOutputStream nan = new ByteArrayOutputStream();
        Nd4j.write(p, new DataOutputStream(nan));
        Map<String, byte[]> es2 = dl4jEntries(dir);
        es2.put(Dl4jSection.PARAMS_ENTRY, nan.toByteArray());
        Path g = edited(dir, "nan.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es2)));
        assertTrue(assertThrows(ModelFileException.class, () -> CnnClassifier.load(g)).getMessage()
                .contains("parameter 3 is NaN"));

        ByteArrayOutputStream shorter = new ByteArrayOutputStream();
        Nd4j.write(Nd4j.create(java.util.Arrays.copyOf(p.toFloatVector(), 100)), new DataOutputStream(shorter));
        es2.put(Dl4jSection.PARAMS_ENTRY, shorter.toByteArray());
        Path h = edited(dir, "short.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es2)));
        assertTrue(assertThrows(ModelFileException.class, () -> CnnClassifier.load(h)).getMessage()
                .contains("holds 100 FLOAT parameters"));

        es2.remove(Dl4jSection.PARAMS_ENTRY);
        Path i = edited(dir, "none.fabai", Map.of(CnnClassifier.SECTION_DL4J, zip(es2)));
        assertTrue(assertThrows(ModelFileException.class, () -> CnnClassifier.load(i)).getMessage()
                .contains("missing entry 'coefficients.bin'"));
    }

    @Test
    void anOnnxSectionOfAnotherNetworkIsRefused(@TempDir Path dir) throws Exception {
        Path f = edited(dir, "swapped.fabai", Map.of(CnnClassifier.SECTION_ONNX, other.toOnnx()));
        ModelFileException e = assertThrows(ModelFileException.class, () -> CnnClassifier.load(f));
        assertEquals(ModelFileException.Reason.INVALID_CONTENT, e.reason());
        assertTrue(e.getMessage().contains("does not compute the DL4J section's network"), e.getMessage());

    }

    @Test
    void editedOnnxSectionsEitherFailToLoadOrComputeTheReferenceNetwork(@TempDir Path dir) throws Exception {
        // the probe: single-byte edits of the ONNX section with the checksum recomputed; 118
        // of 200 loaded and predicted differently from the DL4J network. Now each edit is refused, or
        // the served network gives the reference's outputs.
        java.util.Random r = new java.util.Random(15);
        TestMaps.Data d = TestMaps.balanced(2, 32, 9);
        int refused = 0;
        for (int k = 0; k < 8; k++) {
            byte[] onnx = model.toOnnx();
            onnx[r.nextInt(onnx.length)] ^= (byte) (1 + r.nextInt(255));
            Path g = edited(dir, "edit" + k + ".fabai", Map.of(CnnClassifier.SECTION_ONNX, onnx));
            CnnClassifier back;
            try {
                back = CnnClassifier.load(g);
            } catch (ModelFileException e) {
                refused++;
                continue;
            }
            try (CnnClassifier b = back; CnnClassifier served = b.withEngine(EngineKind.JAVA)) {
                float[][] want = b.probabilities(d.maps());
                float[][] got = served.probabilities(d.maps());
                for (int i = 0; i < want.length; i++) {
                    assertArrayEquals(want[i], got[i], 1e-4f, "edit " + k + " loaded and serves another network");
                }
            }
        }
        assertTrue(refused > 0, "no edit refused");
    }

    @Test
    void anOnnxSectionThatComputesTheSameNetworkLoads(@TempDir Path dir) throws Exception {
        // another exporter's bytes (here: other metadata) for the same network pass the probe check
        byte[] same = OnnxExporter.export(model.network(), model.config().inputSize(), CnnNetworks.CHANNELS,
                CnnNetworks.EMBEDDING, Map.of("written.by", "another exporter"));
        assertFalse(java.util.Arrays.equals(same, model.toOnnx()));
        Path f = edited(dir, "same.fabai", Map.of(CnnClassifier.SECTION_ONNX, same));
        try (CnnClassifier back = CnnClassifier.load(f)) {
            assertArrayEquals(same, back.toOnnx());
            TestMaps.Data d = TestMaps.balanced(2, 32, 9);
            float[][] p0 = model.probabilities(d.maps());
            float[][] p1 = back.probabilities(d.maps());
            for (int i = 0; i < p0.length; i++) {
                assertArrayEquals(p0[i], p1[i], 1e-6f);
            }
        }
    }
}
