package org.fabai.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.fabai.adc.synth.DefectPattern;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.defect.Defect;
import org.fabai.core.defect.DefectList;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.klarf.DieIndex;
import org.fabai.core.io.klarf.KlarfFile;
import org.fabai.core.io.klarf.KlarfPoint;
import org.fabai.core.io.klarf.KlarfReader;
import org.fabai.core.io.klarf.KlarfWafer;
import org.fabai.core.io.klarf.KlarfWriter;
import org.fabai.core.io.stdf.StdfFile;
import org.fabai.core.io.stdf.StdfMir;
import org.fabai.core.io.stdf.StdfReader;
import org.fabai.core.io.stdf.StdfWafer;
import org.fabai.core.io.stdf.StdfWriter;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/** Stage 1: wafer maps of every class, one of each through KLARF 1.2 and STDF V4 and back. Stateless. */
final class FormatsStage {

    /** Wafer diameter the sample maps are given (µm), so that their die pitch draws them round. */
    static final double WAFER_DIAMETER_UM = 300_000;

    /**
     * What stage 1 produced.
     *
     * @param wafers   the generated maps, {@code perClass} of each class
     * @param classes  the class names in {@link DefectPattern} order
     * @param sample   one map of each class, as written
     * @param readBack the maps read back from the KLARF file (with its die pitch)
     * @param klarfOk  maps whose dies read back equal from KLARF
     * @param stdfOk   maps whose dies read back equal from STDF
     * @param klarfs   the KLARF files written, one per sample map
     * @param stdf     the STDF file written
     */
    record Result(List<SyntheticWafer> wafers, List<String> classes, List<WaferMap> sample, List<WaferMap> readBack,
                  int klarfOk, int stdfOk, List<Path> klarfs, Path stdf) {
    }

    private FormatsStage() {
    }

    static Result run(DemoConfig cfg, Path files, Progress progress) throws IOException, FormatException {
        WaferMapGenerator gen = new WaferMapGenerator(GeneratorConfig.defaults());
        List<SyntheticWafer> wafers = gen.balanced(cfg.perClass(), cfg.seed());
        List<String> classes = new ArrayList<>();
        for (DefectPattern p : DefectPattern.values()) {
            classes.add(p.label());
        }
        progress.step("generated %d maps, %d per class, %d classes", wafers.size(), cfg.perClass(), classes.size());
        List<WaferMap> sample = new ArrayList<>();
        for (DefectPattern p : DefectPattern.values()) {
            for (SyntheticWafer w : wafers) {
                if (w.patterns().contains(p) || (p == DefectPattern.NONE && w.patterns().isEmpty())
                        || w.label().equals(p.label())) {
                    sample.add(w.map().withIds("DEMO-LOT", String.format(Locale.ROOT, "W%02d", sample.size() + 1)));
                    break;
                }
            }
        }
        // one KLARF file per wafer: the die pitch is a file-level record, and each map has its own
        Path klarfDir = files.resolve("klarf");
        Files.createDirectories(klarfDir);
        List<Path> klarfs = new ArrayList<>();
        int klarfOk = 0;
        List<WaferMap> readBack = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            WaferMap m = sample.get(i);
            Path klarf = klarfDir.resolve(m.waferId() + ".klarf");
            KlarfWriter.write(new KlarfFile("1.2", List.of(toKlarf(m))), klarf);
            klarfs.add(klarf);
            KlarfFile back = KlarfReader.read(klarf);
            WaferMap read = back.wafers().get(0).map();
            readBack.add(read);
            if (back.wafers().size() == 1 && sameDies(m, read)) {
                klarfOk++;
            }
        }
        progress.step("KLARF 1.2: wrote %d wafers, read back %d, die states equal on %d", sample.size(),
                readBack.size(), klarfOk);
        Path stdf = files.resolve("demo.stdf");
        writeStdf(sample, stdf);
        StdfFile sb = StdfReader.read(stdf);
        int stdfOk = 0;
        for (int i = 0; i < sample.size(); i++) {
            if (sameDies(sample.get(i), sb.wafers().get(i))) {
                stdfOk++;
            }
        }
        progress.step("STDF V4: wrote %d wafers, read back %d, die states equal on %d", sample.size(),
                sb.wafers().size(), stdfOk);
        return new Result(wafers, classes, sample, readBack, klarfOk, stdfOk, klarfs, stdf);
    }

    /**
     * The die pitch (µm) that makes a map's grid a round wafer of {@link #WAFER_DIAMETER_UM}: the
     * generator draws the wafer as an ellipse filling the grid, so the pitch is the diameter over
     * the columns along x and over the rows along y.
     */
    static KlarfPoint roundPitch(WaferMap m) {
        return new KlarfPoint(Math.round(WAFER_DIAMETER_UM / m.cols()), Math.round(WAFER_DIAMETER_UM / m.rows()));
    }

    private static KlarfWafer toKlarf(WaferMap m) {
        List<Defect> defects = new ArrayList<>();
        List<DieIndex> plan = new ArrayList<>();
        long id = 1;
        KlarfPoint pitch = roundPitch(m);
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.state(r, c) == DieState.OFF) {
                    continue;
                }
                plan.add(new DieIndex(m.dieX(c), m.dieY(r)));
                if (m.state(r, c) == DieState.FAIL) {
                    defects.add(Defect.of(id++, m.dieX(c), m.dieY(r), pitch.x() / 2, pitch.y() / 2, 1));
                }
            }
        }
        return KlarfWafer.of(new DefectList(m.lotId(), m.waferId(), Defect.UNKNOWN, defects, Map.of()), pitch, plan);
    }

    private static void writeStdf(List<WaferMap> maps, Path file) throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (OutputStream os = Files.newOutputStream(file); StdfWriter w = new StdfWriter(os, ByteOrder.LITTLE_ENDIAN)) {
            w.far().mir(StdfMir.of("DEMO-LOT", "DEMO", t));
            for (WaferMap m : maps) {
                w.wir(1, t, m.waferId());
                long parts = 0;
                long good = 0;
                for (int r = 0; r < m.rows(); r++) {
                    for (int c = 0; c < m.cols(); c++) {
                        DieState s = m.state(r, c);
                        if (s == DieState.OFF) {
                            continue;
                        }
                        boolean pass = s == DieState.GOOD;
                        w.pir(1, 1);
                        w.prr(1, 1, pass ? 0 : 0x08, 1, pass ? 1 : 8, pass ? 1 : 8, m.dieX(c), m.dieY(r), "");
                        parts++;
                        good += pass ? 1 : 0;
                    }
                }
                w.wrr(1, t, parts, 0, good, m.waferId());
            }
            w.mrr(t);
        }
    }

    /** Die-by-die comparison through die coordinates (grids may be cropped differently). */
    private static boolean sameDies(WaferMap original, WaferMap read) {
        return dies(original, original::dieX, original::dieY).equals(dies(read, read::dieX, read::dieY));
    }

    private static boolean sameDies(WaferMap original, StdfWafer read) {
        return dies(original, original::dieX, original::dieY).equals(dies(read.map(), read::dieX, read::dieY));
    }

    private static Map<Long, Integer> dies(WaferMap m, IntUnaryOperator x, IntUnaryOperator y) {
        Map<Long, Integer> out = new HashMap<>();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.code(r, c) != 0) {
                    out.put(((long) x.applyAsInt(c) << 32) ^ (y.applyAsInt(r) & 0xffffffffL), m.code(r, c));
                }
            }
        }
        return out;
    }
}
