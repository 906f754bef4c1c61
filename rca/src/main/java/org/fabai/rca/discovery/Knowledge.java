package org.fabai.rca.discovery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fabai.core.process.Route;

/**
 * Background knowledge for causal discovery: tiers (a variable in a later tier cannot cause one
 * in an earlier tier, and is never used to separate two variables of earlier tiers), required
 * edges and forbidden edges. Variables without a tier are unconstrained. Immutable and
 * thread-safe once built.
 */
public final class Knowledge {

    private final Map<String, Integer> tiers;
    private final Set<List<String>> forbidden;
    private final Set<List<String>> required;

    private Knowledge(Map<String, Integer> tiers, Set<List<String>> forbidden, Set<List<String>> required) {
        this.tiers = Map.copyOf(tiers);
        this.forbidden = Set.copyOf(forbidden);
        this.required = Set.copyOf(required);
    }

    /** @return knowledge with no constraints */
    public static Knowledge none() {
        return builder().build();
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tiers from a process route: each variable is mapped to the step it belongs to, and gets the
     * step's {@link Route#tier tier} in the route.
     *
     * @param route      the route
     * @param stepOfVariable variable name to step id (variables not listed stay untiered;
     *                   outcomes measured at the end can be given a tier above every step
     *                   with {@link Builder#tier})
     * @return a builder holding those tiers
     */
    public static Builder fromRoute(Route route, Map<String, String> stepOfVariable) {
        Builder b = builder();
        stepOfVariable.forEach((v, s) -> b.tier(v, route.tier(s)));
        return b;
    }

    /**
     * @param v a variable
     * @return its tier, or -1 when untiered
     */
    public int tier(String v) {
        return tiers.getOrDefault(v, -1);
    }

    /**
     * @param from cause
     * @param to   effect
     * @return true when the edge {@code from -> to} is forbidden (explicitly or by tiers)
     */
    public boolean isForbidden(String from, String to) {
        if (forbidden.contains(List.of(from, to))) {
            return true;
        }
        int tf = tier(from);
        int tt = tier(to);
        return tf >= 0 && tt >= 0 && tf > tt;
    }

    /**
     * @param from cause
     * @param to   effect
     * @return true when the edge {@code from -> to} is required
     */
    public boolean isRequired(String from, String to) {
        return required.contains(List.of(from, to));
    }

    /**
     * Whether {@code z} may be conditioned on when testing {@code x} and {@code y}: not when it
     * lies in a later tier than both.
     *
     * @param z candidate conditioning variable
     * @param x a tested variable
     * @param y the other tested variable
     * @return true when allowed
     */
    public boolean mayCondition(String z, String x, String y) {
        int tz = tier(z);
        int tx = tier(x);
        int ty = tier(y);
        if (tz < 0 || tx < 0 || ty < 0) {
            return true;
        }
        return tz <= Math.max(tx, ty);
    }

    /** @return true when there are no constraints at all */
    public boolean isEmpty() {
        return tiers.isEmpty() && forbidden.isEmpty() && required.isEmpty();
    }

    /** Builder of knowledge. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Integer> tiers = new HashMap<>();
        private final Set<List<String>> forbidden = new HashSet<>();
        private final Set<List<String>> required = new HashSet<>();

        private Builder() {
        }

        /**
         * @param variable variable name
         * @param tier     tier, 0 or more
         * @return this builder
         */
        public Builder tier(String variable, int tier) {
            Objects.requireNonNull(variable, "variable");
            if (tier < 0) {
                throw new IllegalArgumentException("tier must be >= 0, got " + tier + " for '" + variable + "'");
            }
            tiers.put(variable, tier);
            return this;
        }

        /**
         * @param from cause
         * @param to   effect
         * @return this builder
         */
        public Builder forbid(String from, String to) {
            forbidden.add(List.of(from, to));
            return this;
        }

        /**
         * @param from cause
         * @param to   effect
         * @return this builder
         */
        public Builder require(String from, String to) {
            required.add(List.of(from, to));
            return this;
        }

        /**
         * @return the knowledge
         * @throws IllegalArgumentException if an edge is both required and forbidden
         */
        public Knowledge build() {
            Knowledge k = new Knowledge(tiers, forbidden, required);
            for (List<String> r : required) {
                if (k.isForbidden(r.get(0), r.get(1))) {
                    throw new IllegalArgumentException("edge " + r.get(0) + " -> " + r.get(1)
                            + " is both required and forbidden");
                }
            }
            return k;
        }
    }
}
