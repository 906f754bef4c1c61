package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.fabai.apc.control.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills (SIGKILL, i.e. kill -9) a child JVM in the middle of a stream of updates to a SQLite store,
 * then checks that no acknowledged update was lost, that the stored state is exactly the one the
 * recorded runs produce (no half-written state), and that resuming with replays gives the same final
 * state as an uninterrupted run.
 */
class CrashSafetyTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashSafetyTest.class);

    @TempDir
    Path dir;

    /** Result of one child: the acknowledged run indices in order and the statuses. */
    private record ChildRun(List<Long> acked, List<String> statuses, boolean killed) {
    }

    private ChildRun child(Path db, long from, long to, int killAfterAcks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), db.toString(), Long.toString(from), Long.toString(to));
        pb.redirectError(dir.resolve("child-" + from + ".err").toFile());
        Process p = pb.start();
        List<Long> acked = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    acked.add(Long.parseLong(f[1]));
                    statuses.add(f[2]);
                    if (killAfterAcks > 0 && acked.size() >= killAfterAcks) {
                        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                        killed = true;
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not end");
        if (!killed) {
            assertEquals(0, p.exitValue(), "child failed, see " + dir.resolve("child-" + from + ".err"));
        }
        return new ChildRun(acked, statuses, killed);
    }

    /** Checks the store after a crash; returns how many runs it holds. */
    private long verify(Path db, List<Long> everAcked) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            List<RunRecord> runs = store.runs(CrashWriter.CTX);
            ThreadRecord rec = store.load(CrashWriter.CTX).orElseThrow();
            // the ledger is the contiguous prefix 0..n-1 and holds every acknowledged run
            for (int i = 0; i < runs.size(); i++) {
                assertEquals("run-" + i, runs.get(i).runId());
            }
            for (long a : everAcked) {
                assertTrue(a < runs.size(), "acknowledged run " + a + " lost; store has " + runs.size());
            }
            // one commit per run, and the state is exactly what the recorded runs produce
            assertEquals(runs.size(), rec.version());
            assertEquals(runs.size() - 1, rec.lastSequence());
            Controller ref = new Controller(StoreContractTest.POLICY.controller(), StoreContractTest.POLICY.prototype());
            for (RunRecord r : runs) {
                ref.update(r.input(), r.output());
            }
            assertArrayEquals(ref.state(), rec.state(), 0, "stored state is not the state of the recorded runs");
            return runs.size();
        }
    }

    @Test
    void killNineMidStreamLosesNoAcknowledgedUpdateAndLeavesNoHalfWrittenState() throws Exception {
        Path db = dir.resolve("crash.db");
        Random rnd = new Random(42);
        List<Long> everAcked = new ArrayList<>();
        long from = 0;
        long lastAckBefore = -1;
        for (int cycle = 0; cycle < 3; cycle++) {
            int killAfter = 40 + rnd.nextInt(120);
            ChildRun run = child(db, from, 1_000_000, killAfter);
            assertTrue(run.killed(), "child should have been killed");
            everAcked.addAll(run.acked());
            // replays of acknowledged runs come back DUPLICATE (never applied twice); a run after the
            // last acknowledged one may have been committed unacknowledged, so it may be either
            for (int i = 0; i < run.acked().size(); i++) {
                long idx = run.acked().get(i);
                String status = run.statuses().get(i);
                if (cycle > 0 && idx <= lastAckBefore) {
                    assertEquals("DUPLICATE", status, "replayed run " + idx);
                } else if (cycle > 0 && idx > lastAckBefore + 1) {
                    assertTrue(status.equals("APPLIED") || status.equals("DUPLICATE"), "run " + idx + ": " + status);
                } else if (cycle == 0) {
                    assertEquals("APPLIED", status, "run " + idx);
                }
            }
            long stored = verify(db, everAcked);
            long lastAck = run.acked().get(run.acked().size() - 1);
            LOG.info("cycle {}: killed after {} acks (last acked run {}), store holds {} runs", cycle, run.acked().size(),
                    lastAck, stored);
            from = Math.max(0, lastAck - 2); // resume with replays of acknowledged runs
            lastAckBefore = lastAck;
        }
        long end = from + 40;
        ChildRun last = child(db, from, end, 0);
        assertEquals(end - from, last.acked().size());
        assertEquals(end, verify(db, everAcked));
        Controller ref = new Controller(StoreContractTest.POLICY.controller(), StoreContractTest.POLICY.prototype());
        for (long i = 0; i < end; i++) {
            Measurement m = CrashWriter.measurement(i);
            ref.update(m.input(), m.output());
        }
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            assertArrayEquals(ref.state(), store.load(CrashWriter.CTX).orElseThrow().state(), 0,
                    "final state differs from an uninterrupted run");
        }
    }
}
