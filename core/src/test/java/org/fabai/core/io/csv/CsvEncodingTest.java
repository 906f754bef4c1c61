package org.fabai.core.io.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: invalid UTF-8 in a history or outcome CSV used to surface as
 * {@code MalformedInputException: Input length = 1}, with no file and no line.
 */
class CsvEncodingTest {

    @TempDir
    Path dir;

    private Path file(String name, int badLine) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("wafer_id,name,value\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 2; i < 5000; i++) {
            b.writeBytes(("W" + i + ",yield,").getBytes(StandardCharsets.UTF_8));
            if (i == badLine) {
                b.write(0xC3); // a lead byte without its continuation
                b.write('x');
            } else {
                b.writeBytes("0.5".getBytes(StandardCharsets.UTF_8));
            }
            b.write('\n');
        }
        Path f = dir.resolve(name);
        Files.write(f, b.toByteArray());
        return f;
    }

    @Test
    void invalidUtf8IsAFormatExceptionWithFileAndLine() throws Exception {
        Path f = file("outcomes.csv", 3000);
        FormatException e = assertThrows(FormatException.class, () -> OutcomeCsv.read(f));
        assertEquals(f.toString(), e.source());
        assertTrue(e.location().startsWith("line 3000, byte "), e.location());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        Path early = file("history.csv", 2);
        FormatException h = assertThrows(FormatException.class, () -> WaferHistoryCsv.read(early));
        assertTrue(h.location().startsWith("line 2, byte "), h.location());
        FormatException t = assertThrows(FormatException.class, () -> CsvTable.read(file("head.csv", 2)));
        assertTrue(t.location().startsWith("line 2"), t.location());
    }
}
