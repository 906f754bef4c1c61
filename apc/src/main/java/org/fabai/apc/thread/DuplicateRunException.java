package org.fabai.apc.thread;

/** A commit tried to record a run id the thread has already recorded (exactly-once guard). Immutable, thread-safe. */
public class DuplicateRunException extends StoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which thread, which run
     */
    public DuplicateRunException(String message) {
        super(message);
    }
}
