package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.ControllerSpec;
import org.fabai.core.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden thread-state rows: rows as the SQLite store wrote them (format 1 by the library before the
 * d-EWMA change, format 2 by this version), kept under {@code src/test/resources/golden} with the
 * recommendation the writing version made next. Every later version must read them and recommend
 * the same. The rows were written by controlling one thread per estimator for 40 runs of
 * {@code y = 3 + 2.2 u + 0.05 t + 0.4 sin(1.7 t)} (every 7th run without metrology) with target 10,
 * bounds ±100, nominal input 1, model gain 2.
 */
class GoldenThreadRowsTest {

    @TempDir
    Path dir;

    private static List<String[]> tsv(String name) throws IOException {
        try (InputStream in = GoldenThreadRowsTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("test resource /golden/" + name + " is missing");
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        }
    }

    /** A fresh SQLite store holding the golden rows exactly as stored. */
    private JdbcThreadStateStore storeWith(String rowsFile) throws Exception {
        Path db = dir.resolve(rowsFile + ".db");
        JdbcThreadStateStore.sqlite(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement ps = c.prepareStatement("INSERT INTO apc_thread (thread_key, kind, state, last_seq, version, "
                     + "updated_ms, format, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String[] r : tsv(rowsFile)) {
                assertEquals(8, r.length, String.join("|", r));
                ps.setString(1, r[0]);
                ps.setString(2, r[1]);
                ps.setString(3, r[2]);
                ps.setLong(4, Long.parseLong(r[3]));
                ps.setLong(5, Long.parseLong(r[4]));
                ps.setLong(6, Long.parseLong(r[5]));
                ps.setInt(7, Integer.parseInt(r[6]));
                ps.setString(8, r[7]);
                ps.executeUpdate();
            }
        }
        return JdbcThreadStateStore.sqlite(db);
    }

    private static ControlThreads threads(String spec, ThreadStateStore store) {
        return new ControlThreads(new ThreadPolicy(ControllerConfig.of(10, -100, 100, 1),
                ControllerSpec.estimator(spec, 2, 0), Seeding.NOMINAL), store);
    }

    @Test
    void provenanceOfEveryGoldenRowParsesAndNewRowsUseTheTextForm() throws Exception {
        for (String file : List.of("thread-rows-format1.tsv", "thread-rows-format2.tsv")) {
            for (String[] r : tsv(file)) {
                Provenance p = Provenance.parse(r[7]);
                assertEquals("fabai-apc", p.producer(), r[7]);
                assertTrue(p.get(Provenance.LEGACY).orElseThrow().startsWith(r[1] + " "), r[7]);
            }
        }
        try (JdbcThreadStateStore store = storeWith("thread-rows-format2.tsv")) {
            ControlThreads t = threads("ewma:lambda=0.3", store);
            Context ctx = Context.parse("chamber=A;tool=ETCH1");
            t.update(ctx, new Measurement("provenance-check", 40, 2.0, 10.1));
            Provenance written = Provenance.parse(store.load(ctx).orElseThrow().provenance());
            assertEquals(t.provenance(), written);
            assertEquals("ewma", written.get("estimator").orElseThrow());
        }
    }

    @Test
    void rowsOfThisFormatLoadAndRecommendExactlyAsWhenWritten() throws Exception {
        List<String[]> next = tsv("thread-next-format2.tsv");
        assertEquals(6, next.size());
        try (JdbcThreadStateStore store = storeWith("thread-rows-format2.tsv")) {
            for (String[] n : next) {
                Context ctx = Context.parse(n[0]);
                assertEquals(Double.parseDouble(n[2]), threads(n[1], store).peek(ctx).input(), 0, n[1]);
                assertTrue(store.audit(ctx).isEmpty(), "no migration or repair for " + n[1]);
            }
        }
    }

    @Test
    void formatOneRowsLoadAndTheirDewmaIsHoltsSmoother() throws Exception {
        List<String[]> next = tsv("thread-next-format1.tsv");
        assertEquals(4, next.size());
        try (JdbcThreadStateStore store = storeWith("thread-rows-format1.tsv")) {
            for (String[] n : next) {
                Context ctx = Context.parse(n[0]);
                double written = Double.parseDouble(n[2]);
                if (!n[1].startsWith("dewma")) {
                    assertEquals(written, threads(n[1], store).peek(ctx).input(), 0, n[1]);
                    continue;
                }
                // the old dewma is read as what it was, Holt's smoother: the same lambdas continue exactly
                assertEquals("holt", store.load(ctx).orElseThrow().kind());
                String holt = n[1].replace("dewma", "holt");
                assertEquals(written, threads(holt, store).peek(ctx).input(), 0, holt);
                // under the Butler-Stefani dewma the state is migrated: same next prediction, hence the same input,
                ControlThreads bs = threads(n[1], store);
                assertEquals(written, bs.peek(ctx).input(), 1e-12, n[1]);
                // and the migration is audited with the next commit, after which the row is a format-2 dewma row
                bs.update(ctx, new Measurement("after-migration", 40, written, 10.1));
                assertTrue(store.audit(ctx).stream().anyMatch(a -> a.kind().equals("MIGRATED")
                        && a.detail().contains("holt")), store.audit(ctx).toString());
                assertEquals("dewma", store.load(ctx).orElseThrow().kind());
            }
        }
    }
}
