package org.fabai.core.process;

import java.util.Objects;

/**
 * A measured or derived result for one wafer: yield, a bin count, pass/fail (1/0), a metrology
 * value, or a predicted defect class indicator. The common currency between modules: ADC
 * predictions and APC estimates become outcomes or candidate causes for RCA.
 *
 * @param waferId wafer id
 * @param name    what was measured (e.g. "yield", "cd_mean", "class=Edge-Ring")
 * @param value   the value; NaN is refused (record a missing value by leaving it out)
 */
public record Outcome(String waferId, String name, double value) {
    /** Validates the outcome. */
    public Outcome {
        Objects.requireNonNull(waferId, "waferId");
        Objects.requireNonNull(name, "name");
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("outcome " + name + " of wafer " + waferId + " is NaN");
        }
    }
}
