package org.fabai.adc.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.core.wafer.WaferMap;

/**
 * One interface for every wafer-map classifier in fabai: the small-model path (engineered
 * features and a Smile learner) and the CNN path (trained on Deeplearning4j, served by ONNX
 * Runtime or cuDNN).
 *
 * <p>Implementations say in their own javadoc whether they are thread-safe. Those holding native
 * memory release it in {@link #close()}; for the others {@code close()} does nothing.
 */
public interface WaferMapClassifier extends AutoCloseable {

    /** @return class names, in the order of {@link Prediction#probabilities()} */
    List<String> classNames();

    /**
     * Classifies one map.
     *
     * @param map a wafer map of any size (implementations resize as they need)
     * @return the prediction
     */
    Prediction predict(WaferMap map);

    /**
     * Classifies a batch. The default calls {@link #predict(WaferMap)} per map; engines that batch
     * natively override it.
     *
     * @param maps wafer maps
     * @return predictions in the same order
     */
    default List<Prediction> predictBatch(List<WaferMap> maps) {
        List<Prediction> out = new ArrayList<>(maps.size());
        for (WaferMap m : maps) {
            out.add(predict(m));
        }
        return out;
    }

    /**
     * Saves the model with its provenance to one file in fabai's documented, versioned format.
     *
     * @param file the file to write
     * @throws IOException if writing fails
     */
    void save(Path file) throws IOException;

    /**
     * @return the calibrated threshold on the top probability below which a map is reported as
     *         {@link Prediction#UNKNOWN}; 0 when the model never rejects
     */
    default double rejectThreshold() {
        return 0;
    }

    /** Releases native resources, if any. */
    @Override
    default void close() {
    }
}
