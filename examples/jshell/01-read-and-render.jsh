// Read a KLARF file, print each wafer and render it to a PNG.
// Run from the repository root:  bin/fabai-jshell examples/jshell/01-read-and-render.jsh
// (set FABAI_KLARF to read another file)
import java.nio.file.*;
import org.fabai.core.io.klarf.*;
import org.fabai.core.wafer.*;

Path file = Path.of(System.getProperty("fabai.klarf",
        System.getenv().getOrDefault("FABAI_KLARF", "../shared/data/klarf/simple18.klarf")));
KlarfFile klarf = KlarfReader.read(file);
for (KlarfWafer w : klarf.wafers()) {
    WaferMap map = w.map();
    System.out.printf("%s %s: %d defects, %s%n", w.lotId(), w.waferId(), w.defects().size(), map);
    Path png = Path.of(System.getProperty("fabai.out", "out"), w.waferId() + ".png");
    WaferMapRenderer.writePng(map, WaferMapRenderer.Style.of(8), png);
    System.out.println("  wrote " + png);
}
/exit
