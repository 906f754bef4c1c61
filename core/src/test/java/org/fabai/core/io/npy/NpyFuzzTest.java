package org.fabai.core.io.npy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fabai.core.io.FormatException;

/**
 * Fuzz tests of the NPY and NPZ readers: any input either reads or throws {@link FormatException};
 * no other exception, no hang, no out-of-memory. In plain {@code mvn test} they run over the seeds
 * in {@code src/test/resources/org/fabai/core/io/npy/NpyFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} they fuzz.
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void npy(byte[] data) throws IOException {
        try {
            NpyArray a = NpyReader.read(data, "fuzz.npy");
            touch(a);
        } catch (FormatException expected) {
            // rejected with a clear error: fine
        }
        try {
            NpyReader.read(new ByteArrayInputStream(data), "fuzz-stream.npy");
        } catch (FormatException expected) {
            // fine
        }
    }

    @FuzzTest(maxDuration = "60s")
    void npz(byte[] data) throws IOException {
        try {
            java.util.Map<String, NpyArray> m = NpzReader.read(data, "fuzz.npz");
            m.values().forEach(NpyFuzzTest::touch);
            WaferMapArrays.fromArrays(m, "fuzz.npz");
        } catch (FormatException expected) {
            // fine
        }
        Path tmp = Files.createTempFile("fuzz", ".npz");
        try {
            Files.write(tmp, data);
            NpzReader.read(tmp).values().forEach(NpyFuzzTest::touch);
        } catch (FormatException expected) {
            // fine
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void touch(NpyArray a) {
        if (a.size() == 0) {
            return;
        }
        if (a.dtype().kind().isString()) {
            a.getString(a.size() - 1);
        } else {
            a.getDouble(a.size() - 1);
        }
        NpyWriter.toBytes(a);
    }
}
