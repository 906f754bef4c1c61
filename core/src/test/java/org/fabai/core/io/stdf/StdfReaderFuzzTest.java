package org.fabai.core.io.stdf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.fabai.core.io.FormatException;

/**
 * Jazzer fuzz test of {@link StdfReader}: whatever the bytes, reading either returns or throws
 * {@link FormatException}; any other exception (or an {@link IOException}, which a byte array cannot
 * cause) fails the test. In a plain {@code mvn test} it runs in regression mode over the seeds in
 * {@code src/test/resources/org/fabai/core/io/stdf/StdfReaderFuzzTestInputs/read/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes.
 */
class StdfReaderFuzzTest {

    private static final StdfReadOptions OPTIONS = StdfReadOptions.defaults().withMaxInflatedBytes(1 << 22)
            .withMaxMapCells(1 << 16);

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) throws IOException {
        try {
            StdfFile f = StdfReader.read(new ByteArrayInputStream(data), "fuzz.stdf", OPTIONS);
            for (StdfWafer w : f.wafers()) {
                // a returned wafer is self-consistent
                if (w.testedDieCount() + w.retestCount() + w.unplacedCount() != w.partCount()) {
                    throw new IllegalStateException("inconsistent counts: " + w);
                }
            }
        } catch (FormatException expected) {
            if (expected.source() == null || expected.location() == null) {
                throw new IllegalStateException("FormatException without source or location", expected);
            }
        }
    }
}
