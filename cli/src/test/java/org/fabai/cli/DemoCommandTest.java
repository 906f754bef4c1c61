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

class DemoCommandTest {

    @Test
    void quickDemoWritesAConsistentReport() throws Exception {
        // kept under target/ (with the browser's screenshot) for a person to look at
        Path out = Path.of("target", "demo-report").toAbsolutePath();
        deleteTree(out);
        // with the shared real sample, the real-data learning curve (stage 2b) runs too
        java.util.Optional<Path> data = InspectCommandTest.sharedData();
        List<String> args = new ArrayList<>(List.of("demo", "--quick", "--out", out.toString()));
        data.ifPresent(d -> args.addAll(List.of("--real-maps", d.resolve("wm811k/wm811k-sample.npz").toString())));
        String[] r = InspectCommandTest.run(args.toArray(new String[0]));
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

        // the verdict comes first, and names the planted cause and the methods that found it
        int verdict = html.indexOf("id=\"verdict\"");
        assertTrue(verdict > 0 && verdict < html.indexOf("id=\"formats\""), "the verdict must precede the detail");
        assertTrue(html.substring(verdict, html.indexOf("id=\"formats\"")).contains(planted));
        assertTrue(fig.get("planted cause ranked first by").contains("commonality"), fig.toString());
        // every local link and image resolves, every anchor exists
        Matcher ref = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(html);
        int links = 0;
        while (ref.find()) {
            String h = ref.group(1);
            if (h.startsWith("#")) {
                assertTrue(html.contains("id=\"" + h.substring(1) + "\""), "broken anchor " + h);
            } else {
                assertTrue(Files.isRegularFile(out.resolve(h)), "broken link " + h);
            }
            links++;
        }
        for (String f : List.of("files/klarf/W01.klarf", "files/demo.stdf", "apc-threads.db", "summary.json")) {
            assertTrue(html.contains("href=\"" + f + "\""), "no link to " + f);
        }
        assertTrue(links > images, "links to the written files expected beside the images");
        // wafer maps are drawn to die pitch: a KLARF map's image has the wafer's aspect, not the grid's
        // (the generator's wafer is the ellipse inscribed in its grid; the KLARF pitch makes it a circle)
        for (int i = 0; i < 9; i++) {
            BufferedImage k = ImageIO.read(out.resolve("img/klarf-" + i + ".png").toFile());
            assertEquals(1.0, (double) k.getWidth() / k.getHeight(), 0.1, "klarf-" + i + ".png is not round: "
                    + k.getWidth() + "x" + k.getHeight());
        }

        if (data.isPresent()) {
            // stage 2b: the curve on real lots, with every family at every size and a best model per size
            assertTrue(html.contains("id=\"adc-real\""), "no real-data learning curve section");
            assertTrue(Files.isRegularFile(out.resolve("img/learning-curve-real.png")));
            assertEquals("2107 from 1006 lots (66 without a lot name)", fig.get("real maps"));
            String section = html.substring(html.indexOf("id=\"adc-real\""));
            for (int size : new int[] {25, 50, 100}) {
                assertNotNull(fig.get("real maps: best model at " + size + " labels"), "no best model at " + size);
                assertTrue(section.contains("<td>" + size + "</td>"), "no table row for " + size + " labels");
            }
            assertTrue(section.contains("small (soft vote)") && section.contains("small (random forest)"), "families");
            double vote = Double.parseDouble(fig.get("real maps: small (soft vote) macro-F1 at 100"));
            // 100 real labels: far above chance (1/9 of the classes) and below a perfect score
            assertTrue(vote > 0.4 && vote < 0.95, "soft vote at 100 real labels: " + vote);
            int v = html.indexOf("id=\"verdict\"");
            assertTrue(html.substring(v, html.indexOf("id=\"formats\"")).contains("real maps"), "verdict names the real maps");
        }

        ReportInBrowser.check(out.resolve("index.html"), Path.of("target", "demo-report-screenshot.png").toAbsolutePath());
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
