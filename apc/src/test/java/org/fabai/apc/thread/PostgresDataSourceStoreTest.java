package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The store contract on a user's {@link javax.sql.DataSource} (issue 15: "a DataSource (user's
 * pool)"), here the PostgreSQL driver's own {@code PGSimpleDataSource} counting the connections it
 * hands out; skipped, with the reason, when no server answers at {@code FABAI_PG_URL}.
 */
class PostgresDataSourceStoreTest extends StoreContractTest {

    JdbcThreadStateStore pg;
    final AtomicInteger borrowed = new AtomicInteger();

    @Override
    ThreadStateStore open() {
        PostgresStoreTest.assumeServer();
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource() {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                borrowed.incrementAndGet();
                return super.getConnection();
            }
        };
        ds.setURL(PostgresStoreTest.URL);
        String prefix = "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT) + "_";
        pg = JdbcThreadStateStore.open(ds, prefix);
        return pg;
    }

    @Override
    void cleanup() {
        if (pg != null) {
            pg.dropTables();
        }
    }

    @Test
    void everyTransactionBorrowsAConnectionAndGivesItBack() {
        int before = borrowed.get();
        ControlThreads t = new ControlThreads(POLICY, store);
        Context c = Context.of("tool", "DS1");
        assertEquals(UpdateResult.Status.APPLIED, t.update(c, new Measurement("r1", 1, 1, 5)).status());
        assertEquals(1, store.runs(c).size());
        assertTrue(borrowed.get() - before >= 2, "borrowed " + (borrowed.get() - before));
    }

    @Test
    void aSqliteDataSourceIsSentToTheSqliteFactory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("x.db"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcThreadStateStore.open(ds, "apc_"));
        assertTrue(e.getMessage().contains("use JdbcThreadStateStore.sqlite(Path)"), e.getMessage());
    }
}
