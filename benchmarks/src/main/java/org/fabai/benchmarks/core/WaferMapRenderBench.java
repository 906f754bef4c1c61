package org.fabai.benchmarks.core;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.fabai.benchmarks.PeerOf;
import org.fabai.benchmarks.SyntheticMaps;
import org.fabai.core.wafer.WaferMap;
import org.fabai.core.wafer.WaferMapRenderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link WaferMapRenderer} as a report uses it: a 52x52 map at 4 pixels per cell with a legend,
 * drawn to an image and encoded as PNG. No other library is a peer (the JDK's own drawing and
 * ImageIO are what it uses); {@link #writePngNoDiskCache} is the same PNG written with ImageIO's
 * temporary-file cache off, to show what that cache costs.
 *
 * <p>JMH state: one instance per benchmark run, not shared between threads by design.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-Xms256m", "-Xmx256m"})
public class WaferMapRenderBench {

    WaferMap map52;
    WaferMapRenderer.Style style;
    ByteArrayOutputStream png;

    /** Creates the benchmark (JMH calls it). */
    public WaferMapRenderBench() {
    }

    /** Builds the seeded map and a reusable PNG buffer. */
    @Setup
    public void setUp() {
        map52 = SyntheticMaps.disc(WaferMapBench.SOURCE, 0.1, 52);
        style = WaferMapRenderer.Style.of(4);
        png = new ByteArrayOutputStream(64 * 1024);
    }

    /** @return the drawn image */
    @Benchmark
    public BufferedImage render52Scale4() {
        return WaferMapRenderer.render(map52, style);
    }

    /**
     * @return the PNG's size in bytes
     * @throws IOException never for an in-memory stream
     */
    @Benchmark
    public int writePng52Scale4() throws IOException {
        png.reset();
        WaferMapRenderer.writePng(map52, style, png);
        return png.size();
    }

    /**
     * ImageIO's stream cache switched off ({@code ImageIO.setUseCache(false)}: no temporary file
     * per image) for the benchmarks that use this state, and back on after them. JMH runs each
     * benchmark in its own JVM, so no other benchmark sees the switch.
     */
    @State(Scope.Benchmark)
    public static class NoDiskCache {
        /** Creates the state (JMH calls it). */
        public NoDiskCache() {
        }

        /** Switches the cache off. */
        @Setup
        public void off() {
            ImageIO.setUseCache(false);
        }

        /** Switches the cache back on. */
        @TearDown
        public void on() {
            ImageIO.setUseCache(true);
        }
    }

    /**
     * @param noCache the state that switches ImageIO's disk cache off
     * @return the PNG's size in bytes
     * @throws IOException never for an in-memory stream
     */
    @Benchmark
    @PeerOf(value = "writePng52Scale4", name = "same PNG, ImageIO.setUseCache(false)")
    public int writePngNoDiskCache(NoDiskCache noCache) throws IOException {
        return writePng52Scale4();
    }
}
