package org.fabai.core.io.klarf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared KLARF samples and the test resources. */
final class KlarfSamples {

    private KlarfSamples() {
    }

    /**
     * Walks up from the working directory looking for {@code shared/data/klarf} next to (or inside)
     * an ancestor; skips the calling test when absent.
     */
    static Path sharedDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path c = p.resolve("shared").resolve("data").resolve("klarf");
            if (Files.isDirectory(c)) {
                return c;
            }
            p = p.getParent();
        }
        assumeTrue(false, "shared/data/klarf not found above " + Path.of("").toAbsolutePath()
                + ": the real KLARF samples live outside the repository; skipping");
        return null;
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
