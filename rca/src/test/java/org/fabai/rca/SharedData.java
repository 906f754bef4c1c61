package org.fabai.rca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the workspace's shared/data folder by walking up from the working directory. */
public final class SharedData {
    private SharedData() {
    }

    /** @return the shared/data folder, if found */
    public static Optional<Path> dir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path d = p.resolve("shared").resolve("data");
            if (Files.isDirectory(d)) {
                return Optional.of(d);
            }
            p = p.getParent();
        }
        return Optional.empty();
    }
}
