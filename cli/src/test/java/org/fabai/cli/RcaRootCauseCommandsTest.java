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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcaRootCauseCommandsTest {

    /** ok -> pump -> alarm as True/False flags, plus a constant column; row `bad` has ok=False. */
    static List<String> flagRows(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean ok = r.nextDouble() > 0.1;
            boolean pump = ok ? r.nextDouble() > 0.05 : r.nextDouble() < 0.1;
            boolean alarm = !pump ? r.nextDouble() > 0.1 : r.nextDouble() < 0.02;
            rows.add((ok ? "True" : "False") + "," + (pump ? "True" : "False") + "," + (alarm ? "True" : "False") + ",7");
        }
        return rows;
    }

    @Test
    void categoricalCodingDoesNotDependOnRowOrderAndShowsLevels(@TempDir Path tmp) throws Exception {
        List<String> rows = flagRows(600, 4);
        String bad = "False,False,True,7";
        List<String> last = new ArrayList<>(rows);
        last.add(bad);
        List<String> first = new ArrayList<>();
        first.add(bad);
        first.addAll(rows);
        Path g = Files.writeString(tmp.resolve("g.txt"), "Graph Nodes:\nok;pump;alarm\n\nGraph Edges:\n1. ok --> pump\n2. pump --> alarm\n");
        Path a = Files.writeString(tmp.resolve("a.csv"), "ok,pump,alarm,const\n" + String.join("\n", last) + "\n");
        Path b = Files.writeString(tmp.resolve("b.csv"), "ok,pump,alarm,const\n" + String.join("\n", first) + "\n");
        String[] ra = InspectCommandTest.run("rca", "explain", a.toString(), "--target", "alarm", "--tail", "HIGH",
                "--row", String.valueOf(last.size() - 1), "--graph", g.toString(), "--samples", "400");
        String[] rb = InspectCommandTest.run("rca", "explain", b.toString(), "--target", "alarm", "--tail", "HIGH",
                "--row", "0", "--graph", g.toString(), "--samples", "400");
        assertEquals("0", ra[0], ra[2]);
        assertEquals("0", rb[0], rb[2]);
        // the same anomaly gets the same score and contributions wherever its row is
        assertEquals(ra[1].lines().skip(1).toList(), rb[1].lines().skip(1).toList(), ra[1] + "\n---\n" + rb[1]);
        assertTrue(ra[1].contains("alarm = True"), ra[1]);
        assertTrue(ra[1].contains("(False)"), "level names, not codes: " + ra[1]);
        Matcher m = Pattern.compile("outlier score ([0-9.]+) .*sum ([0-9.]+)").matcher(ra[1]);
        assertTrue(m.find(), ra[1]);
        assertTrue(Double.parseDouble(m.group(1)) > 1, ra[1]);
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), 1e-3, ra[1]);
        // the constant column is dropped with a note, not an error
        assertTrue(ra[2].contains("dropped 1") && ra[2].contains("const"), ra[2]);
    }

    @Test
    void discoverWritesWhatExplainReadsAndPicksTheTestByColumnTypes(@TempDir Path tmp) throws Exception {
        Path t = Files.writeString(tmp.resolve("t.csv"), "ok,pump,alarm,const\n" + String.join("\n", flagRows(800, 5)) + "\n");
        Path out = tmp.resolve("g.txt");
        Path dot = tmp.resolve("g.dot");
        String[] d = InspectCommandTest.run("rca", "discover", t.toString(), "--out", out.toString(), "--dot", dot.toString());
        assertEquals("0", d[0], d[2]);
        assertTrue(d[1].contains("g-square"), "all-categorical data gets G²: " + d[1]);
        assertTrue(d[2].contains("const"), d[2]);
        assertTrue(Files.readString(out).startsWith("Graph Nodes:"), Files.readString(out));
        for (Path graph : new Path[] {out, dot}) {
            String[] e = InspectCommandTest.run("rca", "explain", t.toString(), "--target", "alarm", "--tail", "HIGH",
                    "--graph", graph.toString());
            assertEquals("0", e[0], graph + ": " + e[2]);
        }
        String[] mixed = InspectCommandTest.run("rca", "discover", t.toString(), "--test", "mixed");
        assertEquals("0", mixed[0], mixed[2]);
        String[] wrong = InspectCommandTest.run("rca", "discover", t.toString(), "--test", "fisher-z");
        assertEquals("2", wrong[0]);
        assertTrue(wrong[2].contains("categorical"), wrong[2]);
        String[] missing = InspectCommandTest.run("rca", "explain", t.toString(), "--target", "alarm", "--graph",
                tmp.resolve("nope.txt").toString());
        assertEquals("3", missing[0], "a missing input file is bad input data");
        assertTrue(missing[2].contains("nope.txt") && missing[2].contains("does not exist"), missing[2]);
    }

    @Test
    void rankFindsTheManipulatedVariableOfARealFaultRunFromEventLogs() throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent() && Files.isDirectory(data.get().resolve("causrca")), "shared causrca data absent; skipping");
        Path c = data.get().resolve("causrca");
        List<String> args = new ArrayList<>(List.of("rca", "rank", "--events",
                c.resolve("exp_coolant/exp_35/run_1/faultDataset_coolant_exp35_run_1.csv").toString(), "--to", "0"));
        String causes = Files.readString(c.resolve("exp_coolant/exp_35/run_1/causes.json"));
        Matcher dm = Pattern.compile("\"diagnosis_at\"\\s*:\\s*([0-9.]+)").matcher(causes);
        assertTrue(dm.find());
        args.set(args.size() - 1, dm.group(1));
        args.addAll(List.of("--variables", "CLF_A_700307,CLF_Filter_Ok,LP_A_700301,LP_Pump_Ok,LP_Pump_On,HP_Pump_isOff",
                "--default", "CLF_A_700307=False", "--default", "LP_A_700301=False", "--reference"));
        try (var s = Files.list(c.resolve("real_op"))) {
            s.sorted().limit(6).forEach(p -> args.add(p.toString()));
        }
        String[] r = InspectCommandTest.run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[2]);
        String firstLine = r[1].lines().filter(l -> l.startsWith("1 ")).findFirst().orElse("");
        assertTrue(firstLine.contains("CLF_Filter_Ok") || firstLine.contains("LP_Pump_Ok"), r[1]);
    }

    @Test
    void explainFitsOnReferenceEventLogsAndAttributesTheFaultRow(@TempDir Path tmp) throws Exception {
        // reference: a valve flag that is always open and a flow that follows it; the fault log closes it
        java.util.Random r = new java.util.Random(2);
        StringBuilder ref = new StringBuilder("time,variable,value,type\n0,valve_ok,True,Binary\n");
        for (int t = 0; t < 300; t++) {
            ref.append(t).append(",flow,").append(10 + r.nextGaussian()).append(",Continuous\n");
        }
        StringBuilder run = new StringBuilder("time,variable,value,type\n0,valve_ok,True,Binary\n0,flow,10,Continuous\n");
        run.append("20,valve_ok,False,Binary\n21,flow,2.5,Continuous\n");
        Path rp = Files.writeString(tmp.resolve("ref.csv"), ref);
        Path fp = Files.writeString(tmp.resolve("run.csv"), run);
        Path g = Files.writeString(tmp.resolve("g.dot"), "digraph g {\n  \"valve_ok\";\n  \"flow\";\n  \"valve_ok\" -> \"flow\";\n}\n");
        String[] e = InspectCommandTest.run("rca", "explain", "--events", fp.toString(), "--reference", rp.toString(),
                "--target", "flow", "--graph", g.toString(), "--samples", "300");
        assertEquals("0", e[0], e[2]);
        // the fault row is the last grid row (t = 21): flow = 2.5 far below normal
        assertTrue(e[1].contains("row 21: flow = 2.5"), e[1]);
        // valve_ok is constant in the reference: dropped with a note, so flow's own noise takes it
        assertTrue(e[2].contains("valve_ok"), e[2]);
        String first = e[1].lines().skip(1).findFirst().orElse("").trim();
        assertTrue(first.startsWith("flow"), e[1]);
        // rank keeps the constant-in-reference flag and names it as the root cause
        String[] k = InspectCommandTest.run("rca", "rank", "--events", fp.toString(), "--reference", rp.toString(),
                "--graph", g.toString());
        assertEquals("0", k[0], k[2]);
        String top = k[1].lines().filter(l -> l.startsWith("1 ")).findFirst().orElse("");
        assertTrue(top.contains("valve_ok") && top.contains("False"), k[1]);
    }

    /** A CSV event log written again as Apache Parquet in long format (time DOUBLE, the rest text). */
    static Path asParquet(Path csv, Path out) throws Exception {
        List<String> lines = Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size());
        double[] t = new double[lines.size()];
        String[] v = new String[lines.size()];
        String[] x = new String[lines.size()];
        String[] y = new String[lines.size()];
        for (int i = 0; i < t.length; i++) {
            String[] f = lines.get(i).split(",");
            t[i] = Double.parseDouble(f[0]);
            v[i] = f[1];
            x[i] = f[2];
            y[i] = f[3];
        }
        new org.fabai.parquet.ParquetTable("events", List.of(org.fabai.parquet.ParquetTable.Column.of("time_s", t),
                org.fabai.parquet.ParquetTable.Column.of("node", v), org.fabai.parquet.ParquetTable.Column.of("value", x),
                org.fabai.parquet.ParquetTable.Column.of("type", y))).write(out);
        return out;
    }

    @Test
    void eventLogsInParquetGiveWhatTheirCsvGives(@TempDir Path tmp) throws Exception {
        java.util.Random r = new java.util.Random(2);
        StringBuilder ref = new StringBuilder("time,variable,value,type\n0,valve_ok,True,Binary\n0,mode,auto,String\n");
        for (int t = 0; t < 200; t++) {
            ref.append(t).append(",flow,").append(10 + r.nextGaussian()).append(",Continuous\n");
            if (t % 40 == 20) {
                ref.append(t).append(",mode,").append(t % 80 == 20 ? "manual" : "auto").append(",String\n");
            }
        }
        StringBuilder run = new StringBuilder("time,variable,value,type\n0,valve_ok,True,Binary\n0,flow,10,Continuous\n");
        run.append("0,mode,auto,String\n20,valve_ok,False,Binary\n21,flow,2.5,Continuous\n");
        Path rc = Files.writeString(tmp.resolve("ref.csv"), ref);
        Path fc = Files.writeString(tmp.resolve("run.csv"), run);
        Path rq = asParquet(rc, tmp.resolve("ref.parquet"));
        Path fq = asParquet(fc, tmp.resolve("run.bin")); // found by its magic bytes, not by its name
        Path g = Files.writeString(tmp.resolve("g.dot"), "digraph g {\n  \"valve_ok\" -> \"flow\";\n  \"mode\";\n}\n");
        for (String cmd : new String[] {"rank", "explain"}) {
            List<String> extra = cmd.equals("explain") ? List.of("--target", "flow", "--samples", "200") : List.of();
            List<String> a = new ArrayList<>(List.of("rca", cmd, "--events", fc.toString(), "--reference", rc.toString(),
                    "--graph", g.toString()));
            a.addAll(extra);
            List<String> b = new ArrayList<>(List.of("rca", cmd, "--events", fq.toString(), "--reference", rq.toString(),
                    "--graph", g.toString()));
            b.addAll(extra);
            String[] fromCsv = InspectCommandTest.run(a.toArray(new String[0]));
            String[] fromParquet = InspectCommandTest.run(b.toArray(new String[0]));
            assertEquals("0", fromCsv[0], fromCsv[2]);
            assertEquals("0", fromParquet[0], fromParquet[2]);
            assertEquals(fromCsv[1], fromParquet[1], cmd);
        }
        String[] d = InspectCommandTest.run("rca", "discover", "--events", rq.toString(), fq.toString());
        assertEquals("0", d[0], d[2]);
        assertTrue(d[1].contains("flow"), d[1]);
        // a long-format Parquet file without a value column is bad input, named
        Path bad = tmp.resolve("bad.parquet");
        new org.fabai.parquet.ParquetTable("bad", List.of(org.fabai.parquet.ParquetTable.Column.of("time", new double[] {0, 1}),
                org.fabai.parquet.ParquetTable.Column.of("variable", new String[] {"a", "a"}))).write(bad);
        String[] e = InspectCommandTest.run("rca", "rank", "--events", fc.toString(), "--reference", bad.toString());
        assertEquals("3", e[0], e[2]);
        assertTrue(e[2].contains("bad.parquet") && e[2].contains("value"), e[2]);
    }

    @Test
    void discoverWithGesOnSachs(@TempDir Path tmp) throws Exception {
        Optional<Path> data = InspectCommandTest.sharedData();
        assumeTrue(data.isPresent(), "shared/data not found; skipping");
        Path sachs = data.get().resolve("sachs");
        String[] r = InspectCommandTest.run("rca", "discover", sachs.resolve("sachs.2005.continuous.txt").toString(),
                "--method", "ges", "--truth", sachs.resolve("sachs.2005.ground.truth.graph.txt").toString(),
                "--out", tmp.resolve("g.txt").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("GES"), r[1]);
        Matcher m = Pattern.compile("precision ([0-9.]+), recall ([0-9.]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        // a skeleton as good as CMU Tetrad's PC (precision 0.46, recall 0.55) or better
        assertTrue(Double.parseDouble(m.group(1)) >= 0.458 && Double.parseDouble(m.group(2)) >= 0.55, r[1]);
        String[] bad = InspectCommandTest.run("rca", "discover", sachs.resolve("sachs.2005.continuous.txt").toString(),
                "--method", "ges", "--tiers", "raf;mek");
        assertEquals("2", bad[0]);
        String[] boss = InspectCommandTest.run("rca", "discover", sachs.resolve("sachs.2005.continuous.txt").toString(),
                "--method", "boss", "--truth", sachs.resolve("sachs.2005.ground.truth.graph.txt").toString());
        assertEquals("0", boss[0], boss[2]);
        assertTrue(boss[1].contains("BOSS (BIC, penalty 1.0)"), boss[1]);
        Matcher mb = Pattern.compile("precision ([0-9.]+), recall ([0-9.]+)").matcher(boss[1]);
        assertTrue(mb.find(), boss[1]);
        // measured: 35 edges, precision 0.457, recall 0.80 (benchmarks/RESULTS.md)
        assertTrue(Double.parseDouble(mb.group(2)) >= 0.75, boss[1]);
    }

    @Test
    void discoverTakesRequiredAndForbiddenEdgesAndReportsEdgeStability(@TempDir Path tmp) throws Exception {
        Path t = Files.writeString(tmp.resolve("t.csv"), "ok,pump,alarm,const\n" + String.join("\n", flagRows(800, 6)) + "\n");
        String[] plain = InspectCommandTest.run("rca", "discover", t.toString());
        assertEquals("0", plain[0], plain[2]);
        assertTrue(!plain[1].contains("ok --> alarm") && !plain[1].contains("alarm --> ok"), plain[1]);
        String[] req = InspectCommandTest.run("rca", "discover", t.toString(), "--require", "ok->alarm", "--forbid", "pump->ok");
        assertEquals("0", req[0], req[2]);
        assertTrue(req[1].contains("ok --> alarm"), req[1]);
        assertTrue(!req[1].contains("pump --> ok"), req[1]);
        String[] unknown = InspectCommandTest.run("rca", "discover", t.toString(), "--forbid", "ok->nothere");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[2].contains("nothere"), unknown[2]);
        String[] boot = InspectCommandTest.run("rca", "discover", t.toString(), "--bootstrap", "6", "--json");
        assertEquals("0", boot[0], boot[2]);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(boot[1]).getAsJsonObject();
        com.google.gson.JsonArray es = o.getAsJsonObject("bootstrap").getAsJsonArray("edges");
        assertTrue(es.size() >= 2, boot[1]);
        double top = es.get(0).getAsJsonObject().get("adjacency").getAsDouble();
        assertTrue(top > 0 && top <= 1, boot[1]);
    }
}
