package org.fabai.apc.thread;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * The store contract against a real PostgreSQL server at {@code FABAI_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/fabai?user=fabai&password=fabai}, what {@code .ci/setup}
 * creates). Skipped, with the reason, when no server answers there.
 */
class PostgresStoreTest extends StoreContractTest {

    static final String URL = System.getenv().getOrDefault("FABAI_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/fabai?user=fabai&password=fabai");

    JdbcThreadStateStore pg;

    @Override
    ThreadStateStore open() {
        assumeServer();
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT) + "_";
        pg = JdbcThreadStateStore.open(URL, prefix);
        return pg;
    }

    /** Skips the calling test, with the reason, when no PostgreSQL server answers at {@link #URL}. */
    static void assumeServer() {
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3")) {
            Assumptions.assumeTrue(c.isValid(3), "PostgreSQL at FABAI_PG_URL is not valid");
        } catch (Exception e) {
            Assumptions.abort("no PostgreSQL reachable at FABAI_PG_URL (" + URL.replaceAll("password=[^&]*", "password=***")
                    + "): " + e.getMessage() + " -- run .ci/setup to install and start one");
        }
    }

    @Override
    void cleanup() {
        if (pg != null) {
            pg.dropTables();
        }
    }
}
