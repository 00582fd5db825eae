package dev.taskmanager.server;

/**
 * An endpoint added to the API by another module, e.g. {@code POST /files/manifest?path=...}; see
 * {@link TaskManagerServer.Builder#route} and {@link ApiOptions.Builder#route}.
 *
 * <p>It runs on one of the HTTP server's pool threads, so it may block briefly, and it must be
 * thread-safe: many requests call it at once. What it returns is rendered as the JSON body of a 200
 * answer:
 * <ul>
 *   <li>{@code null}: an empty body (status 200, zero length), as the compat API's actions answer;</li>
 *   <li>a {@code String} (any {@code CharSequence}), {@code UUID} or enum: a JSON string, e.g. the id of
 *       a task it started;</li>
 *   <li>a {@code Number} or {@code Boolean}: a JSON number or boolean;</li>
 *   <li>a {@code TaskStatus} or {@code TaskStats}: the compat API's {@code task_status} or
 *       {@code task_stats} object;</li>
 *   <li>a {@code Map} (keys rendered with {@code toString}), an {@code Iterable} or an array of the
 *       above: an object or array.</li>
 * </ul>
 *
 * <p>Errors: an {@link IllegalArgumentException} becomes 400 with its message, an
 * {@link ApiException} its own status, anything else a logged 500.
 */
@FunctionalInterface
public interface ExtensionHandler {

    /**
     * Handles one request.
     *
     * @param request typed access to the path and query parameters, and to the task manager
     * @return the value to render as JSON, or {@code null} for an empty body
     * @throws Exception on failure; see the class comment for how each kind is answered
     */
    Object handle(ExtensionRequest request) throws Exception;
}
