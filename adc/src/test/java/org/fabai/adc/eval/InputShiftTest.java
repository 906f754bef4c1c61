package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fabai.adc.model.Prediction;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/** The input-shift check, on one batch and on a file checked batch by batch. */
class InputShiftTest {

    private static final List<String> CLASSES = List.of("Center", "none");
    private static final Map<String, String> PROV = Map.of("data.rows", "20..40", "data.cols", "20..40");

    private static Prediction predict(boolean rejected) {
        return new Prediction(rejected ? Prediction.UNKNOWN : "Center", "Center", new double[] {0.6, 0.4}, CLASSES);
    }

    @Test
    void newSizesAndManyRejectsAreFlaggedAndBatchesAddUp() {
        List<WaferMap> maps = new ArrayList<>();
        List<Prediction> preds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int side = i < 10 ? 60 : 30; // ten maps of a size the model never saw
            maps.add(WaferMap.fromCodes(side, side, new byte[side * side]));
            preds.add(predict(i % 3 == 0)); // a third rejected, against 2 % calibrated
        }
        InputShift whole = InputShift.check(PROV, maps, preds, 0.02);
        assertEquals(30, whole.maps());
        assertEquals(10, whole.outsideSizeRange());
        assertEquals(10.0 / 30, whole.rejectRate(), 1e-12);
        assertTrue(whole.shifted());
        assertTrue(whole.rejectRateShifted());
        InputShift sum = InputShift.check(PROV, maps.subList(0, 7), preds.subList(0, 7), 0.02)
                .plus(InputShift.check(PROV, maps.subList(7, 19), preds.subList(7, 19), 0.02))
                .plus(InputShift.check(PROV, maps.subList(19, 30), preds.subList(19, 30), 0.02));
        assertEquals(whole.maps(), sum.maps());
        assertEquals(whole.outsideSizeRange(), sum.outsideSizeRange());
        assertEquals(whole.rejectRate(), sum.rejectRate(), 1e-12);
        assertEquals(whole.shifted(), sum.shifted());

        InputShift calm = InputShift.check(PROV, maps.subList(10, 12), List.of(predict(false), predict(false)), 0.02);
        assertFalse(calm.shifted());
        // a model without a recorded size range: no size check, in one batch or several
        assertEquals(-1, InputShift.check(Map.of(), maps.subList(0, 2), preds.subList(0, 2), 0.02)
                .plus(InputShift.check(Map.of(), maps.subList(2, 4), preds.subList(2, 4), 0.02)).outsideSizeRange());
        assertThrows(IllegalArgumentException.class,
                () -> calm.plus(InputShift.check(Map.of("data.rows", "1..2", "data.cols", "1..2"), maps.subList(0, 1),
                        preds.subList(0, 1), 0.02)));
    }

    @Test
    void mapsDrawnAsDieBlocksAreCheckedAtTheSizeOfTheirDies() {
        // a round 30 x 30 wafer with one failing die, and the same wafer with every die a 2x2 block
        WaferMap.Builder b = WaferMap.builder(30, 30);
        for (int r = 0; r < 30; r++) {
            for (int c = 0; c < 30; c++) {
                double u = (c + 0.5 - 15) / 15;
                double v = (r + 0.5 - 15) / 15;
                if (u * u + v * v <= 1) {
                    b.state(r, c, r == 12 && c == 17 ? org.fabai.core.wafer.DieState.FAIL : org.fabai.core.wafer.DieState.GOOD);
                }
            }
        }
        WaferMap dies = b.build();
        WaferMap blocks = dies.resize(60, 60, WaferMap.ResizeMode.NEAREST);
        WaferMap stretched = dies.resize(50, 50, WaferMap.ResizeMode.NEAREST);
        InputShift s = InputShift.check(PROV, List.of(dies, blocks, stretched),
                List.of(predict(false), predict(false), predict(false)), 0.02);
        // 60 x 60 cells are 30 x 30 dies: inside 20..40; the 50 x 50 stretch has no exact die grid
        assertEquals(1, s.outsideSizeRange());
    }
}
