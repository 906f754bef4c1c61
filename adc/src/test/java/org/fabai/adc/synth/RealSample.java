package org.fabai.adc.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.core.io.FormatException;
import org.fabai.core.io.npy.WaferMapArrays;
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
        for (Path p : List.of(PATH, Path.of("../shared/data/wm811k/wm811k-sample.npz"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static RealSample load(Path file) throws IOException {
        WaferMapArrays.LabeledWaferMaps d;
        try {
            d = WaferMapArrays.readNpz(file);
        } catch (FormatException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> labels = new ArrayList<>();
        List<String> lots = new ArrayList<>();
        for (int i = 0; i < d.maps().size(); i++) {
            labels.add(d.labels().get(i).get(0));
            String lot = d.maps().get(i).lotId();
            lots.add(lot == null ? "" : lot);
        }
        return new RealSample(d.maps(), labels, lots);
    }
}
