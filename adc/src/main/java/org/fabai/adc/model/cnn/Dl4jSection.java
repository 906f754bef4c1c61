package org.fabai.adc.model.cnn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.onnx.OnnxExporter;
import org.fabai.adc.onnx.OnnxGraph;
import org.fabai.adc.onnx.OnnxJavaEngine;
import org.fabai.adc.onnx.OnnxModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the DL4J section of a CNN model file without Java deserialization and without trusting
 * its JSON: the graph is rebuilt by {@link CnnNetworks} from the configuration in the (checksummed)
 * header, and only its parameter vector is taken from the section. The section is DL4J's
 * {@code ModelSerializer} zip; of its entries only {@code configuration.json} and
 * {@code coefficients.bin} are accepted, and any other ({@code preprocessor.bin}, which DL4J would
 * hand to {@code ObjectInputStream.readObject}, {@code updaterState.bin}, {@code normalizer.bin},
 * ...) refuses the file. Each entry is inflated only up to what it may hold.
 *
 * <p>The ONNX section is then checked against the rebuilt network: it must be byte-for-byte the
 * network's export, or (a file written by another exporter version) give the network's outputs on
 * probe inputs; otherwise the file is refused, so the DL4J reference and the served network never
 * disagree.
 */
final class Dl4jSection {

    /** The entry holding DL4J's JSON configuration (not parsed: the header's config rebuilds the graph). */
    static final String CONFIG_ENTRY = "configuration.json";
    /** The entry holding the flattened parameters, in ND4J's binary array format. */
    static final String PARAMS_ENTRY = "coefficients.bin";

    private static final int MAX_CONFIG_BYTES = 16 << 20;
    private static final int PROBES = 6;
    private static final float PROBE_TOLERANCE = 1e-4f;

    private Dl4jSection() {
    }

