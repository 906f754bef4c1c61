package org.fabai.apc.sim;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a one-line plant disturbance description, as used on the command line: components joined
 * by {@code +}, each {@code name:key=value,...}:
 * <pre>
 *   white:sigma=1                 white noise
 *   ima:theta=0.7,sigma=1         IMA(1,1)
 *   drift:delta=0.02              linear drift per run
 *   pm:every=250,shift=3          maintenance step shifts of ±shift every 'every' runs
 * </pre>
 * e.g. {@code white:sigma=1+drift:delta=0.02+pm:every=250,shift=3}. Stateless and thread-safe.
 */
public final class DisturbanceSpec {

    private DisturbanceSpec() {
    }

    /**
     * @param spec        the description
     * @param alpha       plant intercept
     * @param beta        true plant gain (model gain × ξ)
     * @param delay       metrology delay in runs
     * @param sampleEvery measure every m-th run
     * @return the plant
     * @throws IllegalArgumentException naming the unknown component, key or bad value
     */
    public static PlantConfig parse(String spec, double alpha, double beta, int delay, int sampleEvery) {
        double white = 0;
        double theta = 0;
        double imaSigma = 0;
        double drift = 0;
        int pmEvery = 0;
        double pmShift = 0;
        for (String part : spec.trim().split("\\+")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("disturbance spec '" + spec + "': empty component");
            }
            int colon = p.indexOf(':');
            String name = (colon < 0 ? p : p.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            Map<String, Double> kv = new HashMap<>();
            if (colon >= 0) {
                for (String s : p.substring(colon + 1).split(",")) {
                    int eq = s.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("disturbance spec '" + spec + "': '" + s + "' is not key=value");
                    }
                    String key = s.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    try {
                        kv.put(key, Double.parseDouble(s.substring(eq + 1).trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("disturbance spec '" + spec + "': value of '" + key
                                + "' is not a number", e);
                    }
                }
            }
            switch (name) {
                case "white" -> {
                    allow(spec, name, kv, Set.of("sigma"));
                    white = kv.getOrDefault("sigma", 1.0);
                }
                case "ima" -> {
                    allow(spec, name, kv, Set.of("theta", "sigma"));
                    theta = kv.getOrDefault("theta", 0.7);
                    imaSigma = kv.getOrDefault("sigma", 1.0);
                }
                case "drift" -> {
                    allow(spec, name, kv, Set.of("delta"));
                    drift = kv.getOrDefault("delta", 0.01);
                }
                case "pm" -> {
                    allow(spec, name, kv, Set.of("every", "shift"));
                    double every = kv.getOrDefault("every", 200.0);
                    if (every != Math.rint(every)) {
                        throw new IllegalArgumentException("disturbance spec '" + spec + "': pm every must be a whole number, got "
                                + every);
                    }
                    pmEvery = (int) every;
                    pmShift = kv.getOrDefault("shift", 3.0);
                }
                default -> throw new IllegalArgumentException("disturbance spec '" + spec + "': unknown component '" + name
                        + "', expected white, ima, drift or pm");
            }
        }
        return new PlantConfig(alpha, beta, white, theta, imaSigma, drift, pmEvery, pmShift, delay, sampleEvery);
    }

    private static void allow(String spec, String name, Map<String, Double> kv, Set<String> keys) {
        for (String k : kv.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("disturbance spec '" + spec + "': " + name + " has no key '" + k
                        + "', expected one of " + keys);
            }
        }
    }
}
