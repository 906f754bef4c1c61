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
}
