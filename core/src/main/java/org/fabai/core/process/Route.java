package org.fabai.core.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * A process route: a directed acyclic graph of {@link Step}s, an edge {@code a -> b} meaning
 * that {@code a} runs before {@code b}. Most routes are a chain; rework loops are modelled as
 * separate steps, and parallel branches (e.g. front and back side) as a DAG.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Route {

    private final Graph<Step, DefaultEdge> graph;
    private final List<Step> order;
    private final Map<String, Integer> tier;
    private final Map<String, Step> byId;

    private Route(Graph<Step, DefaultEdge> g) {
        this.graph = new AsUnmodifiableGraph<>(g);
        List<Step> o = new ArrayList<>();
        new TopologicalOrderIterator<>(g).forEachRemaining(o::add);
        this.order = Collections.unmodifiableList(o);
        Map<String, Integer> t = new LinkedHashMap<>();
        Map<String, Step> ids = new LinkedHashMap<>();
        for (Step s : o) {
            int depth = 0;
            for (DefaultEdge e : g.incomingEdgesOf(s)) {
                depth = Math.max(depth, t.get(g.getEdgeSource(e).id()) + 1);
            }
            t.put(s.id(), depth);
            ids.put(s.id(), s);
        }
        this.tier = Collections.unmodifiableMap(t);
        this.byId = Collections.unmodifiableMap(ids);
    }

    /**
     * A linear route: each step before the next.
     *
     * @param steps steps in process order
     * @return the route
     */
    public static Route linear(List<Step> steps) {
        Builder b = builder();
        Step prev = null;
        for (Step s : steps) {
            b.step(s);
            if (prev != null) {
                b.precedes(prev, s);
            }
            prev = s;
        }
        return b.build();
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return steps in a topological (process) order */
    public List<Step> steps() {
        return order;
    }

    /**
     * @param id a step id
     * @return the step
     * @throws IllegalArgumentException if the route has no such step
     */
    public Step step(String id) {
        Step s = byId.get(id);
        if (s == null) {
            throw new IllegalArgumentException("route has no step '" + id + "'; steps: " + byId.keySet());
        }
        return s;
    }

    /**
     * The tier of a step: the length of the longest chain of steps before it. Steps in a lower
     * tier can cause outcomes of steps in a higher tier, never the reverse.
     *
     * @param stepId step id
     * @return tier, 0 for first steps
     */
    public int tier(String stepId) {
        step(stepId);
        return tier.get(stepId);
    }

    /**
     * @param a a step id
     * @param b a step id
     * @return true when {@code a} runs (directly or indirectly) before {@code b}
     */
    public boolean isBefore(String a, String b) {
        Step sa = step(a);
        Step sb = step(b);
        if (sa.equals(sb)) {
            return false;
        }
        return new org.jgrapht.alg.shortestpath.BFSShortestPath<>(graph).getPath(sa, sb) != null;
    }

    /** @return the read-only graph */
    public Graph<Step, DefaultEdge> graph() {
        return graph;
    }

    /** @return true when every step is connected to every other, ignoring direction */
    public boolean isConnected() {
        return new ConnectivityInspector<>(graph).isConnected();
    }

    /** Builder of a route. Not thread-safe. */
    public static final class Builder {
        private final Graph<Step, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        private final Map<String, Step> ids = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param s a step; its id must be new
         * @return this builder
         */
        public Builder step(Step s) {
            Objects.requireNonNull(s, "step");
            Step old = ids.putIfAbsent(s.id(), s);
            if (old != null && !old.equals(s)) {
                throw new IllegalArgumentException("duplicate step id '" + s.id() + "'");
            }
            g.addVertex(s);
            return this;
        }

        /**
         * Declares that {@code a} runs before {@code b} (adding either step if new).
         *
         * @param a earlier step
         * @param b later step
         * @return this builder
         */
        public Builder precedes(Step a, Step b) {
            step(a);
            step(b);
            if (a.equals(b)) {
                throw new IllegalArgumentException("step '" + a.id() + "' cannot precede itself");
            }
            g.addEdge(a, b);
            return this;
        }

        /**
         * @return the route
         * @throws IllegalArgumentException if the steps form a cycle; the message names the steps on it
         */
        public Route build() {
            CycleDetector<Step, DefaultEdge> cd = new CycleDetector<>(g);
            if (cd.detectCycles()) {
                Set<Step> cyc = cd.findCycles();
                throw new IllegalArgumentException("route is not acyclic: steps "
                        + cyc.stream().map(Step::id).sorted().collect(Collectors.joining(", "))
                        + " form a cycle");
            }
            DefaultDirectedGraph<Step, DefaultEdge> copy = new DefaultDirectedGraph<>(DefaultEdge.class);
            g.vertexSet().forEach(copy::addVertex);
            g.edgeSet().forEach(e -> copy.addEdge(g.getEdgeSource(e), g.getEdgeTarget(e)));
            return new Route(copy);
        }
    }
}
