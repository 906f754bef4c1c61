package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    static Optional<Path> sharedData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared").resolve("data");
            if (Files.isDirectory(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Fabai.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void readsEveryFormatFromTheSamplesAndRendersPngs(@TempDir Path tmp) throws Exception {
        Optional<Path> data = sharedData();
        assumeTrue(data.isPresent(), "shared/data not found above " + Path.of("").toAbsolutePath() + "; skipping");
        Path core = Path.of("..", "core", "src", "test", "resources");
        String[] r = run("inspect", "--png", tmp.toString(),
                data.get().resolve("klarf/klarf12Example.klarf").toString(),
                data.get().resolve("klarf/simple18.klarf").toString(),
                data.get().resolve("stdf/lot2.stdf.gz").toString(),
                core.resolve("stdf/small-le.stdf").toString(),
                core.resolve("npy/wafer_maps_strings.npz").toString());
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("KLARF 1.2, defects 2"), out);
        assertTrue(out.contains("KLARF 1.8, defects 3"), out);
        assertTrue(out.contains("wafer GAL-LOT-02") && out.contains("dies   1456  fail     67"), out);
        assertTrue(out.contains("big-endian gzip, parts 1569, retests 113"), out);
        assertTrue(out.contains("little-endian"), out);
        assertTrue(out.contains("labels Edge-Loc"), out);
        long pngs;
        try (var s = Files.list(tmp)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertEquals(1 + 2 + 1 + 1 + 4, pngs);
        try (var s = Files.list(tmp)) {
            for (Path p : s.toList()) {
                assertTrue(ImageIO.read(p.toFile()).getWidth() > 0, p.toString());
            }
        }
    }

    @Test
    void badFilesAreReportedWithWhereAndWhat() {
        Optional<Path> data = sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; skipping");
        String[] r = run("inspect", data.get().resolve("klarf/bad12DefectList.klarf").toString(),
                data.get().resolve("klarf/simple12.klarf").toString());
        assertEquals("3", r[0]);
        assertTrue(r[2].contains("bad12DefectList.klarf: line 29: DefectList row 1, column XINDEX"), r[2]);
        assertTrue(r[1].contains("simple12.klarf: KLARF, 1 wafer"), "the good file is still read: " + r[1]);
    }

    @Test
    void unknownFormatAndMissingFileAreErrors(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String[] r = run("inspect", junk.toString(), tmp.resolve("nope.klarf").toString());
        assertEquals("3", r[0]);
        assertTrue(r[2].contains("not a recognised format"), r[2]);
        assertTrue(r[2].contains("no such file"), r[2]);
    }

    @Test
    void versionAndHelp() {
        String[] v = run("--version");
        assertEquals("0", v[0]);
        assertTrue(v[1].startsWith("fabai "), v[1]);
        assertTrue(v[1].contains("Licence: GPL-3.0 as shipped"), v[1]);
        assertNotNull(Fabai.class.getResource("/META-INF/fabai/LICENSING.txt"), "the licence note the version names");
        String[] h = run("--help");
        assertTrue(h[1].contains("inspect"), h[1]);
    }
}
