package org.fabai.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the fabai library on the class path, for provenance records. Thread-safe. */
public final class FabaiVersion {

    private static final String VERSION = load();

    private FabaiVersion() {
    }

    /** @return the library version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = FabaiVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
