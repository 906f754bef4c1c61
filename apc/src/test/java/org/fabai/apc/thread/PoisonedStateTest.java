package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fabai.apc.control.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: one absurd but finite value used to poison a control thread for good (default
 * config, outlier rejection off). Now such a measurement is held and audited, never applied.
 */
class PoisonedStateTest {

    static final ThreadPolicy POLICY = StoreContractTest.POLICY;

    private static void feed(ControlThreads t, Context c, int from, int to) {
        for (int i = from; i < to; i++) {
            UpdateResult r = t.update(c, new Measurement("run-" + i, i, 1 + (i % 5) * 0.1, 5 + 0.2 * Math.sin(i)));
            assertTrue(r.status() == UpdateResult.Status.APPLIED || r.status() == UpdateResult.Status.SEEDED, r.toString());
        }
    }

    private static double[] state(ControlThreads t, Context c) {
        return t.store().load(c).orElseThrow().state();
    }

    private static void assertFinite(double[] s) {
        for (double v : s) {
            assertTrue(Double.isFinite(v), java.util.Arrays.toString(s));
        }
    }

    @Test
    void anAbsurdOutputIsHeldNotApplied() {
        ControlThreads t = new ControlThreads(POLICY, new InMemoryThreadStateStore());
        ControlThreads clean = new ControlThreads(POLICY, new InMemoryThreadStateStore());
        Context c = Context.of("tool", "T1");
        feed(t, c, 0, 20);
        feed(clean, c, 0, 20);
        double[] before = state(t, c);
        UpdateResult r = t.update(c, new Measurement("poison", 20, 1, 1e308));
        assertEquals(UpdateResult.Status.OUTLIER_HELD, r.status(), r.toString());
        assertTrue(r.message().contains("held, not applied"), r.message());
        double[] after = state(t, c);
        assertFinite(after);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after), "state unchanged");
        assertEquals("OUTLIER_HELD", t.store().runs(c).get(20).status());
        assertTrue(t.store().audit(c).stream().anyMatch(a -> a.kind().equals("OUTLIER_HELD") && a.runId().equals("poison")));
        // the thread goes on as if the poison never came: same recommendations as a clean twin
        feed(t, c, 21, 40);
        feed(clean, c, 21, 40);
        assertEquals(clean.recommend(c).input(), t.recommend(c).input(), 1e-12);
    }

    @Test
    void anInputOutsideTheBoundsIsHeld() {
        ControlThreads t = new ControlThreads(POLICY, new InMemoryThreadStateStore());
        Context c = Context.of("tool", "T2");
        feed(t, c, 0, 10);
        double[] before = state(t, c);
        UpdateResult r = t.update(c, new Measurement("wild", 10, 1e308, 5));
        assertEquals(UpdateResult.Status.OUTLIER_HELD, r.status());
        assertTrue(r.message().contains("outside the thread's bounds [-100.0, 100.0]"), r.message());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(state(t, c)));
        // later runs apply, and the recommendation is not stuck at the nominal recipe
        feed(t, c, 11, 20);
        assertNotEquals(POLICY.controller().nominalInput(), t.recommend(c).input());
    }

    @Test
    void physicalLimitsHoldOutputsAndLevelJumps() {
        ThreadPolicy p = POLICY.withLimits(new ThreadPolicy.Limits(0, 50, 3));
        ControlThreads t = new ControlThreads(p, new InMemoryThreadStateStore());
        Context c = Context.of("tool", "T3");
        feed(t, c, 0, 10);
        UpdateResult out = t.update(c, new Measurement("neg", 10, 1, -1));
        assertEquals(UpdateResult.Status.OUTLIER_HELD, out.status());
        assertTrue(out.message().contains("outside the physical range [0.0, 50.0]"), out.message());
        // output 40 is physically possible but moves the EWMA level (weight 0.3) by about 10.5 > 3
        UpdateResult jump = t.update(c, new Measurement("jump", 11, 1, 40));
        assertEquals(UpdateResult.Status.OUTLIER_HELD, jump.status());
        assertTrue(jump.message().contains("more than the physical limit 3.0"), jump.message());
        assertEquals(UpdateResult.Status.APPLIED, t.update(c, new Measurement("ok", 12, 1, 6)).status());
        assertThrows(IllegalArgumentException.class, () -> new ThreadPolicy.Limits(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPolicy.Limits(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPolicy.Limits(0, 1, Double.NaN));
    }

    @Test
    void aNonFiniteStoredStateIsReseededAndAudited(@TempDir Path dir) {
        Context c = Context.of("tool", "T4");
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(dir.resolve("s.db"))) {
            ControlThreads t = new ControlThreads(POLICY, store);
            feed(t, c, 0, 5);
            ThreadRecord r = store.load(c).orElseThrow();
            double[] s = r.state();
            s[s.length - 1] = Double.NaN;
            store.commit(List.of(new ThreadCommit(new ThreadRecord(c, r.kind(), s, r.lastSequence(), r.version() + 1,
                    r.updatedAtMs(), r.provenance()), r.version(), List.of(), List.of())));
            ControlThreads fresh = new ControlThreads(POLICY, store);
            UpdateResult u = fresh.update(c, new Measurement("run-5", 5, 1, 5));
            assertEquals(UpdateResult.Status.SEEDED, u.status(), u.toString());
            assertFinite(state(fresh, c));
            assertTrue(store.audit(c).stream().anyMatch(a -> a.kind().equals("INVALID_STATE")
                    && a.detail().contains("is NaN")), store.audit(c).toString());
            feed(fresh, c, 6, 10);
            assertFinite(state(fresh, c));
        }
    }

    @Test
    void maintenanceRestartsRunOrder() {
        ControlThreads t = new ControlThreads(POLICY, new InMemoryThreadStateStore());
        Context c = Context.of("tool", "T5");
        feed(t, c, 0, 3);
        assertEquals(UpdateResult.Status.APPLIED, t.update(c, new Measurement("far", Long.MAX_VALUE, 1, 5)).status());
        assertEquals(UpdateResult.Status.LATE_REJECTED, t.update(c, new Measurement("next", 4, 1, 5)).status());
        t.maintenance(c, Seeding.NOMINAL, "sequence counter was corrupted");
        UpdateResult after = t.update(c, new Measurement("after", 5, 1, 5));
        assertEquals(UpdateResult.Status.APPLIED, after.status(), after.toString());
        assertEquals(UpdateResult.Status.DUPLICATE, t.update(c, new Measurement("far", 6, 1, 5)).status());
        assertTrue(t.store().audit(c).stream().anyMatch(a -> a.kind().equals("MAINTENANCE")
                && a.detail().contains("run order restarts (latest sequence was " + Long.MAX_VALUE + ")")));
    }

    @Test
    void nfcAndNfdSpellingsAreOneThreadAndOneRun() {
        String nfc = "\u00c9TCH";
        String nfd = "E\u0301TCH";
        assertNotEquals(nfc, nfd);
        assertEquals(Context.of("tool", nfc), Context.of("tool", nfd));
        assertEquals(Context.of("tool", nfc).key(), Context.of("tool", nfd).key());
        ControlThreads t = new ControlThreads(POLICY, new InMemoryThreadStateStore());
        assertEquals(UpdateResult.Status.APPLIED, t.update(Context.of("tool", nfc), new Measurement("r\u00e9", 1, 1, 5)).status());
        assertEquals(UpdateResult.Status.DUPLICATE,
                t.update(Context.of("tool", nfd), new Measurement("re\u0301", 2, 1, 5)).status());
        assertEquals(1, t.store().loadAll().size());
    }

    @Test
    void unpairedSurrogatesNulAndOverlongKeysAreRefused() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> new Measurement("run-\ud800", 1, 1, 1));
        assertTrue(a.getMessage().contains("unpaired surrogate U+D800"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Measurement("run-\udc00x", 1, 1, 1));
        assertEquals("run-\ud83d\ude00", new Measurement("run-\ud83d\ude00", 1, 1, 1).runId());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Measurement("a\u0000b", 1, 1, 1))
                .getMessage().contains("NUL"));
        assertThrows(IllegalArgumentException.class, () -> Context.of("tool", "x\ud800"));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> Context.of("tool", "x".repeat(70_000)));
        assertTrue(k.getMessage().contains("more than the " + Context.MAX_KEY_BYTES), k.getMessage());
    }

    @Test
    void freshStatesOfEveryEstimatorAreFinite() {
        // the restore check treats a non-finite entry as damage: no estimator may start with one
        for (var e : List.<org.fabai.apc.estimator.Estimator>of(
                new org.fabai.apc.estimator.EwmaEstimator(new org.fabai.apc.estimator.EwmaConfig(0.3, 2, 0)),
                new org.fabai.apc.estimator.DoubleEwmaEstimator(new org.fabai.apc.estimator.DoubleEwmaConfig(0.3, 0.1, 2, 0, 0)),
                new org.fabai.apc.estimator.KalmanEstimator(new org.fabai.apc.estimator.KalmanConfig(0.01, 0.001, 1, 2, 0, 10)),
                new org.fabai.apc.estimator.RlsEstimator(org.fabai.apc.estimator.RlsConfig.withDefaults(0.98, 2, 0)))) {
            assertFinite(new Controller(POLICY.controller(), e).state());
        }
    }
}
