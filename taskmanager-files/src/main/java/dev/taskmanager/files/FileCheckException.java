package dev.taskmanager.files;

/**
 * A file, or a directory's worth of files, did not pass: a digest that does not match the manifest,
 * a listed file that is missing, or a count of such failures below a task. It becomes the failed
 * task's error ({@code dev.taskmanager.files.FileCheckException (sha256 mismatch: ...)}); it is an
 * expected outcome, not a bug, so it carries no stack trace.
 */
final class FileCheckException extends Exception {
    private static final long serialVersionUID = 1L;

    FileCheckException(String message) {
        super(message, null, false, false);
    }
}
