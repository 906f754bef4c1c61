package org.fabai.core.io.npy;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The element type of an {@link NpyArray}: a numpy dtype that fabai reads and writes.
 *
 * <p>Supported: {@code bool}, {@code int8}, {@code uint8}, {@code int16}, {@code uint16},
 * {@code int32}, {@code uint32}, {@code int64}, {@code uint64}, {@code float16}, {@code float32},
 * {@code float64}, fixed-width
 * unicode strings {@code U{n}} (UTF-32 code points) and fixed-width byte strings {@code S{n}}.
 * The byte order records what a file declared; arrays held in memory are always little-endian.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind      the element kind
 * @param itemSize  bytes per element ({@code 4*n} for {@code U{n}}, {@code n} for {@code S{n}})
 * @param byteOrder byte order of multi-byte elements as stored in a file
 */
public record NpyDtype(Kind kind, int itemSize, ByteOrder byteOrder) {

    /** Element kinds. Immutable and thread-safe. */
    public enum Kind {
        /** numpy {@code bool} ({@code b1}): one byte, 0 or 1. */
        BOOL('b', 1),
        /** {@code int8} ({@code i1}). */
        INT8('i', 1),
        /** {@code uint8} ({@code u1}). */
        UINT8('u', 1),
        /** {@code int16} ({@code i2}). */
        INT16('i', 2),
        /** {@code uint16} ({@code u2}). */
        UINT16('u', 2),
        /** {@code int32} ({@code i4}). */
        INT32('i', 4),
        /** {@code uint32} ({@code u4}). */
        UINT32('u', 4),
        /** {@code int64} ({@code i8}). */
        INT64('i', 8),
        /** {@code uint64} ({@code u8}); values above {@link Long#MAX_VALUE} read as doubles only. */
        UINT64('u', 8),
        /** {@code float16} ({@code f2}), IEEE 754 half precision; read as float. */
        FLOAT16('f', 2),
        /** {@code float32} ({@code f4}). */
        FLOAT32('f', 4),
        /** {@code float64} ({@code f8}). */
        FLOAT64('f', 8),
        /** Fixed-width unicode string {@code U{n}}: n UTF-32 code units, trailing NULs stripped. */
        UNICODE('U', 4),
        /** Fixed-width byte string {@code S{n}}: n bytes (read as ISO-8859-1), trailing NULs stripped. */
        BYTES('S', 1);

        private final char code;
        private final int unit;

        Kind(char code, int unit) {
            this.code = code;
            this.unit = unit;
        }

        /** @return true for the two string kinds */
        public boolean isString() {
            return this == UNICODE || this == BYTES;
        }

        /** @return true for integer kinds (not bool) */
        public boolean isInteger() {
            return code == 'i' || code == 'u';
        }

        /** @return true for float kinds */
        public boolean isFloat() {
            return code == 'f';
        }
    }

    /** {@code bool}. */
    public static final NpyDtype BOOL = new NpyDtype(Kind.BOOL, 1, ByteOrder.LITTLE_ENDIAN);
    /** {@code int8}. */
    public static final NpyDtype INT8 = new NpyDtype(Kind.INT8, 1, ByteOrder.LITTLE_ENDIAN);
    /** {@code uint8}. */
    public static final NpyDtype UINT8 = new NpyDtype(Kind.UINT8, 1, ByteOrder.LITTLE_ENDIAN);
    /** {@code int16}, little-endian. */
    public static final NpyDtype INT16 = new NpyDtype(Kind.INT16, 2, ByteOrder.LITTLE_ENDIAN);
    /** {@code uint16}, little-endian. */
    public static final NpyDtype UINT16 = new NpyDtype(Kind.UINT16, 2, ByteOrder.LITTLE_ENDIAN);
    /** {@code int32}, little-endian. */
    public static final NpyDtype INT32 = new NpyDtype(Kind.INT32, 4, ByteOrder.LITTLE_ENDIAN);
    /** {@code uint32}, little-endian. */
    public static final NpyDtype UINT32 = new NpyDtype(Kind.UINT32, 4, ByteOrder.LITTLE_ENDIAN);
    /** {@code int64}, little-endian. */
    public static final NpyDtype INT64 = new NpyDtype(Kind.INT64, 8, ByteOrder.LITTLE_ENDIAN);
    /** {@code float32}, little-endian. */
    public static final NpyDtype FLOAT32 = new NpyDtype(Kind.FLOAT32, 4, ByteOrder.LITTLE_ENDIAN);
    /** {@code float64}, little-endian. */
    public static final NpyDtype FLOAT64 = new NpyDtype(Kind.FLOAT64, 8, ByteOrder.LITTLE_ENDIAN);

    /** Validates the dtype. */
    public NpyDtype {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(byteOrder, "byteOrder");
        if (kind.isString()) {
            if (itemSize < kind.unit || itemSize % kind.unit != 0) {
                throw new IllegalArgumentException(kind + " item size must be a positive multiple of "
                        + kind.unit + ", got " + itemSize);
            }
        } else if (itemSize != kind.unit) {
            throw new IllegalArgumentException(kind + " item size must be " + kind.unit + ", got " + itemSize);
        }
    }

