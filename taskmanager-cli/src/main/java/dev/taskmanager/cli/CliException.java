package dev.taskmanager.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * An expected failure of one invocation: its message is what goes to stderr (without a trailing
 * newline) and its exit code is what {@link TasksCli#run} returns.
 *
 * <p>It carries no stack trace: expected failures (bad arguments, an error answer, a server that
 * is down) are reported as one message, never as a trace.
 */
class CliException extends RuntimeException {

    /** Missing id or module (§14.2). */
    static final int MISSING_PARAMETER = 1;
    /** Unknown option, repeated option, bad option value, too many positionals (§14.2). */
    static final int BAD_ARGUMENTS = 2;
    /** A request failed: non-2xx answer, no connection, unreadable body (§14.2). */
    static final int REQUEST_FAILED = 4;
    /** Unknown command or subcommand (§14.2). */
    static final int UNKNOWN_OPERATION = 100;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** Why a file could not be read, in words ({@code NoSuchFileException}'s message is a path). */
    static String fileProblem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return RestClient.reason(e);
    }
}
