package org.fabai.cli.demo;

import org.fabai.apc.control.ControllerConfig;

/**
 * The polishing-like process the demo's APC stages control, {@code y = intercept + gain·u} (output
 * in nm, input a polish time in s), in one place. Immutable, thread-safe.
 *
 * @param gain       model gain b (nm per s)
 * @param intercept  nominal intercept (nm)
 * @param target     target output
 * @param lowerBound lowest allowed input
 * @param upperBound highest allowed input
 * @param lsl        lower spec limit of the output
 * @param usl        upper spec limit of the output
 */
record DemoProcess(double gain, double intercept, double target, double lowerBound, double upperBound, double lsl,
                   double usl) {

    /** The demo's process: gain -0.8, intercept 130, target 50 within 45..55, input 20..180. */
    static final DemoProcess CMP = new DemoProcess(-0.8, 130, 50, 20, 180, 45, 55);

    /** @return the controller settings: target, input bounds, nominal input {@code (target − intercept)/gain} */
    ControllerConfig controllerConfig() {
        return ControllerConfig.of(target, lowerBound, upperBound, (target - intercept) / gain);
    }
}
