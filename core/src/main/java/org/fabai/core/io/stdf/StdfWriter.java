package org.fabai.core.io.stdf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * Writes STDF V4 records in either byte order: FAR, MIR, WCR, WIR, PIR, PRR, WRR and MRR, and through
 * {@link #record(int, int)} any record field by field (including records that stop before their last
 * fields, as STDF allows).
 *
 * <p>The caller writes records in STDF order; the writer checks field ranges and record length but
 * not the order. A typical wafer: {@code far(); mir(...); wcr(...); wir(...); pir(...); prr(...); ...
 * wrr(...); mrr(...)}.
 *
 * <p>Not thread-safe.
 */
public final class StdfWriter implements AutoCloseable {

    private final OutputStream out;
    private final ByteOrder order;
    private boolean closed;

    /**
     * @param out   destination; closed by {@link #close()}
     * @param order byte order of all multi-byte fields; FAR CPU_TYP is written to match (1 big, 2 little)
     */
    public StdfWriter(OutputStream out, ByteOrder order) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"));
        this.order = Objects.requireNonNull(order, "order");
    }

    /** @return the byte order written */
    public ByteOrder byteOrder() {
        return order;
    }

    /**
     * Starts a record of any type; add fields, then call {@link Record#write()}.
     *
     * @param recTyp REC_TYP, 0..255
     * @param recSub REC_SUB, 0..255
     * @return the record builder
     */
    public Record record(int recTyp, int recSub) {
        checkRange("REC_TYP", recTyp, 0, 255);
        checkRange("REC_SUB", recSub, 0, 255);
        return new Record(recTyp, recSub);
    }

    /**
     * Writes the FAR: CPU_TYP from the byte order, STDF_VER 4.
     *
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter far() throws IOException {
        record(0, 10).u1(order == ByteOrder.BIG_ENDIAN ? 1 : 2).u1(4).write();
        return this;
    }

    /**
     * Writes a MIR with the record's fields; the MIR fields {@link StdfMir} does not hold are written
     * as missing.
     *
     * @param m the values
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter mir(StdfMir m) throws IOException {
        Record r = record(1, 10).u4(seconds(m.setupTime())).u4(seconds(m.startTime())).u1(m.stationNumber())
                .c1(m.modeCode()).c1(m.retestCode()).c1(' ').u2(0xFFFF).c1(' ')
                .cn(m.lotId()).cn(m.partType()).cn(m.nodeName()).cn(m.testerType()).cn(m.jobName())
                .cn(m.jobRevision()).cn(m.sublotId()).cn(m.operatorName()).cn(m.execType()).cn(m.execVersion())
                .cn(m.testCode()).cn(m.testTemperature()).cn("").cn("").cn("").cn("").cn("")
                .cn(m.facilityId()).cn(m.floorId()).cn(m.processId()).cn("").cn("").cn("").cn(m.flowId());
        r.write();
        return this;
    }

    /**
     * Writes a WCR.
     *
     * @param w the values
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter wcr(StdfWcr w) throws IOException {
        record(2, 30).r4(w.waferSize()).r4(w.dieHeight()).r4(w.dieWidth()).u1(w.units()).c1(w.flat())
                .i2(w.centerX()).i2(w.centerY()).c1(w.posX()).c1(w.posY()).write();
        return this;
    }

    /**
     * Writes a WIR (SITE_GRP 255).
     *
     * @param head      HEAD_NUM
     * @param startTime START_T, may be null (written as 0)
     * @param waferId   WAFER_ID
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter wir(int head, Instant startTime, String waferId) throws IOException {
        record(2, 10).u1(head).u1(255).u4(seconds(Optional.ofNullable(startTime))).cn(waferId).write();
        return this;
    }

    /**
     * Writes a PIR.
     *
     * @param head HEAD_NUM
     * @param site SITE_NUM
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter pir(int head, int site) throws IOException {
        record(5, 10).u1(head).u1(site).write();
        return this;
    }

    /**
     * Writes a PRR (TEST_T 0, no PART_TXT or PART_FIX).
     *
     * @param head     HEAD_NUM
     * @param site     SITE_NUM
     * @param partFlag PART_FLG bits (0x08 failed, 0x10 no pass/fail indication)
     * @param numTest  NUM_TEST
     * @param hardBin  HARD_BIN
     * @param softBin  SOFT_BIN (65535 = missing)
     * @param x        X_COORD (-32768 = unknown)
     * @param y        Y_COORD (-32768 = unknown)
     * @param partId   PART_ID
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter prr(int head, int site, int partFlag, int numTest, int hardBin, int softBin, int x, int y,
            String partId) throws IOException {
        record(5, 20).u1(head).u1(site).u1(partFlag).u2(numTest).u2(hardBin).u2(softBin).i2(x).i2(y).u4(0)
                .cn(partId).write();
        return this;
    }

    /**
     * Writes a WRR (SITE_GRP 255; ABRT_CNT and FUNC_CNT missing).
     *
     * @param head        HEAD_NUM
     * @param finishTime  FINISH_T, may be null (written as 0)
     * @param partCount   PART_CNT
     * @param retestCount RTST_CNT (-1 writes the missing value)
     * @param goodCount   GOOD_CNT (-1 writes the missing value)
     * @param waferId     WAFER_ID
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter wrr(int head, Instant finishTime, long partCount, long retestCount, long goodCount,
            String waferId) throws IOException {
        record(2, 20).u1(head).u1(255).u4(seconds(Optional.ofNullable(finishTime))).u4(partCount)
                .u4(retestCount < 0 ? 0xFFFFFFFFL : retestCount).u4(0xFFFFFFFFL)
                .u4(goodCount < 0 ? 0xFFFFFFFFL : goodCount).u4(0xFFFFFFFFL).cn(waferId).write();
        return this;
    }

    /**
     * Writes an MRR holding FINISH_T only (the other fields are trailing and omitted).
     *
     * @param finishTime FINISH_T, may be null (written as 0)
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter mrr(Instant finishTime) throws IOException {
        record(1, 20).u4(seconds(Optional.ofNullable(finishTime))).write();
        return this;
    }

    /**
     * Writes one wafer as the reader reads it back: a WIR, then a PIR and a PRR (site 1) for every
     * tested die of the map, row by row, then a WRR. A GOOD die is written as passed, a FAIL die as
     * failed, and an OFF cell that carries a hard bin as tested without a pass/fail indication; X/Y come
     * from {@link StdfWafer#dieX(int)} and {@link StdfWafer#dieY(int)}. Retests are not reproduced (only
     * each die's last result is in a {@link StdfWafer}). The WRR gives PART_CNT and GOOD_CNT of the
     * written parts. A WCR, when orientation matters, must be written before with {@link #wcr(StdfWcr)}.
     *
     * @param head HEAD_NUM for the WIR, PIRs, PRRs and WRR
     * @param w    the wafer
     * @return this writer
     * @throws IOException when the stream fails
     */
    public StdfWriter wafer(int head, StdfWafer w) throws IOException {
        WaferMap m = w.map();
        wir(head, w.startTime().orElse(null), w.waferId());
        long parts = 0;
        long good = 0;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                DieState s = m.state(r, c);
                int hard = m.bin(r, c);
                if (s == DieState.OFF && hard == WaferMap.NO_BIN) {
                    continue;
                }
                int flag = s == DieState.GOOD ? 0
                        : s == DieState.FAIL ? 0x08 : 0x10;
                int soft = w.softBin(r, c);
                pir(head, 1);
                prr(head, 1, flag, 0, hard == WaferMap.NO_BIN ? 0 : hard,
                        soft == WaferMap.NO_BIN ? 0xFFFF : soft, w.dieX(c), w.dieY(r),
                        w.partId(r, c));
                parts++;
                good += flag == 0 ? 1 : 0;
            }
        }
        wrr(head, w.finishTime().orElse(null), parts, 0, good, w.waferId());
        return this;
    }

    /**
     * Flushes buffered records.
     *
     * @throws IOException when the stream fails
     */
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private static long seconds(Optional<Instant> t) {
        return t.map(Instant::getEpochSecond).orElse(0L);
    }

    private static void checkRange(String what, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** One record being assembled field by field. Not thread-safe. */
    public final class Record {
        private final int recTyp;
        private final int recSub;
        private byte[] buf = new byte[64];
        private int n;

        private Record(int recTyp, int recSub) {
            this.recTyp = recTyp;
            this.recSub = recSub;
        }

        private void put(int b) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = (byte) b;
        }

        private void putMulti(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (bytes - 1 - i) : 8 * i;
                put((int) (v >>> shift) & 0xff);
            }
        }

        /**
         * @param v U*1 value, 0..255
         * @return this record
         */
        public Record u1(int v) {
            checkRange("U*1", v, 0, 255);
            put(v);
            return this;
        }

        /**
         * @param c C*1 character (ISO-8859-1)
         * @return this record
         */
        public Record c1(char c) {
            checkRange("C*1", c, 0, 255);
            put(c);
            return this;
        }

        /**
         * @param v U*2 value, 0..65535
         * @return this record
         */
        public Record u2(int v) {
            checkRange("U*2", v, 0, 65535);
            putMulti(v, 2);
            return this;
        }

        /**
         * @param v I*2 value, -32768..32767
         * @return this record
         */
        public Record i2(int v) {
            checkRange("I*2", v, -32768, 32767);
            putMulti(v, 2);
            return this;
        }

        /**
         * @param v U*4 value, 0..4294967295
         * @return this record
         */
        public Record u4(long v) {
            checkRange("U*4", v, 0, 0xFFFFFFFFL);
            putMulti(v, 4);
            return this;
        }

        /**
         * @param v I*4 value
         * @return this record
         */
        public Record i4(int v) {
            putMulti(v, 4);
            return this;
        }

        /**
         * @param v R*4 value (IEEE 754 single precision)
         * @return this record
         */
        public Record r4(float v) {
            putMulti(Float.floatToRawIntBits(v), 4);
            return this;
        }

        /**
         * @param s C*n string: a length byte and up to 255 ISO-8859-1 characters (null writes "")
         * @return this record
         */
        public Record cn(String s) {
            byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.ISO_8859_1);
            checkRange("C*n length", b.length, 0, 255);
            put(b.length);
            for (byte x : b) {
                put(x);
            }
            return this;
        }

        /**
         * @param bytes raw bytes appended as they are (for fields of other types)
         * @return this record
         */
        public Record bytes(byte... bytes) {
            for (byte x : bytes) {
                put(x);
            }
            return this;
        }

        /** @return the body length so far */
        public int length() {
            return n;
        }

        /**
         * Writes the header (REC_LEN, REC_TYP, REC_SUB) and the body.
         *
         * @throws IOException when the stream fails
         */
        public void write() throws IOException {
            if (closed) {
                throw new IllegalStateException("writer is closed");
            }
            checkRange("REC_LEN", n, 0, 65535);
            byte[] h = new byte[4];
            if (order == ByteOrder.BIG_ENDIAN) {
                h[0] = (byte) (n >>> 8);
                h[1] = (byte) n;
            } else {
                h[0] = (byte) n;
                h[1] = (byte) (n >>> 8);
            }
            h[2] = (byte) recTyp;
            h[3] = (byte) recSub;
            out.write(h);
            out.write(buf, 0, n);
        }
    }
}
