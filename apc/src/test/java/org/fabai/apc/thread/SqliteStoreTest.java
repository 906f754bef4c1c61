package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    ThreadStateStore open() {
        return JdbcThreadStateStore.sqlite(dir.resolve("threads.db"));
    }

    @Test
    void stateSurvivesReopenExactly() {
        ControlThreads t = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T1", "layer", "M1");
        for (int i = 0; i < 10; i++) {
            t.update(ctx, new Measurement("r" + i, i, 1.0 / 3 + i, output(i, 1.0 / 3 + i)));
        }
        double[] s = store.load(ctx).orElseThrow().state();
        store.close();
        store = JdbcThreadStateStore.sqlite(dir.resolve("threads.db"));
        assertArrayEquals(s, store.load(ctx).orElseThrow().state(), 0);
        assertEquals(10, store.runs(ctx).size());
        String prov = store.load(ctx).orElseThrow().provenance();
        org.junit.jupiter.api.Assertions.assertTrue(prov.startsWith("fabai-apc ") && prov.contains("EwmaConfig[lambda=0.3")
                && !prov.contains("unknown"), prov);
    }

    @Test
    void aLongKeyIsIndexedByItsDigestAndReadBackWhole() throws Exception {
        Context ctx = Context.of("tool", "z".repeat(3000) + "\u00e9");
        new ControlThreads(POLICY, store).update(ctx, new Measurement("r1", 1, 1, 5));
        store.close();
        store = JdbcThreadStateStore.sqlite(dir.resolve("threads.db"));
        assertEquals(java.util.List.of(ctx), store.loadAll().stream().map(ThreadRecord::context).toList());
        assertEquals(1, store.runs(ctx).size());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("threads.db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT t.thread_key, l.context_key FROM apc_thread t "
                     + "JOIN apc_long_key l ON l.thread_key = t.thread_key")) {
            org.junit.jupiter.api.Assertions.assertTrue(rs.next());
            org.junit.jupiter.api.Assertions.assertTrue(rs.getString(1).matches("=sha256:[0-9a-f]{64}"), rs.getString(1));
            assertEquals(ctx.key(), rs.getString(2));
        }
        // a short key is stored as it is, as before (stores written by earlier versions read unchanged)
        assertEquals("tool=T1", ThreadRows.indexKey("tool=T1"));
        String k1024 = "tool=" + "q".repeat(JdbcThreadStateStore.INDEX_KEY_BYTES - 5);
        assertEquals(k1024, ThreadRows.indexKey(k1024));
        org.junit.jupiter.api.Assertions.assertTrue(ThreadRows.indexKey(k1024 + "q").startsWith("=sha256:"));
    }

    @Test
    void unreadableFileGivesATypedError() throws Exception {
        Path bad = dir.resolve("not-a-db");
        Files.writeString(bad, "this is not a database file, just text that is long enough to be read as a header....");
        StoreException e = assertThrows(StoreException.class, () -> JdbcThreadStateStore.sqlite(bad));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not-a-db"), e.getMessage());
    }
}
