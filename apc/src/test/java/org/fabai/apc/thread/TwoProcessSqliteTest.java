package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two JVMs updating one thread of one SQLite file. Before {@code BEGIN IMMEDIATE},
 * 10-38 % of the calls failed at once with {@code SQLITE_BUSY_SNAPSHOT} (a deferred transaction
 * that read, then could not upgrade to a writer, gets no busy wait). Now every call is acknowledged
 * and each acknowledged run is in the ledger exactly once with the status it was acknowledged with.
 */
class TwoProcessSqliteTest {

    @TempDir
    Path dir;

    private static final int RUNS = 100;

    @Test
    void twoProcessesOnOneThreadNeverFailAndLoseNothing() throws Exception {
        Path db = dir.resolve("shared.db");
        // create the schema once, so the children race on updates rather than on table creation
        JdbcThreadStateStore.sqlite(db).close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), TwoProcessWriter.class.getName(), db.toString(),
                    k == 0 ? "a" : "b", Integer.toString(RUNS), Integer.toString(k));
            pb.redirectError(dir.resolve("child-" + k + ".err").toFile());
            ps.add(pb.start());
        }
        Map<String, String> acked = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (Process p : ps) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    String[] f = line.split(" ", 3);
                    if (f[0].equals("ACK")) {
                        acked.put(f[1], f[2]);
                    } else if (f[0].equals("ERR")) {
                        errors.add(line);
                    }
                }
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not end");
            assertEquals(0, p.exitValue(), "child failed, see " + dir);
        }
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())),
                errors.size() + " of " + 2 * RUNS + " calls failed");
        assertEquals(2 * RUNS, acked.size());
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            List<RunRecord> runs = store.runs(CrashWriter.CTX);
            Map<String, String> ledger = new HashMap<>();
            for (RunRecord r : runs) {
                assertEquals(null, ledger.put(r.runId(), r.status()), "run " + r.runId() + " recorded twice");
            }
            assertEquals(acked, ledger, "the ledger is exactly the acknowledged runs with their statuses");
            long applied = acked.values().stream().filter(s -> s.equals("APPLIED")).count();
            assertTrue(applied > 0, "nothing applied");
        }
    }
}
