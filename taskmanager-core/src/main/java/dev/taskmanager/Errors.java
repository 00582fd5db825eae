package dev.taskmanager;

/**
 * Renders exceptions the way {@code error} shows them: {@code "java.io.IOException (disk full)"}, or
 * just the message of a {@link TaskFailedException}.
 */
final class Errors {
    private Errors() {
    }

    static String render(Throwable error) {
        if (error == null) {
            return "failed";
        }
        String message = error.getMessage();
        if (error instanceof TaskFailedException) {
            return message;
        }
        String type = error.getClass().getName();
        return message == null || message.isEmpty() ? type : type + " (" + message + ")";
    }
}
