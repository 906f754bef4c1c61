package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void quickDemoWritesAConsistentReport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("report");
        String[] r = InspectCommandTest.run("demo", "--quick", "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        String printed = r[1];
        Path index = out.resolve("index.html");
        assertTrue(Files.isRegularFile(index));
        String html = Files.readString(index);

        // every image the page references exists and is a valid PNG
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            Path p = out.resolve(img.group(1));
            assertTrue(Files.isRegularFile(p), "missing image " + p);
            byte[] magic;
            try (InputStream in = Files.newInputStream(p)) {
                magic = in.readNBytes(8);
            }
            assertEquals((byte) 0x89, magic[0], p + " is not a PNG");
            assertEquals('P', magic[1]);
            BufferedImage bi = ImageIO.read(p.toFile());
            assertNotNull(bi, p + " does not decode");
            assertTrue(bi.getWidth() > 0 && bi.getHeight() > 0);
            images++;
        }
        assertTrue(images >= 10, "expected the gallery, confusion matrix, curves and charts; got " + images);

        // every figure printed on the terminal is in the page with the same value, and no figure
        // in the page disagrees with what was printed
        Map<String, String> fig = new LinkedHashMap<>();
        Matcher pm = Pattern.compile("(?m)^ {6}(.+?) = (.+)$").matcher(printed);
        while (pm.find()) {
            fig.put(pm.group(1), pm.group(2).trim());
        }
        assertTrue(fig.size() >= 15, "too few figures printed: " + fig);
        Matcher hm = Pattern.compile("data-key=\"([^\"]+)\">([^<]*)<").matcher(html);
        Map<String, List<String>> inPage = new LinkedHashMap<>();
        while (hm.find()) {
            inPage.computeIfAbsent(unescape(hm.group(1)), k -> new ArrayList<>()).add(unescape(hm.group(2)));
        }
        for (Map.Entry<String, String> e : fig.entrySet()) {
            List<String> vs = inPage.get(e.getKey());
            assertNotNull(vs, "printed figure '" + e.getKey() + "' is not in the report");
            for (String v : vs) {
                assertEquals(e.getValue(), v, "figure '" + e.getKey() + "' differs between terminal and report");
            }
        }
        // the planted chamber is found by the joined analysis
        String planted = fig.get("planted cause");
        assertEquals(planted, fig.get("commonality top cause"));
        assertEquals(planted, fig.get("chamber that goes with predicted Edge-Ring maps"));
        assertFalse(html.contains("NaN"), "report contains NaN");
        // summary.json beside the report holds the same figures, for pipelines
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(
                Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertEquals("fabai/demo-summary", summary.get("schema").getAsString());
        for (Map.Entry<String, String> e : fig.entrySet()) {
            assertEquals(e.getValue(), summary.getAsJsonObject("figures").get(e.getKey()).getAsString(), e.getKey());
        }
        // the KLARF and STDF round trips are exact
        assertEquals("9/9", fig.get("KLARF round trip"));
        assertEquals("9/9", fig.get("STDF round trip"));
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
