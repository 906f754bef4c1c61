package org.fabai.benchmarks.apc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.fabai.apc.control.UpdateOutcome;
import org.fabai.apc.thread.UpdateResult;
import org.junit.jupiter.api.Test;

/** The R2R benchmarks apply every update (none duplicate or late) and keep the process on target. */
class R2rBenchTest {

    @Test
    void everyUpdateIsAppliedAndDurableOnesReachTheStore() {
        R2rBench b = new R2rBench();
        b.setUp();
        try {
            for (int i = 0; i < 50; i++) {
                assertEquals(UpdateOutcome.Status.ACCEPTED, b.controllerUpdate().status());
                assertEquals(UpdateResult.Status.APPLIED, b.updateInMemory().status());
            }
            assertEquals(UpdateResult.Status.APPLIED, b.updateInMemory100Contexts().status());
            UpdateResult one = b.updateSqlite();
            assertEquals(UpdateResult.Status.APPLIED, one.status());
            List<UpdateResult> batch = b.updateSqliteBatch100();
            assertEquals(R2rBench.CONTEXTS, batch.size());
            assertTrue(batch.stream().allMatch(r -> r.status() == UpdateResult.Status.APPLIED), batch.toString());
            // the store holds the last run of every thread (setUp ran each benchmark once too)
            assertEquals(2, b.sqliteStore.runs(b.one).size());
            assertEquals(2, b.sqliteStore.runs(b.contexts[99]).size());
            // on target: the controller's next input brings the plant 3 + 2u near 10
            double u = b.controller.recommend().input();
            assertEquals(3.5, u, 0.5);
        } finally {
            b.tearDown();
        }
        assertFalse(Files.exists(b.dir), "temp directory deleted");
    }
}