    /**
     * @param section the DL4J section's bytes
     * @param src     file name for messages
     * @param cfg     the configuration from the header
     * @param classes outputs of the network
     * @param multi   whether it is multi-label
     * @return the network with the section's parameters
     * @throws ModelFileException if the section holds other entries, lacks one, or its parameters
     *                            do not fit the configured network or are not finite
     */
    static ComputationGraph read(byte[] section, String src, CnnConfig cfg, int classes, boolean multi)
            throws ModelFileException {
        ComputationGraph net = CnnNetworks.build(cfg, classes, multi, null);
        long numParams = net.numParams();
        // ND4J's array format: a few hundred bytes of shape information, then the floats
        long maxParamBytes = numParams * Float.BYTES + 64 * 1024;
        byte[] params = null;
        boolean config = false;
        String where = "section '" + CnnClassifier.SECTION_DL4J + "'";
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(section))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                String name = e.getName();
                if (CONFIG_ENTRY.equals(name) && !config) {
                    config = true;
                    bounded(z, MAX_CONFIG_BYTES, src, where, name);
                } else if (PARAMS_ENTRY.equals(name) && params == null) {
                    params = bounded(z, maxParamBytes, src, where, name);
                } else if (CONFIG_ENTRY.equals(name) || PARAMS_ENTRY.equals(name)) {
                    throw invalid(src, where, "entry '" + name + "' appears twice");
                } else {
                    throw invalid(src, where, "unexpected entry '" + name + "'; fabai reads only '" + CONFIG_ENTRY
                            + "' and '" + PARAMS_ENTRY + "' from it and never deserializes Java objects from a model"
                            + " file");
                }
            }
        } catch (IOException | RuntimeException ex) {
            throw new ModelFileException(src, where, ModelFileException.Reason.CORRUPT,
                    "not a readable DL4J zip: " + ex, ex);
        }
        if (!config || params == null) {
            throw invalid(src, where, "missing entry '" + (config ? PARAMS_ENTRY : CONFIG_ENTRY) + "'");
        }
        INDArray p;
        try {
            p = Nd4j.read(new DataInputStream(new ByteArrayInputStream(params)));
        } catch (RuntimeException ex) {
            throw new ModelFileException(src, where + ", entry '" + PARAMS_ENTRY + "'", ModelFileException.Reason.CORRUPT,
                    "not a readable ND4J array: " + ex, ex);
        }
        if (p.dataType() != DataType.FLOAT || p.length() != numParams) {
            throw invalid(src, where + ", entry '" + PARAMS_ENTRY + "'", "holds " + p.length() + " " + p.dataType()
                    + " parameters; the network of the header's config (" + cfg.describe() + ", " + classes
                    + (multi ? " labels" : " classes") + ") has " + numParams + " FLOAT parameters");
        }
        float[] v = p.toFloatVector();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw invalid(src, where + ", entry '" + PARAMS_ENTRY + "'", "parameter " + i + " is " + v[i]
                        + "; a usable network has only finite parameters");
            }
        }
        net.setParams(p.reshape(net.params().shape()));
        return net;
    }

    /**
     * Refuses an ONNX section that is not the network's own export and does not give its outputs.
     *
     * @param net   the reference network
     * @param onnx  the ONNX section
     * @param meta  the metadata the export carries
     * @param spec  how to run the ONNX network
     * @param src   file name for messages
     * @throws ModelFileException on a mismatch or an unreadable ONNX section
     */
    static void checkOnnx(ComputationGraph net, byte[] onnx, Map<String, String> meta, OnnxModelSpec spec, String src)
            throws ModelFileException {
        int n = spec.inputSize();
        byte[] derived = OnnxExporter.export(net, n, CnnNetworks.CHANNELS, CnnNetworks.EMBEDDING, meta);
        if (Arrays.equals(derived, onnx)) {
            return;
        }
        String where = "section '" + CnnClassifier.SECTION_ONNX + "'";
        float[] batch = probes(n);
        float[][] want = new Dl4jEngine(net, n, spec.classNames().size()).forward(batch, PROBES);
        float[][] got;
        try (OnnxJavaEngine e = new OnnxJavaEngine(OnnxGraph.parse(onnx), spec)) {
            got = e.forward(batch, PROBES);
        } catch (RuntimeException ex) {
            throw new ModelFileException(src, where, ModelFileException.Reason.INVALID_CONTENT,
                    "differs from the DL4J network's export and cannot be run to compare: " + ex.getMessage(), ex);
        }
        for (int i = 0; i < PROBES; i++) {
            for (int j = 0; j < want[i].length; j++) {
                float d = j < got[i].length ? Math.abs(want[i][j] - got[i][j]) : Float.POSITIVE_INFINITY;
                if (!(d <= PROBE_TOLERANCE) || got[i].length != want[i].length) {
                    throw invalid(src, where, "does not compute the DL4J section's network: on probe map " + i
                            + " output " + j + " is " + (j < got[i].length ? got[i][j] : "missing") + ", the network"
                            + " gives " + want[i][j] + " (tolerance " + PROBE_TOLERANCE + "); refused");
                }
            }
        }
    }

    /** Fixed pseudo-random one-hot maps (OFF / GOOD / FAIL per cell), NCHW. */
    private static float[] probes(int n) {
        int plane = n * n;
        float[] b = new float[PROBES * CnnNetworks.CHANNELS * plane];
        Random r = new Random(0x5EEDL);
        for (int m = 0; m < PROBES; m++) {
            double fail = (m + 1) / (double) (PROBES + 1);
            for (int c = 0; c < plane; c++) {
                int state = r.nextDouble() < 0.15 ? 0 : r.nextDouble() < fail ? 2 : 1;
                b[(m * CnnNetworks.CHANNELS + state) * plane + c] = 1f;
            }
        }
        return b;
    }

    private static byte[] bounded(InputStream in, long max, String src, String where, String name)
            throws IOException, ModelFileException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (b.length > max) {
            throw invalid(src, where, "entry '" + name + "' inflates past the " + max + " bytes it may hold");
        }
        return b;
    }

    private static ModelFileException invalid(String src, String where, String msg) {
        return new ModelFileException(src, where, ModelFileException.Reason.INVALID_CONTENT, msg);
    }
}
