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
    void unreadableFileGivesATypedError() throws Exception {
        Path bad = dir.resolve("not-a-db");
        Files.writeString(bad, "this is not a database file, just text that is long enough to be read as a header....");
        StoreException e = assertThrows(StoreException.class, () -> JdbcThreadStateStore.sqlite(bad));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not-a-db"), e.getMessage());
    }
}
