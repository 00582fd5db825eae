package dev.taskmanager.store;

/**
 * The history store could not answer: it is unreachable, or refused the request. The message names
 * the engine and what failed; the cause is the driver's exception. An API answers it with 503.
 */
public class HistoryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error without an underlying cause (a refusal the store decided itself). */
    public HistoryStoreException(String message) {
        super(message);
    }

    /** An error with its cause. */
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
