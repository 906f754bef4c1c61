package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fabai rca causes}: the front door on CSV files written by {@code rca synth}. */
class RcaCausesCommandTest {

    @Test
    void everyMethodNamesThePlantedChamberFromTheCsvFiles(@TempDir Path dir) {
        String[] s = InspectCommandTest.run("rca", "synth", "--out", dir.toString(), "--seed", "4", "--lots", "40");
        assertEquals("0", s[0], s[2]);
        String planted = s[1].replaceAll("(?s).*planted cause: (\\S+ \\S+) from.*", "$1");
        String[] r = InspectCommandTest.run("rca", "causes", "--histories", dir.resolve("histories.csv").toString(),
                "--outcomes", dir.resolve("outcomes.csv").toString(), "-m", "robust-z,commonality,scm-discovered", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject j = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals("fabai/rca-causes", j.get("schema").getAsString());
        JsonArray ms = j.getAsJsonArray("methods");
        assertEquals(3, ms.size());
        for (int i = 0; i < ms.size(); i++) {
            JsonObject m = ms.get(i).getAsJsonObject();
            JsonArray causes = m.getAsJsonArray("causes");
            int pos = -1;
            for (int k = 0; k < causes.size(); k++) {
                JsonObject c = causes.get(k).getAsJsonObject();
                double conf = c.get("confidence").getAsDouble();
                assertTrue(conf >= 0 && conf <= 1, c.toString());
                if (c.get("cause").getAsString().equals(planted)) {
                    pos = pos < 0 ? k : pos;
                }
            }
            String method = m.get("method").getAsString();
            // with 40 lots the baseline has few anomalous-period wafers per chamber (on this fab it ranks the
            // planted chamber 22nd, in the library as here); commonality and the SCM find it first
            assertTrue(method.equals("robust-z") ? pos >= 0 : pos == 0, method + " ranks " + planted + " at " + pos);
        }
        String[] text = InspectCommandTest.run("rca", "causes", "--histories", dir.resolve("histories.csv").toString(),
                "--outcomes", dir.resolve("outcomes.csv").toString(), "--top", "3");
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].contains("robust-z (confidence:") && text[1].contains("commonality (confidence:")
                && text[1].contains("  1  " + planted), text[1]);
        // an outcome the file does not have is bad input (exit 3), named
        String[] bad = InspectCommandTest.run("rca", "causes", "--histories", dir.resolve("histories.csv").toString(),
                "--outcomes", dir.resolve("outcomes.csv").toString(), "--outcome", "nosuch");
        assertEquals("3", bad[0], bad[1] + bad[2]);
        assertTrue(bad[2].contains("no outcome named 'nosuch'"), bad[2]);
        String[] unknown = InspectCommandTest.run("rca", "causes", "--histories", dir.resolve("histories.csv").toString(),
                "--outcomes", dir.resolve("outcomes.csv").toString(), "-m", "magic");
        assertEquals("2", unknown[0], unknown[2]);
        assertTrue(unknown[2].contains("unknown method 'magic'"), unknown[2]);
    }
}
