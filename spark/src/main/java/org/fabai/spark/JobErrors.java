package org.fabai.spark;

import java.util.function.Supplier;

/** Bad input found on an executor reaches the driver wrapped in Spark's exception; this finds it again. */
final class JobErrors {

    private JobErrors() {
    }

    /**
     * Runs a Spark action and rethrows an {@link IllegalArgumentException} thrown by fabai's checks on
     * an executor as itself (its message names the record), instead of Spark's task-failure wrapper.
     *
     * @param action the action
     * @param <T>    its result type
     * @return its result
     */
    static <T> T unwrapped(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // Spark's SparkException is checked in Java but thrown from Scala without a declaration
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException iae) {
                    throw new IllegalArgumentException(iae.getMessage(), e);
                }
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }
}
