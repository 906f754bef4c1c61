package org.fabai.adc.onnx;

import java.util.List;
import java.util.Locale;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;

/**
 * How a wafer map becomes network input. Stateless and thread-safe.
 */
public enum WaferEncoding {
    /** Three channels, one per die state (OFF, GOOD, FAIL), each 0 or 1: fabai's own networks. */
    ONE_HOT(3),
    /** One channel holding the WM-811K code (0 off, 1 good, 2 fail), as many published models take it. */
    CODES(1),
    /** One channel holding the code divided by 2 (0, 0.5, 1). */
    CODES_SCALED(1);

    private final int channels;

    WaferEncoding(int channels) {
        this.channels = channels;
    }

    /** @return input channels of this encoding */
    public int channels() {
        return channels;
    }

    /**
     * Parses a name case-insensitively ({@code one_hot}, {@code one-hot}, {@code codes}, ...).
     *
     * @param s the name
     * @return the encoding
     * @throws IllegalArgumentException for an unknown name
     */
    public static WaferEncoding parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (WaferEncoding e : values()) {
            if (e.name().equals(k)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown wafer encoding '" + s + "'; expected one of one_hot, codes, codes_scaled");
    }

    /**
     * Brings each map to {@code size x size} by {@link MapSizing#toSquare} (pad to square with OFF
     * cells, then shrink by the most severe state of each block or grow by the nearest die, so thin
     * scratches and single failing dies survive and the wafer stays round) and encodes the batch in
     * NCHW order.
     *
     * @param maps the maps
     * @param size the network's input side
     * @return {@code maps.size() * channels * size * size} floats
     */
    public float[] encode(List<WaferMap> maps, int size) {
        int plane = size * size;
        float[] out = new float[maps.size() * channels * plane];
        for (int i = 0; i < maps.size(); i++) {
            encodeInto(maps.get(i), size, out, i * channels * plane);
        }
        return out;
    }

    /**
     * Encodes one map into a batch buffer.
     *
     * @param map    the map
     * @param size   the network's input side
     * @param dst    destination
     * @param offset where this map's {@code channels * size * size} floats start
     */
    public void encodeInto(WaferMap map, int size, float[] dst, int offset) {
        WaferMap m = MapSizing.toSquare(map, size);
        if (this == ONE_HOT) {
            m.toOneHot(dst, offset);
            return;
        }
        byte[] codes = m.codes();
        float scale = this == CODES ? 1f : 0.5f;
        for (int j = 0; j < codes.length; j++) {
            dst[offset + j] = codes[j] * scale;
        }
    }
}
