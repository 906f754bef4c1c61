package org.fabai.rca.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.FormatException;
import org.fabai.core.process.Outcome;
import org.fabai.core.process.Route;
import org.fabai.core.process.Step;
import org.fabai.core.process.StepRun;
import org.fabai.core.process.Tool;
import org.fabai.core.process.WaferHistory;

/**
 * Reader of the CSV forms of wafer histories ({@code wafer_id,step,tool,chamber,timestamp}, one
 * row per step run; optional {@code lot_id} column; timestamp ISO-8601 such as
 * {@code 2026-01-05T08:00:00Z}, may be empty) and outcomes ({@code wafer_id,name,value}). A header
 * line names the columns (any order). Values must not contain commas. Stateless and thread-safe.
 */
public final class HistoryCsv {

    private HistoryCsv() {
    }

    private static Map<String, Integer> header(String src, String line, String... required) throws FormatException {
        if (line == null) {
            throw new FormatException(src, "line 1", "empty file; expected a header with " + String.join(",", required));
        }
        Map<String, Integer> h = new HashMap<>();
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++) {
            h.put(f[i].strip().toLowerCase(java.util.Locale.ROOT), i);
        }
        for (String r : required) {
            if (!h.containsKey(r)) {
                throw new FormatException(src, "line 1", "header lacks column '" + r + "'; found " + line);
            }
        }
        return h;
    }

    /**
     * @param file the histories CSV
     * @return histories in order of first appearance, runs sorted by time (rows without a time keep file order)
     * @throws IOException     on read failure
     * @throws FormatException for a missing column, a wrong field count, a bad timestamp or a wafer with a step twice
     */
    public static List<WaferHistory> readHistories(Path file) throws IOException, FormatException {
        String src = file.toString();
        Map<String, List<StepRun>> runs = new LinkedHashMap<>();
        Map<String, String> lots = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> h = header(src, r.readLine(), "wafer_id", "step", "tool", "chamber", "timestamp");
            int width = h.size();
            String line;
            int ln = 1;
            while ((line = r.readLine()) != null) {
                ln++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != width) {
                    throw new FormatException(src, "line " + ln, "expected " + width + " fields, found " + f.length);
                }
                String wafer = f[h.get("wafer_id")].strip();
                String step = f[h.get("step")].strip();
                String tool = f[h.get("tool")].strip();
                if (wafer.isEmpty() || step.isEmpty() || tool.isEmpty()) {
                    throw new FormatException(src, "line " + ln, "wafer_id, step and tool must not be empty");
                }
                String ts = f[h.get("timestamp")].strip();
                Instant t = null;
                if (!ts.isEmpty()) {
                    try {
                        t = Instant.parse(ts);
                    } catch (DateTimeParseException e) {
                        throw new FormatException(src, "line " + ln, "timestamp '" + ts + "' is not ISO-8601 (e.g. 2026-01-05T08:00:00Z)", e);
                    }
                }
                List<StepRun> l = runs.computeIfAbsent(wafer, k -> new ArrayList<>());
                for (StepRun x : l) {
                    if (x.step().id().equals(step)) {
                        throw new FormatException(src, "line " + ln, "wafer " + wafer + " has step " + step + " twice");
                    }
                }
                l.add(new StepRun(Step.of(step), new Tool(tool, f[h.get("chamber")].strip()), t));
                if (h.containsKey("lot_id")) {
                    lots.put(wafer, f[h.get("lot_id")].strip());
                }
            }
        }
        List<WaferHistory> out = new ArrayList<>();
        runs.forEach((w, l) -> {
            List<StepRun> s = new ArrayList<>(l);
            if (s.stream().allMatch(x -> x.time() != null)) {
                s.sort(Comparator.comparing(StepRun::time));
            }
            out.add(new WaferHistory(w, lots.getOrDefault(w, ""), s));
        });
        return out;
    }

    /**
     * @param file the outcomes CSV
     * @return the outcomes in file order
     * @throws IOException     on read failure
     * @throws FormatException for a missing column, a wrong field count or a value that is not a finite number
     */
    public static List<Outcome> readOutcomes(Path file) throws IOException, FormatException {
        String src = file.toString();
        List<Outcome> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> h = header(src, r.readLine(), "wafer_id", "name", "value");
            String line;
            int ln = 1;
            while ((line = r.readLine()) != null) {
                ln++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != h.size()) {
                    throw new FormatException(src, "line " + ln, "expected " + h.size() + " fields, found " + f.length);
                }
                String v = f[h.get("value")].strip();
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new FormatException(src, "line " + ln, "value '" + v + "' is not a number", e);
                }
                if (!Double.isFinite(d)) {
                    throw new FormatException(src, "line " + ln, "value '" + v + "' is not finite");
                }
                out.add(new Outcome(f[h.get("wafer_id")].strip(), f[h.get("name")].strip(), d));
            }
        }
        return out;
    }

    /**
     * @param outcomes outcomes
     * @param name     the outcome name to pick
     * @return wafer id to value for that name
     * @throws IllegalArgumentException if no outcome has that name, or a wafer has it twice
     */
    public static Map<String, Double> byName(List<Outcome> outcomes, String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.name().equals(name) && m.put(o.waferId(), o.value()) != null) {
                throw new IllegalArgumentException("wafer " + o.waferId() + " has outcome '" + name + "' twice");
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no outcome named '" + name + "'");
        }
        return m;
    }

    /**
     * A linear route in the order the steps typically run: steps sorted by their median position
     * in the wafers' (time-ordered) histories.
     *
     * @param histories histories
     * @return the route
     */
    public static Route inferRoute(List<WaferHistory> histories) {
        Map<String, List<Integer>> pos = new LinkedHashMap<>();
        for (WaferHistory h : histories) {
            for (int i = 0; i < h.runs().size(); i++) {
                pos.computeIfAbsent(h.runs().get(i).step().id(), k -> new ArrayList<>()).add(i);
            }
        }
        List<String> ids = new ArrayList<>(pos.keySet());
        Map<String, Double> med = new HashMap<>();
        pos.forEach((k, v) -> {
            v.sort(Integer::compare);
            med.put(k, (double) v.get(v.size() / 2));
        });
        ids.sort(Comparator.comparingDouble(med::get));
        return Route.linear(ids.stream().map(Step::of).toList());
    }
}
