package org.fabai.adc.model.ensemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.fabai.adc.model.ClassifierKind;
import org.fabai.adc.model.ModelFile;
import org.fabai.adc.model.ModelFileException;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.core.wafer.WaferMap;

/**
 * Several wafer-map classifiers of the same classes voting by their probabilities: the prediction
 * is the weighted mean of the members' class probabilities. Built for the small model and the CNN
 * together: engineered features and learned filters make different mistakes on real maps, so the
 * mean is steadier than either (measured in {@code adc/REAL-DATA.md}).
 *
 * <p><b>Unknown:</b> a map is rejected when the top mean probability falls below the weighted mean
 * of the members' own calibrated thresholds (each calibrated on its held-out maps).
 *
 * <p><b>File:</b> kind {@value #KIND}, version {@value #FORMAT_VERSION}; header {@code members}
 * (count), {@code member.i.weight}, {@code member.i.kind}, {@code member.i.threshold}; section
 * {@code member.i} holds the member's own complete model file (checksummed on its own), read back
 * by {@link WaferMapClassifier#load(ModelFile, String)}.
 *
 * <p>Thread-safety and native memory are those of the members; {@link #close()} closes them.
 */
public final class EnsembleClassifier implements WaferMapClassifier {

    /** Model-file kind. */
    public static final String KIND = "ensemble-classifier";
    /** Content version written. */
    public static final int FORMAT_VERSION = 1;

    private final List<WaferMapClassifier> members;
    private final double[] weights;
    private final double[] thresholds;
    private final List<String> classNames;
    private final int[][] columns;
    private final double threshold;

