package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.fabai.adc.onnx.OnnxModelWriter;
import org.fabai.adc.onnx.OnnxRuntimeEngine;
import org.fabai.adc.onnx.WaferEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fabai-adc ships no DL4J native library (they are {@value Dl4jBackend#NATIVE_ARTIFACT}): one
 * nd4j-native build is on the test class path, and on a class path without the natives an ONNX
 * model is still served while the CNN fails with an error naming the artifact to add.
 */
class NativeFreeServingTest {

    /** Jars of fabai-adc-native: the native builds a serve-only user does not have. */
    private static boolean isNativeJar(String path) {
        return new File(path).getName().matches("(nd4j-native|dnnl|opencl)-\\d.*-linux-.*\\.jar");
    }

    @Test
    void oneNd4jNativeBuildTheOneDnnOne() {
        Dl4jBackend.Builds b = Dl4jBackend.builds(getClass().getClassLoader(), "linux-x86_64");
        assertTrue(b.onednn(), "the oneDNN build (fabai-adc-native) is on the test class path");
        assertFalse(b.plain(), "the plain nd4j-native build is not: fabai ships one build");
        Dl4jBackend.Builds none = Dl4jBackend.builds(getClass().getClassLoader(), "macosx-arm64");
        assertFalse(none.onednn() || none.plain(), "no build for another platform");
        String msg = Dl4jBackend.missingNatives("macosx-arm64");
        assertTrue(msg.contains("org.fabai:fabai-adc-native") && msg.contains("OnnxRuntimeEngine"), msg);
    }

    @Test
    void withoutTheNativesOnnxServesAndTheCnnNamesTheArtifact(@TempDir Path dir) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            (isNativeJar(e) ? dropped : kept).add(e);
        }
        assertEquals(3, dropped.size(), "fabai-adc-native's three jars on the test class path: " + dropped);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", String.join(File.pathSeparator, kept), Probe.class.getName(),
                dir.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe finished");
        String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals("served 0.5000 0.5000", lines.get(0), log);
        assertTrue(lines.get(1).startsWith("engine onnx, kinds [") && lines.get(1).contains(CnnClassifier.KIND),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("cnn: java.lang.IllegalStateException: fabai's CNN (Deeplearning4j) needs"),
                lines.get(2));
        assertTrue(lines.get(2).contains("add org.fabai:fabai-adc-native (type pom)"), lines.get(2));
    }

    @Test
    void optingOutOfOneDnnStillLoadsTheOneBuild(@TempDir Path dir) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-D" + Dl4jBackend.ONEDNN_PROPERTY + "=false", "-cp", cp, OptOutProbe.class.getName(),
                out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "probe finished");
        String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertEquals(List.of("extension -onednn", "onednn false", "helpers 0", "sum 6.0"),
                Files.readAllLines(out, StandardCharsets.UTF_8), log);
    }

    /** Runs with {@code fabai.dl4j.onednn=false}: ND4J must still load (from the oneDNN build) and compute. */
    public static final class OptOutProbe {
        private OptOutProbe() {
        }

        /**
         * @param args the file to write the results to
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            Dl4jBackend.configure();
            List<String> out = new ArrayList<>();
            out.add("extension " + System.getProperty(Dl4jBackend.EXTENSION_PROPERTY));
            out.add("onednn " + Dl4jBackend.onednnAvailable());
            out.add("helpers " + Dl4jBackend.accelerate(CnnNetworks.build(
                    CnnConfig.defaults(1).withInputSize(32), 3, false, null)));
            out.add("sum " + org.nd4j.linalg.factory.Nd4j.create(new double[] {1, 2, 3}).sumNumber().doubleValue());
            Files.write(Path.of(args[0]), out, StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes a 2-class ONNX model whose weights are zero (softmax gives 0.5, 0.5 for any map) and serves it
     * with ONNX Runtime.
     *
     * @param dir a working folder
     * @return "served P0 P1"
     * @throws Exception on failure
     */
    static String serveZeros(Path dir) throws Exception {
        int s = 8;
        OnnxModelWriter m = new OnnxModelWriter("zeros");
        m.input("input", new long[] {-1, 3, s, s});
        m.initializer("W", new long[] {3L * s * s, 2}, new float[3 * s * s * 2]);
        m.initializer("B", new long[] {2}, new float[2]);
        m.node("Flatten", "flat", new String[] {"input"}, "f", Map.of("axis", new long[] {1}));
        m.node("Gemm", "dense", new String[] {"f", "W", "B"}, "logits", Map.of());
        m.output("logits", new long[] {-1, 2});
        Path file = dir.resolve("zeros.onnx");
        Files.write(file, m.toByteArray());
        new OnnxModelSpec(List.of("a", "b"), s, WaferEncoding.ONE_HOT, OnnxModelSpec.Layout.NCHW, "logits",
                OnnxModelSpec.Activation.SOFTMAX).writeSidecar(OnnxModelSpec.sidecarOf(file));
        try (OnnxRuntimeEngine e = OnnxRuntimeEngine.open(file)) {
            float[] p = e.forward(new float[3 * s * s], 1)[0];
            return String.format(Locale.ROOT, "served %.4f %.4f", p[0], p[1]);
        }
    }

    @Test
    void withoutDl4jAtAllAnOnnxModelIsStillServed(@TempDir Path dir) throws Exception {
        // what a serve-only project gets when it excludes org.deeplearning4j and org.nd4j from fabai-adc (README)
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        int dropped = 0;
        for (String e : cp.split(File.pathSeparator)) {
            String u = e.replace(File.separatorChar, '/');
            if (isNativeJar(e) || u.contains("/org/deeplearning4j/") || u.contains("/org/nd4j/")) {
                dropped++;
            } else {
                kept.add(e);
            }
        }
        assertTrue(dropped >= 8, "DL4J and ND4J jars on the test class path: " + dropped);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", String.join(File.pathSeparator, kept), OnnxOnlyProbe.class.getName(),
                dir.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe finished");
        String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertEquals(List.of("nd4j absent", "dl4j absent", "served 0.5000 0.5000"), Files.readAllLines(out, StandardCharsets.UTF_8),
                log);
    }

    /** Runs in a JVM without any DL4J or ND4J jar: serves an ONNX model. */
    public static final class OnnxOnlyProbe {
        private OnnxOnlyProbe() {
        }

        /**
         * @param args a working folder and the file to write the results to
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            List<String> out = new ArrayList<>();
            for (String[] c : new String[][] {{"nd4j", "org.nd4j.linalg.factory.Nd4j"},
                {"dl4j", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork"}}) {
                try {
                    Class.forName(c[1], false, OnnxOnlyProbe.class.getClassLoader());
                    out.add(c[0] + " present");
                } catch (ClassNotFoundException e) {
                    out.add(c[0] + " absent");
                }
            }
            out.add(serveZeros(Path.of(args[0])));
            Files.write(Path.of(args[1]), out, StandardCharsets.UTF_8);
        }
    }

    /** Runs in a JVM without fabai-adc-native: serves an ONNX model, then touches the CNN. */
    public static final class Probe {
        private Probe() {
        }

        /**
         * @param args a working folder and the file to write the results to
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            List<String> out = new ArrayList<>();
            out.add(serveZeros(dir));
            // the service look-ups (engines, model kinds) list the CNN's kind without loading DL4J's natives
            List<String> kinds = new ArrayList<>();
            for (org.fabai.adc.model.ClassifierKind k : java.util.ServiceLoader.load(org.fabai.adc.model.ClassifierKind.class)) {
                kinds.add(k.kind());
            }
            out.add("engine " + org.fabai.adc.engine.Engines.provider("onnx").kind() + ", kinds " + kinds);
            try {
                Class.forName(CnnClassifier.class.getName(), true, Probe.class.getClassLoader());
                out.add("cnn: loaded");
            } catch (Throwable t) {
                Throwable c = t;
                while (c.getCause() != null) {
                    c = c.getCause();
                }
                out.add("cnn: " + c.getClass().getName() + ": " + c.getMessage()
                        + (c == t ? "" : " (thrown as " + t.getClass().getName() + ")"));
            }
            Files.write(Path.of(args[1]), out, StandardCharsets.UTF_8);
        }
    }
}
