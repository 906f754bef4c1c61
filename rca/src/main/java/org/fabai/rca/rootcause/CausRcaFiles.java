package org.fabai.rca.rootcause;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.csv.CsvTable;
import org.fabai.rca.data.EventLog;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * Reads the causRCA data set's files for {@link CausRca}: a subsystem folder (its expert graph as
 * {@code *_nodes.csv} and {@code *_edges.csv}, read by {@link CsvTable} as RFC 4180; its fault runs
 * with {@code *_description.json} and {@code causes.json}) and a folder of reference event logs.
 * Every malformed file is a {@link FormatException} naming file and line or field. Package-private;
 * stateless.
 */
final class CausRcaFiles {

    private CausRcaFiles() {
    }

    /** See {@link CausRca#readSubsystem}. */
    static CausRca.Subsystem readSubsystem(Path dir) throws IOException, FormatException {
        Path nodes = single(dir, "_nodes.csv");
        Path edges = single(dir, "_edges.csv");
        List<String> vars = new ArrayList<>();
        List<String> alarms = new ArrayList<>();
        CsvTable nt = CsvTable.read(nodes, ',');
        if (!nt.hasColumn("label")) {
            throw new FormatException(nodes.toString(), "line 1", "expected a 'label' column");
        }
        int li = nt.columnIndex("label");
        int ti = nt.hasColumn("type") ? nt.columnIndex("type") : -1;
        for (int r = 0; r < nt.rowCount(); r++) {
            vars.add(nt.cell(r, li).strip());
            if (ti >= 0 && nt.cell(r, ti).strip().equalsIgnoreCase("alarm")) {
                alarms.add(nt.cell(r, li).strip());
            }
        }
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        vars.forEach(g::addVertex);
        CsvTable et = CsvTable.read(edges, ',');
        if (!et.hasColumn("source_label") || !et.hasColumn("target_label")) {
            throw new FormatException(edges.toString(), "line 1", "expected 'source_label' and 'target_label' columns");
        }
        int si = et.columnIndex("source_label");
        int di = et.columnIndex("target_label");
        for (int i = 0; i < et.rowCount(); i++) {
            String a = et.cell(i, si).strip();
            String b = et.cell(i, di).strip();
            if (!g.containsVertex(a) || !g.containsVertex(b)) {
                throw new FormatException(edges.toString(), "line " + et.line(i), "edge names a variable not in "
                        + nodes.getFileName());
            }
            g.addEdge(a, b);
        }
        List<CausRca.Run> runs = new ArrayList<>();
        List<Path> exps;
        try (Stream<Path> s = Files.list(dir)) {
            exps = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path e : exps) {
            Path desc = e.resolve(e.getFileName() + "_description.json");
            if (!Files.isRegularFile(desc)) {
                continue;
            }
            List<String> causes = stringArray(desc, "manipulatedVars");
            List<Path> rs;
            try (Stream<Path> s = Files.list(e)) {
                rs = s.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            }
            for (Path r : rs) {
                Path cj = r.resolve("causes.json");
                Path log;
                try (Stream<Path> s = Files.list(r)) {
                    log = s.filter(p -> p.toString().endsWith(".csv")).findFirst()
                            .orElseThrow(() -> new FormatException(r.toString(), "folder", "no event log (*.csv)"));
                }
                double diag = number(cj, "diagnosis_at");
                runs.add(new CausRca.Run(dir.relativize(r).toString(), EventLog.read(log), diag, causes));
            }
        }
        return new CausRca.Subsystem(List.copyOf(vars), List.copyOf(alarms), g, List.copyOf(runs));
    }

    /** See {@link CausRca#readReference}. */
    static List<EventLog> readReference(Path dir) throws IOException, FormatException {
        List<Path> fs;
        try (Stream<Path> s = Files.list(dir)) {
            fs = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        if (fs.isEmpty()) {
            throw new FormatException(dir.toString(), "folder", "no event logs (*.csv)");
        }
        List<EventLog> out = new ArrayList<>();
        for (Path f : fs) {
            out.add(EventLog.read(f));
        }
        return out;
    }

    private static Path single(Path dir, String suffix) throws IOException, FormatException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (l.size() != 1) {
                throw new FormatException(dir.toString(), "folder", "expected one *" + suffix + " file, found " + l.size());
            }
            return l.get(0);
        }
    }

    private static double number(Path f, String key) throws IOException, FormatException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-+0-9.eE]+)").matcher(s);
        if (!m.find()) {
            throw new FormatException(f.toString(), key, "expected a number field '" + key + "'");
        }
        return Double.parseDouble(m.group(1));
    }

    private static List<String> stringArray(Path f, String key) throws IOException, FormatException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(s);
        if (!m.find()) {
            throw new FormatException(f.toString(), key, "expected a string array field '" + key + "'");
        }
        List<String> out = new ArrayList<>();
        Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (q.find()) {
            out.add(q.group(1));
        }
        if (out.isEmpty()) {
            throw new FormatException(f.toString(), key, "'" + key + "' is empty");
        }
        return out;
    }
}
