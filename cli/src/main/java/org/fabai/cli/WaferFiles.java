package org.fabai.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.FormatException;

/** Reads any supported file into wafer summaries, dispatching on the detected format. */
final class WaferFiles {

    private WaferFiles() {
    }

    static String describe(Path f, FileFormat fmt) {
        return fmt.name();
    }

    private static List<InspectCommand.WaferSummary> summaries(List<org.fabai.core.wafer.WaferMap> maps,
                                                               List<List<String>> labels, String what) {
        List<InspectCommand.WaferSummary> out = new java.util.ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            String extra = what + (labels == null ? "" : ", labels " + String.join("+", labels.get(i).isEmpty()
                    ? List.of("none") : labels.get(i)));
            out.add(new InspectCommand.WaferSummary(maps.get(i), extra));
        }
        return out;
    }

    private static List<InspectCommand.WaferSummary> readKlarf(Path f) throws IOException, FormatException {
        List<InspectCommand.WaferSummary> out = new java.util.ArrayList<>();
        try (org.fabai.core.io.klarf.KlarfReader r = org.fabai.core.io.klarf.KlarfReader.open(f)) {
            for (org.fabai.core.io.klarf.KlarfWafer w = r.next(); w != null; w = r.next()) {
                out.add(new InspectCommand.WaferSummary(w.map(), String.format(java.util.Locale.ROOT,
                        "KLARF %s, defects %d, test-plan dies %d", w.version(), w.defects().size(),
                        w.sampleTestPlan().size())));
            }
        }
        return out;
    }

    private static List<InspectCommand.WaferSummary> readStdf(Path f) throws IOException, FormatException {
        org.fabai.core.io.stdf.StdfFile sf = org.fabai.core.io.stdf.StdfReader.read(f);
        List<InspectCommand.WaferSummary> out = new java.util.ArrayList<>();
        for (org.fabai.core.io.stdf.StdfWafer w : sf.wafers()) {
            out.add(new InspectCommand.WaferSummary(w.map(), String.format(java.util.Locale.ROOT,
                    "STDF V4 %s-endian%s, parts %d, retests %d, sites %d",
                    sf.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN ? "big" : "little", sf.gzip() ? " gzip" : "",
                    w.partCount(), w.retestCount(), w.sites().size())));
        }
        return out;
    }

    static List<InspectCommand.WaferSummary> read(Path f, FileFormat fmt) throws IOException, FormatException {
        switch (fmt) {
            case STDF:
                return readStdf(f);
            case KLARF:
                return readKlarf(f);
            case NPY:
                return summaries(org.fabai.core.io.npy.WaferMapArrays.toWaferMaps(
                        org.fabai.core.io.npy.NpyReader.read(f), f.toString()), null, "NPY");
            case NPZ: {
                org.fabai.core.io.npy.WaferMapArrays.LabeledWaferMaps d = org.fabai.core.io.npy.WaferMapArrays.readNpz(f);
                return summaries(d.maps(), d.hasLabels() ? d.labels() : null, "NPZ");
            }
            default:
                throw new FormatException(f.toString(), "start of file",
                        "not a recognised format (expected KLARF, STDF V4, NPY or NPZ)");
        }
    }
}
