package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fabai.adc.model.ModelFile;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fabai adc} on real WM-811K maps as they ship (many sizes, lot names). */
class AdcRealDataCommandsTest {

    /** Every fifth map of the shared real sample, written in the per-map layout (lots kept). */
    private static Path subset(Path tmp) throws Exception {
        return subset(tmp, 0, 5, "real-subset.npz");
    }

    /** Maps {@code start}, {@code start + step}, ... of the shared real sample, written in the per-map layout. */
    private static Path subset(Path tmp, int start, int step, String name) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; skipping the real-map commands");
        WaferMapArrays.LabeledWaferMaps all = WaferMapArrays.readNpz(data.get().resolve("wm811k/wm811k-sample.npz"));
        List<WaferMap> maps = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (int i = start; i < all.maps().size(); i += step) {
            maps.add(all.maps().get(i));
            labels.add(all.labels().get(i));
        }
        Path p = tmp.resolve(name);
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(maps, labels, List.of()), p, true);
        return p;
    }

    @Test
    void evaluateCrossValidatesByLotOnRealMapsOfManySizes(@TempDir Path tmp) throws Exception {
        Path npz = subset(tmp);
        String[] r = InspectCommandTest.run("adc", "evaluate", "--data", npz.toString(), "--cv", "3", "--model", "small");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("422 maps, 9 classes, 3-fold cross-validation grouped by lot_name"), r[1]);
        Matcher m = Pattern.compile("small \\([^)]*\\): macro-F1 ([0-9.]+) \\+- ([0-9.]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        double f1 = Double.parseDouble(m.group(1));
        // nine classes: chance is about 0.11; engineered features on real maps do far better
        assertTrue(f1 > 0.5 && f1 <= 1.0, "macro-F1 " + f1);
        assertTrue(r[1].contains("pooled per-class F1") && r[1].contains("truth\\pred"), r[1]);
        String[] bad = InspectCommandTest.run("adc", "evaluate", "--data", npz.toString(), "--group-by", "tool");
        assertTrue(!"0".equals(bad[0]) && bad[2].contains("--group-by"), bad[2]);
    }

    @Test
    void curveOnRealMapsKeepsLotsOutOfTraining(@TempDir Path tmp) throws Exception {
        Path npz = subset(tmp);
        Path csv = tmp.resolve("curve.csv");
        String[] r = InspectCommandTest.run("adc", "curve", "--data", npz.toString(), "--sizes", "30,all",
                "--model", "small", "--png", tmp.resolve("c.png").toString(), "--csv", csv.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(3, rows.size(), rows.toString());
        String[] last = rows.get(2).split(",");
        assertTrue(Integer.parseInt(last[1]) > 300, "'all' is the pool outside the test lots: " + rows.get(2));
        assertTrue(Files.size(tmp.resolve("c.png")) > 1000);
    }

    /** The macro-F1 line of {@code adc classify}'s text output. */
    private static double classifyMacroF1(Path model, Path npz) throws Exception {
        String[] c = InspectCommandTest.run("adc", "classify", "--model", model.toString(), npz.toString());
        assertEquals("0", c[0], c[1] + c[2]);
        Matcher m = Pattern.compile("macro-F1 ([0-9.]+)").matcher(c[1]);
        assertTrue(m.find(), c[1]);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainOnGeneratedMapsAloneUsesTheCalibratedGeneratorSoTheModelServesRealMaps(@TempDir Path tmp) throws Exception {
        Path real = subset(tmp);
        Path calibrated = tmp.resolve("calibrated.fabai");
        Path plain = tmp.resolve("plain.fabai");
        String[] a = InspectCommandTest.run("adc", "train", "--model", "small", "--synthetic", "20", "--out",
                calibrated.toString());
        assertEquals("0", a[0], a[1] + a[2]);
        assertTrue(a[2].contains("maps of the calibrated generator"), a[2]);
        assertEquals("VOTING", ModelFile.read(calibrated).header().get("config.algorithm"),
                "the real-data recipe (soft vote) for maps meant for a fab's");
        String[] b = InspectCommandTest.run("adc", "train", "--model", "small", "--synthetic", "20", "--generator", "plain",
                "--out", plain.toString());
        assertEquals("0", b[0], b[1] + b[2]);
        double f1Calibrated = classifyMacroF1(calibrated, real);
        double f1Plain = classifyMacroF1(plain, real);
        // no real label in either model; the calibrated generator's maps look like a fab's
        assertTrue(f1Calibrated > 0.5 && f1Calibrated > f1Plain + 0.2,
                "calibrated " + f1Calibrated + ", plain " + f1Plain);

        // the same generator's maps as a file: sizes like real maps, unless --size fixes one
        Path gen = tmp.resolve("calibrated.npz");
        String[] g = InspectCommandTest.run("adc", "generate", "--per-class", "3", "--generator", "calibrated", gen.toString());
        assertEquals("0", g[0], g[1] + g[2]);
        assertTrue(g[1].contains("wrote 27 maps of rows "), g[1]);
        long sizes = WaferMapArrays.readNpz(gen).maps().stream().map(x -> x.rows() + "x" + x.cols()).distinct().count();
        assertTrue(sizes > 1, "one size only");
        String[] f = InspectCommandTest.run("adc", "generate", "--per-class", "1", "--generator", "calibrated", "--size", "40",
                tmp.resolve("fixed.npz").toString());
        assertTrue(f[1].contains("wrote 9 maps of 40x40"), f[1] + f[2]);

        String[] bad = InspectCommandTest.run("adc", "train", "--model", "small", "--generator", "calibrated", "--data",
                real.toString(), "--out", tmp.resolve("x.fabai").toString());
        assertTrue(!"0".equals(bad[0]) && bad[2].contains("--generator calibrated applies to generated maps"), bad[2]);
    }

    @Test
    void fewLabelsGetMapsOfTheCalibratedGeneratorBesideThem(@TempDir Path tmp) throws Exception {
        Path test = subset(tmp);
        // 106 labelled maps (about 12 per class), none of them among the test maps
        Path few = subset(tmp, 2, 20, "few.npz");
        Path withGen = tmp.resolve("with.fabai");
        Path alone = tmp.resolve("alone.fabai");
        String[] a = InspectCommandTest.run("adc", "train", "--data", few.toString(), "--out", withGen.toString());
        assertEquals("0", a[0], a[1] + a[2]);
        assertTrue(a[2].contains("maps of the calibrated generator"), a[2]);
        java.util.Map<String, String> h = ModelFile.read(withGen).header();
        int generated = Integer.parseInt(h.get("training.generated"));
        int labelled = WaferMapArrays.readNpz(few).maps().size();
        assertTrue(generated >= 700 && generated % 100 == 0, "100 per class of the labels' classes: " + generated);
        assertEquals(labelled + generated, Integer.parseInt(h.get("training.size")));
        // the threshold and validation figures come from held-out labelled maps only
        assertTrue(Integer.parseInt(h.get("validation.size")) < labelled, h.toString());
        String[] b = InspectCommandTest.run("adc", "train", "--data", few.toString(), "--generated", "0", "--out",
                alone.toString());
        assertEquals("0", b[0], b[1] + b[2]);
        assertTrue(!ModelFile.read(alone).header().containsKey("training.generated"));
        double f1With = classifyMacroF1(withGen, test);
        double f1Alone = classifyMacroF1(alone, test);
        assertTrue(f1With > f1Alone, "about 12 labels per class: " + f1Alone + " alone, " + f1With + " with generated maps");

        String[] cnn = InspectCommandTest.run("adc", "train", "--model", "cnn", "--data", few.toString(), "--generated",
                "50", "--out", tmp.resolve("c.fabai").toString());
        assertTrue(!"0".equals(cnn[0]) && cnn[2].contains("--generated applies to the small model"), cnn[2]);
        String[] noData = InspectCommandTest.run("adc", "train", "--generated", "50", "--out", tmp.resolve("n.fabai").toString());
        assertTrue(!"0".equals(noData[0]) && noData[2].contains("--synthetic"), noData[2]);
        String[] negative = InspectCommandTest.run("adc", "train", "--data", few.toString(), "--generated", "-1", "--out",
                tmp.resolve("m.fabai").toString());
        assertTrue(!"0".equals(negative[0]) && negative[2].contains("--generated must be 0 or more"), negative[2]);
    }

    @Test
    void classifyReadsRealMapsAsTheyShipAndFlagsANewMapSize(@TempDir Path tmp) throws Exception {
        Path npz = subset(tmp);
        Path model = tmp.resolve("small.fabai");
        String[] t = InspectCommandTest.run("adc", "train", "--model", "small", "--data", npz.toString(), "--out",
                model.toString());
        assertEquals("0", t[0], t[1] + t[2]);
        // a wafer of 300 x 300 dies: bigger than any training map
        int[][] big = new int[300][300];
        for (int r = 0; r < 300; r++) {
            for (int c = 0; c < 300; c++) {
                double dr = r - 149.5;
                double dc = c - 149.5;
                big[r][c] = dr * dr + dc * dc < 150 * 150 ? (r == c ? 2 : 1) : 0;
            }
        }
        Path odd = tmp.resolve("odd.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(List.of(WaferMap.fromCodes(big),
                WaferMap.fromCodes(new int[][] {{0, 1, 0}, {1, 2, 1}, {0, 1, 0}})), List.of(), List.of()), odd, true);
        String[] c = InspectCommandTest.run("adc", "classify", "--model", model.toString(), odd.toString());
        assertEquals("0", c[0], c[1] + c[2]);
        assertTrue(c[1].contains("input shift: 2 of 2 maps have a grid outside the training range"), c[1]);

        // a partly labelled file, as lswmd_to_npz.py writes WM-811K (an empty string: nobody labelled the map)
        WaferMapArrays.LabeledWaferMaps sub = WaferMapArrays.readNpz(npz);
        List<List<String>> partial = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            partial.add(i % 3 == 0 ? List.of() : sub.labels().get(i));
        }
        Path part = tmp.resolve("partly-labelled.npz");
        WaferMapArrays.writeNpz(new WaferMapArrays.LabeledWaferMaps(sub.maps().subList(0, 30), partial, List.of()), part,
                true);
        String[] p = InspectCommandTest.run("adc", "classify", "--model", model.toString(), part.toString());
        assertEquals("0", p[0], p[1] + p[2]);
        assertTrue(p[1].contains("metrics over the 20 labelled wafers (10 without a label)"), p[1]);
        String[] j = InspectCommandTest.run("adc", "classify", "--json", "--model", model.toString(), part.toString());
        assertEquals("0", j[0], j[1] + j[2]);
        com.google.gson.JsonObject file = com.google.gson.JsonParser.parseString(j[1]).getAsJsonObject()
                .getAsJsonArray("files").get(0).getAsJsonObject();
        assertEquals(20, file.getAsJsonObject("metrics").get("labelledWafers").getAsInt());
        assertTrue(file.getAsJsonArray("predictions").get(0).getAsJsonObject().get("truth").isJsonNull());
        assertEquals(sub.labels().get(1).isEmpty() ? "none" : sub.labels().get(1).get(0),
                file.getAsJsonArray("predictions").get(1).getAsJsonObject().get("truth").getAsString());
    }
}
