package org.fabai.adc.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fabai.core.io.npy.NpyArray;
import org.fabai.core.io.npy.NpzReader;
import org.fabai.core.wafer.WaferMap;

/**
 * The shared real WM-811K sample ({@code ../shared/data/wm811k/wm811k-sample.npz}) for tests and
 * reports: maps, labels and lot names.
 *
 * @param maps   the maps
 * @param labels their class names
 * @param lots   their lot names
 */
record RealSample(List<WaferMap> maps, List<String> labels, List<String> lots) {

    /** Where the sample lies relative to the adc module (Maven's working directory). */
    static final Path PATH = Path.of("../../shared/data/wm811k/wm811k-sample.npz");

    /** @return the sample's path when it exists (tried from the module and from the project root), else null */
    static Path find() {
        for (Path p : List.of(PATH, Path.of("../shared/data/wm811k/wm811k-sample.npz"),
                Path.of("/work/shared/data/wm811k/wm811k-sample.npz"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static RealSample load(Path file) throws IOException {
        Map<String, NpyArray> a;
        try {
            a = NpzReader.read(file);
        } catch (Exception e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String[] labels = a.get("labels").toStringArray();
        String[] lots = a.get("lot_name").toStringArray();
        List<WaferMap> maps = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            NpyArray m = a.get(String.format("map_%05d", i));
            maps.add(WaferMap.fromCodes((int) m.dim(0), (int) m.dim(1), m.toByteArray()));
        }
        return new RealSample(maps, List.of(labels), List.of(lots));
    }
}
