package org.fabai.apc.thread;

import java.nio.file.*;
import java.sql.*;
import java.util.*;
import org.fabai.apc.control.*;


/**
 * Writes the golden thread-state rows and next recommendations of {@link GoldenThreadRowsTest} (run by
 * hand with the apc and core classes, sqlite-jdbc and slf4j-api on the class path):
 * {@code java -cp ... org.fabai.apc.thread.GoldenThreadRowsWriter OUT_DIR SPEC...}. The format-1 files were
 * written by this program against the library before the d-EWMA change (commit 5a8ec87).
 */
public final class GoldenThreadRowsWriter {
    private GoldenThreadRowsWriter() {
    }

    /** @param a output directory, then estimator specs */
    public static void main(String[] a) throws Exception {
        Path out = Paths.get(a[0]);
        Files.createDirectories(out);
        Path db = Files.createTempFile("gen", ".db");
        Files.delete(db);
        StringBuilder exp = new StringBuilder("# thread_key\tspec\tnext recommended input (Double.toString)\n");
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            for (int k = 1; k < a.length; k++) {
                String spec = a[k];
                ThreadPolicy pol = new ThreadPolicy(ControllerConfig.of(10, -100, 100, 1),
                        ControllerSpec.estimator(spec, 2, 0), Seeding.NOMINAL);
                ControlThreads t = new ControlThreads(pol, store);
                Context ctx = Context.of("tool", "ETCH" + k, "chamber", "A");
                for (int i = 0; i < 40; i++) {
                    double u = t.recommend(ctx).input();
                    double y = 3 + 2.2 * u + 0.05 * i + 0.4 * Math.sin(1.7 * i);
                    if (i % 7 == 6) {
                        t.missing(ctx, "m" + i, i);
                    } else {
                        t.update(ctx, new Measurement("r" + i, i, u, y));
                    }
                }
                exp.append(ctx.key()).append('\t').append(spec).append('\t').append(t.peek(ctx).input()).append('\n');
            }
        }
        StringBuilder rows = new StringBuilder("# thread_key\tkind\tstate\tlast_seq\tversion\tupdated_ms\tformat\tprovenance\n");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT thread_key, kind, state, last_seq, version, updated_ms, format, provenance FROM apc_thread ORDER BY thread_key")) {
            while (rs.next()) {
                for (int i = 1; i <= 8; i++) {
                    rows.append(i > 1 ? "\t" : "").append(rs.getString(i));
                }
                rows.append('\n');
            }
        }
        Files.writeString(out.resolve("thread-rows.tsv"), rows.toString());
        Files.writeString(out.resolve("thread-next.tsv"), exp.toString());
    }
}
