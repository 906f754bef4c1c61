package org.fabai.adc.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Protocol Buffers wire-format writer (varint, 64-bit, length-delimited and 32-bit
 * fields), enough to write ONNX models. Not thread-safe.
 */
public final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Creates an empty message. */
    public ProtoWriter() {
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    /**
     * Writes a varint field (int32, int64, enum, bool).
     *
     * @param field field number
     * @param v     value (negative values take ten bytes, as the spec requires)
     * @return this
     */
    public ProtoWriter varint(int field, long v) {
        tag(field, 0);
        rawVarint(v);
        return this;
    }

    /**
     * Writes a 32-bit float field.
     *
     * @param field field number
     * @param v     value
     * @return this
     */
    public ProtoWriter float32(int field, float v) {
        tag(field, 5);
        int b = Float.floatToIntBits(v);
        for (int i = 0; i < 4; i++) {
            out.write((b >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /**
     * Writes a length-delimited bytes field.
     *
     * @param field field number
     * @param b     bytes
     * @return this
     */
    public ProtoWriter bytes(int field, byte[] b) {
        tag(field, 2);
        rawVarint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /**
     * Writes a UTF-8 string field.
     *
     * @param field field number
     * @param s     string
     * @return this
     */
    public ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes an embedded message field.
     *
     * @param field field number
     * @param m     the message
     * @return this
     */
    public ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toByteArray());
    }

    /**
     * Writes a packed repeated varint field.
     *
     * @param field field number
     * @param vs    values
     * @return this
     */
    public ProtoWriter packedVarints(int field, long[] vs) {
        ProtoWriter p = new ProtoWriter();
        for (long v : vs) {
            p.rawVarint(v);
        }
        return bytes(field, p.toByteArray());
    }

    /** @return the encoded message */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
