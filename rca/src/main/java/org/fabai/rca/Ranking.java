package org.fabai.rca;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a {@link CauseRanker}: candidate causes, most likely first, each with its score (what
 * it means depends on the method: a z-score, a Shapley credit) and a confidence in [0, 1] whose
 * meaning the ranking states. Immutable and thread-safe.
 *
 * @param method            the ranker's {@link CauseRanker#name() name}
 * @param causes            ranked causes, most likely first
 * @param confidenceMeaning what the confidence is, in a few words
 */
public record Ranking(String method, List<Ranked> causes, String confidenceMeaning) {

    /**
     * One ranked cause.
     *
     * @param name       the candidate, {@code "step tool/chamber"}
     * @param score      the method's score, higher = more likely
     * @param confidence confidence in [0, 1] (see {@link Ranking#confidenceMeaning()})
     */
    public record Ranked(String name, double score, double confidence) {
        /** Validates the values. */
        public Ranked {
            Objects.requireNonNull(name, "name");
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("score of cause '" + name + "' is NaN");
            }
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException("confidence of cause '" + name + "' must be in [0, 1], got " + confidence);
            }
        }
    }

    /** Copies the list. */
    public Ranking {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(confidenceMeaning, "confidenceMeaning");
        causes = List.copyOf(causes);
    }

    /** @return the causes as (name, score) pairs, in rank order */
    public List<Cause> asCauses() {
        List<Cause> out = new ArrayList<>(causes.size());
        for (Ranked r : causes) {
            out.add(new Cause(r.name(), r.score()));
        }
        return out;
    }

    /**
     * @param name a candidate
     * @return its 0-based position, or -1 when it is not ranked
     */
    public int position(String name) {
        for (int i = 0; i < causes.size(); i++) {
            if (causes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the first cause, or null when nothing was ranked */
    public Ranked top() {
        return causes.isEmpty() ? null : causes.get(0);
    }
}
