package org.fabai.apc.thread;

/** A commit was computed from a thread version that is no longer current (another writer won). Immutable, thread-safe. */
public class StaleStateException extends StoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which thread, which versions
     */
    public StaleStateException(String message) {
        super(message);
    }
}
