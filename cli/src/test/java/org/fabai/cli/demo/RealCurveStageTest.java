package org.fabai.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fabai.adc.eval.LearningCurve;
import org.junit.jupiter.api.Test;

/**
 * The full demo's real-data curve wiring (the quick demo, run by {@code DemoCommandTest}, leaves
 * the CNNs out): with {@link DemoConfig#realCnn()} the curve has the CNN from scratch and the CNN
 * pretrained on generated maps beside the two small models, every family scored on the same held-out
 * lots. Tiny sizes (one epoch, 8 generated maps per class) keep it to a test's time.
 */
class RealCurveStageTest {

    private static Path sample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("shared/data/wm811k/wm811k-sample.npz");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    @Test
    void fullCurveHasTheFiveFamiliesOnTheSameHeldOutLots() throws Exception {
        Path npz = sample();
        assumeTrue(npz != null, "shared/data not found; skipping the real-data curve");
        DemoConfig cfg = new DemoConfig(8, new int[] {45}, 1, 1, 32, 600, 2, 40, 3, 30, new int[] {30, 60}, 1, true, 3);
        StringWriter log = new StringWriter();
        RealCurveStage.Result r = RealCurveStage.run(cfg, npz, new Progress(new PrintWriter(log), 1));
        LearningCurve.Result c = r.curve();
        assertEquals(List.of("small (soft vote)", "small (soft vote + generated)", "small (random forest)"),
                c.families().subList(0, 3));
        assertEquals(5, c.families().size(), c.families().toString());
        assertTrue(c.families().stream().anyMatch(f -> f.toLowerCase().contains("pretrained")), c.families().toString());
        assertEquals(List.of(30, 60), c.config().sizes());
        for (String f : c.families()) {
            for (int size : c.config().sizes()) {
                double m = c.mean(f, size);
                assertTrue(m >= 0 && m <= 1, f + " at " + size + ": " + m);
            }
        }
        // the small models learn from 60 real maps: clearly above chance over nine classes
        assertTrue(c.mean("small (soft vote)", 60) > 0.3, "soft vote at 60 maps: " + c.mean("small (soft vote)", 60));
        assertEquals(2107, r.maps());
        assertEquals(66, r.unnamed());
        assertTrue(log.toString().contains("pretrained a CNN"), log.toString());
    }
}
