package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing file or a folder given for a file, on every command that reads files: exit code 3 and
 * one line on stderr that names the path and the reason (the examples were
 * {@code fabai classify: nosuch.fabai} and {@code fabai commonality: Is a directory}).
 */
class FileErrorsTest {

    @Test
    void everyFileReadingCommandNamesThePathAndTheReason(@TempDir Path tmp) throws Exception {
        Path wafers = tmp.resolve("w.npz");
        assertEquals("0", InspectCommandTest.run("-q", "adc", "generate", "--per-class", "1", "--size", "20",
                wafers.toString())[0]);
        Path missing = tmp.resolve("nosuch.fabai");
        Path folder = Files.createDirectory(tmp.resolve("afolder"));
        Path csv = Files.writeString(tmp.resolve("outcomes.csv"), "wafer_id,name,value\nW1,yield,0.9\n");
        String m = missing.toString();
        String d = folder.toString();
        List<String> failures = new ArrayList<>();
        // {path expected in the message, reason expected (a regular expression), args...}
        String[][] cases = {
            {m, "no such file|does not exist", "adc", "classify", "--model", m, wafers.toString()},
            {d, "directory", "adc", "classify", "--model", d, wafers.toString()},
            {m, "no such file|does not exist", "adc", "train", "--model", "small", "--data", m, "--out", tmp.resolve("o.fabai").toString()},
            {m, "no such file|does not exist", "adc", "export", "--model", m, "--onnx", tmp.resolve("o.onnx").toString()},
            {d, "directory", "rca", "commonality", "--histories", d, "--outcomes", csv.toString()},
            {m, "no such file|does not exist", "rca", "commonality", "--histories", csv.toString(), "--outcomes", m},
            {m, "no such file|does not exist", "apc", "replay", "--runs", m},
            {m, "no such file|does not exist", "rca", "discover", m},
            {d, "directory", "rca", "explain", d, "--target", "a"},
            {d, "directory", "inspect", d},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            String[] r = InspectCommandTest.run(args);
            String line = String.join(" ", args);
            String err = r[2].trim();
            if (!"3".equals(r[0])) {
                failures.add(line + ": exit " + r[0] + " (want 3): " + err);
            } else if (!err.contains(c[0]) || !java.util.regex.Pattern.compile(c[1]).matcher(err.toLowerCase(Locale.ROOT)).find()) {
                failures.add(line + ": message does not name '" + c[0] + "' and '" + c[1] + "': " + err);
            }
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
            assertTrue(err.lines().count() <= 2, "one line (a progress line at most before it): " + err);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
