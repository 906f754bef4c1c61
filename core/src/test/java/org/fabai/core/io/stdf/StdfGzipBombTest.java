package org.fabai.core.io.stdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.fabai.core.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the refusal of a 4 GiB gzip bomb (a valid FAR, then zeros: empty records) took 173 s
 * of CPU, because it was refused only when the inflated bytes passed the 4 GiB limit. Now the
 * inflation ratio is checked after 16 MiB, and a gzip file that declares (ISIZE) more than the
 * limit is refused before anything is inflated.
 */
class StdfGzipBombTest {

    private static final byte[] FAR_LE = {2, 0, 0, 10, 2, 4}; // REC_LEN 2, FAR (0,10), CPU_TYPE 2, STDF_VER 4

    /** gzip of a FAR and {@code mib} MiB of zeros, built from one deflate block of 1 MiB of zeros repeated. */
    static byte[] bomb(int mib) {
        byte[] zeros = new byte[1 << 20];
        Deflater d = new Deflater(9, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        byte[] buf = new byte[1 << 16];
        byte[] first = new byte[FAR_LE.length + zeros.length];
        System.arraycopy(FAR_LE, 0, first, 0, FAR_LE.length);
        d.setInput(first);
        out.writeBytes(drain(d, buf, Deflater.SYNC_FLUSH));
        d.setInput(zeros);
        byte[] block = drain(d, buf, Deflater.SYNC_FLUSH); // decodes to 1 MiB of zeros after any zeros
        for (int i = 1; i < mib; i++) {
            out.writeBytes(block);
        }
        d.finish();
        out.writeBytes(drain(d, buf, Deflater.NO_FLUSH));
        d.end();
        CRC32 crc = new CRC32();
        crc.update(FAR_LE);
        for (int i = 0; i < mib; i++) {
            crc.update(zeros);
        }
        long size = FAR_LE.length + ((long) mib << 20);
        for (long v : new long[] {crc.getValue(), size & 0xFFFFFFFFL}) {
            for (int k = 0; k < 4; k++) {
                out.write((int) (v >>> (8 * k)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** Deflates what was given: up to a byte boundary (SYNC_FLUSH), or to the end of the stream after finish(). */
    private static byte[] drain(Deflater d, byte[] buf, int flush) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        while (true) {
            int n = d.deflate(buf, 0, buf.length, flush);
            o.write(buf, 0, n);
            boolean done = flush == Deflater.NO_FLUSH ? d.finished() : n < buf.length && d.needsInput();
            if (done) {
                return o.toByteArray();
            }
        }
    }

    @Test
    void theBombIsWhatItClaims() throws Exception {
        byte[] small = bomb(40);
        // a valid gzip member: GZIPInputStream inflates it to the FAR and 40 MiB of zeros, CRC and ISIZE checked
        long total = 0;
        boolean allZero = true;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(small))) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                for (int i = 0; i < n; i++) {
                    allZero &= total + i < FAR_LE.length || b[i] == 0;
                }
                total += n;
            }
        }
        assertEquals(FAR_LE.length + (40L << 20), total);
        assertTrue(allZero);
    }

    @Test
    void aFourGibBombIsRefusedAfterItsFirstMegabytes() {
        byte[] gz = bomb(4096);
        assertTrue(gz.length < 8_000_000, gz.length + " bytes");
        FormatException e = assertThrows(FormatException.class,
                () -> StdfReader.read(new ByteArrayInputStream(gz), "bomb.stdf.gz", StdfReadOptions.defaults()));
        Matcher m = Pattern.compile("\\((\\d+) bytes from (\\d+)\\)").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        long inflated = Long.parseLong(m.group(1));
        // refused just past the 16 MiB grace, not at the 4 GiB limit
        assertTrue(inflated > StdfReadOptions.RATIO_GRACE_BYTES && inflated < StdfReadOptions.RATIO_GRACE_BYTES + (1 << 20),
                e.getMessage());
        assertTrue(e.getMessage().contains("more than the limit of 250 (StdfReadOptions.maxInflationRatio"), e.getMessage());
        // the ratio check can be turned off (then the byte limit refuses it, as before)
        FormatException limit = assertThrows(FormatException.class, () -> StdfReader.read(new ByteArrayInputStream(bomb(40)),
                "b.gz", StdfReadOptions.defaults().withMaxInflationRatio(Double.POSITIVE_INFINITY).withMaxInflatedBytes(30L << 20)));
        assertTrue(limit.getMessage().contains("inflates beyond the limit of " + (30L << 20)), limit.getMessage());
    }

    @Test
    void aFileDeclaringMoreThanTheLimitIsRefusedBeforeInflating(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bomb.stdf.gz");
        Files.write(f, bomb(40));
        FormatException e = assertThrows(FormatException.class,
                () -> StdfReader.read(f, StdfReadOptions.defaults().withMaxInflatedBytes(10L << 20)));
        assertTrue(e.getMessage().contains("gzip input declares " + (FAR_LE.length + (40L << 20))
                + " inflated bytes, more than the limit of " + (10L << 20)), e.getMessage());
        assertTrue(e.location().contains("gzip ISIZE"), e.location());
        assertThrows(IllegalArgumentException.class, () -> StdfReadOptions.defaults().withMaxInflationRatio(0.5));
    }

    @Test
    void theSharedRealFileCompressesFarLessThanTheLimit() throws Exception {
        Path real = org.fabai.core.SharedData.require("stdf/lot2.stdf.gz");
        long inflated;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(real))) {
            inflated = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        double ratio = inflated / (double) Files.size(real);
        // 4,418,001 bytes from 209,178: 21 times, a tenth of the default limit
        assertTrue(ratio > 5 && ratio < StdfReadOptions.DEFAULT_MAX_INFLATION_RATIO / 10, "ratio " + ratio);
        assertEquals(1, StdfReader.read(real).wafers().size());
    }
}
