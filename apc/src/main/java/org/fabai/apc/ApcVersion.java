package org.fabai.apc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the fabai apc library, recorded in the provenance of stored state. Thread-safe. */
public final class ApcVersion {

    private static final String VERSION = load();

    private ApcVersion() {
    }

    private static String load() {
        try (InputStream in = ApcVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} when the build did not record it */
    public static String version() {
        return VERSION;
    }
}
