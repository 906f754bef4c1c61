package org.fabai.core.io.npy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds NPZ decompression bombs in memory, fast: each entry is an honest {@code .npy} header
 * followed by gigabytes of zeros, deflated as one block of a mebibyte of zeros repeated (after a
 * full flush every such block compresses to the same bytes), so a 2 GB entry costs about 2 MB and
 * milliseconds to build. Used by the tests and to write the fuzz corpus's regression entries.
 */
final class NpzBombs {

    private static final int MIB = 1 << 20;

    private NpzBombs() {
    }

    /** One entry: its name, its .npy header dict and how many zero bytes of data follow. */
    record Entry(String name, String dict, long zeros) {
    }

    /** The {@code .npy} header (version 1.0) for a dict, padded as numpy pads it. */
    static byte[] npyHeader(String dict) {
        int len = 10 + dict.length() + 1;
        int pad = (64 - len % 64) % 64;
        StringBuilder sb = new StringBuilder(dict);
        sb.append(" ".repeat(pad)).append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyReader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return b.array();
    }

    /** A zip of deflated entries with sizes and CRCs in the local headers (ZipInputStream reads it too). */
    static byte[] npz(List<Entry> entries) {
        byte[] block = zeroBlock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Entry e : entries) {
            if (e.zeros() % MIB != 0) {
                throw new IllegalArgumentException("zeros must be whole mebibytes");
            }
            byte[] header = npyHeader(e.dict());
            Deflater d = new Deflater(9, true);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            d.setInput(header);
            byte[] buf = new byte[64 * 1024];
            int n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
            data.write(buf, 0, n);
            long blocks = e.zeros() / MIB;
            for (long i = 0; i < blocks; i++) {
                data.write(block, 0, block.length);
            }
            d.finish();
            while (!d.finished()) {
                n = d.deflate(buf);
                data.write(buf, 0, n);
            }
            d.end();
            CRC32 crc = new CRC32();
            crc.update(header);
            byte[] zero = new byte[MIB];
            for (long i = 0; i < blocks; i++) {
                crc.update(zero);
            }
            long size = header.length + e.zeros();
            if (size > 0xFFFFFFFEL) {
                throw new IllegalArgumentException("no zip64 here");
            }
            byte[] compressed = data.toByteArray();
            int offset = out.size();
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer lh = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            lh.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putShort((short) 0)
                    .putShort((short) 0).putInt((int) crc.getValue()).putInt(compressed.length).putInt((int) size)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(lh.array());
            out.writeBytes(compressed);
            ByteBuffer ch = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            ch.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(compressed.length)
                    .putInt((int) size).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
            central.writeBytes(ch.array());
        }
        int cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(central.size()).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    /** A mebibyte of zeros deflated after a full flush: the same bytes whatever came before. */
    private static byte[] zeroBlock() {
        Deflater d = new Deflater(9, true);
        d.setInput(new byte[MIB]);
        byte[] buf = new byte[64 * 1024];
        int n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    /** The bomb: one entry declaring (1, 46340, 46340) of {@code descr}, all its data zeros. */
    static byte[] single(String descr, boolean fortran, long side, int itemSize) {
        long bytes = side * side * itemSize;
        long mib = (bytes + MIB - 1) / MIB;
        // the data must be exactly what the header declares: shrink the last dimension to whole MiB is
        // not possible in general, so declare (1, side, side) and send ceil(bytes / MiB) MiB; any excess
        // is refused as trailing bytes by a reader that reads that far, and never reached by one that
        // refuses on the header
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': (1, " + side + ", " + side + "), }";
        return npz(List.of(new Entry("arr_0.npy", dict, mib * MIB)));
    }

    /** {@code count} legal entries of {@code mib} MiB of {@code |u1} each. */
    static byte[] many(int count, int mib) {
        List<Entry> es = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            es.add(new Entry("arr_" + i + ".npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (" + mib + ", "
                    + MIB + "), }", (long) mib * MIB));
        }
        return npz(es);
    }

    /** Writes the regression corpus entries: {@code java ... NpzBombs DIR}. */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.write(dir.resolve("bomb_i1_46340x46340"), single("|i1", false, 46340, 1));
        java.nio.file.Files.write(dir.resolve("bomb_20x256mib"), many(20, 256));
    }
}
