package org.fabai.core.io.stdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/** Small STDF files made with {@link StdfWriter} for the tests, and helpers around them. */
final class StdfTestFiles {

    static final Instant START = Instant.ofEpochSecond(1_700_000_000L);
    static final Instant FINISH = Instant.ofEpochSecond(1_700_003_600L);

    /** Writes records into a byte array. */
    interface Body {
        void write(StdfWriter w) throws IOException;
    }

    private StdfTestFiles() {
    }

    static byte[] stdf(ByteOrder order, Body body) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StdfWriter w = new StdfWriter(bos, order)) {
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * The standard one-wafer file of the tests. Die coordinates and results:
     * <pre>
     *  ( 0, 0) site 1 pass  hard 1 soft 1
     *  ( 1, 0) site 2 fail  hard 5 soft 51   (later retested)
     *  ( 0, 1) site 1 pass  hard 1 soft 2
     *  (-1,-1) site 2 fail  hard 7 soft missing
     *  ( 1, 0) site 1 pass  hard 1 soft 1    (the retest: this one wins)
     *  ( 2, 1) site 2 no pass/fail indication, hard 9 soft 9
     * </pre>
     * WCR: 200 mm wafer, dies 5 mm wide and 4 mm high, flat down, x right, y up.
     */
    static byte[] standard(ByteOrder order) {
        return stdf(order, w -> {
            w.far();
            w.mir(new StdfMir(java.util.Optional.of(START), java.util.Optional.of(START), 3, 'P', 'N', "LOT1",
                    "PART-A", "node1", "tester", "job", "rev2", "SUB1", "op", "exec", "9.1", "WFR", "25C", "FAB1",
                    "F2", "PROC", "FLOW"));
            w.wcr(new StdfWcr(200f, 4f, 5f, 3, 'D', 0, 0, 'R', 'U'));
            w.wir(1, START, "W01");
            w.pir(1, 1).pir(1, 2);
            w.prr(1, 1, 0x00, 10, 1, 1, 0, 0, "p1");
            w.prr(1, 2, 0x08, 4, 5, 51, 1, 0, "p2");
            w.pir(1, 1).pir(1, 2);
            w.prr(1, 1, 0x00, 10, 1, 2, 0, 1, "p3");
            w.prr(1, 2, 0x08, 3, 7, 65535, -1, -1, "p4");
            w.pir(1, 1).pir(1, 2);
            w.prr(1, 1, 0x02, 10, 1, 1, 1, 0, "p5");
            w.prr(1, 2, 0x10, 10, 9, 9, 2, 1, "p6");
            w.wrr(1, FINISH, 6, 1, 3, "W01");
            w.mrr(FINISH);
        });
    }

    /** @return the {@code shared/data} folder above the working directory; null when none */
    static Path sharedData() {
        return org.fabai.core.SharedData.dir().orElse(null);
    }
}
