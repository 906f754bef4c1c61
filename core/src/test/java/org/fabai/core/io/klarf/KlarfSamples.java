package org.fabai.core.io.klarf;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.fabai.core.SharedData;

/** Finds the shared KLARF samples and the test resources. */
final class KlarfSamples {

    private KlarfSamples() {
    }

    /** @return {@code shared/data/klarf}; skips the calling test when absent */
    static Path sharedDir() {
        return SharedData.require("klarf");
    }

    static Path shared(String name) {
        return sharedDir().resolve(name);
    }

    static Path resource(String name) {
        try {
            return Path.of(KlarfSamples.class.getResource("/klarf/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource klarf/" + name + " missing", e);
        }
    }
}
