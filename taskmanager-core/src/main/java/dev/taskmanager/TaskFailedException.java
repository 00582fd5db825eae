package dev.taskmanager;

/**
 * An expected failure that a task's body describes itself: a task that throws it fails with exactly
 * its message as {@code error} ("sha256 mismatch: expected ..., got ..."), rather than the
 * "type (message)" rendering used for unexpected exceptions. Carries no stack trace: it is an
 * outcome, not a bug.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the task's error text; must not be blank */
    public TaskFailedException(String message) {
        super(requireText(message), null, false, false);
    }

    private static String requireText(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a task failure needs a message, got '" + message + "'");
        }
        return message;
    }
}
