package org.fabai.apc.thread;

/** A thread store could not read or write; the message names the store and the operation. Immutable, thread-safe. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, where
     * @param cause   underlying cause, may be null
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed, where
     */
    public StoreException(String message) {
        super(message);
    }
}
