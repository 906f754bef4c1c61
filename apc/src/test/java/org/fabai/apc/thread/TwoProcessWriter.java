package org.fabai.apc.thread;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child-JVM writer for {@link TwoProcessSqliteTest}: feeds {@code count} runs named
 * {@code <name>-<i>} (each after a recommendation, as a client does) into one thread of a SQLite store shared with another process, printing
 * {@code ACK <runId> <status>} per acknowledged update and {@code ERR <runId> <exception>} per
 * failed call (then carries on).
 */
public final class TwoProcessWriter {

    private TwoProcessWriter() {
    }

    /**
     * @param args database path, writer name, run count, sequence offset (0 or 1)
     */
    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        int offset = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            ControlThreads threads = new ControlThreads(StoreContractTest.POLICY, store);
            out.println("READY");
            out.flush();
            for (int i = 0; i < count; i++) {
                String run = name + "-" + i;
                long seq = 2L * i + offset;
                try {
                    threads.recommend(CrashWriter.CTX); // a client's loop: recommend for the run, then measure it
                    UpdateResult r = threads.update(CrashWriter.CTX, new Measurement(run, seq, 1 + (i % 5) * 0.1, 5 + i % 3));
                    out.println("ACK " + run + " " + r.status());
                } catch (RuntimeException e) {
                    out.println("ERR " + run + " " + e.toString().replace('\n', ' '));
                }
                out.flush();
            }
        }
        out.println("DONE");
        out.flush();
    }
}
