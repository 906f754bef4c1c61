package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden small-model files ({@code src/test/resources/golden/small-*.fabai}, one per algorithm,
 * written by fabai 0.1.0 with {@link #writeGoldenFiles()}) and the class probabilities the writing
 * version gave for 12 feature vectors ({@code small-probabilities.tsv}). Every later version must
 * load them through the library's front door and give the same probabilities.
 */
class GoldenModelFileTest {

    @TempDir
    Path dir;

    private static final String[] ALGORITHMS = {"RANDOM_FOREST", "GRADIENT_BOOSTING", "SVM"};

    /** @return the bytes of {@code /golden/NAME} on the test class path (shared with {@link GoldenModelKindsTest}) */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenModelFileTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("test resource /golden/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    @Test
    void goldenSmallModelFilesLoadAndGiveTheSameProbabilities() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(resource("small-probabilities.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        assertEquals(3 * 12, rows.size());
        for (String a : ALGORITHMS) {
            Path f = dir.resolve("small-" + a + ".fabai");
            Files.write(f, resource("small-" + a + ".fabai"));
            WaferMapClassifier c = WaferMapClassifier.load(f);
            assertEquals(FeatureClassifier.class, c.getClass(), a);
            try (FeatureClassifier m = (FeatureClassifier) c) {
                assertEquals(a, m.config().algorithm().name());
                for (String[] r : rows) {
                    if (!r[0].equals(a)) {
                        continue;
                    }
                    double[] x = parse(r[1]);
                    double[] want = parse(r[2]);
                    assertArrayEquals(want, m.probabilities(x), 1e-12, a + " " + r[1]);
                }
            }
        }
    }

    static double[] parse(String csv) {
        String[] p = csv.split(",");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Double.parseDouble(p[i]);
        }
        return v;
    }

    static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : ",").append(d);
        }
        return b.toString();
    }

    /** Writes the golden files: {@code -Dfabai.golden.write=DIR} (run once, by hand, when the format version changes). */
    @Test
    void writeGoldenFiles() throws Exception {
        String out = System.getProperty("fabai.golden.write");
        assumeTrue(out != null, "golden files are written only with -Dfabai.golden.write=DIR");
        WaferMapGenerator g = new WaferMapGenerator();
        List<SyntheticWafer> train = g.balanced(12, 101);
        double[][] x = FeatureClassifier.extractParallel(WaferMapGenerator.maps(train));
        double[][] probe = FeatureClassifier.extractParallel(WaferMapGenerator.maps(g.balanced(2, 303).subList(0, 12)));
        StringBuilder tsv = new StringBuilder("# algorithm\tfeatures\tprobabilities (classNames order)\n");
        for (String a : ALGORITHMS) {
            FeatureClassifierConfig cfg = FeatureClassifierConfig.defaults()
                    .withAlgorithm(FeatureClassifierConfig.Algorithm.valueOf(a));
            if (!a.equals("SVM")) {
                cfg = cfg.withTrees(6);
            }
            try (FeatureClassifier m = FeatureClassifier.fitFeatures(x, WaferMapGenerator.labels(train), cfg)) {
                m.save(Path.of(out, "small-" + a + ".fabai"));
                for (double[] p : probe) {
                    tsv.append(a).append('\t').append(join(p)).append('\t').append(join(m.probabilities(p))).append('\n');
                }
            }
        }
        Files.writeString(Path.of(out, "small-probabilities.tsv"), tsv.toString());
    }
}
