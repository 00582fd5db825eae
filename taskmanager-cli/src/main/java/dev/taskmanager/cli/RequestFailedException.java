package dev.taskmanager.cli;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server answered a request with a non-2xx status. Commands that give some statuses a meaning
 * of their own (403 for {@code abort}, 408 for {@code wait}, 400 while walking every tree) catch it
 * and look at {@link #status()}; everything else lets it reach {@link TasksCli}, which prints it.
 *
 * <p>The message follows nodetool's: method, path, parameters, status, then the server's
 * {@code message} on a line of its own.
 */
final class RequestFailedException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;

    RequestFailedException(String method, String path, Map<String, String> params, int status,
            String serverMessage) {
        super(REQUEST_FAILED, "error executing " + method + " request to " + path
                + " with parameters " + render(params) + ": remote replied with status code "
                + status + ":\n" + serverMessage);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** Renders parameters the way nodetool prints its parameter map: {@code {"k": "v"}}. */
    private static String render(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> Json.quote(e.getKey()) + ": " + Json.quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
