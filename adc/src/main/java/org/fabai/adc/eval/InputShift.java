package org.fabai.adc.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fabai.adc.model.Prediction;
import org.fabai.core.wafer.MapSizing;
import org.fabai.core.wafer.WaferMap;

/**
 * Flags a batch of maps that does not look like what a model was trained and calibrated on, so a
 * new map size or a new product is reported as a shift instead of being rejected as "unknown" map
 * by map without a word.
 *
 * <p>Two checks: grid sizes outside the training range the model records in its provenance
 * ({@code data.rows} and {@code data.cols} as {@code "min..max"}), and a reject rate far above the
 * rate the reject threshold was calibrated for (more than three times it and more than 10 % of the
 * batch). A map's size is that of its die grid ({@link MapSizing#dieGrid}): a map drawn as an image
 * of die blocks (each die {@code k x k} equal cells) is as large as its dies, which is what the
 * small model measures (feature version 2) and what a CNN's resize to its input keeps. A small
 * model of feature version 1 measures such images cell by cell and does worse on them; for it only
 * the reject-rate check can fire on them. Stateless and thread-safe.
 *
 * @param maps              maps checked
 * @param outsideSizeRange  maps whose die grid's rows or columns fall outside the training range (-1: the model
 *                          records no range)
 * @param trainingRows      the training range of rows, or empty
 * @param trainingCols      the training range of columns, or empty
 * @param rejectRate        share of the batch rejected as unknown
 * @param expectedRejectRate the rate the threshold was calibrated for
 */
public record InputShift(int maps, int outsideSizeRange, String trainingRows, String trainingCols,
                         double rejectRate, double expectedRejectRate) {

    /**
     * The check over two batches together, as if they were one (a file read batch by batch).
     *
     * @param next the check of the next batch, against the same model
     * @return the combined figures
     * @throws IllegalArgumentException if the two were checked against different training ranges
     */
    public InputShift plus(InputShift next) {
        if (!trainingRows.equals(next.trainingRows) || !trainingCols.equals(next.trainingCols)) {
            throw new IllegalArgumentException("checks against different models: rows " + trainingRows + " / "
                    + next.trainingRows + ", cols " + trainingCols + " / " + next.trainingCols);
        }
        int n = maps + next.maps;
        int outside = outsideSizeRange < 0 || next.outsideSizeRange < 0 ? -1 : outsideSizeRange + next.outsideSizeRange;
        double rejected = rejectRate * maps + next.rejectRate * next.maps;
        return new InputShift(n, outside, trainingRows, trainingCols, n == 0 ? 0 : rejected / n, expectedRejectRate);
    }

    /**
     * @param provenance         the model's provenance
     * @param maps               the batch
     * @param predictions        the model's predictions for it
     * @param expectedRejectRate the reject rate the model was calibrated for
     * @return the check's figures
     */
    public static InputShift check(Map<String, String> provenance, List<WaferMap> maps, List<Prediction> predictions,
                                   double expectedRejectRate) {
        int[] rows = range(provenance.get("data.rows"));
        int[] cols = range(provenance.get("data.cols"));
        int outside = rows == null || cols == null ? -1 : 0;
        int rejected = 0;
        for (int i = 0; i < maps.size(); i++) {
            WaferMap m = outside >= 0 ? MapSizing.dieGrid(maps.get(i)) : maps.get(i);
            if (outside >= 0 && (m.rows() < rows[0] || m.rows() > rows[1] || m.cols() < cols[0] || m.cols() > cols[1])) {
                outside++;
            }
            if (predictions.get(i).isUnknown()) {
                rejected++;
            }
        }
        return new InputShift(maps.size(), outside, provenance.getOrDefault("data.rows", ""),
                provenance.getOrDefault("data.cols", ""), maps.isEmpty() ? 0 : (double) rejected / maps.size(),
                expectedRejectRate);
    }

    /** @return true when the reject rate is more than three times the calibrated one and above 10 % */
    public boolean rejectRateShifted() {
        return rejectRate > 0.10 && rejectRate > 3 * expectedRejectRate;
    }

    /** @return true when any check fires */
    public boolean shifted() {
        return outsideSizeRange > 0 || rejectRateShifted();
    }

    /** @return one line for a report; empty when nothing fires */
    public String message() {
        StringBuilder sb = new StringBuilder();
        if (outsideSizeRange > 0) {
            sb.append(String.format(Locale.ROOT, "input shift: %d of %d maps have a grid outside the training range"
                    + " (rows %s, cols %s)", outsideSizeRange, maps, trainingRows, trainingCols));
        }
        if (rejectRateShifted()) {
            sb.append(sb.length() > 0 ? "; " : "input shift: ").append(String.format(Locale.ROOT,
                    "%.1f %% rejected as unknown where the threshold was calibrated for %.1f %% (a new product,"
                            + " map size or tool? retrain or recalibrate on labelled maps of it)",
                    100 * rejectRate, 100 * expectedRejectRate));
        }
        return sb.toString();
    }

    private static int[] range(String s) {
        if (s == null) {
            return null;
        }
        int dots = s.indexOf("..");
        if (dots <= 0) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(s.substring(0, dots).trim()), Integer.parseInt(s.substring(dots + 2).trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
