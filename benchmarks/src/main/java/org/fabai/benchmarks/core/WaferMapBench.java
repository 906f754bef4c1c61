package org.fabai.benchmarks.core;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.concurrent.TimeUnit;
import org.fabai.benchmarks.PeerOf;
import org.fabai.benchmarks.SyntheticMaps;
import org.fabai.core.wafer.WaferMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Grid operations of {@link WaferMap} on the way into a classifier — resize, rotate (augmentation),
 * one-hot encoding — with {@code java.awt.image.AffineTransformOp} as the JVM peer where one
 * exists. Both sides allocate and return their output.
 *
 * <p>The peer works on a {@code TYPE_BYTE_GRAY} image holding the same cell codes, with
 * nearest-neighbour sampling at pixel centres, which is the same sampling as
 * {@link WaferMap.ResizeMode#NEAREST}: both sides compute the same cells
 * (checked by {@code WaferMapBenchTest}).
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-Xms256m", "-Xmx256m"})
public class WaferMapBench {

    /** Side of the typical input map (WM-811K's most common size class). */
    public static final int SOURCE = 52;
    /** Side of the classifier input. */
    public static final int TARGET = 64;
    /** Side of a large map that MAX resize shrinks to {@link #TARGET}. */
    public static final int LARGE = 128;

    WaferMap map52;
    WaferMap map128;
    WaferMap map64;
    BufferedImage image52;
    AffineTransformOp awtScale;
    AffineTransformOp awtRotate90;
    float[] oneHot;

    /** Creates the benchmark (JMH calls it). */
    public WaferMapBench() {
    }

    /** Builds the seeded maps, the peer's image and its operations. */
    @Setup
    public void setUp() {
        map52 = SyntheticMaps.disc(SOURCE, 0.1, 52);
        map128 = SyntheticMaps.disc(LARGE, 0.1, 128);
        map64 = SyntheticMaps.disc(TARGET, 0.1, 64);
        image52 = grayImage(map52);
        double s = (double) TARGET / SOURCE;
        awtScale = new AffineTransformOp(AffineTransform.getScaleInstance(s, s),
                AffineTransformOp.TYPE_NEAREST_NEIGHBOR);
        // clockwise quarter turn in image coordinates (y down): (x, y) -> (h - y, x)
        awtRotate90 = new AffineTransformOp(new AffineTransform(0, 1, -1, 0, SOURCE, 0),
                AffineTransformOp.TYPE_NEAREST_NEIGHBOR);
        oneHot = new float[3 * TARGET * TARGET];
    }

    /**
     * The map's codes (0, 1, 2) as grey levels of a byte image.
     *
     * @param map a map
     * @return a {@code TYPE_BYTE_GRAY} image of {@code cols x rows} pixels
     */
    public static BufferedImage grayImage(WaferMap map) {
        BufferedImage img = new BufferedImage(map.cols(), map.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(map.codes(), 0, px, 0, px.length);
        return img;
    }

    /** @return 52x52 resized to 64x64, nearest cell */
    @Benchmark
    public WaferMap resizeNearest52to64() {
        return map52.resize(TARGET, TARGET, WaferMap.ResizeMode.NEAREST);
    }

    /** @return the same resize by AWT's nearest-neighbour affine transform */
    @Benchmark
    @PeerOf(value = "resizeNearest52to64", name = "java.awt AffineTransformOp NEAREST_NEIGHBOR")
    public BufferedImage awtResizeNearest52to64() {
        return awtScale.filter(image52, null);
    }

    /** @return 128x128 shrunk to 64x64 keeping the most severe state of each 2x2 block */
    @Benchmark
    public WaferMap resizeMax128to64() {
        return map128.resize(TARGET, TARGET, WaferMap.ResizeMode.MAX);
    }

    /** @return 52x52 rotated a quarter turn clockwise */
    @Benchmark
    public WaferMap rotate90() {
        return map52.rotate(90);
    }

    /** @return the same rotation by AWT's nearest-neighbour affine transform */
    @Benchmark
    @PeerOf(value = "rotate90", name = "java.awt AffineTransformOp quarter turn")
    public BufferedImage awtRotate90() {
        return awtRotate90.filter(image52, null);
    }

    /** @return a 64x64 map one-hot encoded into a reused 3x64x64 buffer */
    @Benchmark
    public float[] toOneHot64() {
        map64.toOneHot(oneHot, 0);
        return oneHot;
    }
}
