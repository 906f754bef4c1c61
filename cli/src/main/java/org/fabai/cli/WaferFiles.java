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

    static List<InspectCommand.WaferSummary> read(Path f, FileFormat fmt) throws IOException, FormatException {
        switch (fmt) {
            default:
                throw new FormatException(f.toString(), "start of file",
                        "not a recognised format (expected KLARF, STDF V4, NPY or NPZ)");
        }
    }
}