    /**
     * @param members    classifiers with the same class names (in any order)
     * @param weights    one positive weight per member
     * @param thresholds per member, its calibrated reject threshold on the top probability (0: none)
     */
    public EnsembleClassifier(List<? extends WaferMapClassifier> members, double[] weights, double[] thresholds) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        if (weights.length != members.size() || thresholds.length != members.size()) {
            throw new IllegalArgumentException(members.size() + " members but " + weights.length + " weights and "
                    + thresholds.length + " thresholds");
        }
        this.members = List.copyOf(members);
        this.weights = weights.clone();
        this.thresholds = thresholds.clone();
        this.classNames = List.copyOf(members.get(0).classNames());
        this.columns = new int[members.size()][];
        double wsum = 0;
        double t = 0;
        for (int i = 0; i < members.size(); i++) {
            if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("member weight " + i + " must be positive and finite, got " + weights[i]);
            }
            if (!(thresholds[i] >= 0 && thresholds[i] <= 1)) {
                throw new IllegalArgumentException("member threshold " + i + " must be in [0, 1], got " + thresholds[i]);
            }
            List<String> c = members.get(i).classNames();
            if (c.size() != classNames.size() || !c.containsAll(classNames)) {
                throw new IllegalArgumentException("member " + i + " has classes " + c + ", member 0 has " + classNames
                        + "; an ensemble's members must share their classes");
            }
            columns[i] = new int[classNames.size()];
            for (int k = 0; k < classNames.size(); k++) {
                columns[i][k] = c.indexOf(classNames.get(k));
            }
            wsum += weights[i];
            t += weights[i] * thresholds[i];
        }
        this.threshold = t / wsum;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** @return the members, in order */
    public List<WaferMapClassifier> members() {
        return members;
    }

    /** @return the reject threshold on the top mean probability */
    public double threshold() {
        return threshold;
    }

    @Override
    public Prediction predict(WaferMap map) {
        return predictBatch(List.of(map)).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<WaferMap> maps) {
        double[][] mean = new double[maps.size()][classNames.size()];
        double wsum = 0;
        for (int i = 0; i < members.size(); i++) {
            List<Prediction> p = members.get(i).predictBatch(maps);
            for (int m = 0; m < maps.size(); m++) {
                double[] pr = p.get(m).probabilities();
                for (int k = 0; k < classNames.size(); k++) {
                    mean[m][k] += weights[i] * pr[columns[i][k]];
                }
            }
            wsum += weights[i];
        }
        List<Prediction> out = new ArrayList<>(maps.size());
        for (double[] row : mean) {
            int best = 0;
            for (int k = 0; k < row.length; k++) {
                row[k] /= wsum;
                if (row[k] > row[best]) {
                    best = k;
                }
            }
            String b = classNames.get(best);
            out.add(new Prediction(row[best] < threshold ? Prediction.UNKNOWN : b, b, row, classNames));
        }
        return out;
    }

    @Override
    public void save(Path file) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        Map<String, byte[]> s = new LinkedHashMap<>();
        h.put("members", Integer.toString(members.size()));
        h.put("classes", String.join("\n", classNames));
        for (int i = 0; i < members.size(); i++) {
            Path tmp = java.nio.file.Files.createTempFile("fabai-member", ".fabai");
            try {
                members.get(i).save(tmp);
                byte[] bytes = java.nio.file.Files.readAllBytes(tmp);
                s.put("member." + i, bytes);
                h.put("member." + i + ".kind", ModelFile.parse(bytes, "member " + i).kind());
            } catch (ModelFileException e) {
                throw new IOException("member " + i + " wrote an unreadable model file: " + e.getMessage(), e);
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
            h.put("member." + i + ".weight", Double.toString(weights[i]));
            h.put("member." + i + ".threshold", Double.toString(thresholds[i]));
        }
        new ModelFile(KIND, FORMAT_VERSION, h, s).write(file);
    }

    /**
     * Reads an ensemble written by {@link #save}.
     *
     * @param m   the model file
     * @param src its name, for messages
     * @return the ensemble
     * @throws IOException        if a member cannot be read
     * @throws ModelFileException if the file or a member is not valid
     */
    public static EnsembleClassifier load(ModelFile m, String src) throws IOException, ModelFileException {
        m.check(src, KIND, FORMAT_VERSION);
        int n;
        try {
            n = Integer.parseInt(m.require(src, "members"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(src, "header members", ModelFileException.Reason.INVALID_CONTENT,
                    "not a number: " + m.header().get("members"), e);
        }
        if (n < 1 || n > 16) {
            throw new ModelFileException(src, "header members", ModelFileException.Reason.INVALID_CONTENT,
                    "an ensemble holds 1 to 16 members, got " + n);
        }
        List<WaferMapClassifier> ms = new ArrayList<>();
        double[] w = new double[n];
        double[] t = new double[n];
        try {
            for (int i = 0; i < n; i++) {
                String key = "member." + i;
                ModelFile mf = ModelFile.parse(m.requireSection(src, key), src + " section " + key);
                if (KIND.equals(mf.kind())) {
                    throw new ModelFileException(src, "section " + key, ModelFileException.Reason.INVALID_CONTENT,
                            "an ensemble cannot hold another ensemble");
                }
                ms.add(WaferMapClassifier.load(mf, src + " section " + key));
                w[i] = parseDouble(m, src, key + ".weight");
                t[i] = parseDouble(m, src, key + ".threshold");
            }
            return new EnsembleClassifier(ms, w, t);
        } catch (IllegalArgumentException e) {
            ms.forEach(WaferMapClassifier::close);
            throw new ModelFileException(src, "header", ModelFileException.Reason.INVALID_CONTENT, e.getMessage(), e);
        } catch (IOException | ModelFileException e) {
            ms.forEach(WaferMapClassifier::close);
            throw e;
        }
    }

    private static double parseDouble(ModelFile m, String src, String key) throws ModelFileException {
        try {
            return Double.parseDouble(m.require(src, key));
        } catch (NumberFormatException e) {
            throw new ModelFileException(src, "header " + key, ModelFileException.Reason.INVALID_CONTENT,
                    "not a number: " + m.header().get(key), e);
        }
    }

    @Override
    public double rejectThreshold() {
        return threshold;
    }

    @Override
    public void close() {
        members.forEach(WaferMapClassifier::close);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EnsembleClassifier[%d members, %d classes, threshold %.4f]",
                members.size(), classNames.size(), threshold);
    }

    /** Registers the ensemble ({@link #KIND}) with {@link WaferMapClassifier#load(Path)}. Thread-safe. */
    public static final class Kind extends ClassifierKind.Of {

        /** For {@link java.util.ServiceLoader}. */
        public Kind() {
            super(KIND, EnsembleClassifier::load);
        }
    }
}
