package org.fabai.core.io.npy;

import java.util.Arrays;
import java.util.Objects;

/**
 * The header of a {@code .npy} file: format version, dtype, memory order and shape.
 *
 * <p>Immutable and thread-safe.
 *
 * @param major        format major version (1, 2 or 3)
 * @param minor        format minor version (0)
 * @param dtype        element type as declared (byte order included)
 * @param fortranOrder true when the data are stored column-major
 * @param shape        dimensions (a copy is kept)
 * @param dataOffset   byte offset of the first data byte from the start of the array
 */
public record NpyHeader(int major, int minor, NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset) {

    /** Validates and copies. */
    public NpyHeader {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** @return a copy of the dimensions */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return number of elements
     * @throws IllegalArgumentException if it overflows
     */
    public long elementCount() {
        return NpyArray.elementCount(shape);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyHeader)) {
            return false;
        }
        NpyHeader h = (NpyHeader) o;
        return major == h.major && minor == h.minor && dtype.equals(h.dtype) && fortranOrder == h.fortranOrder
                && Arrays.equals(shape, h.shape) && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, dtype, fortranOrder, Arrays.hashCode(shape), dataOffset);
    }

    @Override
    public String toString() {
        return "NpyHeader[v" + major + "." + minor + ", " + dtype + ", fortran_order=" + fortranOrder
                + ", shape=" + Arrays.toString(shape) + ", data at byte " + dataOffset + "]";
    }
}
