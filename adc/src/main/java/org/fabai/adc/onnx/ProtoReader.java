package org.fabai.adc.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A minimal Protocol Buffers wire-format reader over a byte range. Not thread-safe.
 */
public final class ProtoReader {

    private final byte[] buf;
    private int pos;
    private final int end;
    private int field;
    private int wireType;

    /**
     * @param buf the message bytes
     */
    public ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    /**
     * Advances to the next field.
     *
     * @return false at the end of the message
     * @throws IllegalArgumentException on malformed input
     */
    public boolean next() {
        if (pos >= end) {
            return false;
        }
        long t = varint();
        field = (int) (t >>> 3);
        wireType = (int) (t & 7);
        if (field <= 0) {
            throw new IllegalArgumentException("protobuf: bad field number " + field + " at byte " + pos);
        }
        return true;
    }

    /** @return the current field number */
    public int field() {
        return field;
    }

    /** @return the current wire type (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit) */
    public int wireType() {
        return wireType;
    }

    /** @return the current varint value */
    public long varint() {
        long r = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("protobuf: truncated varint at byte " + pos);
            }
            int b = buf[pos++] & 0xFF;
            r |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return r;
            }
        }
        throw new IllegalArgumentException("protobuf: varint longer than 10 bytes at byte " + pos);
    }

    /** @return the current 32-bit field as a float */
    public float float32() {
        need(4);
        int b = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(b);
    }

    /** @return the current length-delimited field's bytes */
    public byte[] bytes() {
        int len = length();
        byte[] b = new byte[len];
        System.arraycopy(buf, pos, b, 0, len);
        pos += len;
        return b;
    }

    /** @return the current length-delimited field as UTF-8 text */
    public String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** @return a reader over the current embedded message */
    public ProtoReader message() {
        int len = length();
        ProtoReader r = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return r;
    }

    /**
     * Reads a repeated varint field, packed or not.
     *
     * @param into where to add the values
     */
    public void varints(java.util.List<Long> into) {
        if (wireType == 2) {
            ProtoReader r = message();
            while (r.pos < r.end) {
                into.add(r.varint());
            }
        } else {
            into.add(varint());
        }
    }

    /**
     * Reads a repeated float field, packed or not.
     *
     * @param into where to add the values
     */
    public void floats(java.util.List<Float> into) {
        if (wireType == 2) {
            ProtoReader r = message();
            while (r.pos < r.end) {
                into.add(r.float32());
            }
        } else {
            into.add(float32());
        }
    }

    /** Skips the current field. */
    public void skip() {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> { need(8); pos += 8; }
            case 2 -> { int len = length(); pos += len; }
            case 5 -> { need(4); pos += 4; }
            default -> throw new IllegalArgumentException("protobuf: unsupported wire type " + wireType
                    + " of field " + field + " at byte " + pos);
        }
    }

    private int length() {
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new IllegalArgumentException("protobuf: length " + len + " of field " + field
                    + " exceeds the " + (end - pos) + " bytes left at byte " + pos);
        }
        return (int) len;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new IllegalArgumentException("protobuf: truncated field " + field + " at byte " + pos);
        }
    }
}
