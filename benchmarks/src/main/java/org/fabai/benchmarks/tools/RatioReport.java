package org.fabai.benchmarks.tools;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.fabai.benchmarks.PeerOf;

/**
 * Prints benchmark results as a table with, under each fabai benchmark, its peers and the ratio
 * fabai time / peer time (below 1: fabai is faster). A result is a peer when its JSON says so
 * ({@code peerOf}, written by the Python peer scripts) or when its JMH method carries
 * {@link PeerOf}. The ratio's spread combines both sides' JMH 99.9% confidence half-widths
 * (first order: relative errors added in quadrature).
 *
 * <pre>java -cp benchmarks.jar org.fabai.benchmarks.tools.RatioReport RESULTS.json [PEERS.json ...]</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class RatioReport {

    /** Common prefix left out of printed names. */
    static final String PREFIX = "org.fabai.benchmarks.";

    /**
     * What a result is the peer of. Immutable and thread-safe.
     *
     * @param of   fully qualified name of the fabai benchmark
     * @param name the peer's display name
     */
    public record Peer(String of, String name) {
    }

    /**
     * A row of the table. Immutable and thread-safe.
     *
     * @param fabai  the fabai result, or null for a peer whose fabai result was not run
     * @param peer   a peer result, or null for a fabai row
     * @param peerName the peer's display name, or null
     * @param ratio  fabai time / peer time, NaN when not both are valid
     * @param spread the ratio's error, NaN when unknown
     */
    public record Row(BenchResult fabai, BenchResult peer, String peerName, double ratio, double spread) {
    }

    private RatioReport() {
    }

    /**
     * Finds the peer relation of a result: its JSON fields first, then a {@link PeerOf} on the
     * JMH method the name points to (looked up on this class's class loader).
     *
     * @param r a result
     * @return what it is the peer of, or empty
     */
    public static Optional<Peer> peerOf(BenchResult r) {
        if (r.peerOf() != null) {
            return Optional.of(new Peer(r.peerOf(), r.peerName() == null ? r.benchmark() : r.peerName()));
        }
        int dot = r.benchmark().lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String cls = r.benchmark().substring(0, dot);
        String method = r.benchmark().substring(dot + 1);
        Class<?> c;
        try {
            c = Class.forName(cls, false, RatioReport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        for (Method m : c.getMethods()) {
            PeerOf p = m.getAnnotation(PeerOf.class);
            if (p != null && m.getName().equals(method)) {
                String of = p.value().contains(".") ? p.value() : cls + "." + p.value();
                return Optional.of(new Peer(of, p.name()));
            }
        }
        return Optional.empty();
    }

    /**
     * Pairs results with their peers.
     *
     * @param results  all results of a run (fabai, JVM peers and script peers)
     * @param resolver finds what a result is the peer of
     * @return rows: each fabai result followed by its peers, sorted by name; then peers whose fabai
     *         result is not among the results
     */
    public static List<Row> rows(List<BenchResult> results, Function<BenchResult, Optional<Peer>> resolver) {
        Map<String, BenchResult> fabai = new TreeMap<>();
        Map<String, List<Map.Entry<BenchResult, Peer>>> peers = new LinkedHashMap<>();
        for (BenchResult r : results) {
            Optional<Peer> p = resolver.apply(r);
            if (p.isPresent()) {
                peers.computeIfAbsent(BenchResult.key(p.get().of(), r.params()), k -> new ArrayList<>())
                        .add(Map.entry(r, p.get()));
            } else {
                fabai.put(r.key(), r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, BenchResult> e : fabai.entrySet()) {
            BenchResult f = e.getValue();
            rows.add(new Row(f, null, null, Double.NaN, Double.NaN));
            for (Map.Entry<BenchResult, Peer> p : peers.getOrDefault(e.getKey(), List.of())) {
                rows.add(pair(f, p.getKey(), p.getValue().name()));
            }
            peers.remove(e.getKey());
        }
        for (List<Map.Entry<BenchResult, Peer>> orphans : peers.values()) {
            for (Map.Entry<BenchResult, Peer> p : orphans) {
                rows.add(new Row(null, p.getKey(), p.getValue().name(), Double.NaN, Double.NaN));
            }
        }
        return rows;
    }

    private static Row pair(BenchResult f, BenchResult p, String name) {
        double ratio = Double.NaN;
        double spread = Double.NaN;
        if (f.valid() && p.valid()) {
            try {
                double a = f.secondsPerOp();
                double b = p.secondsPerOp();
                ratio = a / b;
                double ea = f.errorSecondsPerOp() / a;
                double eb = p.errorSecondsPerOp() / b;
                spread = ratio * Math.sqrt(ea * ea + eb * eb);
            } catch (IllegalArgumentException e) {
                ratio = Double.NaN;
            }
        }
        return new Row(f, p, name, ratio, spread);
    }

    /**
     * Renders rows as a Markdown table (readable on a terminal, pasteable into RESULTS.md).
     *
     * @param rows rows from {@link #rows}
     * @return the table with a legend
     */
    public static String render(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", "mode", "score", "± error", "unit", "fabai/peer"});
        for (Row r : rows) {
            if (r.peer() == null) {
                BenchResult f = r.fabai();
                cells.add(new String[] {shortName(f.key()), f.mode(), num(f.score()), num(f.scoreError()), f.unit(), ""});
            } else {
                BenchResult p = r.peer();
                String label = r.fabai() == null
                        ? "peer " + r.peerName() + " of " + shortName(p.peerOf() == null ? p.key() : p.peerOf())
                                + " (not run)"
                        : "  vs " + r.peerName();
                String ratio = Double.isNaN(r.ratio()) ? "-"
                        : Double.isNaN(r.spread()) ? String.format(Locale.ROOT, "%.2f", r.ratio())
                        : String.format(Locale.ROOT, "%.2f ± %.2f", r.ratio(), r.spread());
                cells.add(new String[] {label, p.mode(), num(p.score()), num(p.scoreError()), p.unit(), ratio});
            }
        }
        StringBuilder sb = new StringBuilder(table(cells, new boolean[] {false, false, true, true, false, true}));
        sb.append("\nfabai/peer = fabai time per op / peer time per op (below 1: fabai faster); ± combines both\n"
                + "sides' 99.9% confidence half-widths. Names are relative to " + PREFIX + "\n");
        return sb.toString();
    }

    /**
     * Aligns cells as a Markdown table.
     *
     * @param cells a header row, then data rows, all of the same width
     * @param right which columns align right
     * @return the table
     */
    static String table(List<String[]> cells, boolean[] right) {
        int[] w = new int[right.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < cells.size(); j++) {
            String[] row = cells.get(j);
            sb.append('|');
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(w[i] - row[i].length());
                sb.append(' ').append(right[i] ? pad + row[i] : row[i] + pad).append(" |");
            }
            sb.append('\n');
            if (j == 0) {
                sb.append('|');
                for (int i = 0; i < row.length; i++) {
                    sb.append(right[i] ? "-".repeat(w[i] + 1) + ":|" : "-".repeat(w[i] + 2) + "|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Renders several rounds of the same benchmarks (bin/bench --rounds: JMH and peers run one
     * after the other, round after round) as one table: per row the median score and the range
     * over rounds, and the median ratio fabai/peer with its range over rounds.
     *
     * @param rounds rows of each round, from {@link #rows}
     * @return the table with a legend
     */
    public static String renderRounds(List<List<Row>> rounds) {
        if (rounds.size() == 1) {
            return render(rounds.get(0));
        }
        Map<String, List<Row>> byId = new LinkedHashMap<>();
        for (List<Row> round : rounds) {
            for (Row r : round) {
                byId.computeIfAbsent(id(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", "mode", "median score", "range", "unit", "fabai/peer", "range",
            "rounds"});
        for (List<Row> rs : byId.values()) {
            Row first = rs.get(0);
            BenchResult shown = first.peer() == null ? first.fabai() : first.peer();
            double[] scores = rs.stream().mapToDouble(r -> (r.peer() == null ? r.fabai() : r.peer()).score())
                    .filter(Double::isFinite).sorted().toArray();
            double[] ratios = rs.stream().mapToDouble(Row::ratio).filter(Double::isFinite).sorted().toArray();
            String label = first.peer() == null ? shortName(first.fabai().key())
                    : first.fabai() == null ? "peer " + first.peerName() + " (its fabai benchmark not run)"
                    : "  vs " + first.peerName();
            cells.add(new String[] {label, shown.mode(), scores.length == 0 ? "NaN" : num(median(scores)),
                scores.length == 0 ? "" : num(scores[0]) + " – " + num(scores[scores.length - 1]), shown.unit(),
                ratios.length == 0 ? "" : String.format(Locale.ROOT, "%.2f", median(ratios)),
                ratios.length == 0 ? "" : String.format(Locale.ROOT, "%.2f – %.2f", ratios[0], ratios[ratios.length - 1]),
                Integer.toString(rs.size())});
        }
        return table(cells, new boolean[] {false, false, true, true, false, true, true, true})
                + "\nfabai/peer = fabai time per op / peer time per op (below 1: fabai faster), the median over "
                + rounds.size() + " rounds;\nrange = lowest – highest over rounds. Names are relative to " + PREFIX
                + "\n";
    }

    private static String id(Row r) {
        return r.peer() == null ? "F " + r.fabai().key()
                : "P " + (r.fabai() == null ? "" : r.fabai().key()) + " " + r.peer().key();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String shortName(String key) {
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
    }

    /**
     * Reads result files and prints the table: {@code RESULTS.json [PEERS.json ...]}, or several
     * rounds as {@code --round FILES... --round FILES...}.
     *
     * @param args result files: JMH's and any peer scripts', grouped by {@code --round}
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: RatioReport RESULTS.json [PEERS.json ...]");
            System.err.println("       RatioReport --round RESULTS.json [PEERS.json ...] --round ...");
            System.exit(2);
        }
        List<List<Row>> rounds = new ArrayList<>();
        try {
            List<BenchResult> round = null;
            for (String a : args) {
                if (a.equals("--round") || round == null) {
                    if (round != null && !round.isEmpty()) {
                        rounds.add(rows(round, RatioReport::peerOf));
                    }
                    round = new ArrayList<>();
                    if (a.equals("--round")) {
                        continue;
                    }
                }
                round.addAll(ResultsJson.readResults(Path.of(a)));
            }
            if (round != null && !round.isEmpty()) {
                rounds.add(rows(round, RatioReport::peerOf));
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("ERROR " + e.getMessage());
            System.exit(2);
        }
        if (rounds.isEmpty()) {
            System.err.println("ERROR no results in " + String.join(" ", args));
            System.exit(2);
        }
        System.out.print(renderRounds(rounds));
    }
}
