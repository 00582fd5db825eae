package dev.taskmanager.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server answered a request with a non-2xx status. Commands that give some statuses a meaning
 * of their own (403 for {@code abort}, 408 for {@code wait}, 400 while walking every tree) catch it
 * and look at {@link #status()}; everything else lets it reach {@link TasksCli}, which prints it.
 *
 * <p>The message follows nodetool's: method, path, parameters, status, then the server's
 * {@code message} (a v2 problem's {@code detail}) on a line of its own (control characters escaped), then a hint of ours on a
 * line of its own when there is one (what to do about a 401).
 */
final class RequestFailedException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String serverMessage;
    private final transient Json body;

    /**
     * @param serverMessage the {@code message} (compat) or {@code detail} (v2 problem) of the
     *                      error body, or the body, as sent
     * @param body          the error body parsed, or {@code null} when it was not JSON
     * @param hint          a line to add, or {@code null}
     */
    RequestFailedException(String method, String path, List<Map.Entry<String, String>> params,
            int status,
            String serverMessage, Json body, String hint) {
        super(REQUEST_FAILED, "error executing " + method + " request to " + path
                + " with parameters " + render(params) + ": remote replied with status code "
                + status + ":\n" + lines(TerminalText.escape(serverMessage), hint));
        this.status = status;
        this.serverMessage = serverMessage;
        this.body = body;
    }

    int status() {
        return status;
    }

    /** What the server said, as sent (not escaped): for JSON output. */
    String serverMessage() {
        return serverMessage;
    }

    /**
     * The error body as sent, parsed ({@code null} when it was not JSON): a v2 problem carries
     * more than its {@code detail}, e.g. the finished task of a 409.
     */
    Json body() {
        return body;
    }

    /**
     * The server's message, then the hint. A 401 to a POST comes without its body (in streaming
     * mode {@code HttpURLConnection} drops it), so an empty message gives no empty line.
     */
    private static String lines(String serverMessage, String hint) {
        if (hint == null) {
            return serverMessage;
        }
        return serverMessage.isEmpty() ? hint : serverMessage + "\n" + hint;
    }

    /** Renders parameters the way nodetool prints its parameter map: {@code {"k": "v"}}. */
    private static String render(List<Map.Entry<String, String>> params) {
        return params.stream()
                .map(e -> Json.quote(e.getKey()) + ": " + Json.quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
