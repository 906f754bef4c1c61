package org.fabai.benchmarks.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Guards the hot paths: compares a (smoke) run's results with {@code benchmarks/baseline.json}
 * and fails on a benchmark error or on a slowdown beyond a factor (3 by default: shared machines
 * are noisy). A benchmark fails only when both its score (JMH's mean) and its best iteration are
 * beyond the factor: load from other processes only adds time to some iterations, a real slowdown
 * slows them all. A benchmark not in the baseline is reported as new, a baseline entry that was not
 * run as missing; neither fails the check.
 *
 * <p><b>Machine speed.</b> A baseline is recorded on one machine and checked on another (CI), which
 * may be uniformly slower or faster. The benchmarks under {@value #CALIBRATION_PREFIX} (see
 * {@link org.fabai.benchmarks.calibration.MachineBench}) run no fabai code; the geometric mean of
 * their ratios (now / baseline) is the machine factor, and every fabai ratio is divided by it before
 * it is judged. When a run or the baseline has no calibration benchmark, the factor is 1 (raw
 * ratios). The factor is printed with the report, and every finding gives the raw figures too.
 *
 * <pre>
 * java -cp benchmarks.jar org.fabai.benchmarks.tools.BaselineCheck check [--max-slowdown X] [--slower-out FILE] BASELINE RESULTS...
 * java -cp benchmarks.jar org.fabai.benchmarks.tools.BaselineCheck update [--about TEXT] BASELINE RESULTS...
 * </pre>
 * {@code check} exits 0 when the run passes, 1 when it fails, 2 on a usage or file error.
 *
 * <p>Stateless and thread-safe.
 */
public final class BaselineCheck {

    /** Default largest accepted slowdown factor. */
    public static final double DEFAULT_MAX_SLOWDOWN = 3.0;

    /** Benchmarks whose names start with this measure the machine, not fabai. */
    public static final String CALIBRATION_PREFIX = "org.fabai.benchmarks.calibration.";

    /** What the comparison found for one benchmark. Immutable and thread-safe. */
    public enum Status {
        /** Within the allowed factor. */
        OK(false),
        /** Slower than the baseline by more than the allowed factor, even in its best iteration. */
        SLOWER(true),
        /**
         * Slower than the allowed factor on average, but its best iteration is within it: noise
         * from a busy machine (noise only adds time; a real slowdown slows every iteration).
         */
        NOISY(false),
        /** Faster than the baseline by more than the allowed factor (a hint to update it). */
        FASTER(false),
        /** The benchmark failed or produced no valid score. */
        ERROR(true),
        /** Run, but not in the baseline. */
        NEW(false),
        /** In the baseline, but not run. */
        MISSING(false),
        /** A machine-calibration benchmark: sets the machine factor, never fails. */
        CALIBRATION(false);

        private final boolean fails;

        Status(boolean fails) {
            this.fails = fails;
        }

        /** @return true when this status fails the check */
        public boolean fails() {
            return fails;
        }
    }

    /**
     * One line of the comparison. Immutable and thread-safe.
     *
     * @param status  what was found
     * @param key     the benchmark's result key
     * @param message a sentence naming the benchmark and both figures
     */
    public record Finding(Status status, String key, String message) {
    }

    /**
     * The whole comparison. Immutable and thread-safe.
     *
     * @param findings one finding per benchmark run or in the baseline, sorted by key
     * @param maxSlowdown the factor the run was checked against
     * @param machineFactor how much slower (above 1) or faster (below 1) this machine ran the calibration
     *                      benchmarks than the baseline's; fabai's ratios were divided by it
     */
    public record Report(List<Finding> findings, double maxSlowdown, double machineFactor) {
        /** Copies the findings. */
        public Report {
            findings = List.copyOf(findings);
        }

        /** @return true when no finding fails */
        public boolean passed() {
            return findings.stream().noneMatch(f -> f.status().fails());
        }

        /** @return the findings with the given status */
        public List<Finding> with(Status s) {
            return findings.stream().filter(f -> f.status() == s).toList();
        }

        /** @return a human-readable report, one line per finding and a verdict */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(machineFactor == 1.0
                    ? String.format(Locale.ROOT, "machine factor 1 (no calibration benchmark in both the run and the "
                            + "baseline): raw ratios are judged%n")
                    : String.format(Locale.ROOT, "machine factor %.2f: the calibration benchmarks (no fabai code) ran "
                            + "%.2fx %s than at the baseline; every ratio below is divided by it%n", machineFactor,
                            machineFactor >= 1 ? machineFactor : 1 / machineFactor,
                            machineFactor >= 1 ? "slower" : "faster"));
            for (Finding f : findings) {
                sb.append(String.format(Locale.ROOT, "%-8s%s%n", f.status(), f.message()));
            }
            long failed = findings.stream().filter(f -> f.status().fails()).count();
            sb.append(passed()
                    ? String.format(Locale.ROOT, "baseline check PASSED: %d benchmarks within %.2fx of the baseline%n",
                            with(Status.OK).size() + with(Status.FASTER).size() + with(Status.NOISY).size(),
                            maxSlowdown)
                    : String.format(Locale.ROOT, "baseline check FAILED: %d of %d benchmarks slower than %.2fx "
                            + "the baseline or in error%n", failed, findings.size(), maxSlowdown));
            return sb.toString();
        }
    }

    private BaselineCheck() {
    }

    /**
     * Compares a run with a baseline.
     *
     * @param current     the run's results
     * @param baseline    baseline entries by result key
     * @param maxSlowdown largest accepted factor (current time / baseline time), above 1
     * @return the report
     */
    public static Report compare(List<BenchResult> current, Map<String, BenchResult> baseline, double maxSlowdown) {
        if (!(maxSlowdown > 1) || !Double.isFinite(maxSlowdown)) {
            throw new IllegalArgumentException("maxSlowdown must be a finite factor > 1, got " + maxSlowdown);
        }
        List<Finding> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (BenchResult r : current) {
            seen.merge(r.key(), 1, Integer::sum);
        }
        double machine = machineFactor(current, baseline);
        for (BenchResult r : current) {
            String k = r.key();
            if (seen.get(k) > 1) {
                out.add(new Finding(Status.ERROR, k, k + ": appears " + seen.get(k) + " times in the results"));
                seen.put(k, 0); // report once
                continue;
            }
            if (seen.get(k) == 0) {
                continue;
            }
            if (k.startsWith(CALIBRATION_PREFIX)) {
                out.add(calibrationFinding(r, baseline.get(k)));
            } else {
                out.add(compareOne(r, baseline.get(k), maxSlowdown, machine));
            }
        }
        Set<String> notRun = new TreeSet<>(baseline.keySet());
        notRun.removeAll(seen.keySet());
        for (String k : notRun) {
            BenchResult b = baseline.get(k);
            out.add(new Finding(Status.MISSING, k, k + ": in the baseline (" + figure(b)
                    + ") but not run; drop it with bin/bench --update-baseline if it was removed"));
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return new Report(out, maxSlowdown, machine);
    }

    /**
     * The machine factor: the geometric mean of now / baseline over the calibration benchmarks with a
     * valid score in both (each key once in the run), or 1 when there is none.
     *
     * @param current  the run's results
     * @param baseline baseline entries by key
     * @return the factor, finite and positive
     */
    public static double machineFactor(List<BenchResult> current, Map<String, BenchResult> baseline) {
        Map<String, Integer> count = new HashMap<>();
        for (BenchResult r : current) {
            count.merge(r.key(), 1, Integer::sum);
        }
        double logSum = 0;
        int n = 0;
        for (BenchResult r : current) {
            BenchResult b = baseline.get(r.key());
            if (!r.key().startsWith(CALIBRATION_PREFIX) || b == null || count.get(r.key()) != 1 || !r.valid()
                    || !b.valid()) {
                continue;
            }
            try {
                double ratio = r.secondsPerOp() / b.secondsPerOp();
                if (ratio > 0 && Double.isFinite(ratio)) {
                    logSum += Math.log(ratio);
                    n++;
                }
            } catch (IllegalArgumentException e) {
                // a unit the check cannot compare: not part of the factor
            }
        }
        return n == 0 ? 1.0 : Math.exp(logSum / n);
    }

    private static Finding calibrationFinding(BenchResult r, BenchResult base) {
        String k = r.key();
        if (!r.valid() || base == null || !base.valid()) {
            return new Finding(Status.CALIBRATION, k, k + ": " + figure(r) + (base == null
                    ? ", not in the baseline (not part of the machine factor)" : ", not part of the machine factor"));
        }
        return new Finding(Status.CALIBRATION, k, String.format(Locale.ROOT, "%s: %s now vs %s in the baseline (%.2fx)",
                k, figure(r), figure(base), r.secondsPerOp() / base.secondsPerOp()));
    }

    private static Finding compareOne(BenchResult r, BenchResult base, double maxSlowdown, double machine) {
        String k = r.key();
        if (!r.valid()) {
            return new Finding(Status.ERROR, k, k + ": no valid score (" + figure(r) + ")"
                    + (base == null ? "" : ", baseline " + figure(base)));
        }
        double now;
        try {
            now = r.secondsPerOp();
        } catch (IllegalArgumentException e) {
            return new Finding(Status.ERROR, k, k + ": " + e.getMessage());
        }
        if (base == null) {
            return new Finding(Status.NEW, k, k + ": " + figure(r)
                    + ", not in the baseline; add it with bin/bench --update-baseline");
        }
        double then = base.secondsPerOp();
        double factor = now / then / machine;
        String both = figure(r) + " now vs " + figure(base) + " in the baseline"
                + (machine == 1.0 ? "" : String.format(Locale.ROOT, ", %.2fx raw", now / then));
        if (factor > maxSlowdown) {
            double bestFactor = r.bestSecondsPerOp() / then / machine;
            if (bestFactor <= maxSlowdown) {
                return new Finding(Status.NOISY, k, String.format(Locale.ROOT,
                        "%s: %s: %.2fx slower on average (limit %.2fx) but its best iteration (%.4g %s) is "
                        + "%.2fx: noise, not failed", k, both, factor, maxSlowdown, r.best(), r.unit(), bestFactor));
            }
            return new Finding(Status.SLOWER, k, String.format(Locale.ROOT, "%s: %s: %.2fx slower (limit %.2fx)%s",
                    k, both, factor, maxSlowdown, Double.isNaN(bestFactor) ? ""
                            : String.format(Locale.ROOT, "; best iteration %.4g %s, %.2fx", r.best(), r.unit(),
                                    bestFactor)));
        }
        if (factor < 1 / maxSlowdown) {
            return new Finding(Status.FASTER, k, String.format(Locale.ROOT,
                    "%s: %s: %.2fx faster; consider bin/bench --update-baseline", k, both, 1 / factor));
        }
        return new Finding(Status.OK, k, String.format(Locale.ROOT, "%s: %s (%.2fx)", k, both, factor));
    }

    private static String figure(BenchResult r) {
        return String.format(Locale.ROOT, "%.4g %s", r.score(), r.unit());
    }

    /**
     * Command line, see {@link #run}.
     *
     * @param args arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: BaselineCheck check [--max-slowdown X] [--slower-out FILE] BASELINE RESULTS...",
            "         compares results with the baseline; a later RESULTS file replaces earlier results",
            "         of the same benchmarks (a confirming re-run); --slower-out gets the names of the",
            "         benchmarks found SLOWER, one a line",
            "       BaselineCheck update [--about TEXT] BASELINE RESULTS...",
            "         writes the results (of every file: benchmarks.jar's and fabai-benchmarks-spark's) as the new",
            "         baseline");

    /**
     * {@link #main} without exiting.
     *
     * @param args {@code check [--max-slowdown X] [--slower-out FILE] BASELINE RESULTS...} or
     *             {@code update [--about TEXT] BASELINE RESULTS...}
     * @param out  standard output
     * @param err  error output
     * @return the exit status: 0 passed or updated, 1 check failed, 2 usage or file error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || !(args[0].equals("check") || args[0].equals("update"))) {
            err.println(USAGE);
            return 2;
        }
        boolean check = args[0].equals("check");
        double max = DEFAULT_MAX_SLOWDOWN;
        Path slowerOut = null;
        String about = "bin/bench --update-baseline";
        List<String> files = new ArrayList<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (check && a.equals("--max-slowdown") && i + 1 < args.length) {
                    max = Double.parseDouble(args[++i]);
                } else if (check && a.equals("--slower-out") && i + 1 < args.length) {
                    slowerOut = Path.of(args[++i]);
                } else if (!check && a.equals("--about") && i + 1 < args.length) {
                    about = args[++i];
                } else if (a.startsWith("--")) {
                    err.println("unknown or incomplete option " + a);
                    err.println(USAGE);
                    return 2;
                } else {
                    files.add(a);
                }
            }
        } catch (NumberFormatException e) {
            err.println("--max-slowdown needs a number: " + e.getMessage());
            return 2;
        }
        if (files.size() < 2) {
            err.println(USAGE);
            return 2;
        }
        Path baselineFile = Path.of(files.get(0));
        try {
            List<BenchResult> results = new ArrayList<>();
            for (String f : files.subList(1, files.size())) {
                List<BenchResult> rs = ResultsJson.readResults(Path.of(f));
                Set<String> keys = new TreeSet<>();
                rs.forEach(r -> keys.add(r.key()));
                results.removeIf(r -> keys.contains(r.key()));
                results.addAll(rs);
            }
            if (results.isEmpty()) {
                err.println("ERROR   " + files.subList(1, files.size()) + " hold no results: did every benchmark fail?");
                return check ? 1 : 2;
            }
            if (!check) {
                List<BenchResult> bad = results.stream().filter(r -> !r.valid()).toList();
                if (!bad.isEmpty()) {
                    err.println("refusing to baseline results with errors: "
                            + bad.stream().map(BenchResult::key).toList());
                    return 2;
                }
                StringWriter sw = new StringWriter();
                ResultsJson.writeBaseline(results, about, java.time.Instant.now().toString(), machine(), sw);
                Files.writeString(baselineFile, sw.toString(), StandardCharsets.UTF_8);
                out.println("wrote " + results.size() + " baseline entries to " + baselineFile);
                return 0;
            }
            Map<String, BenchResult> baseline = Files.exists(baselineFile)
                    ? ResultsJson.readBaseline(baselineFile) : Collections.emptyMap();
            if (baseline.isEmpty()) {
                err.println("note: " + baselineFile + " is missing or empty; every benchmark is new");
            }
            Report report = compare(results, baseline, max);
            PrintWriter w = report.passed() ? out : err;
            w.print(report.render());
            w.flush();
            if (slowerOut != null) {
                StringBuilder names = new StringBuilder();
                for (Finding f : report.with(Status.SLOWER)) {
                    int brace = f.key().indexOf('{');
                    names.append(brace < 0 ? f.key() : f.key().substring(0, brace)).append('\n');
                }
                Files.writeString(slowerOut, names.toString(), StandardCharsets.UTF_8);
            }
            return report.passed() ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("ERROR   " + e.getMessage());
            return 2;
        }
    }

    /** @return a one-line description of this machine */
    static String machine() {
        String cpu = "";
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                cpu = Files.readAllLines(info, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim() + ", ")
                        .findFirst().orElse("");
            }
        } catch (IOException e) {
            cpu = "";
        }
        return cpu + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + ")";
    }
}
