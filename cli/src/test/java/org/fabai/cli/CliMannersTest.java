package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Help texts, exit codes, machine-readable output and verbosity, over every command. */
class CliMannersTest {

    @Test
    void everyOptionIsDescribedAndShowsItsDefault() {
        List<String> bad = new ArrayList<>();
        check(Fabai.commandLine(), bad);
        assertTrue(bad.isEmpty(), "options without a description or whose default the help does not show:\n"
                + String.join("\n", bad));
    }

    private static void check(CommandLine cl, List<String> bad) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            String d = String.join(" ", o.description()).trim();
            if (d.isEmpty()) {
                bad.add(spec.qualifiedName() + " " + o.longestName() + ": no description");
                continue;
            }
            String def = o.defaultValue();
            boolean picocliShows = o.showDefaultValue() == CommandLine.Help.Visibility.ALWAYS
                    || o.showDefaultValue() == CommandLine.Help.Visibility.ON_DEMAND && spec.usageMessage().showDefaultValues();
            boolean describedShows = d.contains(def == null ? "\u0000" : def);
            if (def != null && !picocliShows && !describedShows) {
                bad.add(spec.qualifiedName() + " " + o.longestName() + ": default '" + def + "' not in the help");
            }
            if (def != null && picocliShows && d.toLowerCase(Locale.ROOT).contains("default")) {
                bad.add(spec.qualifiedName() + " " + o.longestName() + ": default shown twice");
            }
        }
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
            if (String.join(" ", p.description()).isBlank()) {
                bad.add(spec.qualifiedName() + " " + p.paramLabel() + ": no description");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().parent() == spec) {
                check(sub, bad);
            }
        }
    }

    @Test
    void aGroupWithoutSubcommandPrintsItsHelpAndExits2() {
        for (String group : new String[] {"adc", "apc", "rca"}) {
            String[] r = InspectCommandTest.run(group);
            assertEquals("2", r[0], group);
            assertTrue(r[2].contains("Usage: fabai " + group), r[2]);
            assertTrue(r[1].isEmpty(), "help goes to stderr on bad usage: " + r[1]);
        }
        assertEquals("2", InspectCommandTest.run()[0], "fabai alone");
        String[] h = InspectCommandTest.run("adc", "--help");
        assertEquals("0", h[0], "asked-for help is not an error");
        assertTrue(h[1].contains("Usage: fabai adc"), h[1]);
    }

    @Test
    void exitCodesTellUsageFromDataFromAnalysis(@TempDir Path tmp) throws Exception {
        String[] unknown = InspectCommandTest.run("apc", "simulate", "--no-such-option");
        assertEquals("2", unknown[0], "unknown option: bad usage");
        String[] range = InspectCommandTest.run("apc", "simulate", "-c", "ewma:lambda=1.7", "--runs", "50", "--seeds", "1");
        assertEquals("2", range[0], "parameter out of range: bad usage; " + range[2]);
        assertTrue(range[2].contains("lambda"), range[2]);

        Path missing = tmp.resolve("nosuch.csv");
        String[] m = InspectCommandTest.run("apc", "replay", "--runs", missing.toString());
        assertEquals("3", m[0], "missing input file: bad data; " + m[2]);
        assertTrue(m[2].contains(missing.toString()) && m[2].contains("no such file"), m[2]);
        String[] dir = InspectCommandTest.run("apc", "replay", "--runs", tmp.toString());
        assertEquals("3", dir[0], "a directory for a file: bad data; " + dir[2]);
        assertTrue(dir[2].contains(tmp.toString()), "names the path: " + dir[2]);
        assertFalse(dir[2].contains("\tat "), "no stack trace: " + dir[2]);

        String[] unstable = InspectCommandTest.run("-q", "apc", "stability", "-c", "ewma:lambda=0.5", "--xi", "5", "--delay", "0");
        assertEquals("1", unstable[0], "an unstable loop is the analysis' failing verdict");
    }

    @Test
    void jsonOutputParsesAndCarriesItsSchema(@TempDir Path tmp) throws Exception {
        String[] s = InspectCommandTest.run("apc", "simulate", "-c", "ewma:lambda=0.3", "-c", "kalman:q=0.1,r=1",
                "--runs", "300", "--seeds", "2", "--json");
        assertEquals("0", s[0], s[2]);
        JsonObject o = JsonParser.parseString(s[1]).getAsJsonObject();
        assertEquals("fabai/apc-simulate", o.get("schema").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertEquals(2, o.getAsJsonArray("controllers").size());
        assertEquals("kalman:q=0.1,r=1", o.getAsJsonArray("controllers").get(1).getAsJsonObject().get("controller").getAsString());
        assertTrue(o.getAsJsonArray("controllers").get(0).getAsJsonObject().get("mse").getAsDouble() > 0);

        String[] st = InspectCommandTest.run("apc", "stability", "-c", "ewma:lambda=0.5", "--xi", "1,5", "--delay", "0,1", "--json");
        assertEquals("1", st[0]);
        JsonObject so = JsonParser.parseString(st[1]).getAsJsonObject();
        assertEquals(4, so.getAsJsonArray("points").size());
        assertFalse(so.get("allStable").getAsBoolean());

        StringBuilder csv = new StringBuilder("run_id,context,sequence,input,output\n");
        for (int i = 0; i < 45; i++) {
            csv.append("R").append(i).append(",tool=T1,").append(i).append(",100,").append(50 + 0.05 * i).append('\n');
        }
        Path runs = Files.writeString(tmp.resolve("runs.csv"), csv);
        String[] rp = InspectCommandTest.run("apc", "replay", "--runs", runs.toString(), "--json");
        assertEquals("0", rp[0], rp[2]);
        JsonObject ro = JsonParser.parseString(rp[1]).getAsJsonObject();
        assertEquals(45, ro.getAsJsonArray("steps").size(), "every run, not the first --show");
        assertEquals("R44", ro.getAsJsonArray("steps").get(44).getAsJsonObject().get("runId").getAsString());

        Path npz = tmp.resolve("m.npz");
        assertEquals("0", InspectCommandTest.run("-q", "adc", "generate", "--per-class", "2", "--size", "30", npz.toString())[0]);
        Path dirAsFile = Files.createDirectory(tmp.resolve("adir"));
        String[] in = InspectCommandTest.run("inspect", "--json", npz.toString(), dirAsFile.toString());
        assertEquals("3", in[0], "one of the two could not be read");
        JsonObject io = JsonParser.parseString(in[1]).getAsJsonObject();
        assertEquals("fabai/inspect", io.get("schema").getAsString());
        JsonObject f0 = io.getAsJsonArray("files").get(0).getAsJsonObject();
        assertEquals("NPZ", f0.get("format").getAsString());
        assertEquals(18, f0.getAsJsonArray("wafers").size());
        assertTrue(f0.get("error").isJsonNull());
        JsonObject f1 = io.getAsJsonArray("files").get(1).getAsJsonObject();
        assertTrue(f1.get("error").getAsString().contains("adir") && f1.get("error").getAsString().contains("directory"),
                f1.toString());
        assertTrue(f1.get("format").isJsonNull() && f1.getAsJsonArray("wafers").isEmpty(), "stable keys: " + f1);
    }

    @Test
    void progressGoesToStderrAndQuietSilencesIt() {
        String[] loud = InspectCommandTest.run("apc", "simulate", "--runs", "100", "--seeds", "1", "--json");
        assertTrue(loud[2].contains("simulating 1 controller"), loud[2]);
        JsonParser.parseString(loud[1]);   // stdout stays pure JSON
        String[] quiet = InspectCommandTest.run("apc", "simulate", "--runs", "100", "--seeds", "1", "--json", "-q");
        assertEquals("0", quiet[0]);
        assertEquals("", quiet[2]);
    }

    @Test
    void adcTrainAndClassifySpeakJsonAndCsvWithEveryPrediction(@TempDir Path tmp) throws Exception {
        String train = tmp.resolve("train.npz").toString();
        String test = tmp.resolve("test.npz").toString();
        assertEquals("0", InspectCommandTest.run("-q", "adc", "generate", "--per-class", "8", "--size", "32", train)[0]);
        assertEquals("0", InspectCommandTest.run("-q", "adc", "generate", "--per-class", "7", "--size", "32", "--seed", "4", test)[0]);
        String model = tmp.resolve("s.fabai").toString();
        String[] t = InspectCommandTest.run("adc", "train", "--model", "small", "--data", train, "--out", model, "--json");
        assertEquals("0", t[0], t[2]);
        JsonObject to = JsonParser.parseString(t[1]).getAsJsonObject();
        assertEquals("fabai/adc-train", to.get("schema").getAsString());
        assertEquals(72, to.get("maps").getAsInt());
        assertEquals(9, to.getAsJsonArray("classes").size());
        assertTrue(t[2].contains("training small on 72 maps"), "stage line on stderr: " + t[2]);

        Path csv = tmp.resolve("out/predictions.csv");
        String[] c = InspectCommandTest.run("adc", "classify", "--model", model, test, "--json", "--out", csv.toString());
        assertEquals("0", c[0], c[2]);
        JsonObject co = JsonParser.parseString(c[1]).getAsJsonObject();
        assertEquals("fabai/adc-classify", co.get("schema").getAsString());
        JsonObject file = co.getAsJsonArray("files").get(0).getAsJsonObject();
        assertEquals(63, file.get("wafers").getAsInt());
        assertEquals(63, file.getAsJsonArray("predictions").size(), "every prediction, no row limit");
        JsonObject last = file.getAsJsonArray("predictions").get(62).getAsJsonObject();
        assertEquals(62, last.get("index").getAsInt());
        assertEquals(9, last.getAsJsonObject("probabilities").size());
        assertTrue(file.getAsJsonObject("metrics").get("macroF1").getAsDouble() > 0.3, file.get("metrics").toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(64, lines.size(), "header + one row per wafer");
        assertTrue(lines.get(0).startsWith("file,index,lot_id,wafer_id,label,best_class,confidence,truth,p_"), lines.get(0));
        String[] row = lines.get(63).split(",", -1);
        assertEquals(8 + 9, row.length, lines.get(63));
        assertEquals(last.get("label").getAsString(), row[4]);
        // the JSON is streamed as the CSV is: the same prediction in each, row by row, and the document closed
        assertTrue(co.get("error").isJsonNull(), c[1].substring(Math.max(0, c[1].length() - 200)));
        for (int i = 0; i < 63; i++) {
            JsonObject p = file.getAsJsonArray("predictions").get(i).getAsJsonObject();
            String[] r = lines.get(i + 1).split(",", -1);
            assertEquals(i, p.get("index").getAsInt());
            assertEquals(r[4], p.get("label").getAsString(), "wafer " + i);
            assertEquals(r[5], p.get("bestClass").getAsString(), "wafer " + i);
            assertEquals(Double.parseDouble(r[6]), p.get("confidence").getAsDouble(), 1e-6, "wafer " + i);
            assertEquals(r[7], p.get("truth").getAsString(), "wafer " + i);
        }
        // a file that fails half-way: the error goes to stderr and closes the JSON document, which stays valid
        Path bad = tmp.resolve("bad.npz");
        java.util.Map<String, org.fabai.core.io.npy.NpyArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("map_00000", org.fabai.core.io.npy.NpyArray.ofUnsignedBytes(new byte[] {0, 1, 1, 2}, 2, 2));
        arrays.put("map_00001", org.fabai.core.io.npy.NpyArray.ofUnsignedBytes(new byte[] {0, 1, 7, 2}, 2, 2));
        org.fabai.core.io.npy.NpzWriter.write(arrays, bad, true);
        String[] e = InspectCommandTest.run("adc", "classify", "--model", model, test, bad.toString(), "--json");
        assertEquals("3", e[0], e[2]);
        assertTrue(e[2].contains("bad.npz") && e[2].contains("die code 7"), e[2]);
        JsonObject eo = JsonParser.parseString(e[1]).getAsJsonObject();
        assertTrue(eo.get("error").getAsString().contains("'map_00001'"), eo.get("error").toString());
        assertEquals(63, eo.getAsJsonArray("files").get(0).getAsJsonObject().getAsJsonArray("predictions").size());
        JsonObject badFile = eo.getAsJsonArray("files").get(1).getAsJsonObject();
        assertEquals(bad.toString(), badFile.get("file").getAsString());
        assertTrue(badFile.get("metrics").isJsonNull());
        // labels the model does not know (class indices without class names) are said, not just scored
        org.fabai.core.io.npy.WaferMapArrays.LabeledWaferMaps d = org.fabai.core.io.npy.WaferMapArrays.readNpz(Path.of(test));
        int[] idx = new int[d.maps().size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = d.classNames().indexOf(d.labels().get(i).isEmpty() ? "none" : d.labels().get(i).get(0));
        }
        java.util.Map<String, org.fabai.core.io.npy.NpyArray> ints = new java.util.LinkedHashMap<>();
        ints.put("arr_0", org.fabai.core.io.npy.WaferMapArrays.toArray(d.maps()));
        ints.put("arr_1", org.fabai.core.io.npy.NpyArray.ofInts(idx));
        Path indices = tmp.resolve("indices.npz");
        org.fabai.core.io.npy.NpzWriter.write(ints, indices, true);
        String[] u = InspectCommandTest.run("adc", "classify", "--model", model, indices.toString(), "--limit", "1");
        assertEquals("0", u[0], u[2]);
        assertTrue(u[1].contains("63 of 63 labelled wafers carry labels the model does not know") && u[1].contains("(7)") && u[1].contains("and 4 more"),
                u[1]);

        String[] text = InspectCommandTest.run("adc", "classify", "--model", model, test, "--limit", "5");
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].contains("... 58 more (--limit 0 lists all"), text[1]);
        String[] all = InspectCommandTest.run("adc", "classify", "--model", model, test, "--limit", "0");
        assertFalse(all[1].contains("more (--limit"), all[1]);
        assertEquals(63, all[1].lines().filter(l -> l.contains(" p=")).count(), all[1]);
    }

    @Test
    void adcCurveSpeaksJson(@TempDir Path tmp) {
        Path png = tmp.resolve("curve.png");
        String[] r = InspectCommandTest.run("adc", "curve", "--synthetic", "12", "--sizes", "36,72", "--cnn-epochs", "0",
                "--png", png.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals("fabai/adc-curve", o.get("schema").getAsString());
        assertEquals(2 * 2, o.getAsJsonArray("points").size(), "two families x two sizes x one repeat: " + o);
        assertEquals(2, o.getAsJsonObject("winnerAt").size());
        assertTrue(Files.isRegularFile(png));
        assertTrue(r[2].contains("learning curve on 108 maps"), "stage line: " + r[2]);
    }

    @Test
    void evaluateSpeaksJsonWithEveryFoldClassAndCount(@TempDir Path tmp) throws Exception {
        String[] r = InspectCommandTest.run("adc", "evaluate", "--synthetic", "8", "--cv", "3", "--model", "rf,logistic", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals("fabai/adc-evaluate", o.get("schema").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertTrue(o.has("data") && o.get("data").isJsonNull(), "synthetic maps: data is null, the key is there");
        int maps = o.get("maps").getAsInt();
        int classes = o.getAsJsonArray("classes").size();
        assertEquals(3, o.get("folds").getAsInt());
        assertEquals(64, o.get("foldHash").getAsString().length());
        com.google.gson.JsonArray results = o.getAsJsonArray("results");
        assertEquals(2, results.size());
        for (com.google.gson.JsonElement e : results) {
            JsonObject m = e.getAsJsonObject();
            assertTrue(m.has("derivedFrom") && m.get("derivedFrom").isJsonNull(), m.toString());
            assertEquals(3, m.getAsJsonArray("folds").size());
            int tested = 0;
            for (com.google.gson.JsonElement f : m.getAsJsonArray("folds")) {
                tested += f.getAsJsonObject().get("testSize").getAsInt();
            }
            assertEquals(maps, tested, "every map held out once");
            assertEquals(classes, m.getAsJsonArray("perClass").size());
            JsonObject cm = m.getAsJsonObject("pooledConfusion");
            long total = 0;
            for (com.google.gson.JsonElement row : cm.getAsJsonArray("counts")) {
                for (com.google.gson.JsonElement c : row.getAsJsonArray()) {
                    total += c.getAsLong();
                }
            }
            for (com.google.gson.JsonElement c : cm.getAsJsonArray("rejected")) {
                total += c.getAsLong();
            }
            assertEquals(maps, total, "the pooled matrix counts every held-out map");
            double f1 = m.get("meanMacroF1").getAsDouble();
            assertTrue(f1 > 0.3 && f1 <= 1.0, "macro-F1 " + f1);
        }
        assertTrue(!r[1].contains("cross-validation grouped by"), "stdout is the JSON object only");
        // --csv: one line per model and fold, beside the text
        Path folds = tmp.resolve("folds.csv");
        String[] t = InspectCommandTest.run("adc", "evaluate", "--synthetic", "8", "--cv", "3", "--model", "rf,logistic",
                "--csv", folds.toString());
        assertEquals("0", t[0], t[2]);
        assertTrue(t[1].contains("cross-validation grouped by"), "the text stays: " + t[1]);
        List<List<String>> c = csv(folds);
        assertEquals(List.of("model", "family", "fold", "trainSize", "testSize", "macroF1", "accuracy", "rejectRate",
                "acceptedAccuracy", "threshold", "fitSeconds"), c.get(0));
        assertEquals(1 + 2 * 3, c.size());
        assertEquals("rf", c.get(1).get(0));
        assertEquals("logistic", c.get(6).get(0));
    }

    /** Reads a CSV {@code --csv} wrote: header and rows, split on commas (the values here have none). */
    private static List<List<String>> csv(Path f) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(List.of(l.split(",", -1)));
        }
        return out;
    }

    @Test
    void everyCommandThatListsRowsWritesThemAsCsvToo(@TempDir Path tmp) throws Exception {
        // apc simulate: one row per controller, the JSON's keys as columns, text still on stdout
        Path sim = tmp.resolve("sim.csv");
        String[] s = InspectCommandTest.run("apc", "simulate", "-c", "ewma:lambda=0.3", "-c", "kalman:q=0.1,r=1",
                "--runs", "300", "--seeds", "2", "--csv", sim.toString());
        assertEquals("0", s[0], s[2]);
        assertTrue(s[1].contains("kalman"), "the text output stays: " + s[1]);
        List<List<String>> c = csv(sim);
        assertEquals(List.of("controller", "mse", "meanOffset", "cpk", "settlingRuns", "seeds", "diverged"), c.get(0));
        assertEquals(3, c.size());
        assertEquals("ewma:lambda=0.3", c.get(1).get(0));
        assertTrue(Double.parseDouble(c.get(1).get(1)) > 0);
        // apc stability with --json and --csv: the same points
        Path st = tmp.resolve("st.csv");
        String[] sj = InspectCommandTest.run("apc", "stability", "-c", "ewma:lambda=0.5", "--xi", "1,5", "--delay", "0,1", "--json",
                "--csv", st.toString());
        assertEquals("1", sj[0]);
        JsonObject so = JsonParser.parseString(sj[1]).getAsJsonObject();
        List<List<String>> sc = csv(st);
        assertEquals(List.of("gainMismatch", "delay", "spectralRadius", "stable", "nearEdge"), sc.get(0));
        assertEquals(so.getAsJsonArray("points").size() + 1, sc.size());
        assertEquals(so.getAsJsonArray("points").get(3).getAsJsonObject().get("stable").getAsString(), sc.get(4).get(3));
        // apc replay: every run
        StringBuilder runs = new StringBuilder("run_id,context,sequence,input,output\n");
        for (int i = 0; i < 30; i++) {
            runs.append("R").append(i).append(",tool=T1,").append(i).append(",100,").append(50 + 0.05 * i).append('\n');
        }
        Path rf = Files.writeString(tmp.resolve("runs.csv"), runs);
        Path rp = tmp.resolve("replay.csv");
        assertEquals("0", InspectCommandTest.run("apc", "replay", "--runs", rf.toString(), "--show", "2", "--csv", rp.toString())[0]);
        List<List<String>> rc = csv(rp);
        assertEquals(31, rc.size(), "every run, not --show's 2");
        assertEquals("R29", rc.get(30).get(0));
        // inspect: one row per wafer, a row with the error for a file that cannot be read
        Path npz = tmp.resolve("m.npz");
        assertEquals("0", InspectCommandTest.run("-q", "adc", "generate", "--per-class", "1", "--size", "30", npz.toString())[0]);
        Path in = tmp.resolve("inspect.csv");
        String[] ir = InspectCommandTest.run("inspect", npz.toString(), tmp.resolve("nosuch.klarf").toString(), "--csv", in.toString());
        assertEquals("3", ir[0], "the missing file is bad input");
        List<List<String>> ic = csv(in);
        assertEquals(List.of("file", "format", "error", "lot", "wafer", "rows", "cols", "dies", "fail", "failRatio", "remarks"),
                ic.get(0));
        assertEquals(9 + 1 + 1, ic.size(), "nine wafers and the missing file");
        assertEquals("NPZ", ic.get(1).get(1));
        assertEquals("30", ic.get(1).get(5));
        assertTrue(ic.get(10).get(2).contains("nosuch.klarf"), ic.get(10).toString());
        // rca: commonality's steps, discover's edges, explain's contributions, causes' ranked causes
        String[] sy = InspectCommandTest.run("rca", "synth", "--out", tmp.resolve("fab").toString(), "--lots", "30", "--seed", "4");
        assertEquals("0", sy[0], sy[2]);
        String h = tmp.resolve("fab/histories.csv").toString();
        String o = tmp.resolve("fab/outcomes.csv").toString();
        Path cm = tmp.resolve("commonality.csv");
        String[] cj = InspectCommandTest.run("rca", "commonality", "--histories", h, "--outcomes", o, "--json", "--csv", cm.toString());
        assertEquals("0", cj[0], cj[2]);
        JsonObject co = JsonParser.parseString(cj[1]).getAsJsonObject();
        List<List<String>> cc = csv(cm);
        assertEquals(List.of("step", "test", "statistic", "p", "q", "effect", "effectMeasure", "culprit", "culpritQ"), cc.get(0));
        assertEquals(co.getAsJsonArray("steps").size() + 1, cc.size());
        assertEquals(co.getAsJsonArray("steps").get(0).getAsJsonObject().get("culprit").getAsString(), cc.get(1).get(7));
        Path cs = tmp.resolve("causes.csv");
        assertEquals("0", InspectCommandTest.run("rca", "causes", "--histories", h, "--outcomes", o, "--csv", cs.toString())[0]);
        List<List<String>> csc = csv(cs);
        assertEquals(List.of("method", "rank", "cause", "score", "confidence"), csc.get(0));
        assertEquals("robust-z", csc.get(1).get(0));
        assertEquals("1", csc.get(1).get(1));
        assertTrue(csc.stream().anyMatch(r -> r.get(0).equals("commonality")), "both default methods");
        Path table = tmp.resolve("fab/table.csv");
        Path ed = tmp.resolve("edges.csv");
        String[] dj = InspectCommandTest.run("rca", "discover", table.toString(), "--json", "--csv", ed.toString());
        assertEquals("0", dj[0], dj[2]);
        List<List<String>> ec = csv(ed);
        assertEquals(List.of("from", "to", "directed"), ec.get(0));
        assertEquals(JsonParser.parseString(dj[1]).getAsJsonObject().getAsJsonArray("edges").size() + 1, ec.size());
        Path ex = tmp.resolve("explain.csv");
        String[] xr = InspectCommandTest.run("rca", "explain", table.toString(), "--target", "yield", "--row", "5", "--permutations",
                "2", "--samples", "50", "--csv", ex.toString());
        assertEquals("0", xr[0], xr[2]);
        List<List<String>> xc = csv(ex);
        assertEquals(List.of("row", "target", "outlierScore", "cause", "contribution"), xc.get(0));
        assertTrue(xc.size() > 2 && xc.get(1).get(0).equals("5") && xc.get(1).get(1).equals("yield"), xc.toString());
    }
}