    /**
     * A little-endian unicode string dtype {@code <U{n}}.
     *
     * @param chars width in code points, at least 1
     * @return the dtype
     */
    public static NpyDtype unicode(int chars) {
        if (chars < 1 || chars > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("unicode width must be in [1, " + (Integer.MAX_VALUE / 4) + "], got " + chars);
        }
        return new NpyDtype(Kind.UNICODE, 4 * chars, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A byte string dtype {@code |S{n}}.
     *
     * @param bytes width in bytes, at least 1
     * @return the dtype
     */
    public static NpyDtype bytes(int bytes) {
        return new NpyDtype(Kind.BYTES, bytes, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param descr a numpy dtype string
     * @return whether it is the object dtype ({@code 'O'}, {@code '|O'}, ...): pickled Python objects
     */
    static boolean isObject(String descr) {
        String rest = !descr.isEmpty() && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        return rest.startsWith("O");
    }

    /**
     * Parses a numpy dtype descriptor such as {@code "<i4"}, {@code ">f8"}, {@code "|u1"},
     * {@code "|b1"} or {@code "<U12"}.
     *
     * @param descr the descriptor from an NPY header
     * @return the dtype
     * @throws IllegalArgumentException with a message saying what is supported when the descriptor
     *                                  is unknown, an object ({@code |O}) dtype or malformed
     */
    public static NpyDtype parse(String descr) {
        Objects.requireNonNull(descr, "descr");
        if (descr.length() < 2) {
            throw new IllegalArgumentException("unknown dtype '" + descr + "'");
        }
        char o = descr.charAt(0);
        ByteOrder order;
        String rest;
        if (o == '<' || o == '|' || o == '=') {
            order = ByteOrder.LITTLE_ENDIAN;
            rest = descr.substring(1);
        } else if (o == '>') {
            order = ByteOrder.BIG_ENDIAN;
            rest = descr.substring(1);
        } else {
            order = ByteOrder.LITTLE_ENDIAN;
            rest = descr;
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("unknown dtype '" + descr + "'");
        }
        char t = rest.charAt(0);
        if (t == 'O') {
            throw new IllegalArgumentException("object arrays (dtype '" + descr + "', pickled Python objects) are"
                    + " not supported; save the array with a fixed-width dtype such as '<U16' or '<i8'");
        }
        String num = rest.substring(1);
        if (num.isEmpty() || num.length() > 10 || !num.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("unknown dtype '" + descr + "'" + SUPPORTED);
        }
        long n = Long.parseLong(num);
        switch (t) {
            case 'b':
                if (n == 1) {
                    return new NpyDtype(Kind.BOOL, 1, ByteOrder.LITTLE_ENDIAN);
                }
                break;
            case 'i':
                if (n == 1) {
                    return new NpyDtype(Kind.INT8, 1, ByteOrder.LITTLE_ENDIAN);
                } else if (n == 2) {
                    return new NpyDtype(Kind.INT16, 2, order);
                } else if (n == 4) {
                    return new NpyDtype(Kind.INT32, 4, order);
                } else if (n == 8) {
                    return new NpyDtype(Kind.INT64, 8, order);
                }
                break;
            case 'u':
                if (n == 1) {
                    return new NpyDtype(Kind.UINT8, 1, ByteOrder.LITTLE_ENDIAN);
                } else if (n == 2) {
                    return new NpyDtype(Kind.UINT16, 2, order);
                } else if (n == 4) {
                    return new NpyDtype(Kind.UINT32, 4, order);
                } else if (n == 8) {
                    return new NpyDtype(Kind.UINT64, 8, order);
                }
                break;
            case 'f':
                if (n == 2) {
                    return new NpyDtype(Kind.FLOAT16, 2, order);
                } else if (n == 4) {
                    return new NpyDtype(Kind.FLOAT32, 4, order);
                } else if (n == 8) {
                    return new NpyDtype(Kind.FLOAT64, 8, order);
                }
                break;
            case 'U':
                if (n >= 1 && n <= Integer.MAX_VALUE / 4) {
                    return new NpyDtype(Kind.UNICODE, (int) (4 * n), order);
                }
                break;
            case 'S':
                if (n >= 1 && n <= Integer.MAX_VALUE) {
                    return new NpyDtype(Kind.BYTES, (int) n, ByteOrder.LITTLE_ENDIAN);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("unknown or unsupported dtype '" + descr + "'" + SUPPORTED);
    }

    private static final String SUPPORTED = "; supported: b1, i1, u1, i2, u2, i4, u4, i8, u8, f2, f4, f8, U{n}, S{n}"
            + " with byte order '<', '>' or '|'";

    /** @return number of characters of a string dtype (code points for U, bytes for S), else 0 */
    public int width() {
        if (kind == Kind.UNICODE) {
            return itemSize / 4;
        }
        return kind == Kind.BYTES ? itemSize : 0;
    }

    /** @return this dtype in little-endian byte order (how arrays are held in memory) */
    public NpyDtype littleEndian() {
        return byteOrder == ByteOrder.LITTLE_ENDIAN ? this : new NpyDtype(kind, itemSize, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the numpy descriptor, e.g. {@code "<i4"}, {@code "|u1"}, {@code ">U8"} */
    public String descr() {
        String order = itemSize == 1 || kind == Kind.BYTES ? "|"
                : byteOrder == ByteOrder.BIG_ENDIAN ? ">" : "<";
        switch (kind) {
            case BOOL: return "|b1";
            case UNICODE: return order + "U" + width();
            case BYTES: return "|S" + itemSize;
            default: return order + kind.code + itemSize;
        }
    }

    @Override
    public String toString() {
        return descr();
    }
}
