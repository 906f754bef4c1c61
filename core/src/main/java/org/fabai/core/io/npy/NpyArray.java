package org.fabai.core.io.npy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as numpy saves it in {@code .npy} files: a shape, a {@link NpyDtype}
 * and the elements in row-major (C) order.
 *
 * <p>Elements are addressed by a flat row-major index ({@link #index(long...)} converts a
 * multi-index). Arrays read from Fortran-ordered files are transposed on reading, so access is
 * row-major whatever the file's order. Numeric data are held little-endian; string arrays
 * ({@code U{n}}, {@code S{n}}) are held as Java strings with trailing NULs stripped.
 *
 * <p>A 0-d array has shape {@code []} and one element; an array with a zero in its shape has
 * none. At most {@link Integer#MAX_VALUE} - 8 bytes of data (or elements, for strings).
 *
 * <p>Immutable and thread-safe: factories and accessors copy.
 */
public final class NpyArray {

    /** Largest number of data bytes an array may hold (the largest Java array). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final NpyDtype dtype;
    private final long[] shape;
    private final int size;
    private final byte[] data;
    private final String[] strings;

    private NpyArray(NpyDtype dtype, long[] shape, int size, byte[] data, String[] strings) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = size;
        this.data = data;
        this.strings = strings;
    }

    /**
     * Number of elements of a shape.
     *
     * @param shape dimensions, each non-negative
     * @return their product (1 for the empty shape)
     * @throws IllegalArgumentException if a dimension is negative or the product overflows a long
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        boolean zero = false;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("dimensions must be >= 0, got shape " + Arrays.toString(shape));
            }
            if (d == 0) {
                zero = true;
            }
        }
        if (zero) {
            return 0;
        }
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("element count of shape " + Arrays.toString(shape)
                        + " overflows a 64-bit integer", e);
            }
        }
        return n;
    }

    /**
     * An array over little-endian, row-major element bytes.
     *
     * @param dtype numeric or bool dtype (its byte order is ignored: data are little-endian)
     * @param shape dimensions
     * @param data  {@code size * itemSize} bytes, little-endian, row-major; copied
     * @return the array
     */
    public static NpyArray of(NpyDtype dtype, long[] shape, byte[] data) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        if (dtype.kind().isString()) {
            throw new IllegalArgumentException("string arrays are built with ofStrings, not from bytes");
        }
        int n = checkedSize(shape, dtype.itemSize());
        if ((long) n * dtype.itemSize() != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + ((long) n * dtype.itemSize()) + " bytes, got " + data.length);
        }
        if (dtype.kind() == NpyDtype.Kind.BOOL) {
            for (int i = 0; i < data.length; i++) {
                if (data[i] != 0 && data[i] != 1) {
                    throw new IllegalArgumentException("bool element " + i + " must be 0 or 1, got " + data[i]);
                }
            }
        }
        return new NpyArray(dtype.littleEndian(), shape.clone(), n, data.clone(), null);
    }

    /** Package-private: wraps without copying (reader). */
    static NpyArray wrap(NpyDtype dtype, long[] shape, int size, byte[] data, String[] strings) {
        return new NpyArray(dtype.littleEndian(), shape, size, data, strings);
    }

    static int checkedSize(long[] shape, int itemSize) {
        Objects.requireNonNull(shape, "shape");
        long n = elementCount(shape);
        if (n > MAX_BYTES / Math.max(1, itemSize)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements of " + itemSize + " bytes, more than the " + MAX_BYTES + " bytes an array may hold");
        }
        return (int) n;
    }

    private static long[] shapeOf(long[] shape, int length) {
        long[] s = shape.length == 0 ? new long[] {length} : shape;
        if (elementCount(s) != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + elementCount(s)
                    + " elements, data has " + length);
        }
        return s.clone();
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d; use {@link #reshape(long...)} for 0-d)
     * @return a {@code bool} array
     */
    public static NpyArray ofBooleans(boolean[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return new NpyArray(NpyDtype.BOOL, s, values.length, b, null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return an {@code int8} array
     */
    public static NpyArray ofBytes(byte[] values, long... shape) {
        return new NpyArray(NpyDtype.INT8, shapeOf(shape, values.length), values.length, values.clone(), null);
    }

    /**
     * @param values values, row-major, read as unsigned (0..255)
     * @param shape  dimensions (none: 1-d)
     * @return a {@code uint8} array
     */
    public static NpyArray ofUnsignedBytes(byte[] values, long... shape) {
        return new NpyArray(NpyDtype.UINT8, shapeOf(shape, values.length), values.length, values.clone(), null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return an {@code int16} array
     */
    public static NpyArray ofShorts(short[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            SHORT.set(b, 2 * i, values[i]);
        }
        return new NpyArray(NpyDtype.INT16, s, values.length, b, null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return an {@code int32} array
     */
    public static NpyArray ofInts(int[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            INT.set(b, 4 * i, values[i]);
        }
        return new NpyArray(NpyDtype.INT32, s, values.length, b, null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return an {@code int64} array
     */
    public static NpyArray ofLongs(long[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            LONG.set(b, 8 * i, values[i]);
        }
        return new NpyArray(NpyDtype.INT64, s, values.length, b, null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return a {@code float32} array
     */
    public static NpyArray ofFloats(float[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            FLOAT.set(b, 4 * i, values[i]);
        }
        return new NpyArray(NpyDtype.FLOAT32, s, values.length, b, null);
    }

    /**
     * @param values values, row-major
     * @param shape  dimensions (none: 1-d)
     * @return a {@code float64} array
     */
    public static NpyArray ofDoubles(double[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        byte[] b = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            DOUBLE.set(b, 8 * i, values[i]);
        }
        return new NpyArray(NpyDtype.FLOAT64, s, values.length, b, null);
    }

    /**
     * A unicode string array ({@code <U{n}}, n the longest string's code-point count, at least 1).
     * Trailing NUL characters do not survive a write and read, as in numpy.
     *
     * @param values strings, row-major, none null
     * @param shape  dimensions (none: 1-d)
     * @return the array
     */
    public static NpyArray ofStrings(String[] values, long... shape) {
        long[] s = shapeOf(shape, values.length);
        int width = 1;
        String[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], "string element " + i);
            width = Math.max(width, copy[i].codePointCount(0, copy[i].length()));
        }
        checkedSize(s, 4 * width);
        return new NpyArray(NpyDtype.unicode(width), s, copy.length, null, copy);
    }

    /**
     * The same elements under another shape with the same element count.
     *
     * @param newShape dimensions; none gives a 0-d array (one element)
     * @return the reshaped array
     */
    public NpyArray reshape(long... newShape) {
        if (elementCount(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + size + " elements to " + Arrays.toString(newShape));
        }
        return new NpyArray(dtype, newShape.clone(), size, data, strings);
    }

    /** @return the element type (always little-endian in memory) */
    public NpyDtype dtype() {
        return dtype;
    }

    /** @return a copy of the dimensions; empty for a 0-d array */
    public long[] shape() {
        return shape.clone();
    }

    /** @return number of dimensions */
    public int ndim() {
        return shape.length;
    }

    /**
     * @param axis an axis in {@code [0, ndim)}
     * @return the length along it
     */
    public long dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " outside a " + shape.length + "-d array");
        }
        return shape[axis];
    }

    /** @return number of elements */
    public long size() {
        return size;
    }

    /**
     * The flat row-major index of a multi-index.
     *
     * @param idx one index per dimension
     * @return the flat index
     */
    public long index(long... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("need " + shape.length + " indices, got " + idx.length);
        }
        long f = 0;
        for (int a = 0; a < shape.length; a++) {
            if (idx[a] < 0 || idx[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + idx[a] + " outside axis " + a + " of length " + shape[a]);
            }
            f = f * shape[a] + idx[a];
        }
        return f;
    }

    private int check(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("flat index " + i + " outside array of " + size + " elements");
        }
        return (int) i;
    }

    private void requireNumeric(String what) {
        if (strings != null) {
            throw new UnsupportedOperationException(what + " of a " + dtype + " string array; use getString");
        }
    }

    /**
     * @param flatIndex row-major index
     * @return the element as a double (bool: 0 or 1; int64 may round)
     */
    public double getDouble(long flatIndex) {
        requireNumeric("getDouble");
        int i = check(flatIndex);
        switch (dtype.kind()) {
            case FLOAT16: return halfToFloat((short) SHORT.get(data, 2 * i));
            case FLOAT32: return (float) FLOAT.get(data, 4 * i);
            case FLOAT64: return (double) DOUBLE.get(data, 8 * i);
            case UINT64: {
                long v = (long) LONG.get(data, 8 * i);
                return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
            }
            default: return integral(i);
        }
    }

    /**
     * @param flatIndex row-major index
     * @return the element of an integer or bool array
     * @throws UnsupportedOperationException for float and string arrays
     */
    public long getLong(long flatIndex) {
        requireNumeric("getLong");
        if (dtype.kind().isFloat()) {
            throw new UnsupportedOperationException("getLong of a " + dtype + " float array; use getDouble");
        }
        return integral(check(flatIndex));
    }

    /**
     * @param flatIndex row-major index
     * @return the element of an integer or bool array
     * @throws ArithmeticException if the value does not fit an int
     */
    public int getInt(long flatIndex) {
        return Math.toIntExact(getLong(flatIndex));
    }

    /**
     * @param flatIndex row-major index
     * @return the element, non-zero being true
     */
    public boolean getBoolean(long flatIndex) {
        return getDouble(flatIndex) != 0;
    }

    /**
     * @param flatIndex row-major index
     * @return the element of a string array
     * @throws UnsupportedOperationException for numeric arrays
     */
    public String getString(long flatIndex) {
        if (strings == null) {
            throw new UnsupportedOperationException("getString of a numeric " + dtype + " array");
        }
        return strings[check(flatIndex)];
    }

    /** IEEE 754 half precision bits to float (numpy's float16). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private long integral(int i) {
        switch (dtype.kind()) {
            case BOOL:
            case INT8: return data[i];
            case UINT8: return data[i] & 0xFF;
            case INT16: return (short) SHORT.get(data, 2 * i);
            case UINT16: return ((short) SHORT.get(data, 2 * i)) & 0xFFFF;
            case INT32: return (int) INT.get(data, 4 * i);
            case UINT32: return ((int) INT.get(data, 4 * i)) & 0xFFFFFFFFL;
            case INT64: return (long) LONG.get(data, 8 * i);
            case UINT64: {
                long v = (long) LONG.get(data, 8 * i);
                if (v < 0) {
                    throw new ArithmeticException("uint64 element " + i + " is " + Long.toUnsignedString(v)
                            + ", more than a long holds; use getDouble");
                }
                return v;
            }
            default: throw new UnsupportedOperationException("not an integer dtype: " + dtype);
        }
    }

    /** @return all elements as doubles, row-major */
    public double[] toDoubleArray() {
        requireNumeric("toDoubleArray");
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** @return all elements as floats, row-major */
    public float[] toFloatArray() {
        requireNumeric("toFloatArray");
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /**
     * @return all elements of an integer or bool array as longs, row-major
     * @throws UnsupportedOperationException for float and string arrays
     */
    public long[] toLongArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /**
     * @return all elements of an integer or bool array as ints, row-major
     * @throws ArithmeticException if one does not fit an int
     * @throws UnsupportedOperationException for float and string arrays
     */
    public int[] toIntArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = getInt(i);
        }
        return out;
    }

    /** @return all elements as booleans (non-zero is true), row-major */
    public boolean[] toBooleanArray() {
        boolean[] out = new boolean[size];
        for (int i = 0; i < size; i++) {
            out[i] = getBoolean(i);
        }
        return out;
    }

    /**
     * @return all elements of a string array, row-major
     * @throws UnsupportedOperationException for numeric arrays
     */
    public String[] toStringArray() {
        if (strings == null) {
            throw new UnsupportedOperationException("toStringArray of a numeric " + dtype + " array");
        }
        return strings.clone();
    }

    /**
     * @return a copy of the element bytes (little-endian, row-major) of a numeric or bool array
     * @throws UnsupportedOperationException for string arrays
     */
    public byte[] toByteArray() {
        requireNumeric("toByteArray");
        return data.clone();
    }

    /** Package-private, no copy: for the writer. */
    byte[] rawData() {
        return data;
    }

    /** Package-private, no copy: for the writer. */
    String[] rawStrings() {
        return strings;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NpyArray)) {
            return false;
        }
        NpyArray a = (NpyArray) o;
        return dtype.equals(a.dtype) && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data)
                && Arrays.equals(strings, a.strings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data), Arrays.hashCode(strings));
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + ", shape=" + Arrays.toString(shape) + "]";
    }
}
