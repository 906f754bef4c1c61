package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.fabai.apc.control.Controller;
import org.fabai.apc.control.Recommendation;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest extends StoreContractTest {
    @Override
    ThreadStateStore open() {
        return new InMemoryThreadStateStore();
    }

    @Test
    void evictedRunIdReplayIsStillNotAppliedTwice() {
        InMemoryThreadStateStore small = new InMemoryThreadStateStore(3);
        ControlThreads t = new ControlThreads(POLICY, small);
        Context ctx = Context.of("tool", "T1");
        for (int i = 0; i < 10; i++) {
            t.update(ctx, new Measurement("r" + i, i, 1, output(i, 1)));
        }
        double[] s = small.load(ctx).orElseThrow().state();
        assertEquals(3, small.runs(ctx).size());
        assertEquals(UpdateResult.Status.DUPLICATE, t.update(ctx, new Measurement("r9", 9, 1, 0)).status());
        assertEquals(UpdateResult.Status.LATE_REJECTED, t.update(ctx, new Measurement("r0", 0, 1, 0)).status());
        assertArrayEquals(s, small.load(ctx).orElseThrow().state());
    }

    /** A store whose next commit fails, to check that a failed commit leaves no trace in memory. */
    static final class FailingStore implements ThreadStateStore {
        final InMemoryThreadStateStore inner = new InMemoryThreadStateStore();
        boolean failNext;

        @Override
        public Optional<ThreadRecord> load(Context context) {
            return inner.load(context);
        }

        @Override
        public List<ThreadRecord> loadAll() {
            return inner.loadAll();
        }

        @Override
        public boolean hasRun(Context context, String runId) {
            return inner.hasRun(context, runId);
        }

        @Override
        public List<RunRecord> runs(Context context) {
            return inner.runs(context);
        }

        @Override
        public List<AuditEntry> audit(Context context) {
            return inner.audit(context);
        }

        @Override
        public void commit(List<ThreadCommit> commits) {
            if (failNext) {
                failNext = false;
                throw new StoreException("disk full (simulated)");
            }
            inner.commit(commits);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void failedCommitIsNotAcknowledgedAndLeavesNoTrace() {
        FailingStore fs = new FailingStore();
        ControlThreads t = new ControlThreads(POLICY, fs);
        Context ctx = Context.of("tool", "T1");
        t.update(ctx, new Measurement("a", 1, 1, 5));
        fs.failNext = true;
        assertThrows(StoreException.class, () -> t.update(ctx, new Measurement("b", 2, 1, 50)));
        t.update(ctx, new Measurement("c", 3, 1, 6));
        Controller ref = new Controller(POLICY.controller(), POLICY.prototype());
        ref.update(1, 5);
        ref.update(1, 6);
        assertArrayEquals(ref.state(), fs.load(ctx).orElseThrow().state(), 0);
        // the failed run can be sent again and is applied then
        fs.failNext = true;
        assertThrows(StoreException.class, () -> t.updateBatch(List.of(java.util.Map.entry(ctx, new Measurement("d", 4, 1, 7)))));
        assertEquals(UpdateResult.Status.APPLIED, t.update(ctx, new Measurement("d", 4, 1, 7)).status());
        ref.update(1, 7);
        assertArrayEquals(ref.state(), fs.load(ctx).orElseThrow().state(), 0);
    }

    @Test
    void runLedgerMatchesAReferenceUnderEvictionAndHashCollisions() {
        // "Aa" and "BB" have the same String.hashCode, so ids built from them collide in blocks
        String[] parts = {"Aa", "BB"};
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int retention : new int[] {1, 2, 3, 7, 8, 9, 64, 100}) {
            InMemoryThreadStateStore.RunLedger ledger = new InMemoryThreadStateStore.RunLedger(retention);
            java.util.LinkedHashMap<String, RunRecord> ref = new java.util.LinkedHashMap<>();
            java.util.List<String> seen = new java.util.ArrayList<>();
            for (int n = 0; n < 3000; n++) {
                StringBuilder id = new StringBuilder();
                for (int k = 0; k < 4; k++) {
                    id.append(parts[rnd.nextInt(2)]);
                }
                id.append(rnd.nextInt(4) == 0 ? "" : "-" + n);
                String runId = id.toString();
                // a known id (maybe evicted) or the fresh one
                String probe = seen.isEmpty() || rnd.nextBoolean() ? runId : seen.get(rnd.nextInt(seen.size()));
                assertEquals(ref.containsKey(probe), ledger.contains(probe), "retention " + retention + " probe " + probe);
                if (!ref.containsKey(runId)) {
                    RunRecord r = new RunRecord(runId, n, 1, 2, "APPLIED");
                    ledger.add(r);
                    ref.put(runId, r);
                    seen.add(runId);
                    if (ref.size() > retention) {
                        ref.remove(ref.keySet().iterator().next());
                    }
                }
                assertEquals(java.util.List.copyOf(ref.values()), ledger.inInsertionOrder(), "retention " + retention);
            }
            for (String id : seen) {
                assertEquals(ref.containsKey(id), ledger.contains(id), "retention " + retention + " id " + id);
            }
        }
    }

    @Test
    void auditKeepsTheLatestEntriesUpToItsRetention() {
        InMemoryThreadStateStore store = new InMemoryThreadStateStore(10, 5);
        ControlThreads t = new ControlThreads(POLICY, store);
        Context ctx = Context.of("tool", "T1");
        for (int i = 0; i < 12; i++) {
            t.maintenance(ctx, Seeding.NOMINAL, "PM " + i);
        }
        java.util.List<AuditEntry> audit = store.audit(ctx);
        assertEquals(5, audit.size());
        assertEquals("PM 11; re-seeded: nominal model", audit.get(4).detail());
        assertEquals("PM 7; re-seeded: nominal model", audit.get(0).detail());
        assertThrows(IllegalArgumentException.class, () -> new InMemoryThreadStateStore(10, 0));
    }

    /** The same scenario through ControlThreads' in-memory commit path and through the generic one. */
    private static void scenario(ControlThreads t) {
        Context a = Context.of("tool", "A");
        Context b = Context.of("tool", "B", "product", "P");
        for (int i = 0; i < 30; i++) {
            Recommendation r = t.recommend(a);
            t.update(a, new Measurement("a" + i, 10 + i, r.input(), i == 17 ? 2 * r.input() + 60 : output(i, r.input())));
            if (i % 3 == 0) {
                t.missing(b, "bm" + i, i);
            } else {
                Recommendation rb = t.recommend(b);
                // outputs far below target drive the recommendation past the upper bound: clipped
                t.update(b, new Measurement("b" + i, i, rb.input(), output(i, rb.input()) - 300));
            }
        }
        t.update(a, new Measurement("a3", 13, 1, 1)); // duplicate
        t.update(a, new Measurement("late", 5, 1, 1)); // late
        t.maintenance(a, Seeding.FIRST_MEASUREMENT, "PM");
        t.recommend(a); // fallback, audited
        t.updateBatch(List.of(java.util.Map.entry(a, new Measurement("x1", 100, 1, 5)),
                java.util.Map.entry(b, new Measurement("x2", 100, 1, 5))));
    }

    @Test
    void inMemoryCommitPathStoresTheSameAsTheGenericOne() {
        InMemoryThreadStateStore fast = new InMemoryThreadStateStore(); // the same retention as FailingStore's
        FailingStore generic = new FailingStore(); // not an InMemoryThreadStateStore: ThreadCommit path
        long t0 = System.currentTimeMillis();
        scenario(new ControlThreads(POLICY, fast));
        scenario(new ControlThreads(POLICY, generic));
        long t1 = System.currentTimeMillis();
        assertEquals(2, fast.loadAll().size());
        for (Context c : List.of(Context.of("tool", "A"), Context.of("tool", "B", "product", "P"))) {
            ThreadRecord f = fast.load(c).orElseThrow();
            ThreadRecord g = generic.load(c).orElseThrow();
            assertEquals(g.context(), f.context());
            assertEquals(g.kind(), f.kind());
            assertArrayEquals(g.state(), f.state(), 0, c.key());
            assertEquals(g.lastSequence(), f.lastSequence(), c.key());
            assertEquals(g.version(), f.version(), c.key());
            assertEquals(g.provenance(), f.provenance());
            assertTrue(f.updatedAtMs() >= t0 && f.updatedAtMs() <= t1, "updatedAtMs " + f.updatedAtMs());
            assertEquals(g.lastSequence(), f.lastSequence());
            assertEquals(generic.runs(c), fast.runs(c), c.key());
            assertEquals(generic.audit(c).size(), fast.audit(c).size(), c.key());
            for (int i = 0; i < fast.audit(c).size(); i++) {
                AuditEntry x = fast.audit(c).get(i);
                AuditEntry y = generic.audit(c).get(i);
                assertEquals(List.of(y.threadKey(), y.version(), y.kind(), y.runId(), y.detail()),
                        List.of(x.threadKey(), x.version(), x.kind(), x.runId(), x.detail()));
            }
        }
        assertTrue(fast.audit(Context.of("tool", "B", "product", "P")).stream().anyMatch(e -> e.kind().equals("CLIPPED")));
        assertTrue(fast.audit(Context.of("tool", "A")).stream().anyMatch(e -> e.kind().equals("OUTLIER_HELD")
                || e.kind().equals("FALLBACK")));
    }

    @Test
    void loadedRecordIsASnapshotThatLaterCommitsDoNotChange() {
        InMemoryThreadStateStore mem = new InMemoryThreadStateStore();
        ControlThreads t = new ControlThreads(POLICY, mem);
        Context ctx = Context.of("tool", "T1");
        t.update(ctx, new Measurement("r0", 0, 1, 5));
        ThreadRecord before = mem.load(ctx).orElseThrow();
        double[] s = before.state();
        t.update(ctx, new Measurement("r1", 1, 1, 9));
        assertArrayEquals(s, before.state(), 0);
        assertEquals(1, before.version());
        assertEquals(2, mem.load(ctx).orElseThrow().version());
        assertFalse(java.util.Arrays.equals(s, mem.load(ctx).orElseThrow().state()));
    }

    @Test
    void twoInstancesWritingOneThreadConcurrentlyLoseNothingAndApplyEachRunOnce() throws Exception {
        InMemoryThreadStateStore mem = new InMemoryThreadStateStore();
        ControlThreads[] inst = {new ControlThreads(POLICY, mem), new ControlThreads(POLICY, mem)};
        Context ctx = Context.of("tool", "T1");
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ConcurrentLinkedQueue<UpdateResult> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
        int writers = 4;
        int each = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            fs.add(pool.submit(() -> {
                go.await();
                ControlThreads t = inst[id % 2];
                for (int i = 0; i < each; i++) {
                    long q = seq.incrementAndGet();
                    Measurement m = new Measurement("w" + id + "-" + i, q, 1, output(q, 1));
                    results.add(t.update(ctx, m));
                    if (i % 10 == 0) {
                        results.add(inst[(id + 1) % 2].update(ctx, m)); // a replay through the other instance
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : fs) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        long dup = results.stream().filter(r -> r.status() == UpdateResult.Status.DUPLICATE).count();
        assertEquals(writers * each / 10, dup, "every replay is a duplicate");
        ThreadRecord rec = mem.load(ctx).orElseThrow();
        assertEquals(writers * each, rec.version(), "one version per first delivery, none per replay");
        List<RunRecord> runs = mem.runs(ctx);
        assertEquals(writers * each, runs.size());
        assertEquals(writers * each, runs.stream().map(RunRecord::runId).distinct().count());
        Controller ref = new Controller(POLICY.controller(), POLICY.prototype());
        long last = Long.MIN_VALUE;
        for (RunRecord r : runs) {
            if (r.status().equals("APPLIED")) {
                assertTrue(r.sequence() > last);
                last = r.sequence();
                ref.update(r.input(), r.output());
            }
        }
        assertEquals(last, rec.lastSequence());
        assertArrayEquals(ref.state(), rec.state(), 0);
    }
}
