package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.fabai.core.io.FormatException;

/**
 * Drives the KLARF reader with arbitrary bytes. In a plain {@code mvn test} Jazzer runs this in
 * regression mode over the seeds in {@code KlarfFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it
 * fuzzes. The reader must either return a file or throw {@link FormatException}; whatever it
 * returns must be writable and read back equal.
 */
class KlarfFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readerReturnsOrThrowsFormatException(FuzzedDataProvider data) throws IOException {
        byte[] bytes = data.consumeRemainingAsBytes();
        KlarfFile f;
        try {
            f = KlarfReader.read(new ByteArrayInputStream(bytes), "fuzz");
        } catch (FormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz: line "), e.getMessage());
            return;
        }
        String text = KlarfWriter.toText(f);
        try {
            KlarfFile again = KlarfReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "again");
            assertEquals(f, again);
        } catch (FormatException e) {
            throw new AssertionError("the writer's output of a file the reader accepted was rejected: "
                    + e.getMessage() + "\n" + text, e);
        }
    }
}
