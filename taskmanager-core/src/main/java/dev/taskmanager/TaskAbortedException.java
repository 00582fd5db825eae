package dev.taskmanager;

/**
 * Thrown from {@link TaskContext#ensureNotAborted()} when the task was asked to abort, and recorded
 * as the error of every task that completes after an abort (SPEC §9.4). An abort is not a bug: this
 * exception carries no stack trace and is not logged as an error. As {@link Task#failure()} of an
 * aborted task, its cause is the exception the body ended with, if it threw one.
 */
public final class TaskAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The compat text: ScyllaDB clients look for this phrase in {@code error}. */
    static final String ABORT_REQUESTED = "abort requested";

    /**
     * @param reason why the task was aborted, or {@code null}; the message always contains
     *               "abort requested"
     */
    public TaskAbortedException(String reason) {
        this(reason, null);
    }

    TaskAbortedException(String reason, Throwable cause) {
        super(reason == null || reason.isEmpty() ? ABORT_REQUESTED : ABORT_REQUESTED + ": " + reason,
                cause, false, false);
    }
}
