package org.fabai.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fabai.core.io.FileFormat;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.WaferFiles;
import org.fabai.core.io.WaferSummary;
import org.fabai.core.wafer.WaferMap;
import org.fabai.core.wafer.WaferMapRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fabai inspect FILE...}: format, wafers, dies and fail ratio per wafer; optional PNGs. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Read fab files (KLARF, STDF V4 (.gz too), NPY/NPZ wafer maps) and summarise each wafer.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to read")
    List<Path> files;

    @Option(names = "--png", paramLabel = "DIR", description = "render each wafer to a PNG in DIR (default: no PNGs)")
    Path pngDir;

    @Option(names = "--scale", defaultValue = "6", description = "pixels per die in PNGs (default ${DEFAULT-VALUE})")
    int scale;

    @Option(names = "--json", description = "print one JSON object (schema fabai/inspect, cli/JSON.md) instead of text")
    boolean json;

    @CommandLine.Mixin
    Json.CsvOption csv;

    @Option(names = "--dies", paramLabel = "FILE", description = "also write every die of every wafer read (file, lot_id, "
            + "wafer_id, row, col, die_x, die_y, state GOOD/FAIL, bin (-1: none), map_rows, map_cols: the wafer's grid, so that"
            + " its map, off-wafer dies included, can be rebuilt) to FILE: Apache Parquet when it ends in "
            + ".parquet, else CSV (default: none)")
    Path diesOut;

    @Option(names = "--defects", paramLabel = "FILE", description = "also write every defect of every wafer read (KLARF's "
            + "DefectList; file, lot_id, wafer_id, defect_id, die_x, die_y, x_rel, y_rel, x_size, y_size, area, d_size: "
            + "micrometres, NaN where the file gives none; class_number, test: -1 where it gives none) to FILE: Apache "
            + "Parquet when it ends in .parquet, else CSV (default: none)")
    Path defectsOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        // the die table streams: each wafer's dies are written as it is read (a fleet's maps are hundreds of millions of dies)
        org.fabai.parquet.DieTableWriter dies = null;
        IOException[] diesFailed = {null};
        if (diesOut != null) {
            try {
                dies = org.fabai.parquet.DieTableWriter.open(diesOut);
            } catch (IOException e) {
                diesFailed[0] = e; // reported after the files, as a failure to write it later would be
            }
        }
        org.fabai.parquet.DieTableWriter dieTable = dies;
        List<String[]> defectKeys = defectsOut == null ? null : new ArrayList<>();
        List<org.fabai.core.defect.Defect> defects = defectsOut == null ? null : new ArrayList<>();
        List<Map<String, Object>> jsonFiles = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> jf = new LinkedHashMap<>();
            jf.put("file", f.toString());
            jf.put("format", null);
            jf.put("wafers", new ArrayList<>());
            jf.put("error", null);
            jsonFiles.add(jf);
            try {
                if (Files.isDirectory(f)) {
                    throw new IOException(f + ": is a directory, not a file");
                }
                if (!Files.isRegularFile(f)) {
                    throw new IOException(f + ": no such file");
                }
                FileFormat fmt = FileFormat.detect(f);
                jf.put("format", fmt.name());
                // wafers stream through (one in memory at a time for STDF and KLARF); only their
                // summary lines are kept, to print after the file's header line
                List<String> lines = new ArrayList<>();
                int[] count = {0};
                WaferFiles.each(f, fmt, w -> {
                    WaferMap m = w.map();
                    if (dieTable != null && diesFailed[0] == null) {
                        try {
                            dieTable.add(f.toString(), m);
                        } catch (IOException e) {
                            diesFailed[0] = e; // reported once, after the files; the inspection goes on
                        }
                    }
                    if (defects != null) {
                        String[] key = {f.toString(), m.lotId(), m.waferId()};
                        for (org.fabai.core.defect.Defect d : w.defects()) {
                            defectKeys.add(key);
                            defects.add(d);
                        }
                    }
                    if (json || csv.given()) {
                        jsonWafers(jf).add(jsonWafer(w));
                    }
                    if (!json) {
                        lines.add(String.format(Locale.ROOT,
                                "  lot %-12s wafer %-10s %4dx%-4d dies %6d  fail %6d  fail ratio %6.2f%%%s",
                                show(m.lotId()), show(m.waferId()), m.rows(), m.cols(), m.dieCount(), m.failCount(),
                                100 * m.failRatio(), w.remarks().isEmpty() ? "" : "  " + w.remarks()));
                    }
                    if (pngDir != null) {
                        String name = safe(f.getFileName().toString()) + "-" + count[0] + "-" + safe(m.waferId()) + ".png";
                        WaferMapRenderer.writePng(m, new WaferMapRenderer.Style(scale, true, m.hasBins(),
                                m.lotId() + " " + m.waferId()), pngDir.resolve(name));
                    }
                    count[0]++;
                });
                if (!json) {
                    out.printf(Locale.ROOT, "%s: %s, %d wafer%s%n", f, fmt.name(),
                            count[0], count[0] == 1 ? "" : "s");
                    for (String l : lines) {
                        out.println(l);
                    }
                }
            } catch (FormatException | IOException e) {
                jf.put("error", ExitCode.message(e));
                err.println("fabai inspect: " + ExitCode.message(e));
                failures++;
            } catch (RuntimeException e) {
                jf.put("error", f + ": " + ExitCode.message(e));
                err.println("fabai inspect: " + f + ": " + ExitCode.message(e));
                failures++;
            }
        }
        if (diesOut != null) {
            try {
                if (dies != null) {
                    dies.close();
                }
            } catch (IOException e) {
                diesFailed[0] = diesFailed[0] == null ? e : diesFailed[0];
            }
            if (diesFailed[0] != null) {
                err.println("fabai inspect: " + diesOut + ": " + ExitCode.message(diesFailed[0]));
                failures++;
            } else if (!json) {
                out.printf(Locale.ROOT, "wrote %,d dies to %s%n", dies.dies(), diesOut);
            }
        }
        if (defects != null) {
            try {
                writeTable(defectTable(defectKeys, defects), defectsOut);
                if (!json) {
                    out.printf(Locale.ROOT, "wrote %,d defects to %s%n", defects.size(), defectsOut);
                }
            } catch (IOException e) {
                err.println("fabai inspect: " + defectsOut + ": " + ExitCode.message(e));
                failures++;
            }
        }
        if (csv.given()) {
            // one row per wafer (file, format, then the wafer's keys), and one per file that could not be read
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> jf : jsonFiles) {
                List<Object> ws = jsonWafers(jf);
                for (Object w : ws.isEmpty() && jf.get("error") != null ? java.util.Collections.singletonList(null) : ws) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("file", jf.get("file"));
                    row.put("format", jf.get("format"));
                    row.put("error", jf.get("error"));
                    for (String k : List.of("lot", "wafer", "rows", "cols", "dies", "fail", "failRatio", "remarks")) {
                        row.put(k, w == null ? null : ((Map<?, ?>) w).get(k));
                    }
                    rows.add(row);
                }
            }
            try {
                csv.write(rows);
            } catch (IOException e) {
                err.println("fabai inspect: " + csv.file + ": " + ExitCode.message(e));
                failures++;
            }
        }
        if (json) {
            Map<String, Object> j = Json.object("inspect", 1);
            j.put("files", jsonFiles);
            Json.print(out, j);
        }
        out.flush();
        err.flush();
        return failures == 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
    }

    /** The defects read, one row each, as the columns {@code --defects} documents. */
    private static org.fabai.parquet.ParquetTable defectTable(List<String[]> keys, List<org.fabai.core.defect.Defect> ds) {
        int n = ds.size();
        String[][] text = new String[3][n];
        long[][] ints = new long[5][n];
        double[][] nums = new double[6][n];
        for (int i = 0; i < n; i++) {
            org.fabai.core.defect.Defect d = ds.get(i);
            for (int k = 0; k < 3; k++) {
                text[k][i] = keys.get(i)[k];
            }
            ints[0][i] = d.id();
            ints[1][i] = known(d.dieX());
            ints[2][i] = known(d.dieY());
            ints[3][i] = known(d.classNumber());
            ints[4][i] = known(d.test());
            nums[0][i] = d.xRel();
            nums[1][i] = d.yRel();
            nums[2][i] = d.xSize();
            nums[3][i] = d.ySize();
            nums[4][i] = d.area();
            nums[5][i] = d.dSize();
        }
        List<org.fabai.parquet.ParquetTable.Column> cols = new ArrayList<>();
        String[] textNames = {"file", "lot_id", "wafer_id"};
        for (int k = 0; k < 3; k++) {
            cols.add(org.fabai.parquet.ParquetTable.Column.of(textNames[k], text[k]));
        }
        String[] intNames = {"defect_id", "die_x", "die_y"};
        for (int k = 0; k < 3; k++) {
            cols.add(org.fabai.parquet.ParquetTable.Column.ofIntegers(intNames[k], ints[k]));
        }
        String[] numNames = {"x_rel", "y_rel", "x_size", "y_size", "area", "d_size"};
        for (int k = 0; k < numNames.length; k++) {
            cols.add(org.fabai.parquet.ParquetTable.Column.of(numNames[k], nums[k]));
        }
        cols.add(org.fabai.parquet.ParquetTable.Column.ofIntegers("class_number", ints[3]));
        cols.add(org.fabai.parquet.ParquetTable.Column.ofIntegers("test", ints[4]));
        return new org.fabai.parquet.ParquetTable("defects", cols);
    }

    private static long known(int v) {
        return v == org.fabai.core.defect.Defect.UNKNOWN ? -1 : v;
    }

    /** Writes a table as Apache Parquet when the name ends in {@code .parquet}, else as CSV with a header row. */
    private static void writeTable(org.fabai.parquet.ParquetTable t, Path to) throws IOException {
        if (to.getFileName() != null && to.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            t.write(to);
            return;
        }
        List<org.fabai.parquet.ParquetTable.Column> cols = t.columns();
        try (java.io.BufferedWriter w = Files.newBufferedWriter(to, java.nio.charset.StandardCharsets.UTF_8)) {
            for (int j = 0; j < cols.size(); j++) {
                w.write((j > 0 ? "," : "") + cols.get(j).name());
            }
            w.newLine();
            for (int i = 0; i < t.rows(); i++) {
                for (int j = 0; j < cols.size(); j++) {
                    if (j > 0) {
                        w.write(',');
                    }
                    w.write(csvField(cols.get(j).format(i)));
                }
                w.newLine();
            }
        }
    }

    private static String csvField(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    @SuppressWarnings("unchecked")
    private static List<Object> jsonWafers(Map<String, Object> file) {
        return (List<Object>) file.get("wafers");
    }

    private static Map<String, Object> jsonWafer(WaferSummary w) {
        WaferMap m = w.map();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("lot", m.lotId());
        o.put("wafer", m.waferId());
        o.put("rows", m.rows());
        o.put("cols", m.cols());
        o.put("dies", m.dieCount());
        o.put("fail", m.failCount());
        o.put("failRatio", Json.num(m.failRatio()));
        o.put("remarks", w.remarks());
        return o;
    }

    private static String show(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.isEmpty() ? "wafer" : t;
    }
}
