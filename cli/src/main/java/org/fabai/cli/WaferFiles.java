package org.fabai.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fabai.core.io.FormatException;

/** Reads any supported file into wafer summaries, dispatching on the detected format. */
final class WaferFiles {

    private WaferFiles() {
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

    /** Receives the wafers of a file one at a time. */
    @FunctionalInterface
    interface WaferSink {
        void accept(InspectCommand.WaferSummary wafer) throws IOException, FormatException;
    }

    /** STDF wafer by wafer ({@code StdfReader.open}/{@code nextWafer}): memory holds one wafer, not the file. */
    private static void eachStdf(Path f, WaferSink sink) throws IOException, FormatException {
        try (org.fabai.core.io.stdf.StdfReader r = org.fabai.core.io.stdf.StdfReader.open(f)) {
            for (org.fabai.core.io.stdf.StdfWafer w = r.nextWafer(); w != null; w = r.nextWafer()) {
                sink.accept(new InspectCommand.WaferSummary(w.map(), String.format(java.util.Locale.ROOT,
                        "STDF V4 %s-endian%s, parts %d, retests %d, sites %d",
                        r.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN ? "big" : "little", r.isGzip() ? " gzip" : "",
                        w.partCount(), w.retestCount(), w.sites().size())));
            }
        }
    }

    /** KLARF wafer by wafer. */
    private static void eachKlarf(Path f, WaferSink sink) throws IOException, FormatException {
        try (org.fabai.core.io.klarf.KlarfReader r = org.fabai.core.io.klarf.KlarfReader.open(f)) {
            for (org.fabai.core.io.klarf.KlarfWafer w = r.next(); w != null; w = r.next()) {
                sink.accept(new InspectCommand.WaferSummary(w.map(), String.format(java.util.Locale.ROOT,
                        "KLARF %s, defects %d, test-plan dies %d", w.version(), w.defects().size(),
                        w.sampleTestPlan().size())));
            }
        }
    }

    /**
     * Hands each wafer of a file to {@code sink} as it is read: STDF and KLARF stream (one wafer in
     * memory at a time); NPY and NPZ arrays are read whole, within the readers' memory budget.
     */
    static void each(Path f, FileFormat fmt, WaferSink sink) throws IOException, FormatException {
        switch (fmt) {
            case STDF:
                eachStdf(f, sink);
                return;
            case KLARF:
                eachKlarf(f, sink);
                return;
            default:
                for (InspectCommand.WaferSummary w : read(f, fmt)) {
                    sink.accept(w);
                }
        }
    }

    static List<InspectCommand.WaferSummary> read(Path f, FileFormat fmt) throws IOException, FormatException {
        switch (fmt) {
            case STDF:
            case KLARF: {
                List<InspectCommand.WaferSummary> out = new java.util.ArrayList<>();
                each(f, fmt, out::add);
                return out;
            }
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
