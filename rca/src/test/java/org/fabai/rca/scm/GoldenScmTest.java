package org.fabai.rca.scm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fabai.rca.data.DataTable;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;

/**
 * A golden SCM file ({@code src/test/resources/golden/scm-v1.txt}, written by fabai 0.1.0 with
 * {@link #writeGoldenFiles()}) holding all three mechanism kinds (root, linear, categorical table),
 * and 20 rows the writing version sampled from it with seed 3. Every later version must read it,
 * write it back byte for byte, and sample the same rows.
 */
class GoldenScmTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = GoldenScmTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("test resource /golden/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The model the golden file was written from: A (categorical) and X roots, Y linear, B a table. */
    static StructuralCausalModel model() {
        int n = 60;
        int[] a = new int[n];
        double[] x = new double[n];
        double[] y = new double[n];
        int[] b = new int[n];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(2);
            x[i] = Math.round(r.nextDouble() * 1000) / 1000.0;
            y[i] = Math.round((1.5 * x[i] - 2 * a[i] + 0.3 * r.nextGaussian()) * 1000) / 1000.0;
            b[i] = (a[i] + (x[i] > 0.5 ? 1 : 0)) % 3;
        }
        DataTable t = DataTable.builder().categorical("A", a, List.of("p", "q")).continuous("X", x).continuous("Y", y)
                .categorical("B", b, List.of("u", "v", "w")).build();
        DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
        for (String v : List.of("A", "X", "Y", "B")) {
            g.addVertex(v);
        }
        g.addEdge("A", "Y");
        g.addEdge("X", "Y");
        g.addEdge("A", "B");
        g.addEdge("X", "B");
        return StructuralCausalModel.fit(g, t, ScmConfig.defaults());
    }

    private static String samples(StructuralCausalModel m) {
        StringBuilder s = new StringBuilder("# " + String.join("\t", m.columns()) + "\n");
        for (double[] row : m.sample(20, new SplittableRandom(3))) {
            List<String> f = new ArrayList<>();
            for (double v : row) {
                f.add(Double.toString(v));
            }
            s.append(String.join("\t", f)).append('\n');
        }
        return s.toString();
    }

    @Test
    void goldenScmFileReadsWritesBackIdenticallyAndSamplesTheSame() throws Exception {
        String golden = resource("scm-v1.txt");
        StructuralCausalModel m = ScmFormat.read(new StringReader(golden), "golden/scm-v1.txt");
        assertEquals(List.of("A", "X", "Y", "B"), m.columns());
        assertEquals(4, m.provenance().edges().size());
        StringWriter w = new StringWriter();
        ScmFormat.write(m, w);
        assertEquals(golden, w.toString(), "the golden SCM file must be written back byte for byte");
        String[] want = resource("scm-v1-samples.tsv").split("\n");
        String[] got = samples(m).split("\n");
        assertArrayEquals(want, got, "20 rows sampled with seed 3");
    }

    /** Writes the golden files: {@code -Dfabai.golden.write=DIR} (run once, by hand, when the format version changes). */
    @Test
    void writeGoldenFiles() throws Exception {
        String dir = System.getProperty("fabai.golden.write");
        assumeTrue(dir != null, "golden files are written only with -Dfabai.golden.write=DIR");
        StructuralCausalModel m = model();
        StringWriter w = new StringWriter();
        ScmFormat.write(m, w);
        Files.writeString(Path.of(dir, "scm-v1.txt"), w.toString());
        Files.writeString(Path.of(dir, "scm-v1-samples.tsv"), samples(m));
    }
}
