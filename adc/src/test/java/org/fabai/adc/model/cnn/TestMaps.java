package org.fabai.adc.model.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.fabai.core.wafer.DieState;
import org.fabai.core.wafer.WaferMap;

/**
 * A minimal seeded test fixture of three pattern classes on a round wafer (Center, Edge-Ring,
 * Scratch), with background noise. Used only by the CNN tests; the real generator lives in
 * {@code org.fabai.adc.synth}.
 */
public final class TestMaps {

    /** The classes this fixture draws. */
    public static final List<String> CLASSES = List.of("Center", "Edge-Ring", "Scratch");

    /** Maps and their labels. */
    public record Data(List<WaferMap> maps, List<String> labels) {
    }

    /** Maps and their label sets. */
    public record Multi(List<WaferMap> maps, List<Set<String>> labels) {
    }

    private TestMaps() {
    }

    /**
     * @param perClass maps per class
     * @param size     side of each map
     * @param seed     seed
     * @return balanced single-label data
     */
    public static Data balanced(int perClass, int size, long seed) {
        Random rnd = new Random(seed);
        List<WaferMap> maps = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (String c : CLASSES) {
                maps.add(draw(Set.of(c), size, rnd));
                labels.add(c);
            }
        }
        return new Data(maps, labels);
    }

    /**
     * @param n    maps
     * @param size side
     * @param seed seed
     * @return maps with each class present independently with probability 1/2
     */
    public static Multi mixed(int n, int size, long seed) {
        Random rnd = new Random(seed);
        List<WaferMap> maps = new ArrayList<>();
        List<Set<String>> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> s = new TreeSet<>();
            for (String c : CLASSES) {
                if (rnd.nextBoolean()) {
                    s.add(c);
                }
            }
            maps.add(draw(s, size, rnd));
            labels.add(s);
        }
        return new Multi(maps, labels);
    }

    /**
     * Draws one map.
     *
     * @param patterns classes present
     * @param size     side
     * @param rnd      randomness
     * @return the map
     */
    public static WaferMap draw(Set<String> patterns, int size, Random rnd) {
        WaferMap.Builder b = WaferMap.builder(size, size);
        double c = (size - 1) / 2.0;
        double radius = size / 2.0 - 0.5;
        double cr = radius * (0.25 + 0.15 * rnd.nextDouble());
        double ringIn = radius * (0.78 + 0.08 * rnd.nextDouble());
        double angle = rnd.nextDouble() * Math.PI;
        double ox = (rnd.nextDouble() - 0.5) * radius;
        double oy = (rnd.nextDouble() - 0.5) * radius;
        double len = radius * (0.6 + 0.5 * rnd.nextDouble());
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                double dx = col - c;
                double dy = r - c;
                double d = Math.hypot(dx, dy);
                if (d > radius) {
                    continue;
                }
                boolean fail = rnd.nextDouble() < 0.03;
                if (patterns.contains("Center") && d < cr && rnd.nextDouble() < 0.85) {
                    fail = true;
                }
                if (patterns.contains("Edge-Ring") && d > ringIn && rnd.nextDouble() < 0.85) {
                    fail = true;
                }
                if (patterns.contains("Scratch")) {
                    double px = dx - ox;
                    double py = dy - oy;
                    double along = px * Math.cos(angle) + py * Math.sin(angle);
                    double across = -px * Math.sin(angle) + py * Math.cos(angle);
                    if (Math.abs(across) < 0.8 && Math.abs(along) < len / 2 && rnd.nextDouble() < 0.9) {
                        fail = true;
                    }
                }
                b.state(r, col, fail ? DieState.FAIL : DieState.GOOD);
            }
        }
        return b.build();
    }
}
