package org.fabai.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fabai.core.io.FormatException;
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

    @Option(names = "--png", paramLabel = "DIR", description = "render each wafer to a PNG in DIR")
    Path pngDir;

    @Option(names = "--scale", defaultValue = "6", description = "pixels per die in PNGs (default ${DEFAULT-VALUE})")
    int scale;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        for (Path f : files) {
            try {
                if (!Files.isRegularFile(f)) {
                    throw new IOException("no such file: " + f);
                }
                FileFormat fmt = FileFormat.detect(f);
                // wafers stream through (one in memory at a time for STDF and KLARF); only their
                // summary lines are kept, to print after the file's header line
                List<String> lines = new java.util.ArrayList<>();
                WaferFiles.each(f, fmt, w -> {
                    WaferMap m = w.map();
                    lines.add(String.format(Locale.ROOT,
                            "  lot %-12s wafer %-10s %4dx%-4d dies %6d  fail %6d  fail ratio %6.2f%%%s",
                            show(m.lotId()), show(m.waferId()), m.rows(), m.cols(), m.dieCount(), m.failCount(),
                            100 * m.failRatio(), w.extra().isEmpty() ? "" : "  " + w.extra()));
                    if (pngDir != null) {
                        String name = safe(f.getFileName().toString()) + "-" + (lines.size() - 1) + "-"
                                + safe(m.waferId()) + ".png";
                        WaferMapRenderer.writePng(m, new WaferMapRenderer.Style(scale, true, m.hasBins(),
                                m.lotId() + " " + m.waferId()), pngDir.resolve(name));
                    }
                });
                out.printf(Locale.ROOT, "%s: %s, %d wafer%s%n", f, WaferFiles.describe(f, fmt),
                        lines.size(), lines.size() == 1 ? "" : "s");
                for (String l : lines) {
                    out.println(l);
                }
            } catch (FormatException e) {
                err.println("fabai inspect: " + e.getMessage());
                failures++;
            } catch (IOException | RuntimeException e) {
                err.println("fabai inspect: " + f + ": " + e.getMessage());
                failures++;
            }
        }
        out.flush();
        return failures == 0 ? 0 : 2;
    }

    private static String show(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.isEmpty() ? "wafer" : t;
    }

    /**
     * One wafer read from a file, with format-specific remarks.
     *
     * @param map   the wafer map
     * @param extra e.g. "defects 12", "retests 3"
     */
    record WaferSummary(WaferMap map, String extra) {
    }
}
