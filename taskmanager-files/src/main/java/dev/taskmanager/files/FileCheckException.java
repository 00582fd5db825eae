package dev.taskmanager.files;

import dev.taskmanager.TaskFailedException;

/**
 * A file, or a directory's worth of files, did not pass: a digest that does not match the manifest,
 * a listed file that is missing, or a count of such failures below a task. As a
 * {@link TaskFailedException}, its message becomes the failed task's error as is
 * ({@code sha256 mismatch: expected X, got Y}, {@code missing}, {@code 2 of 9 files failed verification});
 * it is an expected outcome, not a bug, so it carries no stack trace.
 */
final class FileCheckException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    FileCheckException(String message) {
        super(message);
    }
}
