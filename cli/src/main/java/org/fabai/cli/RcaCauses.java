package org.fabai.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.WaferHistory;
import org.fabai.rca.CauseRanker;
import org.fabai.rca.RcaProblem;
import org.fabai.rca.Ranking;
import org.fabai.rca.baseline.RobustZRanker;
import org.fabai.rca.commonality.CommonalityConfig;
import org.fabai.rca.commonality.CommonalityRanker;
import org.fabai.rca.discovery.PcConfig;
import org.fabai.rca.scm.ScmAttributionRanker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabai rca causes}: the {@link CauseRanker} front door on wafer histories and outcomes. */
@Command(name = "causes", mixinStandardHelpOptions = true,
        description = {"Rank candidate causes 'step tool/chamber' of a bad outcome with one or more methods (the rca front door):",
            "robust-z (baseline), commonality, scm-discovered (PC under process-order tiers, then SCM attribution)."})
final class RcaCauses implements Callable<Integer> {

    @CommandLine.Mixin
    RcaHistories data;
    @Option(names = {"-m", "--method"}, split = ",", defaultValue = "robust-z,commonality",
            description = "methods, comma-separated or repeated: robust-z, commonality, scm-discovered (default ${DEFAULT-VALUE})")
    List<String> methods;
    @Option(names = "--reference-end", description = "end of the reference period, ISO-8601 instant (default: the middle of the release span)")
    Instant referenceEnd;
    @Option(names = "--anomalous-start", description = "start of the anomalous period, ISO-8601 instant (default: 80%% into the release span)")
    Instant anomalousStart;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the SCM attribution's sampling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--top", defaultValue = "10", description = "causes per method in the text output; JSON lists all (default ${DEFAULT-VALUE})")
    int top;
    @Option(names = "--json", description = "print JSON (schema fabai/rca-causes, cli/JSON.md)")
    boolean json;
    @CommandLine.Mixin
    Json.CsvOption csv;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static CauseRanker ranker(String name, boolean lowIsBad, long seed) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case RobustZRanker.NAME -> new RobustZRanker();
            case "commonality" -> new CommonalityRanker(CommonalityConfig.continuous(!lowIsBad), "commonality");
            case "scm-discovered" -> ScmAttributionRanker.discovered(new PcConfig(0.01, 3, 1, PcConfig.ColliderRule.SEPSETS), seed);
            default -> throw new IllegalArgumentException("unknown method '" + name
                    + "', expected robust-z, commonality or scm-discovered");
        };
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (top < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be >= 1, got " + top);
        }
        List<CauseRanker> rankers = new ArrayList<>();
        for (String m : methods) {
            try {
                rankers.add(ranker(m, !data.highIsBad, seed));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--method: " + e.getMessage());
            }
        }
        List<WaferHistory> hs = data.readHistories();
        List<Outcome> os = data.readOutcomes();
        RcaProblem p;
        List<Ranking> rankings = new ArrayList<>();
        try {
            p = RcaProblem.of(hs, os, data.outcome).withLowIsBad(!data.highIsBad);
            if (referenceEnd != null || anomalousStart != null) {
                p = p.withPeriods(referenceEnd != null ? referenceEnd : p.referenceEnd(),
                        anomalousStart != null ? anomalousStart : p.anomalousStart());
            }
            for (CauseRanker r : rankers) {
                rankings.add(r.rank(p));
            }
        } catch (IllegalArgumentException e) {
            // the data do not make the problem (no such outcome, a wafer without a step, an empty period)
            throw new BadInputException(data.histories + ", " + data.outcomes + ": " + e.getMessage());
        }
        if (csv.given()) {
            // one row per method and cause, most likely first within a method
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Ranking k : rankings) {
                int rank = 0;
                for (Ranking.Ranked c : k.causes()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("method", k.method());
                    e.put("rank", ++rank);
                    e.put("cause", c.name());
                    e.put("score", Json.num(c.score()));
                    e.put("confidence", Json.num(c.confidence()));
                    rows.add(e);
                }
            }
            csv.write(rows);
        }
        if (json) {
            Map<String, Object> j = Json.object("rca causes", 1);
            j.put("wafers", hs.size());
            j.put("outcome", data.outcome);
            j.put("lowIsBad", p.lowIsBad());
            j.put("referenceEnd", p.referenceEnd().toString());
            j.put("anomalousStart", p.anomalousStart().toString());
            List<Map<String, Object>> ms = new ArrayList<>();
            for (Ranking k : rankings) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", k.method());
                m.put("confidenceMeaning", k.confidenceMeaning());
                List<Map<String, Object>> cs = new ArrayList<>();
                for (Ranking.Ranked c : k.causes()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("cause", c.name());
                    e.put("score", Json.num(c.score()));
                    e.put("confidence", Json.num(c.confidence()));
                    cs.add(e);
                }
                m.put("causes", cs);
                ms.add(m);
            }
            j.put("methods", ms);
            Json.print(out, j);
            return 0;
        }
        out.printf(Locale.ROOT, "%d wafers; outcome %s (%s is bad); reference before %s, anomalous from %s%n", hs.size(), data.outcome,
                p.lowIsBad() ? "low" : "high", p.referenceEnd(), p.anomalousStart());
        for (Ranking k : rankings) {
            out.printf(Locale.ROOT, "%n%s (confidence: %s)%n", k.method(), k.confidenceMeaning());
            for (int i = 0; i < Math.min(top, k.causes().size()); i++) {
                Ranking.Ranked c = k.causes().get(i);
                out.printf(Locale.ROOT, "%3d  %-28s score %10.4g  confidence %.3f%n", i + 1, c.name(), c.score(), c.confidence());
            }
        }
        out.flush();
        return 0;
    }
}
