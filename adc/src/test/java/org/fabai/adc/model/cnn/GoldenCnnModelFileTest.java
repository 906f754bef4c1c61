package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden CNN model file ({@code src/test/resources/golden/small-cnn.fabai}: the smallest network
 * {@link CnnConfig} allows, the residual family at 26x26 input and width 1, trained for two epochs on
 * {@link TestMaps}' three classes by {@link #writeGoldenFiles()}) and, for nine probe maps stored
 * with it ({@code small-cnn-probes.tsv}), the probabilities and predictions the writing version
 * gave. Every later version must load the file through the library's front door and give the same
 * probabilities from the Deeplearning4j graph it carries and from its ONNX export (ONNX Runtime and
 * fabai's plain-Java interpreter).
 *
 * <p>Why this size: the file holds the weights twice (the DL4J graph and the ONNX export, about
 * 80,000 float parameters each), and no smaller network is a valid configuration.
 */
class GoldenCnnModelFileTest {

    /** DL4J against DL4J of the writing version: the same arithmetic up to kernel choice. */
    private static final double SAME_ENGINE = 1e-5;
    /** An exported engine against the DL4J reference (as {@link EngineEquivalenceTest}). */
    private static final double OTHER_ENGINE = 1e-4;

    @TempDir
    Path dir;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenCnnModelFileTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("test resource /golden/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    /** One stored probe: the map, the probabilities (class order) and the prediction of the writing version. */
    private record Probe(WaferMap map, double[] probabilities, String label) {
    }

    private static List<Probe> probes() throws IOException {
        List<Probe> out = new ArrayList<>();
        for (String line : new String(resource("small-cnn-probes.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            int rows = Integer.parseInt(f[0]);
            int cols = Integer.parseInt(f[1]);
            byte[] codes = new byte[rows * cols];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) (f[2].charAt(i) - '0');
            }
            out.add(new Probe(WaferMap.fromCodes(rows, cols, codes), parse(f[3]), f[4]));
        }
        return out;
    }

    @Test
    void goldenCnnLoadsAndEveryEngineGivesTheStoredProbabilities() throws Exception {
        Path f = dir.resolve("small-cnn.fabai");
        Files.write(f, resource("small-cnn.fabai"));
        List<Probe> probes = probes();
        assertEquals(9, probes.size());
        List<WaferMap> maps = probes.stream().map(Probe::map).toList();
        WaferMapClassifier c = WaferMapClassifier.load(f);
        assertEquals(CnnClassifier.class, c.getClass());
        try (CnnClassifier cnn = (CnnClassifier) c) {
            assertEquals(TestMaps.CLASSES, cnn.classNames());
            assertEquals(26, cnn.config().inputSize());
            assertEquals(CnnConfig.Architecture.RESIDUAL, cnn.config().architecture());
            check(cnn, maps, probes, SAME_ENGINE, "dl4j");
            for (EngineKind k : new EngineKind[] {EngineKind.ONNX, EngineKind.JAVA}) {
                try (CnnClassifier other = cnn.withEngine(k)) {
                    check(other, maps, probes, OTHER_ENGINE, k.name());
                }
            }
        }
    }

    private static void check(CnnClassifier cnn, List<WaferMap> maps, List<Probe> probes, double tol, String engine) {
        float[][] p = cnn.probabilities(maps);
        List<Prediction> pred = cnn.predictBatch(maps);
        int agree = 0;
        for (int i = 0; i < probes.size(); i++) {
            double[] got = new double[p[i].length];
            for (int j = 0; j < got.length; j++) {
                got[j] = p[i][j];
            }
            assertArrayEquals(probes.get(i).probabilities(), got, tol, engine + " probe " + i);
            assertEquals(probes.get(i).label(), pred.get(i).label(), engine + " probe " + i);
            agree += pred.get(i).label().equals(TestMaps.CLASSES.get(i % 3)) ? 1 : 0;
        }
        // the stored probes are not noise: the golden network, trained briefly, gets most of them right
        assertTrue(agree >= 6, engine + ": " + agree + " of 9 probes carry their drawn class");
    }

    private static double[] parse(String csv) {
        String[] p = csv.split(",");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Double.parseDouble(p[i]);
        }
        return v;
    }

    /**
     * Writes the golden files: {@code -Dfabai.golden.write=DIR} (run once, by hand, when the format
     * version changes), e.g. {@code mvn -B -o -pl adc -am verify -Dsurefire.failIfNoSpecifiedTests=false
     * -Dtest=GoldenCnnModelFileTest -Dfabai.golden.write=$PWD/adc/src/test/resources/golden}.
     */
    @Test
    void writeGoldenFiles() throws Exception {
        String out = System.getProperty("fabai.golden.write");
        assumeTrue(out != null, "golden files are written only with -Dfabai.golden.write=DIR");
        TestMaps.Data train = TestMaps.balanced(24, 26, 17);
        CnnConfig cfg = CnnConfig.defaults(17).withArchitecture(CnnConfig.Architecture.RESIDUAL).withInputSize(26)
                .withWidth(1).withEpochs(2).withBatchSize(16).withPatience(2);
        TestMaps.Data probe = TestMaps.balanced(3, 26, 303);
        Files.createDirectories(Path.of(out));
        try (CnnClassifier cnn = CnnClassifier.train(train.maps(), train.labels(), cfg)) {
            cnn.save(Path.of(out, "small-cnn.fabai"));
            float[][] p = cnn.probabilities(probe.maps());
            List<Prediction> pred = cnn.predictBatch(probe.maps());
            StringBuilder tsv = new StringBuilder("# rows\tcols\tcodes (row-major; 0 off, 1 good, 2 fail)"
                    + "\tprobabilities (classNames order)\tpredicted label\n");
            for (int i = 0; i < probe.maps().size(); i++) {
                WaferMap m = probe.maps().get(i);
                StringBuilder codes = new StringBuilder();
                for (byte b : m.codes()) {
                    codes.append((char) ('0' + b));
                }
                StringBuilder ps = new StringBuilder();
                for (float v : p[i]) {
                    ps.append(ps.length() == 0 ? "" : ",").append(v);
                }
                tsv.append(m.rows()).append('\t').append(m.cols()).append('\t').append(codes).append('\t')
                        .append(ps).append('\t').append(pred.get(i).label()).append('\n');
            }
            Files.writeString(Path.of(out, "small-cnn-probes.tsv"), tsv.toString());
        }
    }
}
