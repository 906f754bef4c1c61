package org.fabai.adc.model.cnn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What fabai's oneDNN layer helpers ({@link OneDnnConvHelper}, {@link OneDnnPoolHelper}) share:
 * the CPU engine, ND4J arrays seen as oneDNN memory, and {@link Port}, a tensor in the user's
 * layout with the blocked copy a primitive may want. oneDNN here is JavaCPP's
 * {@code org.bytedeco:dnnl} build, separate from the one linked into libnd4j.
 */
final class OneDnn {

    private OneDnn() {
    }

    /** The CPU engine, created when first needed. */
    static engine engine() {
        return Holder.ENGINE;
    }

    /** A new stream on the CPU engine. */
    static stream newStream() {
        return new stream(Holder.ENGINE);
    }

    /** A float memory descriptor. */
    static memory.desc desc(memory.format_tag tag, long... dims) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /**
     * The address of an array's first element, as a JavaCPP pointer with position 0. (ND4J's
     * {@code addressPointer()} of a view's buffer already points at the view's first element.)
     */
    static Pointer address(INDArray a) {
        Pointer p = a.data().addressPointer();
        return new Address(p.address() + p.position() * p.sizeof());
    }

    /** Whether an array is float with its elements in row-major order without gaps (dimensions of size 1 ignored). */
    static boolean isDense(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** The array itself when {@link #isDense dense}, else a dense copy. */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /**
     * A map that keeps at most {@code max} entries, dropping (and closing) the least recently used:
     * the helpers' primitives per input shape.
     */
    static <K, V extends AutoCloseable> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(8, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > max) {
                    close(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * The output size and the four paddings of a sliding window (convolution or pooling) over an
     * NCHW float array, DL4J's way: Same mode pads as DL4J does, otherwise {@code pad} on the
     * top and left, and the bottom and right padding is whatever makes the output size exact.
     *
     * @return the window, or null for what fabai's helpers leave to DL4J's: not float, not rank 4,
     *         not NCHW, dilated, or a Truncate mode that drops input rows or columns
     */
    static Window window(INDArray input, int[] kernel, int[] strides, int[] pad, ConvolutionMode mode,
            int[] dilation, CNN2DFormat format) {
        if (input.dataType() != DataType.FLOAT || input.rank() != 4 || format != CNN2DFormat.NCHW
                || dilation[0] != 1 || dilation[1] != 1) {
            return null;
        }
        int[] out = ConvolutionUtils.getOutputSize(input, kernel, strides, mode == ConvolutionMode.Same ? null : pad,
                mode, dilation, CNN2DFormat.NCHW);
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        int[] p = mode == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(out, new int[] {h, w}, kernel, strides, dilation)
                : pad;
        long pb = (long) (out[0] - 1) * strides[0] + kernel[0] - h - p[0];
        long pr = (long) (out[1] - 1) * strides[1] + kernel[1] - w - p[1];
        return pb < 0 || pr < 0 ? null : new Window(out[0], out[1], p[0], p[1], pb, pr);
    }

    /** Output size and paddings (top, left, bottom, right) of a sliding window; see {@link #window}. */
    record Window(long oh, long ow, long pt, long pl, long pb, long pr) {
    }

    /** Closes native objects, nulls skipped. */
    static void close(AutoCloseable... objects) {
        for (AutoCloseable c : objects) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot release oneDNN objects", e);
            }
        }
    }

    /** A bare address; owns nothing. */
    private static final class Address extends Pointer {
        Address(long at) {
            this.address = at;
        }
    }

    private static final class Holder {
        static final engine ENGINE = new engine(engine.kind.cpu, 0);
    }

    /**
     * One tensor as a primitive sees it: the user's plain-layout memory (its data handle set per
     * call) and, when the primitive wants another layout, a buffer in that layout with the
     * reorders between the two.
     */
    static final class Port implements AutoCloseable {
        private final memory user;
        private final memory kernel;
        private final reorder toKernel;
        private final reorder toUser;

        /**
         * @param userDesc the layout of the ND4J array
         * @param wanted   the layout the primitive wants
         * @param in       whether the primitive reads it (a reorder in is needed)
         * @param out      whether the primitive writes it (a reorder out is needed)
         */
        Port(memory.desc userDesc, memory.desc wanted, boolean in, boolean out) {
            user = new memory(userDesc, engine(), new Pointer());
            if (wanted.equals(userDesc)) {
                kernel = null;
                toKernel = null;
                toUser = null;
            } else {
                kernel = new memory(wanted, engine());
                toKernel = in ? new reorder(user, kernel) : null;
                toUser = out ? new reorder(kernel, user) : null;
            }
        }

        /** The memory to hand the primitive. */
        memory mem() {
            return kernel == null ? user : kernel;
        }

        /** Points the user memory at an array (which must be {@link #isDense dense}). */
        void bind(INDArray a) {
            user.set_data_handle(address(a));
        }

        /** Copies the user memory into the primitive's layout, if they differ. */
        void load(stream s) {
            if (toKernel != null) {
                toKernel.execute(s, user, kernel);
            }
        }

        /** Copies the primitive's layout back to the user memory, if they differ. */
        void store(stream s) {
            if (toUser != null) {
                toUser.execute(s, kernel, user);
            }
        }

        @Override
        public void close() {
            OneDnn.close(toUser, toKernel, kernel, user);
        }
    }
}
