package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.model.ensemble.EnsembleClassifier;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.SyntheticWafer;
import org.fabai.adc.synth.WaferMapGenerator;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model kinds {@link GoldenModelFileTest} leaves out, as golden files written by fabai 0.1.0 with
 * {@link #writeGoldenFiles()}: the logistic and soft-vote feature classifiers
 * ({@code small-LOGISTIC.fabai}, {@code small-VOTING.fabai}; probabilities for 12 feature vectors in
 * {@code small-linear-vote-probabilities.tsv}) and an ensemble file holding a random forest and the
 * logistic model as members ({@code small-ensemble.fabai}; nine stored maps and the probabilities it
 * gave them in {@code small-ensemble-probes.tsv}). Every later version must load them through
 * {@link WaferMapClassifier#load(Path)} and give the same probabilities.
 */
class GoldenModelKindsTest {

    private static final String[] ALGORITHMS = {"LOGISTIC", "VOTING"};

    @TempDir
    Path dir;

    private static List<String[]> rows(String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(GoldenModelFileTest.resource(name), StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    private WaferMapClassifier load(String name) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, GoldenModelFileTest.resource(name));
        return WaferMapClassifier.load(f);
    }

    @Test
    void goldenLogisticAndVoteFilesLoadAndGiveTheSameProbabilities() throws Exception {
        List<String[]> rows = rows("small-linear-vote-probabilities.tsv");
        assertEquals(2 * 12, rows.size());
        for (String a : ALGORITHMS) {
            WaferMapClassifier c = load("small-" + a + ".fabai");
            assertEquals(FeatureClassifier.class, c.getClass(), a);
            try (FeatureClassifier m = (FeatureClassifier) c) {
                assertEquals(a, m.config().algorithm().name());
                int checked = 0;
                for (String[] r : rows) {
                    if (r[0].equals(a)) {
                        assertArrayEquals(GoldenModelFileTest.parse(r[2]), m.probabilities(GoldenModelFileTest.parse(r[1])), 1e-12, a + " " + r[1]);
                        checked++;
                    }
                }
                assertEquals(12, checked, a);
            }
        }
    }

    @Test
    void goldenEnsembleFileLoadsWithItsMembersAndGivesTheSameProbabilities() throws Exception {
        List<String[]> rows = rows("small-ensemble-probes.tsv");
        assertEquals(9, rows.size());
        List<WaferMap> maps = new ArrayList<>();
        for (String[] r : rows) {
            maps.add(map(Integer.parseInt(r[0]), Integer.parseInt(r[1]), r[2]));
        }
        WaferMapClassifier c = load("small-ensemble.fabai");
        assertEquals(EnsembleClassifier.class, c.getClass());
        try (c) {
            List<Prediction> p = c.predictBatch(maps);
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(GoldenModelFileTest.parse(rows.get(i)[3]), p.get(i).probabilities(), 1e-12, "probe " + i);
                assertEquals(rows.get(i)[4], p.get(i).label(), "probe " + i);
            }
        }
    }

    private static WaferMap map(int rows, int cols, String codes) {
        byte[] b = new byte[rows * cols];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (codes.charAt(i) - '0');
        }
        return WaferMap.fromCodes(rows, cols, b);
    }

    /** Writes the golden files: {@code -Dfabai.golden.write=DIR} (run once, by hand, when a format version changes). */
    @Test
    void writeGoldenFiles() throws Exception {
        String out = System.getProperty("fabai.golden.write");
        assumeTrue(out != null, "golden files are written only with -Dfabai.golden.write=DIR");
        WaferMapGenerator g = new WaferMapGenerator();
        List<SyntheticWafer> train = g.balanced(4, 101);   // the files hold their training rows: keep them few
        double[][] x = FeatureClassifier.extractParallel(WaferMapGenerator.maps(train));
        double[][] probe = FeatureClassifier.extractParallel(WaferMapGenerator.maps(g.balanced(2, 303).subList(0, 12)));
        StringBuilder tsv = new StringBuilder("# algorithm\tfeatures\tprobabilities (classNames order)\n");
        List<FeatureClassifier> members = new ArrayList<>();
        for (String a : ALGORITHMS) {
            FeatureClassifierConfig cfg = FeatureClassifierConfig.defaults()
                    .withAlgorithm(FeatureClassifierConfig.Algorithm.valueOf(a)).withTrees(6);
            FeatureClassifier m = FeatureClassifier.fitFeatures(x, WaferMapGenerator.labels(train), cfg);
            m.save(Path.of(out, "small-" + a + ".fabai"));
            for (double[] p : probe) {
                tsv.append(a).append('\t').append(GoldenModelFileTest.join(p)).append('\t').append(GoldenModelFileTest.join(m.probabilities(p))).append('\n');
            }
            if (a.equals("LOGISTIC")) {
                members.add(m);
            } else {
                m.close();
            }
        }
        Files.writeString(Path.of(out, "small-linear-vote-probabilities.tsv"), tsv.toString());
        members.add(0, FeatureClassifier.fitFeatures(x, WaferMapGenerator.labels(train),
                FeatureClassifierConfig.defaults().withTrees(6)));
        // small probe maps (the smallest generated grid) keep the probe file short
        List<SyntheticWafer> probes = new WaferMapGenerator(GeneratorConfig.defaults().withFixedSize(26)).balanced(1, 404);
        try (EnsembleClassifier e = new EnsembleClassifier(members, new double[] {0.6, 0.4},
                new double[] {members.get(0).rejectThreshold(), members.get(1).rejectThreshold()})) {
            e.save(Path.of(out, "small-ensemble.fabai"));
            StringBuilder ptsv = new StringBuilder("# rows\tcols\tcodes (row-major; 0 off, 1 good, 2 fail)"
                    + "\tprobabilities (classNames order)\tpredicted label\n");
            List<Prediction> pred = e.predictBatch(WaferMapGenerator.maps(probes));
            for (int i = 0; i < probes.size(); i++) {
                WaferMap m = probes.get(i).map();
                StringBuilder codes = new StringBuilder();
                for (byte b : m.codes()) {
                    codes.append((char) ('0' + b));
                }
                ptsv.append(m.rows()).append('\t').append(m.cols()).append('\t').append(codes).append('\t')
                        .append(GoldenModelFileTest.join(pred.get(i).probabilities())).append('\t').append(pred.get(i).label()).append('\n');
            }
            Files.writeString(Path.of(out, "small-ensemble-probes.tsv"), ptsv.toString());
        }
    }
}
