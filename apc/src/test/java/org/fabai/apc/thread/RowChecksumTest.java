package org.fabai.apc.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: 51 of 200 single-byte flips in the SQLite thread store were read back as a different
 * state without any error. Each thread row now carries a CRC-32C of its content: a flipped byte in
 * the row is an error when read (or, where SQLite's own structure catches it first, SQLite's error),
 * never another state.
 */
class RowChecksumTest {

    @TempDir
    Path dir;

    @Test
    void everyFlipOfTheStoredRowIsAnErrorNotAnotherState() throws Exception {
        Path db = dir.resolve("s.db");
        Context c = Context.of("tool", "FLIP");
        double[] good;
        String stateText;
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            ControlThreads t = new ControlThreads(StoreContractTest.POLICY, store);
            for (int i = 0; i < 12; i++) {
                t.update(c, new Measurement("r" + i, i, 1 + 0.1 * (i % 3), 5 + 0.3 * Math.sin(i)));
            }
            good = store.load(c).orElseThrow().state();
            stateText = ThreadRows.encode(good);
        }
        byte[] file = Files.readAllBytes(db); // closing the last connection checkpointed the WAL into it
        int at = indexOf(file, stateText.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at >= 0, "state text not found in the database file");
        int silent = 0;
        int flips = 0;
        for (int i = at; i < at + stateText.length() + 9; i++) {
            for (int bit : new int[] {0, 3}) {
                byte[] damaged = file.clone();
                damaged[i] ^= (byte) (1 << bit);
                Path copy = dir.resolve("flip-" + i + "-" + bit + ".db");
                Files.write(copy, damaged);
                flips++;
                try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(copy)) {
                    Optional<ThreadRecord> r = store.load(c);
                    if (r.isPresent() && !java.util.Arrays.equals(good, r.get().state())) {
                        silent++;
                    }
                } catch (StoreException expected) {
                    // damage reported
                }
                Files.deleteIfExists(copy);
            }
        }
        if (silent > 0) {
            fail(silent + " of " + flips + " flips of the stored state were read back as another state");
        }
        try (JdbcThreadStateStore store = JdbcThreadStateStore.sqlite(db)) {
            assertArrayEquals(good, store.load(c).orElseThrow().state(), 0);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
