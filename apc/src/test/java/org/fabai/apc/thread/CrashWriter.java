package org.fabai.apc.thread;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child-JVM writer for {@link CrashSafetyTest}: feeds runs {@code from..to-1} of one thread into a
 * SQLite store and prints {@code ACK <i> <status>} after each acknowledged (committed) update.
 */
public final class CrashWriter {

    static final Context CTX = Context.of("tool", "ETCH01", "chamber", "B", "product", "P7");

    private CrashWriter() {
    }

    static double input(long i) {
        return 1 + (i % 7) * 0.1;
    }

    static double output(long i) {
        return 3 + 2 * input(i) + Math.sin(i * 0.37) + 0.01 * i;
    }

    static Measurement measurement(long i) {
        return new Measurement("run-" + i, i, input(i), output(i));
    }

    /**
     * @param args database path, first run, end run (exclusive)
     */
    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        long from = Long.parseLong(args[1]);
        long to = Long.parseLong(args[2]);
        PrintStream out = System.out;
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            ControlThreads threads = new ControlThreads(StoreContractTest.POLICY, store);
            out.println("READY");
            out.flush();
            for (long i = from; i < to; i++) {
                UpdateResult r = threads.update(CTX, measurement(i));
                out.println("ACK " + i + " " + r.status());
                out.flush();
            }
        }
        out.println("DONE");
        out.flush();
    }
}
