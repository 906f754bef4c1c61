package org.fabai.core.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fabai.core.io.klarf.KlarfReader;
import org.fabai.core.io.klarf.KlarfWafer;
import org.fabai.core.io.npy.NpyLimits;
import org.fabai.core.io.npy.NpyReader;
import org.fabai.core.io.npy.WaferMapArrays;
import org.fabai.core.io.stdf.StdfReader;
import org.fabai.core.io.stdf.StdfWafer;
import org.fabai.core.wafer.WaferMap;

/**
 * Reads any wafer file fabai knows (KLARF, STDF V4, NPY, NPZ; gzip or not) into
 * {@link WaferSummary}s, dispatching on the {@link FileFormat} detected from its content. Stateless
 * and thread-safe.
 *
 * <pre>{@code
 * WaferFiles.each(file, FileFormat.detect(file), w -> handle(w.map()));   // STDF and KLARF stream, one wafer in memory
 * List<WaferSummary> all = WaferFiles.read(file);
 * }</pre>
 */
public final class WaferFiles {

    private WaferFiles() {
    }

    private static List<WaferSummary> summaries(List<WaferMap> maps, List<List<String>> labels, String what) {
        List<WaferSummary> out = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            String extra = what + (labels == null ? "" : ", labels " + String.join("+", labels.get(i).isEmpty()
                    ? List.of("none") : labels.get(i)));
            out.add(new WaferSummary(maps.get(i), extra));
        }
        return out;
    }

    /** Receives the wafers of a file one at a time. */
    @FunctionalInterface
    public interface WaferSink {
        /**
         * @param wafer the next wafer of the file
         * @throws IOException     if the sink's own output fails
         * @throws FormatException if the sink rejects the wafer
         */
        void accept(WaferSummary wafer) throws IOException, FormatException;
    }

    /** STDF wafer by wafer ({@code StdfReader.open}/{@code nextWafer}): memory holds one wafer, not the file. */
    private static void eachStdf(Path f, WaferSink sink) throws IOException, FormatException {
        try (StdfReader r = StdfReader.open(f)) {
            for (StdfWafer w = r.nextWafer(); w != null; w = r.nextWafer()) {
                sink.accept(new WaferSummary(w.map(), String.format(Locale.ROOT,
                        "STDF V4 %s-endian%s, parts %d, retests %d, sites %d",
                        r.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little", r.isGzip() ? " gzip" : "",
                        w.partCount(), w.retestCount(), w.sites().size())));
            }
        }
    }

    /** KLARF wafer by wafer; gzip-compressed KLARF (which {@link FileFormat#detect} looks into) inflated on the fly. */
    private static void eachKlarf(Path f, WaferSink sink) throws IOException, FormatException {
        try (KlarfReader r = KlarfReader.open(f)) {
            for (KlarfWafer w = r.next(); w != null; w = r.next()) {
                sink.accept(new WaferSummary(w.map(), String.format(Locale.ROOT,
                        "KLARF %s, defects %d, test-plan dies %d", w.version(), w.defects().size(),
                        w.sampleTestPlan().size()), w.defects().defects()));
            }
        }
    }

    /** Maps read at a time from a per-map NPZ by {@link #each}. */
    private static final int NPZ_BATCH = 64;

    /**
     * Hands each wafer of a file to {@code sink} as it is read: STDF and KLARF stream (one wafer in
     * memory at a time), an NPZ in the per-map layout {@value #NPZ_BATCH} maps at a time; NPY
     * arrays and stacked NPZ arrays are read whole, within the readers' memory budget.
     *
     * @param f    the file
     * @param fmt  its format ({@link FileFormat#detect(Path)})
     * @param sink receives each wafer
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is malformed, or not of a wafer format (CSV, unknown)
     */
    public static void each(Path f, FileFormat fmt, WaferSink sink) throws IOException, FormatException {
        switch (fmt) {
            case STDF:
                eachStdf(f, sink);
                return;
            case KLARF:
                eachKlarf(f, sink);
                return;
            case NPZ:
                // batch by batch: a per-map NPZ (all of WM-811K) holds one batch of maps at a time
                WaferMapArrays.eachNpz(f, NPZ_BATCH, NpyLimits.DEFAULT, (first, d) -> {
                    for (WaferSummary w : summaries(d.maps(), d.hasLabels() ? d.labels() : null, "NPZ")) {
                        sink.accept(w);
                    }
                });
                return;
            default:
                for (WaferSummary w : read(f, fmt)) {
                    sink.accept(w);
                }
        }
    }

    /**
     * Reads a file of any wafer format, detected from its content.
     *
     * @param f the file
     * @return its wafers, in file order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is malformed, or not of a wafer format
     */
    public static List<WaferSummary> read(Path f) throws IOException, FormatException {
        return read(f, FileFormat.detect(f));
    }

    /**
     * @param f   the file
     * @param fmt its format
     * @return its wafers, in file order
     * @throws IOException     if the file cannot be read
     * @throws FormatException if it is malformed, or not of a wafer format
     */
    public static List<WaferSummary> read(Path f, FileFormat fmt) throws IOException, FormatException {
        switch (fmt) {
            case STDF:
            case KLARF: {
                List<WaferSummary> out = new ArrayList<>();
                each(f, fmt, out::add);
                return out;
            }
            case NPY:
                return summaries(WaferMapArrays.toWaferMaps(NpyReader.read(f), f.toString()), null, "NPY");
            case NPZ: {
                WaferMapArrays.LabeledWaferMaps d = WaferMapArrays.readNpz(f);
                return summaries(d.maps(), d.hasLabels() ? d.labels() : null, "NPZ");
            }
            default:
                throw new FormatException(f.toString(), "start of file",
                        "not a recognised format (expected KLARF, STDF V4, NPY or NPZ)");
        }
    }
}
