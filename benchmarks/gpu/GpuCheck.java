import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fabai.adc.gpu.CudnnEngine;
import org.fabai.adc.engine.InferenceEngine;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;

/**
 * The GPU proof of the CNN issue, run by check.sh on the GPU machine: the exported model on the
 * cuDNN engine at batch 1, 256 and 4096, outputs compared with DL4J's (computed where the model
 * was trained), throughput printed. Exit 0: equal within 1e-4; 1: mismatch; 2: no usable GPU.
 */
public final class GpuCheck {

    static float[][] read(Path f) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
            int rows = in.readInt();
            int cols = in.readInt();
            float[][] out = new float[rows][cols];
            for (float[] r : out) {
                for (int j = 0; j < cols; j++) {
                    r[j] = in.readFloat();
                }
            }
            return out;
        }
    }

    static float[] tile(float[][] rows, int n) {
        int w = rows[0].length;
        float[] out = new float[n * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i % rows.length], 0, out, i * w, w);
        }
        return out;
    }

    static double worst(float[][] got, float[][] want, int rows) {
        double d = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < want[0].length; j++) {
                d = Math.max(d, Math.abs(got[i][j] - want[i % want.length][j]));
            }
        }
        return d;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
        OnnxModelSpec spec = OnnxModelSpec.readSidecar(OnnxModelSpec.sidecarOf(dir.resolve("model.onnx")));
        float[][] inputs = read(dir.resolve("inputs.bin"));
        float[][] expected = read(dir.resolve("expected.bin"));
        int m = inputs.length;
        try (InferenceEngine java = new OnnxJavaEngine(OnnxGraph.parse(onnx), spec)) {
            double d = worst(java.forward(tile(inputs, m), m), expected, m);
            System.out.printf(Locale.ROOT, "java-cpu vs dl4j on %d maps: max |diff| %.3g%n", m, d);
        }
        var why = CudnnEngine.unavailableReason();
        if (why.isPresent()) {
            System.out.println("GPU check skipped: " + why.get());
            System.exit(2);
        }
        boolean ok = true;
        try (CudnnEngine gpu = CudnnEngine.open(OnnxGraph.parse(onnx), spec)) {
            for (int n : new int[] {1, 256, 4096}) {
                float[] x = tile(inputs, n);
                float[][] y = gpu.forward(x, n);
                double d = worst(y, expected, n);
                ok &= d <= 1e-4;
                int reps = n == 1 ? 2000 : n == 256 ? 200 : 40;
                for (int i = 0; i < Math.min(20, reps); i++) {
                    gpu.forward(x, n);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    gpu.forward(x, n);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "cudnn-gpu batch %4d: max |diff| vs dl4j %.3g, %.0f wafers/s, %.3f ms per batch%n",
                        n, d, (double) n * reps / s, 1000 * s / reps);
            }
        }
        System.out.println(ok ? "GPU CHECK PASSED (all outputs within 1e-4 of DL4J)" : "GPU CHECK FAILED: outputs differ");
        System.exit(ok ? 0 : 1);
    }
}
