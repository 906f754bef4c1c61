package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads an HTML report in a real headless Chromium (Debian's {@code chromium}, installed by
 * {@code .ci/setup}): no console message of the page, every image decoded, every link and anchor
 * resolving (checked by a harness page that frames the report), and a screenshot kept. Skips with a
 * message when no chromium binary is on the PATH.
 */
final class ReportInBrowser {

    private ReportInBrowser() {
    }

    /** @return the chromium binary, or null when none is installed */
    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    static void check(Path index, Path screenshot) throws IOException, InterruptedException {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium binary on the PATH (install Debian's chromium, as .ci/setup "
                + "does): the report was checked for broken links without a browser only");
        // 1. the page itself: a full-length screenshot; any console message of the page is an error
        List<String> page = run(chromium, index.toUri().toString(), "--screenshot=" + screenshot, "--window-size=1280,7000");
        List<String> console = consoleLines(page);
        assertEquals(List.of(), console, "console messages while loading " + index);
        assertTrue(Files.size(screenshot) > 0, "no screenshot " + screenshot);
        // 2. a harness that frames the page and checks every image, link and anchor in it
        Path harness = screenshot.resolveSibling("report-check.html");
        Files.writeString(harness, harness(index), StandardCharsets.UTF_8);
        List<String> checked = consoleLines(run(chromium, harness.toUri().toString(), "--allow-file-access-from-files",
                "--screenshot=" + screenshot.resolveSibling("report-check.png"), "--window-size=800,600"));
        List<String> broken = checked.stream().filter(l -> l.contains("BROKEN")).toList();
        assertEquals(List.of(), broken, "broken images or links in " + index);
        assertTrue(checked.stream().anyMatch(l -> l.contains("CHECKED ")), "the harness did not run: " + checked);
    }

    private static List<String> consoleLines(List<String> log) {
        return log.stream().filter(l -> l.contains(":CONSOLE")).toList();
    }

    private static List<String> run(String chromium, String url, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Path log = Files.createTempFile("chromium", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in 120 s: " + cmd);
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\n" + String.join("\n", lines));
            return lines;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String harness(Path index) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>report check</title></head><body>\n"
                + "<iframe id=\"f\" src=\"" + index.toUri() + "\" width=\"1200\" height=\"800\"></iframe>\n<script>\n"
                + "document.getElementById('f').addEventListener('load', function () {\n"
                + "  var d = this.contentDocument, n = 0;\n"
                + "  d.querySelectorAll('img').forEach(function (img) {\n"
                + "    n++; if (!img.complete || img.naturalWidth === 0) console.error('BROKEN image ' + img.getAttribute('src'));\n"
                + "  });\n"
                + "  d.querySelectorAll('a[href]').forEach(function (a) {\n"
                + "    var h = a.getAttribute('href'); n++;\n"
                + "    if (h.charAt(0) === '#') { if (!d.getElementById(h.substring(1))) console.error('BROKEN anchor ' + h); return; }\n"
                + "    var x = new XMLHttpRequest();\n"
                + "    try { x.open('GET', a.href, false); x.send(); } catch (e) { console.error('BROKEN link ' + h); }\n"
                + "  });\n"
                + "  console.log('CHECKED ' + n);\n"
                + "});\n</script></body></html>\n";
    }
}
