package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.ControllerConfig;
import org.fabai.apc.control.Recommendation;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link ThreadStateStore} must show, run against each implementation. */
abstract class StoreContractTest {

    static final ThreadPolicy POLICY = new ThreadPolicy(ControllerConfig.of(10, -100, 100, 1),
            new EwmaEstimator(new EwmaConfig(0.3, 2, 0)), Seeding.NOMINAL);

    ThreadStateStore store;

    abstract ThreadStateStore open() throws Exception;

    void cleanup() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        store = open();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) {
            cleanup();
            store.close();
        }
    }

    static double output(long seq, double u) {
        return 3 + 2 * u + Math.sin(seq * 0.7);
    }

    @Test
    void replayedRunIdIsIgnoredExactlyOnce() {
        ControlThreads threads = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T1", "product", "P1");
        UpdateResult a = threads.update(ctx, new Measurement("r1", 1, 1, 5));
        assertEquals(UpdateResult.Status.APPLIED, a.status());
        double[] after = store.load(ctx).orElseThrow().state();
        UpdateResult b = threads.update(ctx, new Measurement("r1", 1, 1, 5));
        assertEquals(UpdateResult.Status.DUPLICATE, b.status());
        assertArrayEquals(after, store.load(ctx).orElseThrow().state());
        // a second instance on the same store (cold cache) also sees it
        assertEquals(UpdateResult.Status.DUPLICATE,
                new ControlThreads(POLICY, store).update(ctx, new Measurement("r1", 1, 1, 5)).status());
        assertEquals(1, store.runs(ctx).size());
        assertTrue(store.hasRun(ctx, "r1"));
    }

    @Test
    void longContextKeysDifferingOnlyInTheLastCharacterAreTwoThreads() {
        // issue 15: keys were capped at 1024 bytes (a key over ~2.7 KB failed PostgreSQL's btree index);
        // now long keys are indexed by digest: two 3 KB keys that differ in the last character stay apart
        String base = "x".repeat(3000);
        Context a = Context.of("tool", base + "a");
        Context b = Context.of("tool", base + "b");
        ControlThreads t = new ControlThreads(POLICY, store);
        assertEquals(UpdateResult.Status.APPLIED, t.update(a, new Measurement("r1", 1, 1, 5)).status());
        assertEquals(UpdateResult.Status.APPLIED, t.update(b, new Measurement("r1", 1, 1, 9)).status());
        assertEquals(UpdateResult.Status.APPLIED, t.update(a, new Measurement("r2", 2, 1, 5)).status());
        ControlThreads cold = new ControlThreads(POLICY, store);
        assertEquals(UpdateResult.Status.DUPLICATE, cold.update(b, new Measurement("r1", 3, 1, 9)).status());
        assertEquals(UpdateResult.Status.APPLIED, cold.update(b, new Measurement("r2", 4, 1, 9)).status());
        assertEquals(2, store.load(a).orElseThrow().version());
        assertEquals(2, store.load(b).orElseThrow().version());
        assertEquals(a, store.load(a).orElseThrow().context());
        assertEquals(List.of(1L, 2L), store.runs(a).stream().map(RunRecord::sequence).toList());
        assertEquals(List.of(1L, 4L), store.runs(b).stream().map(RunRecord::sequence).toList());
        assertTrue(store.hasRun(b, "r2"));
        assertFalse(store.hasRun(Context.of("tool", base + "c"), "r1"));
        assertTrue(store.load(Context.of("tool", base + "c")).isEmpty());
        java.util.Set<Context> all = new java.util.HashSet<>();
        store.loadAll().forEach(r -> all.add(r.context()));
        assertEquals(java.util.Set.of(a, b), all);
        store.audit(a).forEach(e -> assertEquals(a.key(), e.threadKey()));
        assertFalse(java.util.Arrays.equals(store.load(a).orElseThrow().state(), store.load(b).orElseThrow().state()));
        // the sanity bound: 64 KiB
        assertThrows(IllegalArgumentException.class, () -> Context.of("tool", "y".repeat(Context.MAX_KEY_BYTES)));
    }

    @Test
    void lateRunIsRejectedRecordedAndAudited() {
        ControlThreads threads = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T1");
        threads.update(ctx, new Measurement("r5", 5, 1, 5));
        double[] s = store.load(ctx).orElseThrow().state();
        UpdateResult late = threads.update(ctx, new Measurement("r4", 4, 1, 50));
        assertEquals(UpdateResult.Status.LATE_REJECTED, late.status());
        assertArrayEquals(s, store.load(ctx).orElseThrow().state());
        assertTrue(store.audit(ctx).stream().anyMatch(a -> a.kind().equals("LATE_REJECTED") && a.runId().equals("r4")));
        assertEquals("LATE_REJECTED", store.runs(ctx).get(0).status());
        assertEquals(UpdateResult.Status.DUPLICATE, threads.update(ctx, new Measurement("r4", 4, 1, 50)).status());
    }

    @Test
    void concurrentUpdatesToOneThreadAreSerialised() throws Exception {
        ControlThreads threads = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T1", "chamber", "A");
        int writers = 8;
        int each = 25;
        AtomicLong seq = new AtomicLong();
        ConcurrentLinkedQueue<UpdateResult> results = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            fs.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    long s = seq.incrementAndGet();
                    results.add(threads.update(ctx, new Measurement("w" + id + "-" + i, s, 1 + 0.01 * s, output(s, 1 + 0.01 * s))));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(writers * each, results.size());
        ThreadRecord rec = store.load(ctx).orElseThrow();
        // no lost update: one version per update
        assertEquals(writers * each, rec.version());
        // replaying the applied runs in sequence order reproduces the stored state exactly
        List<RunRecord> runs = store.runs(ctx);
        assertEquals(writers * each, runs.size());
        Controller ref = new Controller(POLICY.controller(), POLICY.prototype());
        long applied = 0;
        for (RunRecord r : runs) {
            if (r.status().equals("APPLIED")) {
                ref.update(r.input(), r.output());
                applied++;
            }
        }
        assertTrue(applied > 0);
        assertEquals(applied, results.stream().filter(r -> r.status() == UpdateResult.Status.APPLIED).count());
        assertArrayEquals(ref.state(), rec.state(), 0);
    }

    @Test
    void twoInstancesOnOneStoreStayConsistent() {
        ControlThreads a = new ControlThreads(POLICY, store);
        ControlThreads b = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T2");
        Controller ref = new Controller(POLICY.controller(), POLICY.prototype());
        for (int i = 0; i < 20; i++) {
            ControlThreads t = i % 2 == 0 ? a : b;
            Recommendation r = t.recommend(ctx);
            Recommendation expected = ref.recommend();
            assertEquals(expected.input(), r.input(), 0);
            t.update(ctx, new Measurement("run" + i, i, r.input(), output(i, r.input())));
            ref.update(r.input(), output(i, r.input()));
        }
        assertArrayEquals(ref.state(), store.load(ctx).orElseThrow().state(), 0);
    }

    @Test
    void batchUpdateIsOneCommitAndMatchesSingleUpdates() {
        ControlThreads threads = new ControlThreads(POLICY, store);
        List<Map.Entry<Context, Measurement>> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Context c = Context.of("tool", "T" + (i % 3));
            batch.add(Map.entry(c, new Measurement("b" + i, i, 1, output(i, 1))));
        }
        batch.add(Map.entry(Context.of("tool", "T0"), new Measurement("b0", 0, 1, 99)));
        List<UpdateResult> res = threads.updateBatch(batch);
        assertEquals(31, res.size());
        assertEquals(UpdateResult.Status.DUPLICATE, res.get(30).status());
        InMemoryThreadStateStore mem = new InMemoryThreadStateStore();
        ControlThreads ref = new ControlThreads(POLICY, mem);
        for (Map.Entry<Context, Measurement> e : batch) {
            ref.update(e.getKey(), e.getValue());
        }
        for (int t = 0; t < 3; t++) {
            Context c = Context.of("tool", "T" + t);
            assertArrayEquals(mem.load(c).orElseThrow().state(), store.load(c).orElseThrow().state(), 0);
            assertEquals(1, store.load(c).orElseThrow().version());
            assertEquals(10, store.runs(c).size());
        }
        // replaying the whole batch: everything is a duplicate, nothing changes
        List<UpdateResult> again = threads.updateBatch(batch);
        assertTrue(again.stream().allMatch(r -> r.status() == UpdateResult.Status.DUPLICATE));
    }

    @Test
    void seedingFromSiblingsAndContextOffsetModel() {
        ThreadPolicy firstMeas = new ThreadPolicy(POLICY.controller(), POLICY.prototype(), Seeding.FIRST_MEASUREMENT);
        ControlThreads threads = new ControlThreads(firstMeas, store);
        // levels: tool offset + product offset
        Map<String, Double> tool = Map.of("T1", 0.0, "T2", 4.0);
        Map<String, Double> product = Map.of("P1", 1.0, "P2", -2.0, "P3", 3.0);
        long seq = 0;
        for (String t : List.of("T1", "T2")) {
            for (String p : List.of("P1", "P2", "P3")) {
                if (t.equals("T2") && p.equals("P3")) {
                    continue; // the new combination
                }
                Context c = Context.of("tool", t, "product", p);
                double level = tool.get(t) + product.get(p);
                assertTrue(threads.recommend(c).fallback(), "unseeded thread falls back to nominal");
                assertEquals(UpdateResult.Status.SEEDED, threads.update(c, new Measurement("s" + seq, seq++, 1, level + 2)).status());
            }
        }
        Context fresh = Context.of("tool", "T2", "product", "P3");
        ControlThreads offset = new ControlThreads(new ThreadPolicy(POLICY.controller(), POLICY.prototype(),
                Seeding.CONTEXT_OFFSET), store);
        Recommendation r = offset.recommend(fresh);
        assertFalse(r.fallback());
        // true level 7 -> u = (10 - 7)/2 = 1.5
        assertEquals(1.5, r.input(), 1e-6);
        assertTrue(store.audit(fresh).stream().anyMatch(a -> a.kind().equals("SEEDED") && a.detail().contains("context-offset")));
        Context fresh2 = Context.of("tool", "T3", "product", "P3");
        ControlThreads sib = new ControlThreads(new ThreadPolicy(POLICY.controller(), POLICY.prototype(),
                Seeding.NEAREST_SIBLINGS), store);
        // siblings sharing product P3: only T1/P3 (level 3) and now T2/P3 (level 7): mean 5 -> u = 2.5
        assertEquals(2.5, sib.recommend(fresh2).input(), 1e-6);
        // maintenance: reset to first measurement -> fallback, audited
        threads.maintenance(fresh2, Seeding.FIRST_MEASUREMENT, "PM wet clean");
        assertTrue(threads.recommend(fresh2).fallback());
        assertTrue(store.audit(fresh2).stream().anyMatch(a -> a.kind().equals("MAINTENANCE") && a.detail().contains("PM wet clean")));
    }

    @Test
    void outliersAreAuditedAndInvalidStateFallsBack() {
        ThreadPolicy p = new ThreadPolicy(ControllerConfig.of(10, -100, 100, 1).withOutlierRejection(3, 0.5),
                new EwmaEstimator(new EwmaConfig(0.3, 2, 0)), Seeding.NOMINAL);
        ControlThreads threads = new ControlThreads(p, store);
        Context ctx = Context.of("tool", "T9");
        for (int i = 0; i < 5; i++) {
            Recommendation r = threads.recommend(ctx);
            threads.update(ctx, new Measurement("o" + i, i, r.input(), 2 * r.input()));
        }
        Recommendation r = threads.recommend(ctx);
        UpdateResult o = threads.update(ctx, new Measurement("o-bad", 99, r.input(), 2 * r.input() + 40));
        assertEquals(UpdateResult.Status.OUTLIER_HELD, o.status());
        assertTrue(store.audit(ctx).stream().anyMatch(a -> a.kind().equals("OUTLIER_HELD") && a.runId().equals("o-bad")));
        // a thread stored by another estimator kind: fallback to nominal, audited
        ThreadRecord bogus = new ThreadRecord(Context.of("tool", "T8"), "kalman", new double[] {1, 2}, 0, 1, 0, "test");
        store.commit(List.of(new ThreadCommit(bogus, 0, List.of(), List.of())));
        Recommendation fb = threads.recommend(Context.of("tool", "T8"));
        assertTrue(fb.fallback());
        assertEquals(1, fb.input());
        assertTrue(store.audit(Context.of("tool", "T8")).stream().anyMatch(a -> a.kind().equals("INVALID_STATE")));
    }

    @Test
    void staleCommitIsRefused() {
        Context ctx = Context.of("tool", "X");
        ThreadRecord r1 = new ThreadRecord(ctx, "ewma", new double[] {1}, 0, 1, 0, "test");
        store.commit(List.of(new ThreadCommit(r1, 0, List.of(), List.of())));
        assertThrows(StaleStateException.class, () -> store.commit(List.of(new ThreadCommit(r1, 0, List.of(), List.of()))));
        ThreadRecord r2 = new ThreadRecord(ctx, "ewma", new double[] {2}, 0, 3, 0, "test");
        assertThrows(StaleStateException.class, () -> store.commit(List.of(new ThreadCommit(r2, 2, List.of(), List.of()))));
        // atomicity: a failing second commit in a batch leaves the first unapplied
        Context other = Context.of("tool", "Y");
        ThreadRecord ok = new ThreadRecord(other, "ewma", new double[] {5}, 0, 1, 0, "test");
        assertThrows(StaleStateException.class, () -> store.commit(List.of(new ThreadCommit(ok, 0, List.of(), List.of()),
                new ThreadCommit(r2, 2, List.of(), List.of()))));
        assertTrue(store.load(other).isEmpty());
        assertEquals(Collections.emptyList(), store.runs(other));
    }
}
