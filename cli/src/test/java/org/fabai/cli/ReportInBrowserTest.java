package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check finds what it is there to find: a console error, a missing image, a dead link. */
class ReportInBrowserTest {

    @TempDir
    Path dir;

    private void expectFailure(String body, String what) throws Exception {
        Path page = dir.resolve("page.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><h1 id=\"a\">x</h1>"
                + body + "</body></html>");
        AssertionError e = assertThrows(AssertionError.class, () -> ReportInBrowser.check(page, dir.resolve("shot.png")));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void brokenPagesAreCaught() throws Exception {
        Assumptions.assumeTrue(ReportInBrowser.chromium() != null, "no chromium binary on the PATH");
        expectFailure("<script>console.error('boom')</script>", "boom");
        expectFailure("<img src=\"img/missing.png\" alt=\"m\">", "BROKEN image img/missing.png");
        expectFailure("<a href=\"nofile.csv\">f</a>", "BROKEN link nofile.csv");
        expectFailure("<a href=\"#nowhere\">f</a>", "BROKEN anchor #nowhere");
    }
}
