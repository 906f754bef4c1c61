package org.fabai.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real sample files in {@code shared/data}, which live beside the repository, not in it:
 * found by walking up from the working directory. Tests that need them skip when absent.
 */
public final class SharedData {

    private SharedData() {
    }

    /** @return the {@code shared/data} folder above the working directory, if any */
    public static Optional<Path> dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared").resolve("data");
            if (Files.isDirectory(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * @param relative a path under {@code shared/data}, e.g. {@code "klarf"}
     * @return the path; the calling test is skipped (with the reason) when it does not exist
     */
    public static Path require(String relative) {
        Optional<Path> d = dir();
        Path p = d.map(x -> x.resolve(relative)).orElse(null);
        assumeTrue(p != null && Files.exists(p), "shared/data/" + relative + " not found above "
                + Path.of("").toAbsolutePath() + ": the real samples live outside the repository; skipping");
        return p;
    }
}
