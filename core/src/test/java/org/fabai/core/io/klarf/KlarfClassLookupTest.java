package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;

/** Issue 15: {@code ClassLookup 2147483647} followed by 2 entries used to be accepted. */
class KlarfClassLookupTest {

    @Test
    void classLookupCountMustMatchItsEntries() throws Exception {
        String text = Files.readString(KlarfSamples.resource("multi12.klarf"), StandardCharsets.UTF_8);
        assertTrue(text.contains("ClassLookup 3"), "sample changed");
        KlarfReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "ok");
        for (String bad : new String[] {"ClassLookup 2147483647", "ClassLookup 4", "ClassLookup 2"}) {
            byte[] b = text.replace("ClassLookup 3", bad).getBytes(StandardCharsets.UTF_8);
            FormatException e = assertThrows(FormatException.class,
                    () -> KlarfReader.read(new ByteArrayInputStream(b), "bad"));
            assertTrue(e.getMessage().contains("count mismatch: ClassLookup declares " + bad.substring(12)), e.getMessage());
            assertEquals("bad", e.source());
        }
    }
}
