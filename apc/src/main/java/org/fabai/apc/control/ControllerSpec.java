package org.fabai.apc.control;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.fabai.apc.estimator.DoubleEwmaConfig;
import org.fabai.apc.estimator.DoubleEwmaEstimator;
import org.fabai.apc.estimator.Estimator;
import org.fabai.apc.estimator.EwmaConfig;
import org.fabai.apc.estimator.EwmaEstimator;
import org.fabai.apc.estimator.HoltConfig;
import org.fabai.apc.estimator.HoltEstimator;
import org.fabai.apc.estimator.KalmanConfig;
import org.fabai.apc.estimator.KalmanEstimator;
import org.fabai.apc.estimator.RlsConfig;
import org.fabai.apc.estimator.RlsEstimator;

/**
 * Parses a one-line estimator description, as used on the command line:
 * <pre>
 *   ewma:lambda=0.3
 *   dewma:lambda1=0.3,lambda2=0.05   (Butler–Stefani double EWMA)
 *   holt:lambda1=0.3,lambda2=0.05    (Holt's smoother, fabai's earlier dewma)
 *   kalman:q=0.1,r=1            (local level; add qdrift=1e-4 for a drift state)
 *   rls:mu=0.98
 * </pre>
 * Every estimator takes the model gain and the initial intercept from the caller. Defaults:
 * {@code lambda=0.3}, {@code lambda1=0.3} (dewma and holt), {@code lambda2=0.05}, {@code q=0.1}, {@code r=1},
 * {@code qdrift=0}, {@code mu=0.98}. Stateless and thread-safe.
 */
public final class ControllerSpec {

    private ControllerSpec() {
    }

    /**
     * @param spec             the description
     * @param gain             model gain b
     * @param initialIntercept starting intercept
     * @return a fresh estimator
     * @throws IllegalArgumentException naming the unknown estimator, key or bad value
     */
    public static Estimator estimator(String spec, double gain, double initialIntercept) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        Map<String, Double> p = new HashMap<>();
        if (colon >= 0 && colon < s.length() - 1) {
            for (String kv : s.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("controller spec '" + spec + "': '" + kv + "' is not key=value");
                }
                String key = kv.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                try {
                    p.put(key, Double.parseDouble(kv.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("controller spec '" + spec + "': value of '" + key + "' is not a number", e);
                }
            }
        }
        switch (name) {
            case "ewma":
                allow(spec, p, Set.of("lambda"));
                return new EwmaEstimator(new EwmaConfig(p.getOrDefault("lambda", 0.3), gain, initialIntercept));
            case "dewma":
                allow(spec, p, Set.of("lambda1", "lambda2"));
                return new DoubleEwmaEstimator(new DoubleEwmaConfig(p.getOrDefault("lambda1", 0.3),
                        p.getOrDefault("lambda2", 0.05), gain, initialIntercept, 0));
            case "holt":
                allow(spec, p, Set.of("lambda1", "lambda2"));
                return new HoltEstimator(new HoltConfig(p.getOrDefault("lambda1", 0.3),
                        p.getOrDefault("lambda2", 0.05), gain, initialIntercept, 0));
            case "kalman":
                allow(spec, p, Set.of("q", "r", "qdrift"));
                return new KalmanEstimator(new KalmanConfig(p.getOrDefault("q", 0.1), p.getOrDefault("qdrift", 0.0),
                        p.getOrDefault("r", 1.0), gain, initialIntercept, 1.0));
            case "rls":
                allow(spec, p, Set.of("mu"));
                return new RlsEstimator(RlsConfig.withDefaults(p.getOrDefault("mu", 0.98), gain, initialIntercept));
            default:
                throw new IllegalArgumentException("controller spec '" + spec
                        + "': unknown estimator '" + name + "', expected ewma, dewma, holt, kalman or rls");
        }
    }

    private static void allow(String spec, Map<String, Double> p, Set<String> keys) {
        for (String k : p.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("controller spec '" + spec + "': unknown key '" + k + "', expected one of "
                        + keys);
            }
        }
    }

    /**
     * A factory of fresh controllers for simulations.
     *
     * @param spec             estimator description
     * @param config           controller settings
     * @param gain             model gain b
     * @param initialIntercept starting intercept
     * @return the factory (validated once now)
     */
    public static Supplier<Controller> factory(String spec, ControllerConfig config, double gain, double initialIntercept) {
        estimator(spec, gain, initialIntercept);
        return () -> new Controller(config, estimator(spec, gain, initialIntercept));
    }
}
