package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleCommandsTest {

    @Test
    void rcaSynthThenCommonalityNamesThePlantedChamber(@TempDir Path tmp) throws Exception {
        String[] s = InspectCommandTest.run("rca", "synth", "--out", tmp.toString(), "--lots", "40", "--seed", "3");
        assertEquals("0", s[0], s[2]);
        Matcher m = Pattern.compile("planted cause: (\\S+) (\\S+) from").matcher(s[1]);
        assertTrue(m.find(), s[1]);
        String[] c = InspectCommandTest.run("rca", "commonality", "--histories", tmp.resolve("histories.csv").toString(),
                "--outcomes", tmp.resolve("outcomes.csv").toString());
        assertEquals("0", c[0], c[2]);
        String firstRow = c[1].lines().skip(2).findFirst().orElse("");
        assertTrue(firstRow.startsWith(m.group(1)) && firstRow.contains(m.group(2)),
                "planted " + m.group(1) + " " + m.group(2) + " should rank first:\n" + c[1]);
        // rca synth --json: the planted cause as the text names it
        String[] sj = InspectCommandTest.run("rca", "synth", "--out", tmp.resolve("again").toString(), "--lots", "40", "--seed", "3",
                "--json");
        assertEquals("0", sj[0], sj[2]);
        com.google.gson.JsonObject so = com.google.gson.JsonParser.parseString(sj[1]).getAsJsonObject();
        assertEquals("fabai/rca-synth", so.get("schema").getAsString());
        assertEquals(m.group(1) + " " + m.group(2), so.get("plantedCause").getAsString());
        assertEquals(1000, so.get("wafers").getAsInt());
        assertEquals(3, so.getAsJsonArray("files").size());
        // JSON: the same keys whichever test the outcome calls for (Kruskal-Wallis on yield, chi-square on a binary one)
        // the binary outcome: the lowest fifth of yields fail (1)
        java.util.List<String> rows = Files.readAllLines(tmp.resolve("outcomes.csv")).stream().skip(1)
                .filter(l -> l.split(",")[1].equals("yield")).toList();
        double[] ys = rows.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[2])).sorted().toArray();
        double cut = ys[ys.length / 5];
        StringBuilder fails = new StringBuilder("wafer_id,name,value\n");
        for (String l : rows) {
            String[] f = l.split(",");
            fails.append(f[0]).append(',').append(f[1]).append(',').append(Double.parseDouble(f[2]) < cut ? 1 : 0).append('\n');
        }
        Path binary = Files.writeString(tmp.resolve("fails.csv"), fails);
        java.util.Set<String> keys = null;
        for (Path outcomes : new Path[] {tmp.resolve("outcomes.csv"), binary}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("rca", "commonality", "--histories",
                    tmp.resolve("histories.csv").toString(), "--outcomes", outcomes.toString(), "--json"));
            if (outcomes == binary) {
                args.add("--binary");
            }
            String[] j = InspectCommandTest.run(args.toArray(String[]::new));
            assertEquals("0", j[0], j[2]);
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(j[1]).getAsJsonObject();
            assertEquals("fabai/rca-commonality", o.get("schema").getAsString());
            assertEquals(1, o.get("version").getAsInt());
            assertTrue(o.get("bootstrap").isJsonNull(), "asked for no bootstrap: the key is there, null");
            com.google.gson.JsonObject step = o.getAsJsonArray("steps").get(0).getAsJsonObject();
            if (keys == null) {
                assertEquals(m.group(1), step.get("step").getAsString(), j[1]);
                keys = step.keySet();
                assertEquals("epsilon^2", step.get("effectMeasure").getAsString(), j[1]);
            } else {
                assertEquals(keys, step.keySet(), "keys do not change with the test used: " + j[1]);
                assertEquals("cramers-v", step.get("effectMeasure").getAsString(), j[1]);
            }
        }
    }

    @Test
    void rcaCommonalityReportsABadFileWithItsLine(@TempDir Path tmp) throws Exception {
        Path h = Files.writeString(tmp.resolve("h.csv"), "wafer_id,step,tool\nW1,S1,T1\nW2,S1\n");
        Path o = Files.writeString(tmp.resolve("o.csv"), "wafer_id,name,value\nW1,yield,1\n");
        String[] c = InspectCommandTest.run("rca", "commonality", "--histories", h.toString(), "--outcomes", o.toString());
        assertEquals("3", c[0], "bad input data");
        assertTrue(c[2].startsWith("fabai commonality: ") && c[2].contains("h.csv") && c[2].contains("line 3"), c[2]);
        assertTrue(!c[2].contains("\tat "), "no stack trace: " + c[2]);
    }

    @Test
    void rcaDiscoverOnSachsIsAtLeastAsGoodAsTetrad(@TempDir Path tmp) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; skipping");
        Path sachs = data.get().resolve("sachs");
        String[] r = InspectCommandTest.run("rca", "discover", sachs.resolve("sachs.2005.continuous.txt").toString(),
                "--normal-scores", "--truth", sachs.resolve("sachs.2005.ground.truth.graph.txt").toString(),
                "--dot", tmp.resolve("g.dot").toString(), "--png", tmp.resolve("g.png").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.readString(tmp.resolve("g.dot")).contains("\"raf\""));
        assertTrue(javax.imageio.ImageIO.read(tmp.resolve("g.png").toFile()).getWidth() > 100);
        Matcher m = Pattern.compile("precision ([0-9.]+), recall ([0-9.]+), SHD (\\d+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        // CMU Tetrad's PC on the same data and alpha: precision 0.46, recall 0.55 (raw data, SHD 24)
        assertTrue(Double.parseDouble(m.group(1)) >= 0.458, r[1]);
        assertTrue(Double.parseDouble(m.group(2)) >= 0.55, r[1]);
        assertTrue(Integer.parseInt(m.group(3)) <= 24, r[1]);
    }

    @Test
    void rcaDiscoverDrawsWithTooltipsAndWritesWhatTruthReads(@TempDir Path tmp) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; skipping");
        Path sachs = data.get().resolve("sachs");
        String table = sachs.resolve("sachs.2005.continuous.txt").toString();
        String[] r = InspectCommandTest.run("rca", "discover", table, "--normal-scores", "--bootstrap", "3",
                "--truth", sachs.resolve("sachs.2005.ground.truth.graph.txt").toString(), "--layout", "elk",
                "--out", tmp.resolve("pc.txt").toString(), "--svg", tmp.resolve("g.svg").toString(),
                "--html", tmp.resolve("g.html").toString());
        assertEquals("0", r[0], r[2]);
        String html = Files.readString(tmp.resolve("g.html"));
        assertTrue(html.contains("data-layout=\"elk\"") && html.contains("<g class=\"node\"><title>raf"), html);
        assertTrue(html.contains("bootstrap: adjacent in ") && html.contains("in the true graph"), html);
        assertTrue(html.contains("not in the true graph"), "Sachs PC finds edges the consensus lacks");
        assertTrue(Files.readString(tmp.resolve("g.svg")).startsWith("<svg"));
        // the Tetrad text it wrote is what --truth reads: the same run scored against itself is perfect
        String[] self = InspectCommandTest.run("rca", "discover", table, "--normal-scores",
                "--truth", tmp.resolve("pc.txt").toString());
        assertEquals("0", self[0], self[2]);
        assertTrue(self[1].contains("precision 1.000, recall 1.000, SHD 0"), self[1]);
    }

    @Test
    void apcSimulateComparesControllersAndStabilityFlagsTheEdge() {
        String[] r = InspectCommandTest.run("apc", "simulate", "-c", "ewma:lambda=0.3", "-c", "dewma:lambda1=0.3,lambda2=0.05",
                "--runs", "800", "--seeds", "2", "--disturbance", "white:sigma=1+drift:delta=0.05");
        assertEquals("0", r[0], r[2]);
        Matcher ew = Pattern.compile("ewma:lambda=0.3\\s+\\S+\\s+(\\S+)").matcher(r[1]);
        Matcher de = Pattern.compile("dewma:lambda1=0.3,lambda2=0.05\\s+\\S+\\s+(\\S+)").matcher(r[1]);
        assertTrue(ew.find() && de.find(), r[1]);
        // EWMA keeps an offset of about delta/lambda under drift; double EWMA removes it
        double ewOff = Double.parseDouble(ew.group(1));
        double deOff = Double.parseDouble(de.group(1));
        assertTrue(Math.abs(ewOff) > 0.1 && Math.abs(deOff) < 0.05, r[1]);
        String[] s = InspectCommandTest.run("apc", "stability", "-c", "ewma:lambda=0.5", "--xi", "1,3,5", "--delay", "0");
        assertEquals("1", s[0], "xi=5 with lambda 0.5 is unstable (lambda*xi > 2): " + s[1]);
        assertTrue(s[1].contains("UNSTABLE"), s[1]);
    }

    @Test
    void adcGenerateTrainExportClassifyWithEveryCpuEngine(@TempDir Path tmp) throws Exception {
        String train = tmp.resolve("train.npz").toString();
        String test = tmp.resolve("test.npz").toString();
        assertEquals("0", InspectCommandTest.run("adc", "generate", "--per-class", "12", "--size", "40", train)[0]);
        assertEquals("0", InspectCommandTest.run("adc", "generate", "--per-class", "4", "--size", "40", "--seed", "5", test)[0]);
        String[] s = InspectCommandTest.run("adc", "train", "--model", "small", "--data", train, "--out", tmp.resolve("s.fabai").toString());
        assertEquals("0", s[0], s[2]);
        String[] cs = InspectCommandTest.run("adc", "classify", "--model", tmp.resolve("s.fabai").toString(), test);
        assertEquals("0", cs[0], cs[2]);
        Matcher f1 = Pattern.compile("macro-F1 ([0-9.]+)").matcher(cs[1]);
        assertTrue(f1.find(), cs[1]);
        assertTrue(Double.parseDouble(f1.group(1)) > 0.6, "small model on held-out generated maps: " + cs[1]);

        String model = tmp.resolve("c.fabai").toString();
        String[] c = InspectCommandTest.run("adc", "train", "--model", "cnn", "--data", train, "--epochs", "2",
                "--input-size", "32", "--out", model);
        assertEquals("0", c[0], c[2]);
        String[] e = InspectCommandTest.run("adc", "export", "--onnx", tmp.resolve("c.onnx").toString(), "--model", model);
        assertEquals("0", e[0], e[2]);
        assertTrue(Files.size(tmp.resolve("c.onnx")) > 1000);
        String dl4j = InspectCommandTest.run("adc", "classify", "--model", model, "--engine", "dl4j", test)[1];
        String onnx = InspectCommandTest.run("adc", "classify", "--model", model, "--engine", "onnx", test)[1];
        // the same predictions, wafer by wafer, from the reference and the serving engine
        assertEquals(dl4j.replaceAll("p=\\d\\.\\d+", ""), onnx.replaceAll("p=\\d\\.\\d+", ""));
        String[] g = InspectCommandTest.run("adc", "classify", "--model", model, "--engine", "gpu", test);
        assertEquals("1", g[0], "no GPU module here: a one-line error, not a crash");
        assertTrue(g[2].contains("fabai-adc-gpu"), g[2]);
    }

    @Test
    void adcTrainsAMultiLabelCnnOnGeneratedMixedMapsAndClassifiesThem(@TempDir Path tmp) throws Exception {
        String train = tmp.resolve("mixed.npz").toString();
        String test = tmp.resolve("mixed-test.npz").toString();
        assertEquals("0", InspectCommandTest.run("adc", "generate", "--mixed", "--per-class", "6", "--size", "32", train)[0]);
        assertEquals("0", InspectCommandTest.run("adc", "generate", "--mixed", "--per-class", "1", "--size", "32",
                "--seed", "7", test)[0]);
        String model = tmp.resolve("m.fabai").toString();
        String[] t = InspectCommandTest.run("adc", "train", "--model", "cnn", "--multi-label", "--data", train,
                "--epochs", "2", "--input-size", "32", "--width", "1", "--out", model);
        assertEquals("0", t[0], t[2]);
        assertTrue(t[1].contains("on 228 maps, 8 labels"), t[1]);
        String[] c = InspectCommandTest.run("adc", "classify", "--model", model, test);
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains("true Edge-Loc+Loc+Scratch"), "NPZ label sets shown as the truth: " + c[1]);
        Matcher exact = Pattern.compile("exact match ([0-9.]+)  macro-F1 ([0-9.]+)  label F1 Center=([0-9.]+)").matcher(c[1]);
        assertTrue(exact.find(), c[1]);
        assertTrue(Double.parseDouble(exact.group(3)) > 0.3, "two epochs already find Center: " + c[1]);
        String[] bad = InspectCommandTest.run("adc", "train", "--model", "small", "--multi-label", "--data", train,
                "--out", tmp.resolve("x.fabai").toString());
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--multi-label needs --model cnn"), bad[2]);
    }

    @Test
    void apcReplayFeedsRecordedRunsThroughAController(@TempDir Path tmp) throws Exception {
        StringBuilder csv = new StringBuilder("run_id,context,sequence,input,output\n");
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 60; i++) {
            // an operator kept the recipe at 100 while the process drifted: y = 130 + 0.1 i - 0.8 u
            csv.append("R").append(i).append(",tool=T1,").append(i).append(",100,")
                    .append(130 + 0.1 * i - 80 + rnd.nextGaussian() * 0.5).append('\n');
        }
        Path runs = Files.writeString(tmp.resolve("runs.csv"), csv);
        String[] r = InspectCommandTest.run("apc", "replay", "--runs", runs.toString(), "-c", "ewma:lambda=0.4", "--show", "3");
        assertEquals("0", r[0], r[2]);
        Matcher m = Pattern.compile("actual MSE ([0-9.]+)  what-if MSE ([0-9.]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertTrue(Double.parseDouble(m.group(2)) < Double.parseDouble(m.group(1)) / 4,
                "a controller would have followed the drift: " + r[1]);
        assertTrue(r[1].contains("R0") && !r[1].contains("R3 "), "lists 3 runs: " + r[1]);
        String[] bad = InspectCommandTest.run("apc", "replay", "--runs", Files.writeString(tmp.resolve("b.csv"),
                "run_id,input,output\nR1,abc,3\n").toString());
        assertEquals("3", bad[0], "bad input data");
        assertTrue(bad[2].contains("b.csv") && bad[2].contains("line 2"), bad[2]);
    }

    @Test
    void rcaExplainAttributesAnAnomalyToItsUpstreamNoise(@TempDir Path tmp) throws Exception {
        // a chain a -> b -> y; row 0 has a large shock in b only
        java.util.Random rnd = new java.util.Random(5);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 400; i++) {
            double a = rnd.nextGaussian();
            double b = 0.8 * a + rnd.nextGaussian() * 0.5 + (i == 0 ? -6 : 0);
            double y = 1.2 * b + rnd.nextGaussian() * 0.5;
            csv.append(a).append(',').append(b).append(',').append(y).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("t.csv"), csv);
        Path g = Files.writeString(tmp.resolve("g.txt"), "Graph Nodes:\na;b;y\n\nGraph Edges:\n1. a --> b\n2. b --> y\n");
        String[] r = InspectCommandTest.run("rca", "explain", t.toString(), "--target", "y", "--row", "0", "--graph", g.toString());
        assertEquals("0", r[0], r[2]);
        String first = r[1].lines().skip(1).findFirst().orElse("").trim();
        assertTrue(first.startsWith("b "), "the shock was in b's noise: " + r[1]);
        String[] j = InspectCommandTest.run("rca", "explain", t.toString(), "--target", "y", "--row", "0", "--graph", g.toString(), "--json");
        assertEquals("0", j[0], j[2]);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(j[1]).getAsJsonObject();
        assertEquals("fabai/rca-explain", o.get("schema").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertEquals(1, o.getAsJsonArray("attributions").size(), "one row, one target: still a list");
        assertEquals("b", o.getAsJsonArray("attributions").get(0).getAsJsonObject().getAsJsonArray("contributions").get(0)
                .getAsJsonObject().get("name").getAsString());
        String[] bad = InspectCommandTest.run("rca", "explain", t.toString(), "--target", "zz", "--row", "0");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("no column 'zz'"), bad[2]);
    }
}
